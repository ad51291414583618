// Writing JSON text directly into a string: the mapper emits canonical events without
// building a DOM (one pass, no per-field allocation). Strings are escaped per RFC 8259; bytes
// that are not valid UTF-8 (EDI files are often Latin-1 or carry 0x85) are taken as Latin-1
// and re-encoded, so the output is always valid UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace gateway::canonical {

// Appends `s` as a quoted JSON string.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace gateway::canonical
