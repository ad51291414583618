// The pure parts of the API's request checks, apart from sockets so they can be tested one by
// one: the JSON error shape, bearer token matching, Idempotency-Key syntax, media types and
// message ids. None of them log or echo what they were given: headers may carry secrets.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gateway/status.h"

namespace gateway::api {

// {"error": {"code": "<code>", "message": "<message>"}}; `code` is short snake_case.
nlohmann::json ErrorBody(std::string_view code, std::string_view message);

// The credential of an "Authorization: Bearer <token>" value (scheme case-insensitive), or
// nullopt when the value is not a bearer credential.
std::optional<std::string_view> BearerCredential(std::string_view authorization);

// Compares presented tokens with the configured one in constant time: both sides are hashed
// first, so neither the content nor the length of the token leaks through timing, and only the
// digest stays in memory.
class TokenMatcher {
 public:
  TokenMatcher() = default;
  explicit TokenMatcher(std::string_view token);
  bool Matches(std::string_view presented) const;

 private:
  std::array<unsigned char, 32> digest_{};
  bool set_ = false;
};

// The key of an Idempotency-Key header value. The IETF draft makes it a Structured Field string
// ("\"8e03978e\""); many clients send it bare (8e03978e), so both are accepted. kInvalidArgument
// for an empty key, one over 255 characters, or characters outside visible ASCII.
Result<std::string> ParseIdempotencyKey(std::string_view value);

// True for application/json and application/cloudevents+json, any case, with parameters.
bool IsOrderMediaType(std::string_view content_type);

// The id in /v1/messages/{id}: a positive decimal integer that fits int64, digits only.
std::optional<std::int64_t> ParseMessageId(std::string_view text);

}  // namespace gateway::api
