// Builders of X12 test input. Tests write X12 in a canonical form ('*' elements, ':'
// components, '~' terminators, one segment per line) and Redelimit() turns it into any
// delimiters a quirk needs, so every test file is the project's own and readable.
#pragma once

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "edi/validator.h"

namespace x12test {

struct IsaFields {
  std::string sender_qualifier = "ZZ";
  std::string sender = "RENO3PL";
  std::string receiver_qualifier = "ZZ";
  std::string receiver = "OMSGATEWAY";
  std::string date = "261120";
  std::string time = "1432";
  std::string isa11 = "U";
  std::string version = "00401";
  std::string control = "000004001";
  std::string ack_requested = "0";
  std::string usage = "P";
  std::string component = ":";
};

// A padded, 105-byte ISA without its terminator, with '*' separators.
std::string Isa(const IsaFields& f = {});

// Replaces '*', ':' and "~\n" of canonical text by other delimiters. `suffix` follows each
// terminator (e.g. "\r\n").
std::string Redelimit(std::string_view canonical, char element, char component,
                      std::string_view terminator, std::string_view suffix = "");

// `edits` random edits of `text`, for tests that compare two paths on damaged input: a byte
// replaced from `alphabet`, a run of up to 200 bytes erased, a few `alphabet` bytes inserted,
// or `insert` put in.
void Damage(std::string* text, std::mt19937& rng, int edits, std::string_view alphabet, std::string_view insert);

// A complete, valid 004010 945 set (ST..SE) with the given control number, order and
// shipment ids and `lines` W12 lines; SE01 is computed.
std::string Set945(std::string_view control, std::string_view order, std::string_view shipment,
                   int lines = 2);
// A complete valid 856 (S/O/P/I) set.
std::string Set856(std::string_view control, std::string_view shipment);

// An interchange around `sets` (canonical text): one GS group, counts and control numbers
// computed. `functional_id` and `gs08` as given.
std::string Interchange(const std::vector<std::string>& sets, std::string_view functional_id = "SW",
                        const IsaFields& isa = {}, std::string_view group_control = "41",
                        std::string_view gs08 = "004010");

// Everything a validation reported, kept in memory for assertions.
struct Collected {
  std::vector<edi::InterchangeResult> interchanges;
  std::vector<edi::GroupResult> groups;
  std::vector<edi::SetResult> sets;
  std::vector<edi::Error> file_errors;
  std::vector<std::string> set_segments;  // raw text of every segment passed to OnSetSegment
  edi::FileSummary summary;
};

class CollectingSink : public edi::ValidationSink {
 public:
  explicit CollectingSink(Collected* out) : out_(out) {}
  void OnSetSegment(const edi::Segment& s, const edi::SegmentContext&) override {
    out_->set_segments.emplace_back(s.raw());
  }
  void OnSetEnd(const edi::SetResult& s) override { out_->sets.push_back(s); }
  void OnGroupEnd(const edi::GroupResult& g) override { out_->groups.push_back(g); }
  void OnInterchangeEnd(const edi::InterchangeResult& i) override { out_->interchanges.push_back(i); }
  void OnFileError(const edi::Error& e) override { out_->file_errors.push_back(e); }

 private:
  Collected* out_;
};

// Validates `text` in memory and collects everything.
Collected ValidateText(std::string_view text, edi::ValidationOptions options = {});

// True if any error of the set carries this AK403 (element) or AK304 (segment) code.
bool HasElementCode(const edi::SetResult& set, std::string_view code);
bool HasSegmentCode(const edi::SetResult& set, std::string_view code);

}  // namespace x12test
