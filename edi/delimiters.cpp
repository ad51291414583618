#include "edi/delimiters.h"

#include <array>
#include <cctype>
#include <string>

#include "edi/text.h"

namespace edi {
namespace {

// Offsets of the 16 element separators in a padded 106-byte ISA.
constexpr std::array<size_t, 16> kSeparatorOffsets = {3,  6,  17, 20, 31, 34, 50, 53,
                                                       69, 76, 81, 83, 89, 99, 101, 103};
constexpr size_t kPaddedIsa16 = 104;
constexpr size_t kPaddedTerminator = 105;

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsLineBreak(char c) { return c == '\n' || c == '\r'; }
std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

Error IsaError(std::string code, uint64_t offset, std::string message) {
  Error e;
  e.layer = Layer::kInterchange;
  e.ta1_code = std::move(code);
  e.offset = offset;
  e.segment = "ISA";
  e.message = std::move(message);
  return e;
}

// Splits the ISA (given the element separator and where its terminator starts) and checks
// that the fixed-format elements look like an ISA, so a short ISA followed by GS is not
// mistaken for an unpadded one.
bool PlausibleIsaElements(std::string_view isa, char sep, std::string* why) {
  std::vector<std::string_view> el;
  size_t start = 4;
  for (size_t i = 4; i <= isa.size(); ++i) {
    if (i == isa.size() || isa[i] == sep) {
      el.push_back(isa.substr(start, i - start));
      start = i + 1;
    }
  }
  if (el.size() < 16) {
    *why = "ISA has " + std::to_string(el.size()) + " elements, 16 expected";
    return false;
  }
  for (size_t i = 0; i < 15; ++i) {
    for (char c : el[i]) {
      if (IsLineBreak(c)) {
        *why = "ISA" + std::string(i < 9 ? "0" : "") + std::to_string(i + 1) +
               " contains a line break: the ISA ends before its 16th element";
        return false;
      }
    }
  }
  if (!AllDigits(TrimSpaces(el[8])) || !AllDigits(TrimSpaces(el[9])) ||
      !AllDigits(TrimSpaces(el[11])) || !AllDigits(TrimSpaces(el[12]))) {
    *why = "ISA09, ISA10, ISA12 or ISA13 is not numeric: the ISA is malformed";
    return false;
  }
  return true;
}

// The terminator starting at data[pos]: one byte, or a whole UTF-8 sequence.
std::string TerminatorAt(std::string_view data, size_t pos) {
  size_t n = Utf8SequenceLength(data, pos);
  return std::string(data.substr(pos, n == 0 ? 1 : n));
}

Status CheckDistinct(const Delimiters& d, uint64_t offset) {
  const char e = d.element;
  const std::string& t = d.terminator;
  if (t.size() == 1 && (IsAlnum(t[0]) || t[0] == ' ')) {
    return IsaError("004", offset + 105,
                    "the segment terminator after ISA16 is '" + Printable(t) +
                        "', a letter, digit or space: the ISA is truncated or has no terminator");
  }
  if (IsAlnum(e) || e == ' ' || IsLineBreak(e)) {
    return IsaError("026", offset + 3,
                    "the element separator '" + Printable(std::string(1, e)) +
                        "' is a letter, digit, space or line break");
  }
  if (d.component != 0 && (IsAlnum(d.component) || d.component == ' ')) {
    return IsaError("027", offset + 104,
                    "ISA16 (component separator) '" + Printable(std::string(1, d.component)) +
                        "' is a letter, digit or space");
  }
  if (t.size() == 1 && (t[0] == e || t[0] == d.component)) {
    return IsaError("004", offset + 105,
                    "the segment terminator '" + Printable(t) +
                        "' equals the element or component separator");
  }
  if (d.component != 0 && d.component == e) {
    return IsaError("027", offset + 104, "ISA16 (component separator) equals the element separator");
  }
  if (d.repetition != 0 &&
      (d.repetition == e || d.repetition == d.component || (t.size() == 1 && d.repetition == t[0]))) {
    return IsaError("022", offset + 82, "ISA11 (repetition separator) collides with another delimiter");
  }
  return Status::Ok();
}

// Fixed-column wrapping: several line breaks, all lines of one length, and at least one
// break that does not follow a terminator (so the breaks are not just segment suffixes).
bool LooksWrapped(std::string_view window, const std::string& terminator) {
  size_t line_start = 0;
  size_t width = 0;
  int full_lines = 0;
  bool break_inside_segment = false;
  for (size_t i = 0; i < window.size(); ++i) {
    if (window[i] != '\n') continue;
    size_t end = i;
    if (end > line_start && window[end - 1] == '\r') --end;
    const size_t len = end - line_start;
    if (i + 1 >= window.size()) break;  // the last line may be partial
    if (full_lines == 0) {
      width = len;
    } else if (len != width) {
      return false;
    }
    ++full_lines;
    if (len >= terminator.size() &&
        window.substr(end - terminator.size(), terminator.size()) != terminator) {
      break_inside_segment = true;
    }
    line_start = i + 1;
  }
  return full_lines >= 2 && width >= 40 && break_inside_segment;
}

// Detection on bytes without line breaks inside the ISA (raw, or after unwrapping).
Result<IsaLayout> DetectFlat(std::string_view data) {
  IsaLayout out;
  Delimiters& d = out.delimiters;
  d.element = data[3];
  if (IsAlnum(d.element) || d.element == ' ' || IsLineBreak(d.element)) {
    return IsaError("026", 3,
                    "the byte after ISA is '" + Printable(data.substr(3, 1)) +
                        "', not an element separator");
  }
  bool fast = data.size() > kPaddedTerminator;
  size_t mismatches = 0;
  size_t first_mismatch = 0;
  if (fast) {
    for (size_t off : kSeparatorOffsets) {
      if (data[off] != d.element) {
        if (mismatches++ == 0) first_mismatch = off;
      }
    }
    fast = mismatches == 0;
  }
  size_t isa16_pos = 0;
  if (fast) {
    isa16_pos = kPaddedIsa16;
  } else {
    // A single wrong byte where a separator belongs, the rest in place: a typo, not an
    // unpadded ISA.
    if (data.size() > kPaddedTerminator && mismatches <= 2 && !IsAlnum(data[first_mismatch]) &&
        data[first_mismatch] != ' ') {
      return IsaError("026", first_mismatch,
                      "inconsistent element separator in the ISA: '" +
                          Printable(data.substr(first_mismatch, 1)) + "' at offset " +
                          std::to_string(first_mismatch) + " where the ISA uses '" +
                          Printable(std::string(1, d.element)) + "'");
    }
    // Unpadded ISA: the 16th separator precedes ISA16.
    int seen = 0;
    size_t i = 3;
    for (; i < data.size() && seen < 16; ++i) {
      if (data[i] == d.element) ++seen;
    }
    if (seen < 16 || i + 1 >= data.size() + 1) {
      return IsaError("022", 0, "the ISA has fewer than 16 elements before the end of the input");
    }
    isa16_pos = i;
    std::string why;
    if (!PlausibleIsaElements(data.substr(0, isa16_pos + 1), d.element, &why)) {
      return IsaError("022", 0, why);
    }
    out.padded = false;
    out.notices.push_back("the ISA is not padded to its fixed width (" +
                          std::to_string(isa16_pos + 2) + " bytes instead of 106)");
  }
  if (isa16_pos + 1 >= data.size()) {
    return IsaError("023", 0, "the input ends inside the ISA");
  }
  d.component = data[isa16_pos];
  d.terminator = TerminatorAt(data, isa16_pos + 1);
  out.segment_bytes = isa16_pos + 1;
  out.consumed = isa16_pos + 1 + d.terminator.size();

  // ISA16 missing: "...*P*~" + newline, with the following lines also ending in '~'.
  if (d.terminator_is_line_break() && !IsAlnum(d.component) && d.component != ' ') {
    size_t next = out.consumed;
    while (next < data.size() && IsLineBreak(data[next])) ++next;
    size_t eol = data.find_first_of("\r\n", next);
    if (eol != std::string_view::npos && eol > next && data[eol - 1] == d.component) {
      d.terminator = std::string(1, d.component);
      d.component = 0;
      out.segment_bytes = isa16_pos;
      out.consumed = isa16_pos + 1;
      out.isa16_missing = true;
      out.notices.push_back("ISA16 is missing: '" + d.terminator +
                            "' is taken as the segment terminator and no component separator is "
                            "defined");
    }
  }

  // ISA11 is a repetition separator only from version 00402 on.
  std::string_view isa = data.substr(0, out.segment_bytes);
  std::vector<std::string_view> el;
  size_t start = 4;
  for (size_t i = 4; i <= isa.size(); ++i) {
    if (i == isa.size() || isa[i] == d.element) {
      el.push_back(isa.substr(start, i - start));
      start = i + 1;
    }
  }
  if (el.size() >= 12) {
    std::string_view version = TrimSpaces(el[11]);
    std::string_view rep = el[10];
    if (version >= "00402" && rep.size() == 1 && !IsAlnum(rep[0]) && rep[0] != ' ') {
      d.repetition = rep[0];
    }
  }
  Status distinct = CheckDistinct(d, 0);
  if (!distinct.ok()) return distinct.error();
  return out;
}

}  // namespace

size_t Utf8SequenceLength(std::string_view data, size_t pos) {
  const auto lead = static_cast<unsigned char>(data[pos]);
  size_t n = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    n = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4;
  } else {
    return 0;
  }
  if (pos + n > data.size()) return 0;
  for (size_t i = 1; i < n; ++i) {
    if ((static_cast<unsigned char>(data[pos + i]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

// "ISA", or the tag broken by a wrapped file's line break ("IS\r\nA").
static bool StartsWithIsaTag(std::string_view data) {
  const char* tag = "ISA";
  size_t k = 0;
  for (size_t i = 0; i < data.size() && k < 3; ++i) {
    if (IsLineBreak(data[i]) && k > 0) {
      continue;
    } else if (data[i] == tag[k]) {
      ++k;
    } else {
      return false;
    }
  }
  return k == 3;
}

// `data` without its line breaks, and a layout found in those bytes mapped back to `data`'s.
static std::string WithoutLineBreaks(std::string_view data) {
  std::string flat;
  flat.reserve(data.size());
  for (char c : data) {
    if (!IsLineBreak(c)) flat.push_back(c);
  }
  return flat;
}

static IsaLayout MapToRaw(std::string_view data, IsaLayout flat_layout, std::string notice) {
  auto raw_length = [&](size_t flat_len) {
    size_t kept = 0;
    size_t i = 0;
    for (; i < data.size() && kept < flat_len; ++i) {
      if (!IsLineBreak(data[i])) ++kept;
    }
    return i;
  };
  flat_layout.segment_bytes = raw_length(flat_layout.segment_bytes);
  flat_layout.consumed = raw_length(flat_layout.consumed);
  flat_layout.wrapped = true;
  flat_layout.notices.push_back(std::move(notice));
  return flat_layout;
}

Result<IsaLayout> DetectIsa(std::string_view data) {
  if (data.size() < 4 || !StartsWithIsaTag(data)) {
    return IsaError("022", 0, "the interchange does not start with ISA");
  }
  const size_t first_break = data.find_first_of("\r\n");
  Result<IsaLayout> raw = DetectFlat(data);
  const bool breaks_in_isa = raw.ok() ? first_break < raw->segment_bytes
                                      : first_break < kPaddedTerminator;
  if (raw.ok() && !breaks_in_isa) {
    // A file wrapped at a fixed column may break its line right after ISA16 ("...*>" newline
    // "~GS*") or inside a multi-byte terminator ("\xE2" newline "\x80\xA6GS*"): the raw bytes
    // then show a line break, or a cut UTF-8 sequence, as the terminator. A line break that
    // is the terminator is followed by the next segment's tag, not by more delimiter bytes.
    if (first_break < raw->segment_bytes + 4) {
      const Delimiters& d = raw->delimiters;
      size_t next = first_break;
      while (next < data.size() && IsLineBreak(data[next])) ++next;
      const bool line_break_not_terminator = d.terminator_is_line_break() && next < data.size() &&
                                             !IsAlnum(data[next]) && data[next] != ' ' && data[next] != '\t' &&
                                             data[next] != '\0';
      if (line_break_not_terminator || !d.terminator_is_line_break()) {
        Result<IsaLayout> flat = DetectFlat(WithoutLineBreaks(data));
        if (flat.ok() && !flat->delimiters.terminator_is_line_break() && flat->segment_bytes == raw->segment_bytes &&
            (line_break_not_terminator || flat->delimiters.terminator.size() > d.terminator.size())) {
          return MapToRaw(data, std::move(flat.value()),
                          "a line break after ISA16 or inside the segment terminator: the file is treated "
                          "as wrapped at a fixed column and line breaks are removed");
        }
      }
    }
    if (!raw->delimiters.terminator_is_line_break() &&
        LooksWrapped(data, raw->delimiters.terminator)) {
      raw->wrapped = true;
      raw->notices.push_back("the file is wrapped at a fixed column: line breaks are removed");
    }
    return raw;
  }
  if (!breaks_in_isa) return raw;

  // A line break inside the first 106 bytes: either a wrapped file, or an ISA that ends
  // early. Try without the line breaks and map the lengths back to raw bytes.
  Result<IsaLayout> unwrapped = DetectFlat(WithoutLineBreaks(data));
  if (!unwrapped.ok() || unwrapped->delimiters.terminator_is_line_break()) {
    return raw.ok() ? raw : unwrapped.ok() ? raw : unwrapped;
  }
  return MapToRaw(data, std::move(unwrapped.value()),
                  "line breaks inside the ISA: the file is treated as wrapped at a fixed "
                  "column and line breaks are removed");
}

}  // namespace edi
