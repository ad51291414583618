#include "gateway/mapping/x12_charset.h"

#include <cstdint>
#include <string_view>

namespace gateway::mapping {

namespace {

// "0x0A" for a byte; "U+00FC", "U+1F600" for a code point (at least four digits).
std::string Hex(uint32_t u, bool code_point) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  const int digits = !code_point ? 2 : u > 0xfffff ? 6 : u > 0xffff ? 5 : 4;
  std::string s;
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) s += kDigits[(u >> shift) & 15];
  return (code_point ? "U+" : "0x") + s;
}

// The code point of the UTF-8 sequence at v[i] and its length; nullopt when malformed.
std::optional<uint32_t> Decode(const std::string& v, size_t i, size_t* len) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(v[i + k]); };
  const unsigned char c = b(0);
  size_t n = c >= 0xf0 && c < 0xf8 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
  if (n == 0 || i + n > v.size()) return std::nullopt;
  uint32_t cp = c & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xc0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b(k) & 0x3f);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff))) return std::nullopt;
  *len = n;
  return cp;
}

// ASCII for Latin letters with diacritics and typographic punctuation; "" when none.
std::string_view Transliterate(uint32_t cp) {
  // U+00C0..U+017F, in order.
  static constexpr std::string_view kLatin[] = {
      "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",      // C0
      "D", "N", "O", "O", "O", "O", "O", "x", "O", "U", "U", "U", "U", "Y", "TH", "ss",    // D0
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",      // E0
      "d", "n", "o", "o", "o", "o", "o", "/", "o", "u", "u", "u", "u", "y", "th", "y",     // F0
      "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d",      // 100
      "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g",      // 110
      "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i",      // 120
      "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L",    // 130
      "l", "L", "l", "N", "n", "N", "n", "N", "n", "n", "N", "n", "O", "o", "O", "o",      // 140
      "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s",    // 150
      "S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u",      // 160
      "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s",      // 170
  };
  if (cp >= 0xc0 && cp <= 0x17f) return kLatin[cp - 0xc0];
  switch (cp) {
    case 0xa0: return " ";  // no-break space
    case 0xab: case 0xbb: case 0x201c: case 0x201d: case 0x201e: case 0x201f: return "\"";
    case 0xb4: case 0x2018: case 0x2019: case 0x201a: case 0x201b: return "'";
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: return "-";
    case 0x2026: return "...";
    case 0x20ac: return "EUR";
    default: return "";
  }
}

}  // namespace

X12Charset::X12Charset(const partners::PartnerProfile& profile, const edi::Delimiters& d)
    : replacement_(profile.replace_in_data), ascii_(profile.charset == "ascii") {
  for (char c : {d.element, d.component, d.repetition}) {
    if (c != 0) special_[static_cast<unsigned char>(c)] = true;
  }
  for (char c : d.terminator) special_[static_cast<unsigned char>(c)] = true;
  for (unsigned c = 0; c < 0x20; ++c) special_[c] = true;
  special_[0x7f] = true;
}

void X12Charset::Fit(std::string* v, bool text, const std::string& where) {
  const bool replace = text && replacement_.has_value();
  std::string out;
  std::string found;    // what could not go as it is, each once
  bool changed = false;
  const auto note = [&](const std::string& what) {
    if (found.find(what) == std::string::npos) found += (found.empty() ? "" : ", ") + what;
  };
  for (size_t i = 0; i < v->size();) {
    const auto u = static_cast<unsigned char>((*v)[i]);
    if (u < 0x80 || !ascii_) {
      if (special_[u]) {
        note(u < 0x20 || u == 0x7f ? "control character " + Hex(u, false) : "'" + std::string(1, (*v)[i]) + "'");
        if (replace) out += *replacement_;
        changed = true;
      } else {
        out += (*v)[i];
      }
      ++i;
      continue;
    }
    size_t len = 1;
    const std::optional<uint32_t> cp = Decode(*v, i, &len);
    const std::string_view ascii = cp ? Transliterate(*cp) : std::string_view();
    note(cp ? "'" + v->substr(i, len) + "' (" + Hex(*cp, true) + ")" : "byte " + Hex(u, false) + " (not UTF-8)");
    if (replace) {
      if (ascii.empty()) {
        out += *replacement_;
      } else {
        out.append(ascii.data(), ascii.size());
      }
    }
    changed = true;
    i += len;
  }
  if (!changed) return;
  if (!replace) {
    errors.push_back(where + ": " + found + " cannot be sent in this partner's X12" +
                     (text ? " (x12.delimiters.in_data: reject)" : " and this value is not free text"));
    return;
  }
  // A replaced character at either end would leave padding X12 does not want.
  const size_t first = out.find_first_not_of(' ');
  out = first == std::string::npos ? "" : out.substr(first, out.find_last_not_of(' ') - first + 1);
  warnings.push_back(where + ": " + found + " cannot be sent in this partner's X12; written as '" + out + "'");
  *v = std::move(out);
}

}  // namespace gateway::mapping
