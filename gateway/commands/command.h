// A subcommand of the edigate binary: arguments in, exit code out. Commands write to the
// streams they are given (never straight to std::cout) so tests can run them in-process.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace gateway {

// Exit codes shared by every command (DESIGN.md, "Command line").
inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1;  // the input is invalid or was rejected
inline constexpr int kExitUsage = 2;     // usage or environment error

struct CommandIo {
  std::ostream& out;
  std::ostream& err;
};

using CommandArgs = std::vector<std::string>;

int RunValidateCommand(const CommandArgs& args, CommandIo io);
int RunAckCommand(const CommandArgs& args, CommandIo io);
int RunSpoolCommand(const CommandArgs& args, CommandIo io);
// Mapping (issue 4): file -> canonical events, order -> 940, golden tests of mappings.
int RunMapCommand(const CommandArgs& args, CommandIo io);
int RunRenderCommand(const CommandArgs& args, CommandIo io);
int RunMappingCommand(const CommandArgs& args, CommandIo io);
// The daemon (issue 5).
int RunDaemonCommand(const CommandArgs& args, CommandIo io);
// Connectivity and config of each partner, read-only (`edigate partners check`).
int RunPartnersCommand(const CommandArgs& args, CommandIo io);

}  // namespace gateway
