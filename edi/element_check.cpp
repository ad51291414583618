#include "edi/element_check.h"

#include "edi/text.h"

namespace edi {
namespace {

int TwoDigits(std::string_view s, size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

// Characters X12 never allows inside data: control characters and the interchange's
// own delimiters (there is no escape character in 004010/005010).
// No early exit: values are short and valid, and a flag-accumulating loop vectorises.
bool HasInvalidCharacter(std::string_view v, const Delimiters& d) {
  // With no component separator, compare against a byte the loop has already rejected.
  const auto comp = static_cast<unsigned char>(d.component != 0 ? d.component : 0x7f);
  unsigned bad = 0;
  for (char ch : v) {
    const auto c = static_cast<unsigned char>(ch);
    bad |= static_cast<unsigned>(c < 0x20) | static_cast<unsigned>(c == 0x7f) |
           static_cast<unsigned>(c == comp);
  }
  return bad != 0;
}

}  // namespace

bool IsValidDate(std::string_view s) {
  if (!AllDigits(s) || (s.size() != 8 && s.size() != 6)) return false;
  int year;
  size_t at = 0;
  if (s.size() == 8) {
    year = TwoDigits(s, 0) * 100 + TwoDigits(s, 2);
    at = 4;
  } else {
    year = 2000 + TwoDigits(s, 0);
    at = 2;
  }
  const int month = TwoDigits(s, at);
  const int day = TwoDigits(s, at + 2);
  if (month < 1 || month > 12 || day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max_day = kDays[month - 1];
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && leap) max_day = 29;
  return day <= max_day;
}

bool IsValidTime(std::string_view s) {
  if (!AllDigits(s) || s.size() < 4 || s.size() > 8 || s.size() == 5) return false;
  if (TwoDigits(s, 0) > 23 || TwoDigits(s, 2) > 59) return false;
  if (s.size() >= 6 && TwoDigits(s, 4) > 59) return false;
  return true;
}

std::string_view CheckElementValue(const ElementDef& def, std::string_view value,
                                   const Delimiters& delimiters) {
  int length = static_cast<int>(value.size());
  switch (def.type) {
    case ElementType::kN: {
      std::string_view digits = value;
      if (!digits.empty() && digits[0] == '-') digits.remove_prefix(1);
      if (!AllDigits(digits)) return "6";
      length = static_cast<int>(digits.size());  // the sign does not count
      break;
    }
    case ElementType::kR: {
      std::string_view v = value;
      if (!v.empty() && v[0] == '-') v.remove_prefix(1);
      int digits = 0;
      int points = 0;
      for (char c : v) {
        if (c >= '0' && c <= '9') {
          ++digits;
        } else if (c == '.') {
          ++points;
        } else {
          return "6";
        }
      }
      if (digits == 0 || points > 1) return "6";
      length = digits;  // sign and decimal point do not count
      break;
    }
    case ElementType::kDT:
      if (!IsValidDate(value)) return "8";
      break;
    case ElementType::kTM:
      if (!IsValidTime(value)) return "9";
      break;
    case ElementType::kID:
      if (HasInvalidCharacter(value, delimiters)) return "6";
      if (!def.codes.empty() && !def.HasCode(value)) return "7";
      break;
    case ElementType::kAN:
      if (HasInvalidCharacter(value, delimiters)) return "6";
      break;
    case ElementType::kB:
    case ElementType::kComposite:
      return "";
  }
  if (length < def.min_length) return "4";
  if (length > def.max_length) return "5";
  return "";
}

}  // namespace edi
