#include "gateway/api/request_checks.h"

#include <gtest/gtest.h>

namespace gateway::api {
namespace {

TEST(ApiRequestChecks, ErrorBodyShape) {
  EXPECT_EQ(ErrorBody("not_found", "no such resource").dump(),
            R"({"error":{"code":"not_found","message":"no such resource"}})");
}

TEST(ApiRequestChecks, BearerCredential) {
  EXPECT_EQ(BearerCredential("Bearer abc.DEF-123"), "abc.DEF-123");
  EXPECT_EQ(BearerCredential("bearer   abc  "), "abc");
  EXPECT_EQ(BearerCredential("BEARER abc"), "abc");
  EXPECT_FALSE(BearerCredential(""));
  EXPECT_FALSE(BearerCredential("Bearer"));
  EXPECT_FALSE(BearerCredential("Bearer "));
  EXPECT_FALSE(BearerCredential("Bearerabc"));
  EXPECT_FALSE(BearerCredential("Basic dXNlcjpwYXNz"));
}

TEST(ApiRequestChecks, TokenMatcher) {
  const TokenMatcher m("s3cret-token");
  EXPECT_TRUE(m.Matches("s3cret-token"));
  EXPECT_FALSE(m.Matches("s3cret-toke"));
  EXPECT_FALSE(m.Matches("s3cret-tokenn"));
  EXPECT_FALSE(m.Matches("S3cret-token"));
  EXPECT_FALSE(m.Matches(""));
  const TokenMatcher unset;
  EXPECT_FALSE(unset.Matches(""));
}

TEST(ApiRequestChecks, IdempotencyKeyBareAndQuoted) {
  auto bare = ParseIdempotencyKey("acme:940:PO-1001");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(*bare, "acme:940:PO-1001");
  auto quoted = ParseIdempotencyKey(" \"8e03978e-40d5 \\\"x\\\\\" ");
  ASSERT_TRUE(quoted.ok()) << quoted.status().ToString();
  EXPECT_EQ(*quoted, "8e03978e-40d5 \"x\\");
}

TEST(ApiRequestChecks, IdempotencyKeyRejects) {
  for (const char* bad : {"", "   ", "\"\"", "\"open", "\"a\"b", "\"bad\\escape\"", "two words",
                          "caf\xC3\xA9", "a\"b"}) {
    auto k = ParseIdempotencyKey(bad);
    EXPECT_FALSE(k.ok()) << bad;
    if (!k.ok()) {
      EXPECT_EQ(k.status().code(), Code::kInvalidArgument);
    }
  }
  EXPECT_TRUE(ParseIdempotencyKey(std::string(255, 'k')).ok());
  EXPECT_FALSE(ParseIdempotencyKey(std::string(256, 'k')).ok());
}

TEST(ApiRequestChecks, OrderMediaTypes) {
  EXPECT_TRUE(IsOrderMediaType("application/json"));
  EXPECT_TRUE(IsOrderMediaType("Application/JSON; charset=utf-8"));
  EXPECT_TRUE(IsOrderMediaType("application/cloudevents+json"));
  EXPECT_TRUE(IsOrderMediaType(" application/cloudevents+json ;charset=UTF-8"));
  EXPECT_FALSE(IsOrderMediaType(""));
  EXPECT_FALSE(IsOrderMediaType("text/plain"));
  EXPECT_FALSE(IsOrderMediaType("application/jsonx"));
  EXPECT_FALSE(IsOrderMediaType("application/x-www-form-urlencoded"));
}

TEST(ApiRequestChecks, MessageIds) {
  EXPECT_EQ(ParseMessageId("1"), 1);
  EXPECT_EQ(ParseMessageId("0042"), 42);
  EXPECT_EQ(ParseMessageId("9223372036854775807"), INT64_MAX);
  EXPECT_FALSE(ParseMessageId(""));
  EXPECT_FALSE(ParseMessageId("0"));
  EXPECT_FALSE(ParseMessageId("-1"));
  EXPECT_FALSE(ParseMessageId("+1"));
  EXPECT_FALSE(ParseMessageId("1.5"));
  EXPECT_FALSE(ParseMessageId("abc"));
  EXPECT_FALSE(ParseMessageId("9223372036854775808"));
  EXPECT_FALSE(ParseMessageId("99999999999999999999"));
}

}  // namespace
}  // namespace gateway::api
