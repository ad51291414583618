// Re-numbering an interchange we wrote: the gateway builds a 997 while it reads a partner's
// file, but its control numbers are only allocated later, in the spool transaction that stores
// the bytes to send (so numbers are never used twice, even across a crash). Reenvelope copies
// every segment as it is and rewrites ISA13/IEA02, GS06/GE02 and ST02/SE02 (ST02 counting up
// from `set_control` within each group).
#pragma once

#include <string>
#include <string_view>

#include "edi/ack.h"
#include "edi/error.h"

namespace edi {

// `suffix` goes after each terminator (e.g. "\n"). Dates and times are kept.
Result<std::string> Reenvelope(std::string_view interchange, const AckEnvelope& numbers, std::string_view suffix);

}  // namespace edi
