// Validator: the streaming check of a whole X12 file. It drives a SegmentReader, checks the
// envelopes (ISA/IEA, GS/GE, ST/SE: counts, control numbers, versions, duplicates) and
// each transaction set against its schema (SetValidator), and reports what it finds as
// events to a ValidationSink while the bytes stream by: nothing of the file is kept, so
// memory stays flat however large the file. A set is judged at its SE, a group at its GE
// and an interchange at its IEA; a consumer that needs the final word on a set (the
// mapper) waits for the group and interchange verdicts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edi/byte_source.h"
#include "edi/error.h"
#include "edi/schema.h"
#include "edi/segment.h"
#include "edi/segment_reader.h"

namespace edi {

struct InterchangeInfo {
  size_t index = 0;  // 0-based position in the file
  uint64_t offset = 0;
  std::string control;  // ISA13
  std::string sender_qualifier, sender_id;      // ISA05, ISA06 (trimmed)
  std::string receiver_qualifier, receiver_id;  // ISA07, ISA08 (trimmed)
  std::string date, time;                       // ISA09, ISA10
  std::string version;                          // ISA12
  bool ack_requested = false;                   // ISA14 == "1"
  std::string usage;                            // ISA15
  Delimiters delimiters;
  std::string sender() const { return sender_qualifier + ":" + sender_id; }
  std::string receiver() const { return receiver_qualifier + ":" + receiver_id; }
};

struct GroupInfo {
  uint64_t offset = 0;
  std::string functional_id;  // GS01
  std::string sender, receiver;  // GS02, GS03
  std::string date, time;        // GS04, GS05
  std::string control;           // GS06
  std::string agency;            // GS07
  std::string version;           // GS08
};

struct SetInfo {
  uint64_t offset = 0;
  std::string id;       // ST01
  std::string control;  // ST02
  std::string implementation_reference;  // ST03 (005010)
};

struct SetResult {
  SetInfo info;
  char status = 'A';                   // AK501: A, E or R
  std::vector<std::string> ak5_codes;  // AK502..AK506
  std::vector<Error> errors;           // errors and warnings, capped per set
  size_t error_count = 0;              // including those beyond the cap
  uint32_t segment_count = 0;          // ST..SE as counted
  bool trailer_present = true;
  bool has_schema = false;
};

struct GroupResult {
  GroupInfo info;
  char ak9 = 'A';                      // AK901
  std::vector<std::string> ak9_codes;  // AK905..AK909
  std::string declared_sets;           // GE01 as received ("" when GE is missing)
  uint32_t received_sets = 0;          // sets that reached their SE (AK903)
  uint32_t accepted_sets = 0;          // A or E (AK904)
  std::vector<Error> errors;
  bool trailer_present = true;
};

struct InterchangeResult {
  InterchangeInfo info;
  std::string ta1_code = "000";  // TA105
  char ta1_status = 'A';         // TA104
  long duplicate_of = -1;        // index of an earlier interchange with the same sender+ISA13
  std::vector<Error> errors;     // errors and tolerated deviations (warning = true)
  size_t group_count = 0;
  bool trailer_present = true;
  bool only_acknowledgments = false;  // holds only TA1s, 997s or 999s: never acknowledged
};

struct SegmentContext {
  uint32_t position = 0;     // in the set, ST = 1
  std::string_view loop_id;  // the schema loop the segment landed in, "" at the heading
  uint16_t depth = 0;        // loop nesting depth (0: heading/summary level)
  bool starts_loop = false;  // the segment triggers a new iteration of loop_id
};

class ValidationSink {
 public:
  virtual ~ValidationSink() = default;
  virtual void OnInterchangeStart(const InterchangeInfo&) {}
  virtual void OnGroupStart(const GroupInfo&) {}
  virtual void OnSetStart(const SetInfo&) {}
  // Every segment of a set, ST through SE; `segment` is valid only during the call.
  virtual void OnSetSegment(const Segment&, const SegmentContext&) {}
  virtual void OnSetEnd(const SetResult&) {}
  virtual void OnGroupEnd(const GroupResult&) {}
  // A TA1 segment received inside the interchange (an acknowledgment of ours).
  virtual void OnTa1(const Segment&) {}
  virtual void OnInterchangeEnd(const InterchangeResult&) {}
  // Problems outside any interchange: not X12, I/O errors, an unreadable ISA, garbage.
  virtual void OnFileError(const Error&) {}
};

struct ValidationOptions {
  ReaderOptions reader;
  size_t max_set_bytes = 64u << 20;  // a larger set is rejected (and not buffered by anyone)
  size_t max_errors_per_set = 100;
  // Strict: a GS01 that does not fit the set rejects it (AK5 R 6); lenient: noted (AK5 E).
  bool strict_functional_id = false;
  const SchemaRegistry* schemas = nullptr;  // null: the embedded schemas
  // Inputs of at least this many bytes, or of unknown size, are read on a second thread
  // (ReadAhead) while this one validates; smaller ones are not worth the thread. 0: always;
  // UINT64_MAX: never. Results are the same either way.
  uint64_t read_ahead_bytes = 1 << 20;
};

struct FileSummary {
  bool not_x12 = false;
  bool ok = true;  // every interchange, group and set accepted
  size_t interchanges = 0, groups = 0, sets = 0, rejected_sets = 0;
  uint64_t bytes = 0;
};

// Validates everything `source` holds, reporting to `sink`.
FileSummary Validate(ByteSource& source, ValidationSink& sink, const ValidationOptions& options = {});

// TA104 for a TA105 note code: 'A' for 000, 'R' for codes that reject the interchange,
// 'E' for the rest (x12-notes.md 3.1 and 3.4).
char Ta1StatusFor(std::string_view note_code);

}  // namespace edi
