// edigate run [--config F] [--check]
#include <ostream>

#include "gateway/commands/args.h"
#include "gateway/commands/command.h"
#include "gateway/commands/config_arg.h"
#include "gateway/daemon/daemon.h"
#include "gateway/daemon/partner_book.h"

namespace gateway {

namespace {

constexpr const char* kRunUsage =
    "usage: edigate run [--config F] [--check]\n"
    "  runs the gateway daemon: polls every partner with a transport, spools and maps their files,\n"
    "  sends 997s back, delivers events to the OMS, and takes orders on the HTTP API.\n"
    "  --config F   the gateway config (default ./config.yaml, else ./config.example.yaml)\n"
    "  --check      load the config, every partner profile and mapping, then exit (0 ok, 2 error)\n"
    "  signals: SIGTERM/SIGINT drain and stop; SIGHUP reloads partner profiles and mappings\n";

}  // namespace

int RunDaemonCommand(const CommandArgs& argv, CommandIo io) {
  Args args(argv, {"--config"}, {"--check", "--help"});
  if (!args.ok() || args.Has("--help") || !args.positional().empty()) {
    if (!args.ok()) io.err << "edigate run: " << args.error() << '\n';
    (args.Has("--help") ? io.out : io.err) << kRunUsage;
    return args.Has("--help") ? kExitOk : kExitUsage;
  }
  std::string path;
  auto config = LoadConfigArg(args, "edigate run", io, &path);
  if (!config) return kExitUsage;
  if (args.Has("--check")) {
    auto book = daemon::PartnerBook::Load(*config);
    if (!book.ok()) {
      io.err << "edigate run: " << book.status().message() << '\n';
      return kExitUsage;
    }
    io.out << path << ": ok, " << (*book)->all().size() << " partner(s)";
    for (const auto& p : (*book)->all()) io.out << (p == (*book)->all().front() ? ": " : ", ") << p->id();
    io.out << '\n';
    return kExitOk;
  }
  io.out.flush();
  daemon::Daemon d(std::move(*config));
  return d.Run();
}

}  // namespace gateway
