#include "edi/ack.h"

#include <iterator>

namespace edi {
namespace {

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

char GroupAck::StatusOf(std::string_view set_control) const {
  for (const SetAck& s : sets) {
    if (s.control == set_control) return s.status;
  }
  // Not listed: an accepting group (A, E, or P naming only its rejects) accepts it.
  return status == 'R' || status == 'M' || status == 'W' || status == 'X' ? 'R' : 'A';
}

void AckReader::OnSetStart(const SetInfo& info) {
  in_ack_ = info.id == "997" || info.id == "999";
  if (!in_ack_) return;
  current_ = GroupAck{};
  current_.ack_set_id = info.id;
  current_.ack_control = info.control;
  saw_ak1_ = saw_ak9_ = false;
}

void AckReader::OnSetSegment(const Segment& s, const SegmentContext&) {
  if (!in_ack_) return;
  const std::string_view tag = s.tag();
  if (tag == "AK1") {
    saw_ak1_ = true;
    current_.functional_id = std::string(s[1]);
    current_.group_control = std::string(s[2]);
    current_.version = std::string(s[3]);
  } else if (tag == "AK2") {
    SetAck a;
    a.set_id = std::string(s[1]);
    a.control = std::string(s[2]);
    current_.sets.push_back(std::move(a));
  } else if ((tag == "AK3" || tag == "IK3") && !current_.sets.empty()) {
    SegmentNote n;
    n.segment = std::string(s[1]);
    n.position = static_cast<uint32_t>(ToInt(s[2]));
    n.loop = std::string(s[3]);
    n.code = std::string(s[4]);
    current_.sets.back().notes.push_back(std::move(n));
  } else if ((tag == "AK4" || tag == "IK4") && !current_.sets.empty() &&
             !current_.sets.back().notes.empty()) {
    ElementNote e;
    e.element = ToInt(s.component(1, 1));
    e.component = ToInt(s.component(1, 2));
    e.element_ref = std::string(s[2]);
    e.code = std::string(s[3]);
    e.bad_value = std::string(s[4]);
    current_.sets.back().notes.back().elements.push_back(std::move(e));
  } else if ((tag == "AK5" || tag == "IK5") && !current_.sets.empty()) {
    SetAck& a = current_.sets.back();
    a.status = s[1].empty() ? 'R' : s[1][0];
    for (size_t i = 2; i <= s.size(); ++i) {
      if (!s[i].empty()) a.codes.emplace_back(s[i]);
    }
  } else if (tag == "AK9") {
    saw_ak9_ = true;
    current_.status = s[1].empty() ? 'R' : s[1][0];
    current_.declared = std::string(s[2]);
    current_.received = std::string(s[3]);
    current_.accepted = std::string(s[4]);
    for (size_t i = 5; i <= s.size(); ++i) {
      if (!s[i].empty()) current_.codes.emplace_back(s[i]);
    }
  }
}

void AckReader::OnSetEnd(const SetResult&) {
  if (!in_ack_) return;
  in_ack_ = false;
  current_.malformed = !saw_ak1_ || !saw_ak9_;
  doc_.groups.push_back(std::move(current_));
}

InterchangeAck ReadTa1(const Segment& s) {
  InterchangeAck a;
  a.control = std::string(s[1]);
  a.date = std::string(s[2]);
  a.time = std::string(s[3]);
  a.status = s[4].empty() ? 'R' : s[4][0];
  a.note_code = std::string(s[5]);
  return a;
}

std::string_view Ta1NoteText(std::string_view code) {
  // I18, x12-notes.md 3.4 (004010 defines 000-031; 00501 adds 032-038).
  static constexpr std::string_view kText[] = {
      "No error",
      "The Interchange Control Number in the Header and Trailer Do Not Match",
      "This Standard as Noted in the Control Standards Identifier is Not Supported",
      "This Version of the Controls is Not Supported",
      "The Segment Terminator is Invalid",
      "Invalid Interchange ID Qualifier for Sender",
      "Invalid Interchange Sender ID",
      "Invalid Interchange ID Qualifier for Receiver",
      "Invalid Interchange Receiver ID",
      "Unknown Interchange Receiver ID",
      "Invalid Authorization Information Qualifier Value",
      "Invalid Authorization Information Value",
      "Invalid Security Information Qualifier Value",
      "Invalid Security Information Value",
      "Invalid Interchange Date Value",
      "Invalid Interchange Time Value",
      "Invalid Interchange Standards Identifier Value",
      "Invalid Interchange Version ID Value",
      "Invalid Interchange Control Number Value",
      "Invalid Acknowledgment Requested Value",
      "Invalid Test Indicator Value",
      "Invalid Number of Included Groups Value",
      "Invalid Control Structure",
      "Improper (Premature) End-of-File (Transmission)",
      "Invalid Interchange Content (e.g., Invalid GS Segment)",
      "Duplicate Interchange Control Number",
      "Invalid Data Element Separator",
      "Invalid Component Element Separator",
      "Invalid Delivery Date in Deferred Delivery Request",
      "Invalid Delivery Time in Deferred Delivery Request",
      "Invalid Delivery Time Code in Deferred Delivery Request",
      "Invalid Grade of Service Code",
  };
  if (code.size() != 3) return "";
  int n = 0;
  for (char c : code) {
    if (c < '0' || c > '9') return "";
    n = n * 10 + (c - '0');
  }
  return static_cast<size_t>(n) < std::size(kText) ? kText[n] : "";
}

void AckReader::OnTa1(const Segment& s) { doc_.interchanges.push_back(ReadTa1(s)); }

}  // namespace edi
