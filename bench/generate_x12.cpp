// generate_x12: writes a large, valid, realistic X12 004010 file for benchmarks and load tests.
//
//   generate_x12 --type 945|856 --megabytes N --out FILE [--seed S] [--sets-per-group N]
//
// The file holds many interchanges (1-3 groups each, groups of at most --sets-per-group sets,
// default 5000), each set a plausible 3PL document: a 945 with ship-to/ship-from N1 loops, a
// carrier, cartons (LX + MAN*GM SSCC-18 + N9*2I tracking) and their lines (W12 with SKUs), or
// an 856 with a shipment/order/pack/item HL tree. Counts (SE01, GE01, IEA01, CTT01) and control
// numbers are computed, so `edigate validate` accepts every set. The output depends only on
// the seed: the same arguments give the same bytes. Generation stops at the first set
// boundary past the requested size and closes the open group and interchange.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "x12_generator.h"

namespace {

using x12gen::Generator;
using x12gen::Out;

int Usage(const char* why) {
  if (why != nullptr) std::fprintf(stderr, "generate_x12: %s\n", why);
  std::fprintf(stderr,
               "usage: generate_x12 --type 945|856 --megabytes N --out FILE [--seed S] "
               "[--sets-per-group N]\n"
               "  N megabytes are N * 2^20 bytes (the last set may run a little past it)\n");
  return 2;
}

bool ParseU64(const char* s, uint64_t* out) {
  if (s == nullptr || *s == '\0') return false;
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(s, &end, 10);
  if (errno != 0 || *end != '\0' || s[0] == '-') return false;
  *out = v;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string type, out_path;
  uint64_t megabytes = 0, seed = 1, sets_per_group = 5000;
  bool have_size = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (a == "--help" || a == "-h") {
      Usage(nullptr);
      return 0;
    }
    if (v == nullptr) return Usage("missing value after an option");
    ++i;
    if (a == "--type") {
      type = v;
    } else if (a == "--out") {
      out_path = v;
    } else if (a == "--megabytes") {
      if (!ParseU64(v, &megabytes)) return Usage("--megabytes needs a number");
      have_size = true;
    } else if (a == "--seed") {
      if (!ParseU64(v, &seed)) return Usage("--seed needs a number");
    } else if (a == "--sets-per-group") {
      if (!ParseU64(v, &sets_per_group) || sets_per_group == 0 || sets_per_group > 999999) {
        return Usage("--sets-per-group needs a number from 1 to 999999");
      }
    } else {
      return Usage("unknown option");
    }
  }
  if (type != "945" && type != "856") return Usage("--type must be 945 or 856");
  if (!have_size || out_path.empty()) return Usage("--megabytes and --out are required");
  std::FILE* f = out_path == "-" ? stdout : std::fopen(out_path.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "generate_x12: cannot open %s: %s\n", out_path.c_str(), std::strerror(errno));
    return 2;
  }
  {
    Out out(f);
    Generator gen(out, seed, type == "856", megabytes << 20, static_cast<uint32_t>(sets_per_group));
    gen.Run();
  }
  if ((f != stdout && std::fclose(f) != 0) || (f == stdout && std::fflush(f) != 0)) {
    std::fprintf(stderr, "generate_x12: cannot write %s: %s\n", out_path.c_str(), std::strerror(errno));
    return 2;
  }
  return 0;
}
