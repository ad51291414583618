// Dates and times as X12 envelopes write them (GS04 CCYYMMDD, GS05/ISA10 HHMM), in UTC. The
// clock is the caller's: pass the time to stamp.
#pragma once

#include <ctime>
#include <string>

namespace edi {

struct X12Stamp {
  std::string date;  // CCYYMMDD
  std::string time;  // HHMM
};

inline X12Stamp StampOf(std::time_t t) {
  std::tm utc{};
  gmtime_r(&t, &utc);
  char date[16], time[8];
  std::strftime(date, sizeof date, "%Y%m%d", &utc);
  std::strftime(time, sizeof time, "%H%M", &utc);
  return {date, time};
}

}  // namespace edi
