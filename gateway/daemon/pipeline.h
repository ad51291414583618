// What the daemon's stages share: the spool (the only state that matters: every stage reads one
// spool state and writes the next in one transaction, so a crash anywhere resumes where it
// stopped), the current partner book, metrics, and the signals that wake a stage as soon as
// another one produced work for it (a stage also wakes on its own every second, for retries
// that became due).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <vector>
#include <memory>
#include <mutex>
#include <string>

#include "gateway/daemon/partner_book.h"
#include "gateway/metrics/registry.h"
#include "spool/spool.h"

namespace gateway::daemon {

class WorkSignal {
 public:
  void Notify() {
    {
      std::lock_guard lock(mu_);
      ++generation_;
    }
    cv_.notify_all();
  }
  // Waits until notified after `seen` or for `timeout`; returns the generation to pass next.
  std::uint64_t Wait(std::uint64_t seen, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return generation_ != seen; });
    return generation_;
  }
  std::uint64_t generation() {
    std::lock_guard lock(mu_);
    return generation_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::uint64_t generation_ = 0;
};

struct Pipeline {
  spool::Spool* spool = nullptr;
  metrics::Registry* metrics = nullptr;
  std::string worker;  // lease owner: "<host>:<pid>"
  std::chrono::seconds lease{600};
  std::function<std::shared_ptr<const PartnerBook>()> book;
  WorkSignal files;       // a file was spooled
  WorkSignal renders;     // an order or a 997 was accepted
  WorkSignal deliveries;  // events are due for the OMS
  std::function<void(const std::string& partner)> kick_partner;  // something is due for upload

  // Files quarantined whole (not X12, not mappable), to be put in the partner's error folder
  // (transport.error_dir) by its next cycle. In memory only: a convenience for the partner; the
  // spool keeps the file and its reason either way.
  void ReturnToPartner(const std::string& partner, spool::ItemId file) {
    std::lock_guard lock(returns_mu_);
    returns_[partner].push_back(file);
  }
  std::vector<spool::ItemId> TakeReturns(const std::string& partner) {
    std::lock_guard lock(returns_mu_);
    auto it = returns_.find(partner);
    if (it == returns_.end()) return {};
    std::vector<spool::ItemId> out = std::move(it->second);
    returns_.erase(it);
    return out;
  }
  std::atomic<bool> stopping{false};

 private:
  std::mutex returns_mu_;
  std::map<std::string, std::vector<spool::ItemId>> returns_;

 public:

  void Count(const std::string& name, const std::string& help, const metrics::Labels& labels, std::uint64_t n = 1) {
    if (metrics == nullptr) return;
    auto c = metrics->Counter(name, help, labels);
    if (c.ok()) c->Inc(n);
  }
  // An alert: logged with alert=<name> and counted in edigate_alerts_total{partner, alert}.
  void Alert(const std::string& partner, const std::string& alert, const std::string& message,
             const std::string& detail = "");
};

}  // namespace gateway::daemon
