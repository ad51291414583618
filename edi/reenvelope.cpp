#include "edi/reenvelope.h"

#include <cstdio>
#include <vector>

#include "edi/byte_source.h"
#include "edi/segment_reader.h"

namespace edi {

namespace {

std::string Digits(uint64_t value, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llu", width, static_cast<unsigned long long>(value));
  return buf;
}

// The raw segment with element `index` replaced.
std::string Replace(const Segment& s, size_t index, std::string_view value) {
  std::string out(s.tag());
  const char sep = s.delimiters().element;
  for (size_t i = 1; i <= s.size(); ++i) {
    out += sep;
    out += i == index ? value : s.element(i);
  }
  return out;
}

}  // namespace

Result<std::string> Reenvelope(std::string_view interchange, const AckEnvelope& numbers, std::string_view suffix) {
  MemorySource source(interchange);
  SegmentReader reader(source);
  std::string out;
  out.reserve(interchange.size() + 64);
  const std::string isa13 = Digits(numbers.interchange_control, 9);
  const std::string gs06 = std::to_string(numbers.group_control);
  uint64_t st = numbers.set_control;
  std::string st02;
  for (;;) {
    const ReadStatus rs = reader.Next();
    if (rs == ReadStatus::kEnd) break;
    if (rs == ReadStatus::kError) return reader.error();
    const Segment& s = reader.segment();
    const std::string_view tag = s.tag();
    std::string raw;
    if (tag == "ISA") {
      raw = Replace(s, 13, isa13);
    } else if (tag == "IEA") {
      raw = Replace(s, 2, isa13);
    } else if (tag == "GS") {
      raw = Replace(s, 6, gs06);
      st = numbers.set_control;
    } else if (tag == "GE") {
      raw = Replace(s, 2, gs06);
    } else if (tag == "ST") {
      st02 = Digits(st++, 4);
      raw = Replace(s, 2, st02);
    } else if (tag == "SE") {
      raw = Replace(s, 2, st02);
    } else {
      raw = std::string(s.raw());
    }
    out += raw;
    out += s.delimiters().terminator;
    out += suffix;
  }
  return out;
}

}  // namespace edi
