// The pure parts of the OMS contract: which status means what, and how Retry-After is read.
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "gateway/oms/oms_client.h"

namespace {

using gateway::oms::ClassifyStatus;
using gateway::oms::ParseRetryAfter;
using gateway::oms::ResponseClass;
using namespace std::chrono_literals;

TEST(OmsClassify, DefaultClasses) {
  const std::map<int, ResponseClass> none;
  for (int s : {200, 201, 202, 204, 299, 409}) {
    EXPECT_EQ(ClassifyStatus(s, none), ResponseClass::kDelivered) << s;
  }
  for (int s : {400, 404, 422, 301, 302, 304, 405, 410, 413, 415, 100, 0, 600}) {
    EXPECT_EQ(ClassifyStatus(s, none), ResponseClass::kPermanent) << s;
  }
  for (int s : {401, 403}) EXPECT_EQ(ClassifyStatus(s, none), ResponseClass::kAuth) << s;
  for (int s : {408, 425, 429, 500, 502, 503, 504, 599}) {
    EXPECT_EQ(ClassifyStatus(s, none), ResponseClass::kTransient) << s;
  }
}

TEST(OmsClassify, OverrideReplacesDefaultForThatStatusOnly) {
  const std::map<int, ResponseClass> overrides{{409, ResponseClass::kTransient},
                                               {418, ResponseClass::kDelivered}};
  EXPECT_EQ(ClassifyStatus(409, overrides), ResponseClass::kTransient);
  EXPECT_EQ(ClassifyStatus(418, overrides), ResponseClass::kDelivered);
  EXPECT_EQ(ClassifyStatus(200, overrides), ResponseClass::kDelivered);
  EXPECT_EQ(ClassifyStatus(503, overrides), ResponseClass::kTransient);
}

TEST(OmsClassify, Names) {
  EXPECT_EQ(gateway::oms::Name(ResponseClass::kDelivered), "delivered");
  EXPECT_EQ(gateway::oms::Name(ResponseClass::kPermanent), "permanent");
  EXPECT_EQ(gateway::oms::Name(ResponseClass::kAuth), "auth");
  EXPECT_EQ(gateway::oms::Name(ResponseClass::kTransient), "transient");
}

// 1994-11-06 08:49:37 UTC, the RFC's example date.
std::chrono::system_clock::time_point RfcExampleTime() {
  return std::chrono::sys_days{std::chrono::year{1994} / 11 / 6} + 8h + 49min + 37s;
}

TEST(OmsRetryAfter, DeltaSeconds) {
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(ParseRetryAfter("120", now), 120s);
  EXPECT_EQ(ParseRetryAfter(" 0 ", now), 0s);
  EXPECT_EQ(ParseRetryAfter("99999999999999999999", now), std::chrono::seconds(2147483647));
}

TEST(OmsRetryAfter, HttpDateInAllThreeForms) {
  const auto now = RfcExampleTime() - 90s;
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now), 90s);
  EXPECT_EQ(ParseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now), 90s);
  EXPECT_EQ(ParseRetryAfter("Sun Nov  6 08:49:37 1994", now), 90s);
}

TEST(OmsRetryAfter, DateInThePastIsZeroAndFractionsRoundUp) {
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", RfcExampleTime() + 1h), 0s);
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", RfcExampleTime() - 1500ms), 2s);
}

TEST(OmsRetryAfter, MalformedValuesAreIgnored) {
  const auto now = RfcExampleTime();
  for (const char* bad : {"", "  ", "-5", "1.5", "12abc", "soon", "Sun, 06 Nov 1994 08:49:37",
                          "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT x"}) {
    EXPECT_FALSE(ParseRetryAfter(bad, now).has_value()) << '"' << bad << '"';
  }
}

}  // namespace
