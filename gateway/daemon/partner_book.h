// Every partner the daemon serves, loaded from partners_dir with its mappings and transport:
// an immutable snapshot. SIGHUP loads a new book; only when every profile and mapping loads
// does it replace the old one (a bad file keeps the old book running and says why).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/daemon/daemon_config.h"
#include "gateway/daemon/partner_transport.h"
#include "gateway/mapping/map_file.h"
#include "spool/policy.h"

namespace gateway::daemon {

struct Partner {
  mapping::PartnerSetup setup;
  std::optional<PartnerTransport> transport;  // none: the partner is not polled (API-only, tests)
  const std::string& id() const { return setup.profile.id; }
  const partners::PartnerProfile& profile() const { return setup.profile; }
};

class PartnerBook {
 public:
  static Result<std::shared_ptr<const PartnerBook>> Load(const DaemonConfig& config);

  const Partner* Find(std::string_view id) const;
  // The partner listing `warehouse` in its profile's warehouses, else the one whose id it is.
  const Partner* ForWarehouse(std::string_view warehouse) const;
  const std::vector<std::shared_ptr<const Partner>>& all() const { return partners_; }
  // Duplicate policies from the profiles; retries from the OMS target (inbound deliveries).
  spool::PolicyBook Policies(const OmsTarget& oms) const;

 private:
  std::vector<std::shared_ptr<const Partner>> partners_;
};

}  // namespace gateway::daemon
