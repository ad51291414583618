#include "gateway/daemon/pipeline.h"

#include "gateway/daemon/event_log.h"

namespace gateway::daemon {

void Pipeline::Alert(const std::string& partner, const std::string& alert, const std::string& message,
                     const std::string& detail) {
  Count("edigate_alerts_total", "Alerts raised (see docs/runbooks/<alert>.md)", {{"partner", partner}, {"alert", alert}});
  if (detail.empty()) {
    LogAlert(alert, message, {{"partner", partner}});
  } else {
    LogAlert(alert, message, {{"partner", partner}, {"detail", detail}});
  }
}

}  // namespace gateway::daemon
