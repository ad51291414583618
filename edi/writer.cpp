#include "edi/writer.h"

#include <cstdio>

namespace edi {
namespace {

Error WriteError(std::string message) {
  Error e = FileError(std::move(message));
  e.layer = Layer::kInterchange;
  return e;
}

std::string Pad(std::string_view s, size_t width) {
  std::string out(s.substr(0, width));
  out.resize(width, ' ');
  return out;
}

std::string ZeroPad(uint64_t n, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llu", width, static_cast<unsigned long long>(n));
  return buf;
}

}  // namespace

SegmentWriter::SegmentWriter(Delimiters delimiters, std::string suffix)
    : delimiters_(std::move(delimiters)), suffix_(std::move(suffix)) {}

void SegmentWriter::Check(std::string_view tag, size_t index, std::string_view value, bool composite) {
  if (!status_.ok()) return;
  for (char c : value) {
    const bool is_delim = c == delimiters_.element ||
                          (!composite && delimiters_.component != 0 && c == delimiters_.component) ||
                          (delimiters_.repetition != 0 && c == delimiters_.repetition) ||
                          (delimiters_.terminator.size() == 1 && c == delimiters_.terminator[0]);
    if (is_delim) {
      status_ = WriteError(std::string(tag) + (index < 10 ? "0" : "") + std::to_string(index) +
                           " value '" + std::string(value) + "' contains the delimiter '" +
                           std::string(1, c) + "'");
      return;
    }
  }
  // A multi-byte terminator ("…" for 0x85) is not caught byte by byte above.
  const std::string& t = delimiters_.terminator;
  if (t.size() > 1 && value.find(t) != std::string_view::npos) {
    status_ = WriteError(std::string(tag) + (index < 10 ? "0" : "") + std::to_string(index) +
                         " value '" + std::string(value) + "' contains the segment terminator");
  }
}

void SegmentWriter::Write(std::string_view tag, std::initializer_list<std::string_view> elements) {
  size_t last = 0;
  size_t i = 0;
  for (std::string_view e : elements) {
    ++i;
    if (!e.empty()) last = i;
  }
  out_.append(tag);
  i = 0;
  for (std::string_view e : elements) {
    if (++i > last) break;
    Check(tag, i, e, delimiters_.component != 0 && e.find(delimiters_.component) != std::string_view::npos);
    out_.push_back(delimiters_.element);
    out_.append(e);
  }
  out_.append(delimiters_.terminator);
  out_.append(suffix_);
  ++count_;
}

void SegmentWriter::Write(std::string_view tag, const std::vector<std::string>& elements) {
  size_t last = 0;
  for (size_t i = 0; i < elements.size(); ++i) {
    if (!elements[i].empty()) last = i + 1;
  }
  out_.append(tag);
  for (size_t i = 0; i < last; ++i) {
    Check(tag, i + 1, elements[i],
          delimiters_.component != 0 && elements[i].find(delimiters_.component) != std::string::npos);
    out_.push_back(delimiters_.element);
    out_.append(elements[i]);
  }
  out_.append(delimiters_.terminator);
  out_.append(suffix_);
  ++count_;
}

void SegmentWriter::WriteRaw(std::string_view segment) {
  out_.append(segment);
  out_.append(delimiters_.terminator);
  out_.append(suffix_);
  ++count_;
}

void SegmentWriter::Copy(const Segment& segment) {
  std::vector<std::string> elements;
  elements.reserve(segment.size());
  const char from_comp = segment.delimiters().component;
  for (size_t i = 1; i <= segment.size(); ++i) {
    std::string e(segment.element(i));
    if (from_comp != 0 && delimiters_.component != 0 && from_comp != delimiters_.component) {
      for (char& c : e) {
        if (c == from_comp) c = delimiters_.component;
      }
    }
    elements.push_back(std::move(e));
  }
  Write(segment.tag(), elements);
}

std::string SegmentWriter::Join(std::initializer_list<std::string_view> components) const {
  size_t last = 0;
  size_t i = 0;
  for (std::string_view c : components) {
    ++i;
    if (!c.empty()) last = i;
  }
  std::string out;
  i = 0;
  for (std::string_view c : components) {
    if (++i > last) break;
    if (i > 1) out.push_back(delimiters_.component);
    out.append(c);
  }
  return out;
}

Result<std::string> FormatIsa(const InterchangeHeader& h, const Delimiters& d) {
  if (h.sender_id.size() > 15 || h.receiver_id.size() > 15) {
    return WriteError("ISA06/ISA08 are at most 15 characters: '" + h.sender_id + "', '" + h.receiver_id + "'");
  }
  if (h.sender_qualifier.size() != 2 || h.receiver_qualifier.size() != 2) {
    return WriteError("ISA05/ISA07 qualifiers are 2 characters");
  }
  if (h.date.size() != 6 || h.time.size() != 4 || h.version.size() != 5) {
    return WriteError("ISA09 is YYMMDD, ISA10 HHMM and ISA12 five digits");
  }
  if (h.authorization_qualifier.size() != 2 || h.security_qualifier.size() != 2 ||
      h.authorization.size() > 10 || h.security.size() > 10) {
    return WriteError("ISA01/ISA03 are 2 characters, ISA02/ISA04 at most 10");
  }
  if (h.control > 999999999ULL) return WriteError("ISA13 is at most 9 digits");
  if (d.component == 0) return WriteError("an outbound interchange needs a component separator");
  for (const std::string* f : {&h.authorization_qualifier, &h.authorization, &h.security_qualifier,
                               &h.security, &h.sender_qualifier, &h.sender_id, &h.receiver_qualifier,
                               &h.receiver_id, &h.date, &h.time, &h.version}) {
    for (char c : *f) {
      if (c == d.element || c == d.component || (d.repetition != 0 && c == d.repetition) ||
          d.terminator.find(c) != std::string::npos) {
        return WriteError("ISA value '" + *f + "' contains the delimiter '" + std::string(1, c) + "'");
      }
    }
  }
  const char e = d.element;
  std::string isa = "ISA";
  auto add = [&](std::string_view v) {
    isa.push_back(e);
    isa.append(v);
  };
  add(Pad(h.authorization_qualifier, 2));
  add(Pad(h.authorization, 10));
  add(Pad(h.security_qualifier, 2));
  add(Pad(h.security, 10));
  add(h.sender_qualifier);
  add(Pad(h.sender_id, 15));
  add(h.receiver_qualifier);
  add(Pad(h.receiver_id, 15));
  add(h.date);
  add(h.time);
  add(std::string(1, h.version >= "00402" && d.repetition != 0 ? d.repetition : 'U'));
  add(h.version);
  add(ZeroPad(h.control, 9));
  add(h.ack_requested ? "1" : "0");
  add(std::string(1, h.usage));
  add(std::string(1, d.component));
  return isa;
}

InterchangeWriter::InterchangeWriter(const InterchangeHeader& header, Delimiters delimiters,
                                     std::string suffix)
    : header_(header), w_(std::move(delimiters), std::move(suffix)) {
  Result<std::string> isa = FormatIsa(header_, w_.delimiters());
  if (!isa.ok()) {
    status_ = isa.error();
    return;
  }
  w_.WriteRaw(*isa);
}

void InterchangeWriter::Ta1(std::string_view control, std::string_view date, std::string_view time,
                            char status, std::string_view note_code) {
  w_.Write("TA1", {control, date, time, std::string_view(&status, 1), note_code});
}

void InterchangeWriter::BeginGroup(const GroupHeader& g) {
  if (in_group_) EndGroup();
  in_group_ = true;
  ++groups_;
  sets_in_group_ = 0;
  group_control_ = g.control;
  const std::string control = std::to_string(g.control);
  w_.Write("GS", {g.functional_id, g.sender, g.receiver, g.date, g.time, control, "X", g.version});
}

void InterchangeWriter::BeginSet(std::string_view id, std::string_view control, std::string_view reference) {
  if (in_set_) EndSet();
  in_set_ = true;
  ++sets_in_group_;
  set_control_ = std::string(control);
  set_start_ = w_.segment_count();
  w_.Write("ST", {id, control, reference});
}

void InterchangeWriter::EndSet() {
  if (!in_set_) return;
  in_set_ = false;
  const size_t count = w_.segment_count() - set_start_ + 1;
  w_.Write("SE", {std::to_string(count), set_control_});
}

void InterchangeWriter::EndGroup() {
  if (in_set_) EndSet();
  if (!in_group_) return;
  in_group_ = false;
  w_.Write("GE", {std::to_string(sets_in_group_), std::to_string(group_control_)});
}

Result<std::string> InterchangeWriter::Finish() {
  EndGroup();
  w_.Write("IEA", {std::to_string(groups_), ZeroPad(header_.control, 9)});
  if (!status_.ok()) return status_.error();
  if (!w_.status().ok()) return w_.status().error();
  return w_.Take();
}

}  // namespace edi
