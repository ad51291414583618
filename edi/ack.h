// Acknowledgments. AckBuilder listens to a validation and writes what the gateway sends
// back: one 997 per received functional group (AK1, an AK2/AK5 per set with AK3/AK4 detail,
// AK9; partial acceptance as AK9 P), the 997's version taken from the inbound GS08, and a TA1
// when the sender asked for one (ISA14 = 1) or the interchange is rejected. Acknowledgments
// are never acknowledged: FA groups (997, 999) and TA1-only interchanges get nothing back.
// AckReader does the reverse for inbound 997/999/TA1: which of our groups and sets the
// partner accepted or rejected, and why.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "edi/delimiters.h"
#include "edi/validator.h"

namespace edi {

// Control numbers and the clock come from the caller (the spool allocates them durably).
struct AckEnvelope {
  uint64_t interchange_control = 1;
  uint64_t group_control = 1;
  uint64_t set_control = 1;  // ST02 of the first 997, incremented per 997
  std::string date;  // CCYYMMDD
  std::string time;  // HHMM
};

struct AckOptions {
  // Override of the acknowledgment's sender (ISA05/ISA06); empty: the receiver the inbound
  // interchange named. GS02 likewise defaults to the inbound GS03.
  std::string sender_qualifier, sender_id, application_sender;
  // Delimiters of the acknowledgment; unset: the inbound interchange's when they are single
  // bytes with a component separator, else * : ~.
  bool use_inbound_delimiters = true;
  Delimiters delimiters;
  std::string segment_suffix = "\n";
  bool ak2_for_accepted_sets = true;  // most 3PLs expect one AK2 per ST
  size_t max_ak3_per_set = 50;
  // Called for each acknowledgment interchange to allocate its control numbers.
  std::function<AckEnvelope(const InterchangeInfo&)> envelope;
};

struct Acknowledgment {
  size_t interchange_index = 0;  // the inbound interchange it answers
  std::string to;                // receiver "QUAL:ID"
  std::string bytes;             // the whole interchange
  size_t group_acks = 0;         // 997 sets inside
  bool ta1 = false;
  Status status;                 // a write error (e.g. a delimiter inside a copied value)
};

class AckBuilder final : public ValidationSink {
 public:
  explicit AckBuilder(AckOptions options);
  void OnInterchangeStart(const InterchangeInfo& info) override;
  void OnGroupStart(const GroupInfo& info) override;
  void OnSetEnd(const SetResult& set) override;
  void OnGroupEnd(const GroupResult& group) override;
  void OnInterchangeEnd(const InterchangeResult& ix) override;
  std::vector<Acknowledgment> Take() { return std::move(acks_); }

 private:
  struct SetAckData {
    std::string id, control, reference;
    char status;
    std::vector<std::string> codes;
    std::vector<Error> errors;
  };
  struct GroupAckData {
    GroupInfo info;
    std::vector<SetAckData> sets;
    GroupResult result;
  };
  AckOptions options_;
  std::vector<GroupAckData> groups_;
  std::vector<Acknowledgment> acks_;
};

// ---- inbound acknowledgments ----

struct ElementNote {
  int element = 0, component = 0;
  std::string element_ref, code, bad_value;
};
struct SegmentNote {
  std::string segment;
  uint32_t position = 0;
  std::string loop, code;
  std::vector<ElementNote> elements;
};
struct SetAck {
  std::string set_id, control;   // AK201/AK202 (IK: same)
  char status = 'A';             // AK501/IK501
  std::vector<std::string> codes;
  std::vector<SegmentNote> notes;
};
struct GroupAck {
  std::string functional_id, group_control, version;  // AK101..AK103
  char status = 'A';                                   // AK901
  std::string declared, received, accepted;
  std::vector<std::string> codes;
  std::vector<SetAck> sets;
  std::string ack_set_id;  // "997" or "999"
  std::string ack_control;  // ST02 of the 997 itself
  bool malformed = false;   // AK1 or AK9 missing
  // Status of one of our sets: its AK5 if listed, else the group's verdict (an AK9 A with
  // no AK2 loops accepts every set).
  char StatusOf(std::string_view set_control) const;
};
struct InterchangeAck {  // TA1
  std::string control, date, time, note_code;  // TA101 (our ISA13), TA102, TA103, TA105
  char status = 'A';                           // TA104; a missing one reads as 'R'
};
// The TA1 segment `s` as an InterchangeAck.
InterchangeAck ReadTa1(const Segment& s);
// The words of a TA105 note code ("024" -> "Invalid Interchange Content (e.g., Invalid GS
// Segment)"), "" for a code the standard does not define.
std::string_view Ta1NoteText(std::string_view note_code);
struct AckDocument {
  std::vector<GroupAck> groups;
  std::vector<InterchangeAck> interchanges;
};

// Collects the 997s, 999s and TA1s of a validation into an AckDocument.
class AckReader final : public ValidationSink {
 public:
  void OnSetStart(const SetInfo& info) override;
  void OnSetSegment(const Segment& segment, const SegmentContext& context) override;
  void OnSetEnd(const SetResult& set) override;
  void OnTa1(const Segment& segment) override;
  const AckDocument& document() const { return doc_; }

 private:
  AckDocument doc_;
  GroupAck current_;
  bool in_ack_ = false;
  bool saw_ak1_ = false, saw_ak9_ = false;
};

}  // namespace edi
