// Delimiter detection. Every interchange defines its own delimiters in its ISA: the element
// separator is the byte after "ISA", the component separator is ISA16 and the segment
// terminator is the byte (or UTF-8 sequence) after it; ISA11 is a repetition separator only
// from ISA12 00402 on. DetectIsa() implements the tolerant algorithm of x12-notes.md 1.3:
// padded and unpadded ISAs, a missing ISA16, multi-byte terminators ("…" for 0x85) and
// files wrapped at a fixed column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edi/error.h"

namespace edi {

struct Delimiters {
  char element = '*';
  char component = ':';  // '\0' when the ISA defines none (ISA16 missing)
  char repetition = 0;   // '\0' before 00402, or when ISA11 is not a separator
  std::string terminator = "~";  // one byte, or a UTF-8 sequence of up to 4 bytes

  bool terminator_is_line_break() const {
    return terminator.size() == 1 && (terminator[0] == '\n' || terminator[0] == '\r');
  }
};

// What DetectIsa() learned about the ISA at the start of its input.
struct IsaLayout {
  Delimiters delimiters;
  size_t segment_bytes = 0;  // raw bytes of the ISA segment, without its terminator
  size_t consumed = 0;       // raw bytes up to and including the terminator
  bool padded = true;        // every ISA element has its fixed width (106-byte ISA)
  bool isa16_missing = false;  // ISA ended "*P*~" + newline: '~' taken as the terminator
  bool wrapped = false;      // line breaks at a fixed column: CR/LF are not data here
  std::vector<std::string> notices;  // tolerated deviations, for the report
};

// How many bytes from the ISA start DetectIsa() wants to see (less only at end of file).
inline constexpr size_t kIsaWindow = 4096;

// Detects the delimiters of the interchange whose "ISA" starts at data[0]. `data` holds up
// to kIsaWindow bytes (fewer only at end of input). On failure the Error carries the TA1
// note code (004 terminator, 026 element separator, 027 component separator, 022 structure).
Result<IsaLayout> DetectIsa(std::string_view data);

// True if the byte can start a UTF-8 multi-byte sequence of `len` bytes that `data` holds.
size_t Utf8SequenceLength(std::string_view data, size_t pos);

}  // namespace edi
