#include "gateway/commands/config_arg.h"

#include <ostream>

#include "gateway/partners/config.h"

namespace gateway {

std::optional<daemon::DaemonConfig> LoadConfigArg(const Args& args, std::string_view command, CommandIo io,
                                                  std::string* path) {
  *path = args.ValueOr("--config", partners::DefaultConfigPath());
  if (path->empty()) {
    io.err << command << ": no --config given and no config.yaml or config.example.yaml here\n";
    return std::nullopt;
  }
  auto config = daemon::LoadDaemonConfig(*path);
  if (!config.ok()) {
    io.err << command << ": " << config.status().message() << '\n';
    return std::nullopt;
  }
  return std::move(*config);
}

}  // namespace gateway
