// edigate mapping test DIR...
#include <ostream>

#include "gateway/commands/args.h"
#include "gateway/commands/command.h"
#include "gateway/mapping/golden.h"

namespace gateway {

namespace {
constexpr const char* kMappingUsage =
    "usage: edigate mapping test DIR...\n"
    "  runs the golden pairs in DIR (see docs/mapping-guide.md, \"Golden tests\"): input files with\n"
    "  their expected events, orders with their expected 940. Changes no state and consumes no\n"
    "  control numbers. exit 0 all pass, 1 any fails, 2 usage or setup error\n";
}  // namespace

int RunMappingCommand(const CommandArgs& argv, CommandIo io) {
  Args args(argv, {}, {"--help"});
  if (!args.ok() || args.Has("--help") || args.positional().size() < 2 || args.positional()[0] != "test") {
    if (!args.ok()) io.err << "edigate mapping: " << args.error() << '\n';
    (args.Has("--help") ? io.out : io.err) << kMappingUsage;
    return args.Has("--help") ? kExitOk : kExitUsage;
  }
  int rc = kExitOk;
  for (size_t i = 1; i < args.positional().size(); ++i) {
    auto sum = mapping::RunGoldenTests(args.positional()[i], io.out);
    if (!sum.ok()) {
      io.err << "edigate mapping test: " << sum.status().message() << '\n';
      rc = kExitUsage;
    } else if (sum->failed > 0 && rc == kExitOk) {
      rc = kExitRejected;
    }
  }
  return rc;
}

}  // namespace gateway
