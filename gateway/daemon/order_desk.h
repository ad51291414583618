// The API's business side (api::ApiBackend): orders from the OMS become outbound messages.
// An order is checked before it is taken: it must parse, name a warehouse that a partner
// serves, and render into a valid 940 (with throwaway control numbers), so that a bad order is
// refused at the door with the JSON path of each problem instead of dying later in the spool.
// Idempotency follows the IETF httpapi draft: the key and the body's sha256 are stored with the
// message in the same transaction; the same key and body answer the same message again, the
// same key with another body is 422, and a key whose first request is still being handled is
// 409.
#pragma once

#include <functional>
#include <mutex>
#include <set>
#include <string>

#include "gateway/api/api_server.h"
#include "gateway/daemon/pipeline.h"

namespace gateway::daemon {

class OrderDesk final : public api::ApiBackend {
 public:
  OrderDesk(Pipeline& pipeline, std::function<bool(std::string*)> ready) : p_(pipeline), ready_(std::move(ready)) {}

  api::ApiAnswer SubmitOrder(const api::OrderSubmission& order) override;
  api::ApiAnswer GetMessage(std::int64_t id) override;
  bool Ready(std::string* why) override { return ready_(why); }
  std::string Metrics() override { return p_.metrics ? p_.metrics->Render() : std::string(); }

 private:
  api::ApiAnswer Submit(const api::OrderSubmission& order);

  Pipeline& p_;
  std::function<bool(std::string*)> ready_;
  std::mutex mu_;
  std::set<std::string> in_flight_;
};

}  // namespace gateway::daemon
