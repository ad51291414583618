// Checks of one data element value against its dictionary definition (X12.6 data types).
#pragma once

#include <string_view>

#include "edi/delimiters.h"
#include "edi/schema.h"

namespace edi {

// The AK403 code for `value` under `def` ("4" too short, "5" too long, "6" invalid
// character, "7" invalid code value, "8" invalid date, "9" invalid time), or "" when valid.
// Presence (code 1) is the caller's concern: `value` is non-empty here.
std::string_view CheckElementValue(const ElementDef& def, std::string_view value,
                                   const Delimiters& delimiters);

// CCYYMMDD, or YYMMDD (ISA09 and pre-004010 groups), as a real calendar date.
bool IsValidDate(std::string_view s);
// HHMM, HHMMSS, HHMMSSD or HHMMSSDD.
bool IsValidTime(std::string_view s);

}  // namespace edi
