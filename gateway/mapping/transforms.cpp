#include "gateway/mapping/transforms.h"

#include <cctype>

#include "edi/text.h"
#include "gateway/mapping/decimal.h"

namespace gateway::mapping {

namespace {


int Num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool ValidDate(int y, int m, int d) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return false;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return false;
  return true;
}

// Any accepted date form -> "YYYYMMDD".
bool ParseDate(std::string_view v, std::string* ymd) {
  std::string s;
  if (v.size() == 8 && edi::AllDigits(v)) {
    s = std::string(v);
  } else if (v.size() == 6 && edi::AllDigits(v)) {
    s = "20" + std::string(v);
  } else if (v.size() >= 10 && v[4] == '-' && v[7] == '-' && edi::AllDigits(v.substr(0, 4)) && edi::AllDigits(v.substr(5, 2)) &&
             edi::AllDigits(v.substr(8, 2)) && (v.size() == 10 || v[10] == 'T' || v[10] == ' ')) {
    s = std::string(v.substr(0, 4)) + std::string(v.substr(5, 2)) + std::string(v.substr(8, 2));
  } else {
    return false;
  }
  if (!ValidDate(Num(s.substr(0, 4)), Num(s.substr(4, 2)), Num(s.substr(6, 2)))) return false;
  *ymd = s;
  return true;
}

// Any accepted time form -> "HHMM", "HHMMSS" or "HHMMSS" + fraction digits.
bool ParseTime(std::string_view v, std::string* hms) {
  std::string s;
  if (edi::AllDigits(v) && v.size() >= 4 && v.size() <= 8) {
    s = std::string(v);
  } else if (v.size() >= 5 && v[2] == ':') {
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i] == ':' || v[i] == '.') continue;
      if (v[i] == 'Z' || v[i] == '+' || (v[i] == '-' && i > 0)) break;
      if (v[i] < '0' || v[i] > '9') return false;
      s += v[i];
    }
    if (s.size() < 4) return false;
  } else {
    return false;
  }
  if (Num(s.substr(0, 2)) > 23 || Num(s.substr(2, 2)) > 59 || (s.size() >= 6 && Num(s.substr(4, 2)) > 59)) return false;
  *hms = s;
  return true;
}

std::string IsoDate(const std::string& ymd) { return ymd.substr(0, 4) + "-" + ymd.substr(4, 2) + "-" + ymd.substr(6, 2); }

std::string IsoTime(const std::string& hms, bool seconds) {
  std::string t = hms.substr(0, 2) + ":" + hms.substr(2, 2);
  if (hms.size() >= 6) {
    t += ":" + hms.substr(4, 2);
    if (hms.size() > 6) t += "." + hms.substr(6);
  } else if (seconds) {
    t += ":00";
  }
  return t;
}

// NormalizeDecimal in place without allocating, for the usual plain decimal ("010.50" ->
// "10.5"). False when the text is anything else (implied decimals to shift, not a number,
// very long, or a fraction when `whole`): the caller takes the general path, which also
// words the error. `v` is untouched when this returns false.
bool NormalizeDecimalInPlace(std::string& v, int implied, bool whole) {
  size_t b = 0, e = v.size();
  while (b < e && v[b] == ' ') ++b;
  while (e > b && v[e - 1] == ' ') --e;
  bool negative = false;
  if (b < e && (v[b] == '-' || v[b] == '+')) {
    negative = v[b] == '-';
    ++b;
  }
  if (b == e || e - b > 60) return false;
  size_t ib = b, ie = b;
  while (ie < e && v[ie] >= '0' && v[ie] <= '9') ++ie;
  size_t fb = ie, fe = ie;
  if (ie < e) {
    if (v[ie] != '.') return false;
    fb = fe = ie + 1;
    while (fe < e && v[fe] >= '0' && v[fe] <= '9') ++fe;
    if (fe != e || (ie == ib && fe == fb)) return false;
  } else if (implied > 0) {
    return false;
  }
  while (ib < ie && v[ib] == '0') ++ib;
  while (fe > fb && v[fe - 1] == '0') --fe;
  if (whole && fe > fb) return false;
  if (ib == ie && fb == fe) negative = false;
  char buf[72];
  size_t n = 0;
  if (negative) buf[n++] = '-';
  if (ib == ie) {
    buf[n++] = '0';
  } else {
    for (size_t i = ib; i < ie; ++i) buf[n++] = v[i];
  }
  if (fe > fb) {
    buf[n++] = '.';
    for (size_t i = fb; i < fe; ++i) buf[n++] = v[i];
  }
  v.assign(buf, n);
  return true;
}

}  // namespace

void TrimSpaces(std::string& s) {
  size_t e = s.size();
  while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  size_t b = 0;
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  if (e < s.size()) s.resize(e);
  if (b > 0) s.erase(0, b);
}

void ToUpper(std::string& s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
}

bool ConvertValue(ValueType type, int implied, bool outbound, std::string& v, std::string* why) {
  switch (type) {
    case ValueType::kString:
      return true;
    case ValueType::kBoolean: {
      if (v == "true" || v == "1" || v == "Y" || v == "y" || v == "yes") {
        v = "true";
      } else if (v == "false" || v == "0" || v == "N" || v == "n" || v == "no") {
        v = "false";
      } else {
        *why = "'" + v + "' is not a boolean (true/false, Y/N, 1/0)";
        return false;
      }
      return true;
    }
    case ValueType::kDecimal:
    case ValueType::kInteger: {
      if (NormalizeDecimalInPlace(v, implied, type == ValueType::kInteger)) return true;
      auto d = NormalizeDecimal(v, implied);
      if (!d) {
        *why = "'" + v + "' is not a decimal number";
        return false;
      }
      if (type == ValueType::kInteger && !IsIntegerText(*d)) {
        *why = "'" + v + "' is not a whole number";
        return false;
      }
      v = std::move(*d);
      return true;
    }
    case ValueType::kDate: {
      std::string ymd;
      if (!ParseDate(v, &ymd)) {
        *why = "'" + v + "' is not a date (CCYYMMDD, YYMMDD or YYYY-MM-DD)";
        return false;
      }
      v = outbound ? ymd : IsoDate(ymd);
      return true;
    }
    case ValueType::kTime: {
      std::string hms;
      if (!ParseTime(v, &hms)) {
        *why = "'" + v + "' is not a time (HHMM[SS] or HH:MM[:SS])";
        return false;
      }
      v = outbound ? hms.substr(0, hms.size() >= 6 ? 6 : 4) : IsoTime(hms, false);
      return true;
    }
    case ValueType::kDateTime: {
      // "CCYYMMDD HHMM[SS]", "CCYYMMDDHHMM[SS]" or ISO "YYYY-MM-DDTHH:MM[:SS][Z]".
      std::string date_part, time_part;
      const size_t sep = v.find_first_of(" T");
      if (sep != std::string::npos) {
        date_part = v.substr(0, sep);
        time_part = v.substr(sep + 1);
      } else if (v.size() >= 12 && edi::AllDigits(v)) {
        date_part = v.substr(0, 8);
        time_part = v.substr(8);
      } else {
        date_part = v;
      }
      std::string ymd, hms = "0000";
      if (!ParseDate(date_part, &ymd) || (!time_part.empty() && !ParseTime(time_part, &hms))) {
        *why = "'" + v + "' is not a date and time";
        return false;
      }
      v = outbound ? ymd : IsoDate(ymd) + "T" + IsoTime(hms, true) + "Z";
      return true;
    }
  }
  return true;
}

}  // namespace gateway::mapping
