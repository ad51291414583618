#include "gateway/api/request_checks.h"

#include <algorithm>
#include <charconv>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace gateway::api {
namespace {

constexpr std::size_t kMaxIdempotencyKey = 255;

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

std::array<unsigned char, 32> Sha256(std::string_view data) {
  std::array<unsigned char, 32> out{};
  unsigned int len = 0;
  // EVP_Digest only fails on allocation failure; the zero digest then matches nothing that was
  // set, because set_ is checked separately.
  EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

}  // namespace

nlohmann::json ErrorBody(std::string_view code, std::string_view message) {
  return {{"error", {{"code", std::string(code)}, {"message", std::string(message)}}}};
}

std::optional<std::string_view> BearerCredential(std::string_view authorization) {
  std::string_view v = TrimOws(authorization);
  constexpr std::string_view kScheme = "bearer";
  if (v.size() <= kScheme.size() || !EqualsIgnoreCase(v.substr(0, kScheme.size()), kScheme)) {
    return std::nullopt;
  }
  if (v[kScheme.size()] != ' ') return std::nullopt;
  std::string_view token = TrimOws(v.substr(kScheme.size()));
  if (token.empty()) return std::nullopt;
  return token;
}

TokenMatcher::TokenMatcher(std::string_view token) : digest_(Sha256(token)), set_(true) {}

bool TokenMatcher::Matches(std::string_view presented) const {
  const auto digest = Sha256(presented);
  return set_ && CRYPTO_memcmp(digest.data(), digest_.data(), digest.size()) == 0;
}

Result<std::string> ParseIdempotencyKey(std::string_view value) {
  std::string_view v = TrimOws(value);
  std::string key;
  if (!v.empty() && v.front() == '"') {
    // sf-string: printable ASCII; backslash escapes only '"' and '\'.
    std::size_t i = 1;
    bool closed = false;
    for (; i < v.size(); ++i) {
      const char c = v[i];
      if (c == '"') {
        closed = true;
        ++i;
        break;
      }
      if (c == '\\') {
        if (i + 1 >= v.size() || (v[i + 1] != '"' && v[i + 1] != '\\')) {
          return Status(Code::kInvalidArgument, "Idempotency-Key has an invalid escape");
        }
        key += v[++i];
        continue;
      }
      if (c < 0x20 || c > 0x7E) {
        return Status(Code::kInvalidArgument, "Idempotency-Key must be visible ASCII");
      }
      key += c;
    }
    if (!closed || i != v.size()) {
      return Status(Code::kInvalidArgument, "Idempotency-Key is not a well-formed quoted string");
    }
  } else {
    for (char c : v) {
      if (c <= 0x20 || c > 0x7E || c == '"' || c == '\\') {
        return Status(Code::kInvalidArgument,
                      "Idempotency-Key must be visible ASCII (or a quoted string)");
      }
    }
    key.assign(v);
  }
  if (key.empty()) return Status(Code::kInvalidArgument, "Idempotency-Key is empty");
  if (key.size() > kMaxIdempotencyKey) {
    return Status(Code::kInvalidArgument, "Idempotency-Key is longer than 255 characters");
  }
  return key;
}

bool IsOrderMediaType(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  type = TrimOws(type);
  return EqualsIgnoreCase(type, "application/json") ||
         EqualsIgnoreCase(type, "application/cloudevents+json");
}

std::optional<std::int64_t> ParseMessageId(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace gateway::api
