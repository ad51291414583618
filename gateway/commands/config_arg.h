// The gateway config a command names with --config (else ./config.yaml, else
// ./config.example.yaml), loaded for `edigate run` and `edigate partners check`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gateway/commands/args.h"
#include "gateway/commands/command.h"
#include "gateway/daemon/daemon_config.h"

namespace gateway {

// The loaded config, its path in `*path`; or nullopt after printing "<command>: <why>" (the
// caller exits kExitUsage).
std::optional<daemon::DaemonConfig> LoadConfigArg(const Args& args, std::string_view command, CommandIo io,
                                                  std::string* path);

}  // namespace gateway
