// The gateway-wide configuration file (config.example.yaml): where partner profiles and
// mappings live (paths relative to the config file). Other sections (spool, OMS, HTTP) belong
// to the daemon and are not interpreted here.
#pragma once

#include <string>
#include <vector>

#include "gateway/partners/profile.h"
#include "gateway/status.h"

namespace gateway::partners {

struct GatewayConfig {
  std::string file;
  std::string partners_dir;  // absolute or relative to the working directory
  std::string mappings_dir;
};

Result<GatewayConfig> LoadGatewayConfig(const std::string& path);

// The profile with this id: <partners_dir>/<id>.yaml, else any profile in the directory whose
// `id` matches. `id` may also be a path to a profile file (ending in .yaml or .yml).
Result<PartnerProfile> FindPartner(const GatewayConfig& config, const std::string& id);

// The config used when none is given: ./config.yaml, else ./config.example.yaml; empty
// when neither exists.
std::string DefaultConfigPath();

}  // namespace gateway::partners
