// The delivery stage: mapped inbound events go to the OMS (DESIGN.md, "OMS contract"). A worker
// claims due events under a lease, marks them delivering (so a crash mid-POST is seen and the
// event re-sent with the same Idempotency-Key, which the OMS deduplicates), posts each one and
// records the outcome: delivered; dead at once on a permanent answer; retried with backoff (or
// the OMS's Retry-After) on a transient one until the retry window closes. On 401/403 the whole
// target pauses (every event would fail the same way) and an alert says so.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include "gateway/daemon/pipeline.h"
#include "gateway/oms/oms_client.h"

namespace gateway::daemon {

class OmsDelivery {
 public:
  // `lease`: how long a claimed batch stays ours; it must outlast a batch of slow requests.
  OmsDelivery(Pipeline& pipeline, std::unique_ptr<oms::OmsClient> client, std::chrono::seconds lease)
      : p_(pipeline), client_(std::move(client)), lease_(lease) {}

  // Claims and delivers up to `batch` due events; returns how many it attempted.
  Result<std::size_t> RunOnce(std::size_t batch);
  bool configured() const { return client_ != nullptr; }
  // Seconds until the target resumes after an auth failure (0: not paused).
  std::chrono::seconds paused_for() const;

 private:
  Status DeliverOne(const spool::Lease& lease);

  Pipeline& p_;
  std::unique_ptr<oms::OmsClient> client_;
  std::chrono::seconds lease_;
  std::atomic<std::int64_t> paused_until_ms_{0};  // steady clock
};

oms::OmsSettings ToOmsSettings(const OmsTarget& target);

}  // namespace gateway::daemon
