#include "gateway/mapping/decimal.h"

#include <algorithm>

namespace gateway::mapping {

namespace {

// A decimal as sign, integer digits and fraction digits, both without redundant zeros.
struct Parts {
  bool negative = false;
  std::string integer;   // no leading zeros ("" for zero)
  std::string fraction;  // no trailing zeros
};

std::optional<Parts> Parse(std::string_view t, int implied) {
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  Parts p;
  if (!t.empty() && (t.front() == '-' || t.front() == '+')) {
    p.negative = t.front() == '-';
    t.remove_prefix(1);
  }
  if (t.empty()) return std::nullopt;
  const size_t dot = t.find('.');
  std::string_view ip = t.substr(0, dot);
  std::string_view fp = dot == std::string_view::npos ? std::string_view() : t.substr(dot + 1);
  if (ip.empty() && fp.empty()) return std::nullopt;
  for (char c : ip) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  for (char c : fp) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::string i(ip);
  std::string f(fp);
  if (dot == std::string_view::npos && implied > 0) {
    // "1050" with 2 implied decimals: the last two digits are the fraction.
    if (i.size() < static_cast<size_t>(implied)) i.insert(0, static_cast<size_t>(implied) - i.size(), '0');
    f = i.substr(i.size() - static_cast<size_t>(implied));
    i.resize(i.size() - static_cast<size_t>(implied));
  }
  size_t lead = 0;
  while (lead < i.size() && i[lead] == '0') ++lead;
  p.integer = i.substr(lead);
  while (!f.empty() && f.back() == '0') f.pop_back();
  p.fraction = std::move(f);
  if (p.integer.empty() && p.fraction.empty()) p.negative = false;
  return p;
}

std::string Format(const Parts& p) {
  std::string out;
  if (p.negative) out += '-';
  out += p.integer.empty() ? "0" : p.integer;
  if (!p.fraction.empty()) {
    out += '.';
    out += p.fraction;
  }
  return out;
}

// Both magnitudes as digit strings scaled to the same number of fraction digits and padded
// to the same length, so that digit-wise arithmetic and comparison work.
void Align(const Parts& a, const Parts& b, std::string& x, std::string& y, size_t& scale) {
  scale = std::max(a.fraction.size(), b.fraction.size());
  x = a.integer + a.fraction + std::string(scale - a.fraction.size(), '0');
  y = b.integer + b.fraction + std::string(scale - b.fraction.size(), '0');
  const size_t n = std::max(x.size(), y.size()) + 1;
  x.insert(0, n - x.size(), '0');
  y.insert(0, n - y.size(), '0');
}

int CompareMagnitude(const std::string& x, const std::string& y) {
  return x < y ? -1 : (x > y ? 1 : 0);  // same length, digits only
}

std::string AddMagnitude(const std::string& x, const std::string& y) {
  std::string r(x.size(), '0');
  int carry = 0;
  for (size_t i = x.size(); i-- > 0;) {
    int d = (x[i] - '0') + (y[i] - '0') + carry;
    carry = d / 10;
    r[i] = static_cast<char>('0' + d % 10);
  }
  return r;  // x and y carry a leading zero, so no overflow digit is lost
}

std::string SubMagnitude(const std::string& x, const std::string& y) {  // x >= y
  std::string r(x.size(), '0');
  int borrow = 0;
  for (size_t i = x.size(); i-- > 0;) {
    int d = (x[i] - '0') - (y[i] - '0') - borrow;
    borrow = d < 0 ? 1 : 0;
    r[i] = static_cast<char>('0' + (d + 10) % 10);
  }
  return r;
}

std::string FromScaled(bool negative, const std::string& digits, size_t scale) {
  std::string s = digits;
  if (scale > 0) s.insert(s.size() - scale, ".");
  if (negative) s.insert(0, "-");
  return *NormalizeDecimal(s);
}

// Plain integers of up to 18 digits (the usual quantity): int64 arithmetic, exact.
bool SmallInt(std::string_view t, long long* v) {
  bool neg = false;
  if (!t.empty() && t[0] == '-') {
    neg = true;
    t.remove_prefix(1);
  }
  if (t.empty() || t.size() > 18) return false;
  long long x = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return false;
    x = x * 10 + (c - '0');
  }
  *v = neg ? -x : x;
  return true;
}

std::optional<std::string> AddSigned(std::string_view a, std::string_view b, bool negate_b) {
  long long ia = 0, ib = 0;
  if (SmallInt(a, &ia) && SmallInt(b, &ib)) return std::to_string(negate_b ? ia - ib : ia + ib);
  auto pa = Parse(a, 0);
  auto pb = Parse(b, 0);
  if (!pa || !pb) return std::nullopt;
  if (negate_b && (!pb->integer.empty() || !pb->fraction.empty())) pb->negative = !pb->negative;
  std::string x, y;
  size_t scale = 0;
  Align(*pa, *pb, x, y, scale);
  if (pa->negative == pb->negative) return FromScaled(pa->negative, AddMagnitude(x, y), scale);
  const int c = CompareMagnitude(x, y);
  if (c == 0) return std::string("0");
  if (c > 0) return FromScaled(pa->negative, SubMagnitude(x, y), scale);
  return FromScaled(pb->negative, SubMagnitude(y, x), scale);
}

}  // namespace

std::optional<std::string> NormalizeDecimal(std::string_view text, int implied_decimals) {
  // Fast path: a plain integer without leading zeros is already normal.
  if (implied_decimals == 0 && !text.empty() && (text.size() == 1 || text[0] != '0') &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::string(text);
  }
  auto p = Parse(text, implied_decimals);
  if (!p) return std::nullopt;
  return Format(*p);
}

std::optional<std::string> DecimalSubtract(std::string_view a, std::string_view b) {
  return AddSigned(a, b, true);
}

std::optional<std::string> DecimalAdd(std::string_view a, std::string_view b) {
  return AddSigned(a, b, false);
}

std::optional<int> DecimalCompare(std::string_view a, std::string_view b) {
  auto d = DecimalSubtract(a, b);
  if (!d) return std::nullopt;
  if (*d == "0") return 0;
  return (*d)[0] == '-' ? -1 : 1;
}

bool IsIntegerText(std::string_view n) { return n.find('.') == std::string_view::npos; }

}  // namespace gateway::mapping
