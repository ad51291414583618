#include "spool/retry_policy.h"

#include <gtest/gtest.h>

namespace spool {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

RetryPolicy Policy() {
  RetryPolicy p;
  p.initial_delay = seconds(10);
  p.multiplier = 2.0;
  p.max_delay = seconds(100);
  p.jitter = 0.5;
  p.max_age = hours(1);
  return p;
}

TEST(RetryPolicyTest, ExponentialBackoffCappedAtMaxDelay) {
  const RetryPolicy p = Policy();
  EXPECT_EQ(BackoffDelay(p, 1, 0.0), seconds(10));
  EXPECT_EQ(BackoffDelay(p, 2, 0.0), seconds(20));
  EXPECT_EQ(BackoffDelay(p, 3, 0.0), seconds(40));
  EXPECT_EQ(BackoffDelay(p, 4, 0.0), seconds(80));
  EXPECT_EQ(BackoffDelay(p, 5, 0.0), seconds(100));
  EXPECT_EQ(BackoffDelay(p, 500, 0.0), seconds(100));  // no overflow
}

TEST(RetryPolicyTest, JitterRemovesUpToItsFraction) {
  const RetryPolicy p = Policy();
  EXPECT_EQ(BackoffDelay(p, 1, 0.5), Duration(7'500'000));
  EXPECT_EQ(BackoffDelay(p, 5, 0.999999).count(), 50000050);  // ~half of the cap
  RetryPolicy none = p;
  none.jitter = 0;
  EXPECT_EQ(BackoffDelay(none, 2, 0.9), seconds(20));
}

TEST(RetryPolicyTest, RetryAfterOverridesTheBackoff) {
  const RetryPolicy p = Policy();
  const Timestamp t0 = FromMicros(1'000'000'000'000);
  RetryDecision d = DecideRetry(p, t0, t0, 1, seconds(300), 0.0);
  ASSERT_FALSE(d.dead);
  EXPECT_EQ(d.next_attempt_at, t0 + seconds(300));  // beyond max_delay: the receiver knows best
  d = DecideRetry(p, t0, t0, 3, seconds(1), 0.0);
  EXPECT_EQ(d.next_attempt_at, t0 + seconds(1));
}

TEST(RetryPolicyTest, DeadWhenTheWindowCloses) {
  const RetryPolicy p = Policy();
  const Timestamp t0 = FromMicros(1'000'000'000'000);
  // 59 minutes in, the next delay (100 s) would land after the 1 h window.
  RetryDecision d = DecideRetry(p, t0, t0 + minutes(59), 8, std::nullopt, 0.0);
  EXPECT_TRUE(d.dead);
  EXPECT_NE(d.reason.find("window"), std::string::npos);
  d = DecideRetry(p, t0, t0 + minutes(50), 8, std::nullopt, 0.0);
  EXPECT_FALSE(d.dead);
  // A Retry-After past the window kills it too.
  d = DecideRetry(p, t0, t0, 1, hours(2), 0.0);
  EXPECT_TRUE(d.dead);
}

TEST(RetryPolicyTest, DeadAfterMaxAttempts) {
  RetryPolicy p = Policy();
  p.max_age.reset();
  p.max_attempts = 3;
  const Timestamp t0 = FromMicros(1'000'000'000'000);
  EXPECT_FALSE(DecideRetry(p, t0, t0, 2, std::nullopt, 0.0).dead);
  RetryDecision d = DecideRetry(p, t0, t0, 3, std::nullopt, 0.0);
  EXPECT_TRUE(d.dead);
  EXPECT_NE(d.reason.find("3 attempts"), std::string::npos);
}

TEST(RetryPolicyTest, NoLimitsMeansRetryForever) {
  RetryPolicy p = Policy();
  p.max_age.reset();
  const Timestamp t0 = FromMicros(1'000'000'000'000);
  EXPECT_FALSE(DecideRetry(p, t0, t0 + hours(10000), 100000, std::nullopt, 0.3).dead);
}

}  // namespace
}  // namespace spool
