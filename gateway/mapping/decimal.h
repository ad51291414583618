// Exact decimals as strings. Quantities and amounts in EDI are decimal text ("010.50", "-3",
// implied-decimal "1050" for an N2 element); they never pass through binary floating point.
// A normalised decimal has no leading zeros, no trailing fractional zeros, no '+' and no
// "-0": "010.50" -> "10.5", "-0.0" -> "0", ".5" -> "0.5".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gateway::mapping {

// Normalises `text` (optional sign, digits, optional '.' and digits; surrounding spaces
// ignored). `implied_decimals` > 0 shifts an integer with implied decimals (X12 Nn types:
// "1050" with 2 -> "10.5"); a text that already has a '.' is taken as written. nullopt when
// `text` is not a decimal number.
std::optional<std::string> NormalizeDecimal(std::string_view text, int implied_decimals = 0);

// a - b and a + b of two decimals (any form NormalizeDecimal accepts); nullopt if either is
// not a number. Exact at any size.
std::optional<std::string> DecimalSubtract(std::string_view a, std::string_view b);
std::optional<std::string> DecimalAdd(std::string_view a, std::string_view b);

// -1, 0 or 1; nullopt if either is not a number.
std::optional<int> DecimalCompare(std::string_view a, std::string_view b);

// True for a normalised integer ("12", "-3"): no fractional part.
bool IsIntegerText(std::string_view normalized);

}  // namespace gateway::mapping
