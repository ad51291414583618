#include "spool/policy.h"

namespace spool {

std::string_view Name(DuplicatePolicy policy) {
  switch (policy) {
    case DuplicatePolicy::kReject: return "reject";
    case DuplicatePolicy::kSkip: return "skip";
    case DuplicatePolicy::kAllow: return "allow";
  }
  return "?";
}

std::optional<DuplicatePolicy> ParseDuplicatePolicy(std::string_view name) {
  if (name == "reject") return DuplicatePolicy::kReject;
  if (name == "skip") return DuplicatePolicy::kSkip;
  if (name == "allow") return DuplicatePolicy::kAllow;
  return std::nullopt;
}

const RetryPolicy& PartnerPolicy::RetryFor(std::string_view type) const {
  auto it = retry_by_type.find(type);
  return it == retry_by_type.end() ? retry : it->second;
}

const PartnerPolicy& PolicyBook::For(std::string_view partner) const {
  auto it = partners.find(partner);
  return it == partners.end() ? defaults : it->second;
}

}  // namespace spool
