// One partner's folder as the daemon works it: one connection (a RemoteDir is not
// thread-safe, and one cycle per partner runs at a time), reconnected with backoff and jitter,
// and one cycle per poll interval: upload what is rendered for the partner, then take in
// what is ready. Inbound files stream into the spool and are archived, deleted or left only
// after the spool has them durably (DESIGN.md, "The seams that lose money").
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <tuple>

#include "gateway/daemon/pipeline.h"
#include "gateway/transport/inbound_selector.h"

namespace gateway::daemon {

struct CycleReport {
  bool connected = false;
  std::size_t uploaded = 0, downloaded = 0, duplicates = 0;
  bool more = false;  // the poll hit max_files_per_poll: more files are probably waiting
  Status status;  // the first transport error, if any
};

class PartnerLink {
 public:
  PartnerLink(Pipeline& pipeline, std::string partner_id);
  ~PartnerLink();

  // One cycle. Never runs concurrently with itself (the caller guarantees it).
  CycleReport RunCycle();
  const std::string& partner() const { return partner_; }
  // Unix seconds of the last cycle whose listing succeeded (0: none yet).
  std::int64_t last_successful_poll() const { return last_poll_.load(); }

 private:
  Status EnsureConnected(const Partner& partner);
  Status UploadDue(const Partner& partner, CycleReport& report);
  Status UploadOne(const Partner& partner, const spool::Lease& lease, CycleReport& report);
  Status Poll(const Partner& partner, CycleReport& report);
  Status ReturnRejected(const Partner& partner);
  Status TakeFile(const Partner& partner, const transport::ReadyFile& file, CycleReport& report);
  Status AfterTaken(const PartnerTransport& t, const std::string& name, const std::optional<std::string>& done_file);
  void Drop(const Status& why);
  // Removes the temporary files that interrupted uploads of ours (a kill -9, a dropped
  // connection) left in the partner's upload folders; best effort, at each connect.
  void SweepTempFiles(const PartnerTransport& t);

  Pipeline& p_;
  std::string partner_;
  std::unique_ptr<transport::RemoteDir> dir_;
  const PartnerTransport* dir_for_ = nullptr;  // the transport dir_ was opened with
  std::shared_ptr<const PartnerBook> dir_book_;  // keeps dir_for_ alive
  std::unique_ptr<transport::InboundSelector> selector_;
  std::chrono::steady_clock::time_point next_connect_{};
  std::chrono::seconds backoff_{0};
  std::mt19937_64 rng_{std::random_device{}()};
  std::set<std::tuple<std::string, std::uint64_t, std::int64_t>> left_;  // after_download: leave
  std::atomic<std::int64_t> last_poll_{0};
};

}  // namespace gateway::daemon
