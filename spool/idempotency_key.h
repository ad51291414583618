// Deterministic idempotency keys (DESIGN.md, "<partner>:945:<W06-02>:<W06-04>"): a function of
// the partner, the transaction set type and the business key, or of the ISA13/GS06/ST02
// control numbers when the set has no business key. Re-processing the same file therefore
// yields the same keys. ':' and '%' inside a part are percent-encoded so keys never collide.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace spool {

struct ControlNumbers {
  std::string isa13;
  std::string gs06;
  std::string st02;
};

std::string MakeIdempotencyKey(std::string_view partner, std::string_view type,
                               const std::vector<std::string>& business_key,
                               const ControlNumbers& control_numbers);

// The business key as stored and compared for duplicate detection: the encoded parts joined
// with ':'; empty when there are no parts.
std::string JoinBusinessKey(const std::vector<std::string>& parts);

}  // namespace spool
