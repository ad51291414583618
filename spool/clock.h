// Wall time for the spool, behind an interface so tests can drive it (FakeClock in tests).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace spool {

using Duration = std::chrono::microseconds;
using Timestamp = std::chrono::sys_time<Duration>;

// Microseconds since the Unix epoch: how the schema stores every time.
inline int64_t ToMicros(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp FromMicros(int64_t us) { return Timestamp(Duration(us)); }
// "2026-11-20T14:32:00.123456Z" (UTC; the fraction only when not zero).
std::string FormatTime(Timestamp t);

// Thread-safe source of wall time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

// The system's real-time clock.
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

}  // namespace spool
