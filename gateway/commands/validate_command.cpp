// edigate validate [--json] [--verbose] FILE...
#include <ostream>

#include "edi/byte_source.h"
#include "edi/validator.h"
#include "gateway/commands/args.h"
#include "gateway/commands/command.h"
#include "gateway/report/validation_report.h"

namespace gateway {

namespace {
constexpr const char* kValidateUsage =
    "usage: edigate validate [--json] [--verbose] [--max-set-bytes N] FILE...\n"
    "  exit 0 when every set of every file is accepted, 1 when anything is rejected or a file\n"
    "  is not X12, 2 on usage or I/O errors\n";
}  // namespace

int RunValidateCommand(const CommandArgs& argv, CommandIo io) {
  Args args(argv, {"--max-set-bytes"}, {"--json", "--verbose", "--help"});
  if (!args.ok() || args.Has("--help") || args.positional().empty()) {
    if (!args.ok()) io.err << "edigate validate: " << args.error() << '\n';
    (args.Has("--help") ? io.out : io.err) << kValidateUsage;
    return args.Has("--help") ? kExitOk : kExitUsage;
  }
  edi::ValidationOptions options;
  if (auto cap = args.Value("--max-set-bytes")) {
    try {
      options.max_set_bytes = std::stoull(*cap);
    } catch (const std::exception&) {
      io.err << "edigate validate: --max-set-bytes needs a number\n";
      return kExitUsage;
    }
  }
  const bool json = args.Has("--json");
  int rc = kExitOk;
  for (const std::string& path : args.positional()) {
    auto source = edi::FileSource::Open(path);
    edi::FileSummary summary;
    if (json) {
      JsonValidationReport report(io.out, path);
      if (source.ok()) summary = edi::Validate(**source, report, options);
      report.Finish(summary, source.ok() ? "" : source.error().message);
    } else {
      TextValidationReport report(io.out, path, args.Has("--verbose"));
      if (source.ok()) summary = edi::Validate(**source, report, options);
      report.Finish(summary, source.ok() ? "" : source.error().message);
    }
    if (!source.ok()) {
      io.err << "edigate validate: " << source.error().message << '\n';
      rc = kExitUsage;
    } else if (!summary.ok && rc == kExitOk) {
      rc = kExitRejected;
    }
  }
  return rc;
}

}  // namespace gateway
