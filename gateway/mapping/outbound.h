// Outbound mapping: a canonical fulfillment_order (JSON) to a 940 interchange. The order is
// checked against its JSON Schema first (errors name the JSON path), the mapping's segment
// templates are filled in, the envelope comes from the partner profile, and the result is
// validated by edi::Validate before it is returned: a mapping that writes invalid X12 fails
// here, not at the partner.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/mapping/mapping.h"
#include "gateway/partners/profile.h"

namespace gateway::mapping {

// Control numbers and the clock come from the caller: the daemon allocates numbers in the
// spool; the offline commands use a throwaway counter and never consume real numbers.
struct RenderControl {
  uint64_t interchange = 1;  // ISA13
  uint64_t group = 1;        // GS06
  uint64_t set = 1;          // ST02 (written with at least 4 digits)
  std::string date;          // CCYYMMDD
  std::string time;          // HHMM
};

struct RenderOutput {
  std::string x12;                  // the interchange, empty on error
  std::string idempotency_key;      // <partner>:940:<order_id>
  std::vector<std::string> errors;  // JSON-path errors in the order, mapping or X12 errors
  // What the order's data needed to become X12 (a delimiter or control character replaced,
  // x12.delimiters.in_data), by JSON path; the 940 was written.
  std::vector<std::string> warnings;
  bool order_invalid = false;       // the errors are the order's (exit 1), not the setup's
};

RenderOutput RenderOrder(const Mapping& mapping, const partners::PartnerProfile& profile, const nlohmann::json& order,
                         const RenderControl& control);

}  // namespace gateway::mapping
