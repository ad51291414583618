// Retry scheduling arithmetic: exponential backoff with jitter, a retry window and/or a maximum
// number of attempts, and the receiver's Retry-After overriding the computed delay. Pure
// functions of their inputs (the caller supplies the time and the random draw).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "spool/clock.h"

namespace spool {

struct RetryPolicy {
  Duration initial_delay = std::chrono::seconds(30);
  double multiplier = 2.0;
  Duration max_delay = std::chrono::hours(1);
  // Fraction of the delay removed at random: delay * (1 - jitter * u), u in [0, 1).
  double jitter = 0.2;
  // The retry window, counted from the first attempt; nullopt: no limit.
  std::optional<Duration> max_age = std::chrono::hours(72);
  // nullopt: no limit. Counts every attempt, the first one included.
  std::optional<int64_t> max_attempts;
};

struct RetryDecision {
  bool dead = false;
  Timestamp next_attempt_at{};  // when !dead
  std::string reason;           // why dead, or "retry N in Xs"
};

// The backoff before attempt `attempts + 1`, given that `attempts` (>= 1) have failed:
// min(max_delay, initial * multiplier^(attempts-1)), then jittered with `u` in [0, 1).
Duration BackoffDelay(const RetryPolicy& policy, int64_t attempts, double u);

// After the `attempts`-th failure at `now` of work first attempted at `first_attempt_at`:
// dead when attempts reached max_attempts or when the next attempt would fall after the window
// (first_attempt_at + max_age); otherwise retry at now + delay, where delay is `retry_after`
// when the receiver sent one, else BackoffDelay.
RetryDecision DecideRetry(const RetryPolicy& policy, Timestamp first_attempt_at, Timestamp now,
                          int64_t attempts, std::optional<Duration> retry_after, double u);

}  // namespace spool
