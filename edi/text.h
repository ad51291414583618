// Byte-level text predicates shared by the reader, the validator and the gateway. X12 data is
// ASCII-compatible bytes: these never consult the locale (std::isdigit would).
#pragma once

#include <string_view>

namespace edi {

// True for a non-empty run of '0'..'9'.
inline bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace edi
