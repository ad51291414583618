// Golden tests of mappings (`edigate mapping test DIR`). DIR holds pairs:
//   NAME.edi|.x12|.xml + NAME.expected.jsonl      inbound: the events `edigate map` prints
//   [NAME.expected-rejections.txt]                 one line per expected rejection (a substring
//                                                  of its description); none expected if absent
//   NAME.json + NAME.expected.edi                  outbound: the 940 `edigate render` prints,
//                                                  compared without control numbers and dates
//   NAME.json + NAME.expected-errors.txt           outbound: the order must be refused with
//                                                  errors containing these lines
// and DIR/mapping-test.yaml: `config:` (relative to DIR), `partner:` and optionally
// `partners: {NAME: other-partner}`. Nothing is written and no control number is consumed.
#pragma once

#include <ostream>
#include <string>

#include "gateway/status.h"

namespace gateway::mapping {

struct GoldenSummary {
  int passed = 0;
  int failed = 0;
};

// Runs every case of `dir`, printing PASS/FAIL lines and readable diffs to `out`.
Result<GoldenSummary> RunGoldenTests(const std::string& dir, std::ostream& out);

// Replaces the control numbers and dates of an interchange (ISA09/10/13, GS04/05/06, ST02,
// SE02, GE02, IEA02) by placeholders and splits it into one segment per line.
std::string NormalizeInterchangeForCompare(const std::string& x12);

}  // namespace gateway::mapping
