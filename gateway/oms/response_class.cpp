// Status classification and Retry-After parsing: pure functions, shared by the client and tests.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>

#include "gateway/oms/oms_client.h"

namespace gateway::oms {

std::string_view Name(ResponseClass response_class) {
  switch (response_class) {
    case ResponseClass::kDelivered: return "delivered";
    case ResponseClass::kPermanent: return "permanent";
    case ResponseClass::kAuth: return "auth";
    case ResponseClass::kTransient: return "transient";
  }
  return "unknown";
}

ResponseClass ClassifyStatus(int status, const std::map<int, ResponseClass>& overrides) {
  if (auto it = overrides.find(status); it != overrides.end()) return it->second;
  if ((status >= 200 && status <= 299) || status == 409) return ResponseClass::kDelivered;
  if (status == 401 || status == 403) return ResponseClass::kAuth;
  if (status == 408 || status == 425 || status == 429 || (status >= 500 && status <= 599)) {
    return ResponseClass::kTransient;
  }
  // 400, 404, 422 and everything nobody expects from an OMS (redirects, 405, 413, ...): sending
  // the same request again will get the same answer.
  return ResponseClass::kPermanent;
}

namespace {

// The largest Retry-After we report (2^31 - 1 s, about 68 years): keeps arithmetic on it safe.
constexpr std::int64_t kMaxRetryAfterSeconds = 2147483647;

// A forward-only reader over an HTTP-date.
class DateReader {
 public:
  explicit DateReader(std::string_view s) : s_(s) {}

  bool Done() const { return i_ == s_.size(); }
  bool Peek(char c) const { return i_ < s_.size() && s_[i_] == c; }
  bool Char(char c) {
    if (!Peek(c)) return false;
    ++i_;
    return true;
  }
  bool Digits(std::size_t n, int* out) {
    if (s_.size() - i_ < n) return false;
    int v = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const char c = s_[i_ + k];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    i_ += n;
    *out = v;
    return true;
  }
  // A day name: letters only; its agreement with the date is not checked (RFC 9110 lets a
  // recipient ignore it).
  bool DayName() {
    const std::size_t start = i_;
    while (i_ < s_.size() && IsAlpha(s_[i_])) ++i_;
    return i_ - start >= 3;
  }
  bool Month(int* out) {
    static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};
    if (s_.size() - i_ < 3) return false;
    char m[3];
    for (int k = 0; k < 3; ++k) m[k] = Lower(s_[i_ + static_cast<std::size_t>(k)]);
    for (int k = 0; k < 12; ++k) {
      if (kMonths[k] == std::string_view(m, 3)) {
        *out = k + 1;
        i_ += 3;
        return true;
      }
    }
    return false;
  }
  bool Time(int* h, int* m, int* s) {
    return Digits(2, h) && Char(':') && Digits(2, m) && Char(':') && Digits(2, s) && *h < 24 &&
           *m < 60 && *s <= 60;
  }
  bool Gmt() {
    return s_.size() - i_ == 3 && Lower(s_[i_]) == 'g' && Lower(s_[i_ + 1]) == 'm' &&
           Lower(s_[i_ + 2]) == 't' && (i_ += 3, true);
  }

 private:
  static bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
  static char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
  std::string_view s_;
  std::size_t i_ = 0;
};

std::optional<std::chrono::sys_seconds> ParseHttpDate(std::string_view v) {
  DateReader r(v);
  int day = 0, month = 0, year = 0, hh = 0, mm = 0, ss = 0;
  if (!r.DayName()) return std::nullopt;
  if (r.Char(',')) {
    if (!r.Char(' ') || !r.Digits(2, &day)) return std::nullopt;
    if (r.Char(' ')) {
      // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
      if (!r.Month(&month) || !r.Char(' ') || !r.Digits(4, &year)) return std::nullopt;
    } else if (r.Char('-')) {
      // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; a two-digit year is read as the nearest past
      // or near-future century, good enough for a retry hint.
      if (!r.Month(&month) || !r.Char('-') || !r.Digits(2, &year)) return std::nullopt;
      year += year < 70 ? 2000 : 1900;
    } else {
      return std::nullopt;
    }
    if (!r.Char(' ') || !r.Time(&hh, &mm, &ss) || !r.Char(' ') || !r.Gmt()) return std::nullopt;
  } else {
    // asctime: "Sun Nov  6 08:49:37 1994"
    if (!r.Char(' ') || !r.Month(&month) || !r.Char(' ')) return std::nullopt;
    if (r.Char(' ')) {
      if (!r.Digits(1, &day)) return std::nullopt;
    } else if (!r.Digits(2, &day)) {
      return std::nullopt;
    }
    if (!r.Char(' ') || !r.Time(&hh, &mm, &ss) || !r.Char(' ') || !r.Digits(4, &year)) {
      return std::nullopt;
    }
  }
  if (!r.Done()) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd} + std::chrono::hours{hh} + std::chrono::minutes{mm} +
         std::chrono::seconds{ss};
}

}  // namespace

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value,
                                                    std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') {
    std::int64_t seconds = 0;
    for (char c : value) {
      if (c < '0' || c > '9') return std::nullopt;
      seconds = seconds * 10 + (c - '0');
      if (seconds > kMaxRetryAfterSeconds) seconds = kMaxRetryAfterSeconds;
    }
    return std::chrono::seconds{seconds};
  }
  const auto date = ParseHttpDate(value);
  if (!date) return std::nullopt;
  if (*date <= now) return std::chrono::seconds{0};
  // Rounded up: retrying a fraction of a second before the date the OMS named is too early.
  const auto delta = std::chrono::ceil<std::chrono::seconds>(*date - now);
  return std::chrono::seconds{std::min<std::int64_t>(delta.count(), kMaxRetryAfterSeconds)};
}

}  // namespace gateway::oms
