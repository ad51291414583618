#include "spool/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace spool {

Duration BackoffDelay(const RetryPolicy& policy, int64_t attempts, double u) {
  const double initial = static_cast<double>(policy.initial_delay.count());
  const double cap = static_cast<double>(policy.max_delay.count());
  const double exponent = static_cast<double>(std::max<int64_t>(attempts - 1, 0));
  // pow may overflow to inf for large exponents; min() with the cap handles that.
  double delay = std::min(cap, initial * std::pow(std::max(policy.multiplier, 1.0), exponent));
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  delay *= 1.0 - jitter * std::clamp(u, 0.0, 1.0);
  return Duration(static_cast<int64_t>(delay));
}

RetryDecision DecideRetry(const RetryPolicy& policy, Timestamp first_attempt_at, Timestamp now,
                          int64_t attempts, std::optional<Duration> retry_after, double u) {
  RetryDecision d;
  if (policy.max_attempts && attempts >= *policy.max_attempts) {
    d.dead = true;
    d.reason = "gave up after " + std::to_string(attempts) + " attempts";
    return d;
  }
  const Duration delay = retry_after ? std::max(*retry_after, Duration(0))
                                     : BackoffDelay(policy, attempts, u);
  const Timestamp next = now + delay;
  if (policy.max_age && next > first_attempt_at + *policy.max_age) {
    d.dead = true;
    d.reason = "retry window of " +
               std::to_string(std::chrono::duration_cast<std::chrono::seconds>(*policy.max_age).count()) +
               "s closed after " + std::to_string(attempts) + " attempts";
    return d;
  }
  d.next_attempt_at = next;
  d.reason = "retry " + std::to_string(attempts + 1) + " in " +
             std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(delay).count()) +
             "ms" + (retry_after ? " (Retry-After)" : "");
  return d;
}

}  // namespace spool
