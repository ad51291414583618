// `edigate partners check [--config F] [--json] [PARTNER...]` (DESIGN.md, "Command line").
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>

#include "gateway/commands/args.h"
#include "gateway/commands/command.h"
#include "gateway/commands/config_arg.h"
#include "gateway/daemon/partner_book.h"
#include "gateway/daemon/partner_check.h"

namespace gateway {

namespace {

constexpr const char* kPartnersUsage =
    "usage: edigate partners check [--config F] [--json] [PARTNER...]\n"
    "  loads the config, every partner profile and mapping, then for each partner (or those named)\n"
    "  connects its transport as the daemon would (SFTP: host key verified, authenticated), lists\n"
    "  its inbound folder and looks at its outbound, archive and error folders. Read-only: nothing\n"
    "  is written, moved or removed on the partner's side.\n"
    "  --config F   the gateway config (default ./config.yaml, else ./config.example.yaml)\n"
    "  --json       one JSON object per partner, one per line\n"
    "exit codes: 0 every check passed, 1 a partner failed a check, 2 usage or a config that does not load\n";

void PrintHuman(const daemon::PartnerCheck& c, std::ostream& out) {
  out << c.partner << ": " << (c.ok ? "ok" : "FAILED") << " (" << c.transport << ")\n";
  for (const daemon::CheckStep& s : c.steps) {
    out << "  " << (s.ok ? "ok    " : "FAILED") << " " << s.name << ": " << s.detail << '\n';
  }
}

void PrintJson(const daemon::PartnerCheck& c, std::ostream& out) {
  nlohmann::json steps = nlohmann::json::array();
  for (const daemon::CheckStep& s : c.steps) steps.push_back({{"check", s.name}, {"ok", s.ok}, {"detail", s.detail}});
  out << nlohmann::json{{"partner", c.partner}, {"ok", c.ok}, {"transport", c.transport}, {"checks", steps}}.dump() << '\n';
}

}  // namespace

int RunPartnersCommand(const CommandArgs& argv, CommandIo io) {
  Args args(argv, {"--config"}, {"--json", "--help"});
  const auto& pos = args.positional();
  if (!args.ok() || args.Has("--help") || pos.empty() || pos[0] != "check") {
    if (!args.ok()) io.err << "edigate partners: " << args.error() << '\n';
    if (args.ok() && !pos.empty() && pos[0] != "check") io.err << "edigate partners: unknown command '" << pos[0] << "'\n";
    (args.Has("--help") ? io.out : io.err) << kPartnersUsage;
    return args.Has("--help") ? kExitOk : kExitUsage;
  }
  std::string path;
  const auto config = LoadConfigArg(args, "edigate partners check", io, &path);
  if (!config) return kExitUsage;
  auto book = daemon::PartnerBook::Load(*config);
  if (!book.ok()) {
    io.err << "edigate partners check: " << book.status().message() << '\n';
    return kExitUsage;
  }
  const std::set<std::string> wanted(pos.begin() + 1, pos.end());
  for (const std::string& id : wanted) {
    if ((*book)->Find(id) == nullptr) {
      io.err << "edigate partners check: no partner '" << id << "' in " << path << '\n';
      return kExitUsage;
    }
  }
  bool all_ok = true;
  for (const auto& p : (*book)->all()) {
    if (!wanted.empty() && wanted.count(p->id()) == 0) continue;
    const daemon::PartnerCheck c = daemon::CheckPartner(*p);
    all_ok = all_ok && c.ok;
    if (args.Has("--json")) {
      PrintJson(c, io.out);
    } else {
      PrintHuman(c, io.out);
    }
    io.out.flush();  // one partner at a time: a slow server shows which one is slow
  }
  return all_ok ? kExitOk : kExitRejected;
}

}  // namespace gateway
