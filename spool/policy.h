// Per-partner policies the spool applies: what to do with duplicates at each level, the
// interchange duplicate window, and retry scheduling per flow (message type).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "spool/clock.h"
#include "spool/retry_policy.h"

namespace spool {

// What happens to an item that duplicates an earlier one. Whatever the policy, the duplicate is
// recorded with a link to the original; nothing is dropped silently.
enum class DuplicatePolicy {
  kReject,  // recorded as duplicate and reported as rejected (the caller refuses it upstream)
  kSkip,    // recorded as duplicate and not processed
  kAllow,   // processed like any other item, still linked to the original
};

std::string_view Name(DuplicatePolicy policy);
std::optional<DuplicatePolicy> ParseDuplicatePolicy(std::string_view name);

struct PartnerPolicy {
  DuplicatePolicy file_duplicates = DuplicatePolicy::kSkip;
  DuplicatePolicy interchange_duplicates = DuplicatePolicy::kSkip;
  DuplicatePolicy business_duplicates = DuplicatePolicy::kSkip;
  // An interchange repeats an earlier one only when that one arrived within this window.
  Duration interchange_window = std::chrono::hours(24 * 30);
  RetryPolicy retry;
  // Overrides of `retry` per flow, keyed by message type ("945", "940", ...).
  std::map<std::string, RetryPolicy, std::less<>> retry_by_type;
  // Outbound messages (uploads to the partner) when set; before retry_by_type.
  std::optional<RetryPolicy> retry_outbound;

  const RetryPolicy& RetryFor(std::string_view type) const;
};

// Policies by partner with a default for partners not listed. Immutable once the spool is open.
struct PolicyBook {
  PartnerPolicy defaults;
  std::map<std::string, PartnerPolicy, std::less<>> partners;

  const PartnerPolicy& For(std::string_view partner) const;
};

}  // namespace spool
