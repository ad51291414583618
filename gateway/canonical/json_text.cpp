#include "gateway/canonical/json_text.h"

#include <cstdint>
#include <cstring>

namespace gateway::canonical {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0.
size_t Utf8Length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t n;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  }
  if (c == 0xE0 && b(i + 1) < 0xA0) return 0;  // overlong
  if (c == 0xED && b(i + 1) > 0x9F) return 0;  // surrogates
  if (c == 0xF0 && b(i + 1) < 0x90) return 0;
  if (c == 0xF4 && b(i + 1) > 0x8F) return 0;
  return n;
}

uint64_t Load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// True when any byte of `w` is < 0x20, >= 0x80, '"' or '\\' (the usual has-zero-byte tests).
bool NeedsAttention(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  const uint64_t quote = w ^ (kOnes * '"');
  const uint64_t backslash = w ^ (kOnes * '\\');
  const uint64_t t = (w - kOnes * 0x20) | (quote - kOnes) | (backslash - kOnes);
  return ((t & ~w) | w) & kHigh;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run = 0;  // start of a run of bytes copied as they are
  for (size_t i = 0; i < s.size();) {
    // Eight plain bytes at a time (no control byte, non-ASCII byte, '"' or '\\').
    while (i + 8 <= s.size() && !NeedsAttention(Load8(s.data() + i))) i += 8;
    if (i >= s.size()) break;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const size_t n = Utf8Length(s, i);
      if (n > 0) {
        i += n;
        continue;
      }
    }
    out.append(s.data() + run, i - run);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {  // an invalid UTF-8 byte: Latin-1
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
    ++i;
    run = i;
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void AppendJsonString(JsonBuffer& out, std::string_view s) {
  // At most 6 bytes per input byte ("\\u00XX") and the quotes.
  char* const start = out.Reserve(s.size() * 6 + 2);
  const size_t n = s.size();
  const char* const d = s.data();
  // Nearly every value is plain text (codes, ids, quantities): tested and copied without
  // the general loop, by words from 8 bytes up and byte by byte below.
  bool plain = true;
  if (n >= 8) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      if (NeedsAttention(Load8(d + i))) {
        plain = false;
        break;
      }
    }
    if (plain && i < n && NeedsAttention(Load8(d + n - 8))) plain = false;
    if (plain) {
      if (n <= 16) {  // two overlapping words instead of a memcpy call
        const uint64_t head = Load8(d), tail = Load8(d + n - 8);
        std::memcpy(start + 1, &head, 8);
        std::memcpy(start + 1 + n - 8, &tail, 8);
      } else {
        std::memcpy(start + 1, d, n);
      }
    }
  } else {
    for (size_t k = 0; k < n; ++k) {
      const auto c = static_cast<unsigned char>(d[k]);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        plain = false;
        break;
      }
      start[1 + k] = d[k];
    }
  }
  if (plain) {
    start[0] = '"';
    start[n + 1] = '"';
    out.Commit(n + 2);
    return;
  }
  char* p = start;
  *p++ = '"';
  size_t i = 0;
  while (i + 8 <= s.size() && !NeedsAttention(Load8(s.data() + i))) i += 8;
  if (i < s.size()) {
    for (size_t k = i; k < s.size(); ++k) {
      const unsigned char c = static_cast<unsigned char>(s[k]);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
        // Something to escape or check: the general writer does the rest.
        std::string tail;
        AppendJsonString(tail, s.substr(i));
        std::memcpy(p, s.data(), i);
        p += i;
        std::memcpy(p, tail.data() + 1, tail.size() - 1);  // without its opening quote
        p += tail.size() - 1;
        out.Commit(static_cast<size_t>(p - start));
        return;
      }
    }
  }
  std::memcpy(p, s.data(), s.size());
  p += s.size();
  *p++ = '"';
  out.Commit(static_cast<size_t>(p - start));
}

}  // namespace gateway::canonical
