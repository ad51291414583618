// Value transforms of the mapping language: type conversion (decimal, integer, date, time,
// datetime) toward the canonical model (inbound: ISO 8601) or toward X12 (outbound:
// CCYYMMDD, HHMM), trimming and case.
#pragma once

#include <string>
#include <string_view>

#include "gateway/mapping/mapping.h"

namespace gateway::mapping {

// Converts `value` in place to `type`. Inbound: dates "20261119", "261119" or "2026-11-19"
// -> "2026-11-19"; times "1432", "143205" -> "14:32", "14:32:05"; datetimes "20261119 1432",
// "202611191432" or ISO -> "2026-11-19T14:32:00Z". Outbound: the X12 forms. Decimals are
// normalised exactly; booleans (true/false, Y/N, 1/0) become true or false. Returns false (value untouched) when it does not parse; `why` says why.
bool ConvertValue(ValueType type, int implied_decimals, bool outbound, std::string& value, std::string* why);

void TrimSpaces(std::string& s);
inline bool IsBlank(char c) { return c == ' ' || c == '\t'; }
// `v` without the leading and trailing spaces and tabs TrimSpaces removes.
inline std::string_view TrimmedView(std::string_view v) {
  if (v.empty() || (!IsBlank(v.front()) && !IsBlank(v.back()))) return v;  // nearly always
  while (!v.empty() && IsBlank(v.front())) v.remove_prefix(1);
  while (!v.empty() && IsBlank(v.back())) v.remove_suffix(1);
  return v;
}
void ToUpper(std::string& s);

}  // namespace gateway::mapping
