// The render stage: an accepted outbound message gets its control numbers and bytes, in the
// spool transaction that allocates the numbers (spool::Spool::Render), so a number is never
// used twice and never skipped silently. A 940 is rendered from the order with the partner's
// outbound mapping; a 997/TA1 built during parsing is re-enveloped with its real numbers.
#pragma once

#include "gateway/daemon/pipeline.h"

namespace gateway::daemon {

class OutboundRenderer {
 public:
  explicit OutboundRenderer(Pipeline& pipeline) : p_(pipeline) {}
  // Renders the leased message `id`. A message that cannot be rendered goes dead with the reason.
  Status Render(spool::ItemId id, std::int64_t lease_token);

 private:
  Pipeline& p_;
};

}  // namespace gateway::daemon
