// Which files in a partner's inbound folder are ready to download. Reading a file the partner is
// still writing loses data (DESIGN.md, "The seams that lose money"), so a file is picked only
// when it is provably finished:
//  - its name matches the glob (fnmatch), it is a regular file, and (by default) not hidden;
//  - either the done-file convention says so (X.edi is ready once X.edi<suffix> or X<suffix>
//    exists; done files themselves are never picked), or its size and mtime were unchanged
//    across listings at least `stable_for` apart;
//  - and in both cases its mtime is at least `min_age` old.
// Ready files are returned oldest first (mtime, then name), at most `max_files_per_poll`.
//
// Pure logic: the caller passes each listing and the time it was taken, so tests drive it with
// a fake clock. Not thread-safe; one selector per polled folder.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gateway/transport/remote_dir.h"

namespace gateway::transport {

struct InboundRules {
  std::string glob = "*";
  bool skip_hidden = true;  // names starting with '.' (temp files of most uploaders, ours too)
  std::chrono::seconds stable_for{30};
  std::chrono::seconds min_age{0};
  std::string done_suffix;  // empty: no done-file convention; e.g. ".done" or ".ok"
  std::size_t max_files_per_poll = 100;
};

struct ReadyFile {
  RemoteEntry entry;
  std::optional<std::string> done_file;  // name of the done file, to archive/remove with it
};

class InboundSelector {
 public:
  using Clock = std::chrono::system_clock;

  explicit InboundSelector(InboundRules rules) : rules_(std::move(rules)) {}

  // Records `listing` (the entries of the folder, taken at `now`) and returns the files that
  // are ready, oldest first, capped. Files missing from the listing are forgotten.
  std::vector<ReadyFile> Select(const std::vector<RemoteEntry>& listing, Clock::time_point now);

  // Forgets `name` (after it was downloaded and moved away), so a file re-created under the
  // same name starts its stability check from scratch.
  void Forget(const std::string& name) { seen_.erase(name); }

  std::size_t tracked() const { return seen_.size(); }

  // True when `e` is a file the rules would pick up once stable: regular, matching the glob,
  // not hidden, not a done file.
  bool Candidate(const RemoteEntry& e) const;

 private:
  struct Seen {
    std::uint64_t size = 0;
    std::int64_t mtime = 0;
    Clock::time_point unchanged_since;  // first listing that showed this size and mtime
  };

  bool IsDoneFile(const std::string& name) const;
  std::optional<std::string> DoneFileFor(const std::string& name,
                                         const std::map<std::string, const RemoteEntry*>& by_name) const;

  InboundRules rules_;
  std::map<std::string, Seen> seen_;
};

}  // namespace gateway::transport
