// Mapping one input file with a partner's inbound mappings: X12 (validated by edi/ and
// mapped per accepted set) or XML (when the file starts with '<'). Shared by `edigate map`,
// `edigate mapping test` and, later, the daemon's mapping stage.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "gateway/mapping/inbound.h"
#include "gateway/mapping/outbound.h"
#include "gateway/partners/config.h"
#include "gateway/partners/profile.h"
#include "gateway/status.h"

namespace gateway::mapping {

// A partner with its inbound mappings loaded.
struct PartnerSetup {
  partners::GatewayConfig config;
  partners::PartnerProfile profile;
  std::map<std::string, std::shared_ptr<const Mapping>> inbound;
  std::map<std::string, std::shared_ptr<const Mapping>> outbound;  // by transaction set
};

// Loads the config (`config_path`, or DefaultConfigPath() when empty; none at all is fine
// when `partner` is a profile path), the profile and its inbound mappings.
Result<PartnerSetup> LoadPartnerSetup(const std::string& config_path, const std::string& partner);
// Loads the mappings of an already loaded profile.
Result<PartnerSetup> SetupFor(partners::GatewayConfig config, partners::PartnerProfile profile);

// Renders an order (`json_text`: a fulfillment_order data object or CloudEvent) with the
// partner's outbound 940 mapping. Setup problems (no mapping) come back in errors with
// order_invalid false.
RenderOutput RenderOrderText(const PartnerSetup& setup, std::string_view json_text, const RenderControl& control);

// Maps `path` into `sink`. The status is an I/O error only; rejected input goes to the sink.
Status MapFile(const std::string& path, const PartnerSetup& setup, bool explain, InboundSink& sink);

}  // namespace gateway::mapping
