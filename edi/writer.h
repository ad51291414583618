// Writing X12: segments to bytes with the chosen delimiters, a fixed-width ISA, and SE/GE/IEA
// counts computed rather than trusted. Data containing a delimiter is an error (X12 004010
// and 005010 have no escape character), never silently corrupted output.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "edi/delimiters.h"
#include "edi/error.h"
#include "edi/segment.h"

namespace edi {

// Appends segments to a byte string. Trailing empty elements are omitted.
class SegmentWriter {
 public:
  explicit SegmentWriter(Delimiters delimiters, std::string suffix = "");
  // Elements are written as given; a composite is passed pre-joined with the component
  // separator (see Join()). The first error (a delimiter inside data) sticks.
  void Write(std::string_view tag, std::initializer_list<std::string_view> elements);
  void Write(std::string_view tag, const std::vector<std::string>& elements);
  void WriteRaw(std::string_view segment_without_terminator);
  // Copies a segment read with other delimiters, re-delimited for this writer.
  void Copy(const Segment& segment);
  std::string Join(std::initializer_list<std::string_view> components) const;

  const Delimiters& delimiters() const { return delimiters_; }
  const std::string& bytes() const { return out_; }
  std::string Take() { return std::move(out_); }
  size_t segment_count() const { return count_; }
  const Status& status() const { return status_; }

 private:
  void Check(std::string_view tag, size_t index, std::string_view value, bool composite);
  Delimiters delimiters_;
  std::string suffix_;
  std::string out_;
  size_t count_ = 0;
  Status status_;
};

struct InterchangeHeader {
  std::string authorization_qualifier = "00";
  std::string authorization;  // padded to 10
  std::string security_qualifier = "00";
  std::string security;       // padded to 10
  std::string sender_qualifier, sender_id;      // ISA05, ISA06 (padded to 15)
  std::string receiver_qualifier, receiver_id;  // ISA07, ISA08
  std::string date;      // YYMMDD
  std::string time;      // HHMM
  std::string version = "00401";
  uint64_t control = 1;  // ISA13, written as 9 digits
  bool ack_requested = false;
  char usage = 'P';
};

struct GroupHeader {
  std::string functional_id;   // GS01
  std::string sender, receiver;  // GS02, GS03
  std::string date;   // CCYYMMDD
  std::string time;   // HHMM
  uint64_t control = 1;        // GS06
  std::string version = "004010";  // GS08
};

// Builds one interchange: ISA [TA1...] (GS (ST ... SE)+ GE)* IEA.
class InterchangeWriter {
 public:
  InterchangeWriter(const InterchangeHeader& header, Delimiters delimiters, std::string suffix = "\n");

  void Ta1(std::string_view control, std::string_view date, std::string_view time, char status,
           std::string_view note_code);
  void BeginGroup(const GroupHeader& group);
  // ST01 and ST02 (ST03 for 005010 implementation references when not empty).
  void BeginSet(std::string_view id, std::string_view control, std::string_view reference = {});
  SegmentWriter& body() { return w_; }
  void EndSet();
  void EndGroup();
  // Writes the IEA and returns the bytes, or the first error met.
  Result<std::string> Finish();

 private:
  InterchangeHeader header_;
  SegmentWriter w_;
  Status status_;
  std::string set_control_;
  size_t set_start_ = 0;
  uint64_t group_control_ = 0;
  size_t sets_in_group_ = 0;
  size_t groups_ = 0;
  bool in_group_ = false;
  bool in_set_ = false;
};

// "ISA*00*          *..." with every element at its fixed width.
Result<std::string> FormatIsa(const InterchangeHeader& header, const Delimiters& delimiters);

}  // namespace edi
