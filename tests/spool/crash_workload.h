// The workload shared by the crash test and its writer process: file i's bytes are a pure
// function of i, so the test can check every acknowledged file without keeping copies.
#pragma once

#include <cstdint>
#include <string>

namespace spool::testing {

inline std::string CrashFileBytes(int64_t i) {
  if (i % 10 == 9) return CrashFileBytes(i - 1);  // every tenth file repeats the one before
  const std::size_t size = 64 + static_cast<std::size_t>((i * 7919) % 6000);
  std::string out = "ISA*crash*" + std::to_string(i) + "*";
  uint64_t x = static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ull + 7;
  while (out.size() < size) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out += static_cast<char>(x);
  }
  return out;
}

inline constexpr const char* kCrashPartner = "crash";

}  // namespace spool::testing
