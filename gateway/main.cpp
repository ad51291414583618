// edigate: one binary, git-style subcommands (DESIGN.md, "Command line").
#include <iostream>
#include <string>
#include <string_view>

#include "gateway/commands/command.h"

namespace {

constexpr std::string_view kUsage =
    "usage: edigate <command> [options]\n"
    "\n"
    "commands:\n"
    "  run [--config F] [--check]         the gateway daemon (SFTP/local polling, OMS delivery, HTTP API)\n"
    "  validate [--json] FILE...          check X12 files and report per interchange, group and set\n"
    "  ack [--out DIR] [--sender Q:ID] FILE  print the 997s and TA1s edigate would send for FILE\n"
    "  spool ...                          inspect and operate the spool (edigate spool --help)\n"
    "  map --partner P [--explain] FILE   canonical events (JSON Lines) for each accepted set\n"
    "  render --partner P ORDER.json      the 940 interchange for a fulfillment order\n"
    "  mapping test DIR                   run the golden tests of mappings\n"
    "  partners check [PARTNER...]        load every profile, connect to each partner read-only\n"
    "\n"
    "exit codes: 0 ok, 1 input invalid or rejected, 2 usage or environment error\n";

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) {
    std::cerr << kUsage;
    return gateway::kExitUsage;
  }
  const std::string_view command = argv[1];
  gateway::CommandArgs args(argv + 2, argv + argc);
  gateway::CommandIo io{std::cout, std::cerr};
  int rc;
  if (command == "run") {
    rc = gateway::RunDaemonCommand(args, io);
  } else if (command == "validate") {
    rc = gateway::RunValidateCommand(args, io);
  } else if (command == "ack") {
    rc = gateway::RunAckCommand(args, io);
  } else if (command == "spool") {
    rc = gateway::RunSpoolCommand(args, io);
  } else if (command == "map") {
    rc = gateway::RunMapCommand(args, io);
  } else if (command == "render") {
    rc = gateway::RunRenderCommand(args, io);
  } else if (command == "mapping") {
    rc = gateway::RunMappingCommand(args, io);
  } else if (command == "partners") {
    rc = gateway::RunPartnersCommand(args, io);
  } else if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    rc = gateway::kExitOk;
  } else {
    std::cerr << "edigate: unknown command '" << command << "'\n" << kUsage;
    rc = gateway::kExitUsage;
  }
  std::cout.flush();
  return rc;
}
