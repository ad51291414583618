#include "gateway/transport/inbound_selector.h"

#include <fnmatch.h>

#include <algorithm>
#include <tuple>

namespace gateway::transport {

bool InboundSelector::IsDoneFile(const std::string& name) const {
  const std::string& suffix = rules_.done_suffix;
  return !suffix.empty() && name.size() > suffix.size() &&
         name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool InboundSelector::Candidate(const RemoteEntry& e) const {
  if (!e.is_regular || e.name.empty()) return false;
  if (rules_.skip_hidden && e.name.front() == '.') return false;
  if (IsDoneFile(e.name)) return false;
  return ::fnmatch(rules_.glob.c_str(), e.name.c_str(), FNM_PERIOD) == 0;
}

std::optional<std::string> InboundSelector::DoneFileFor(
    const std::string& name, const std::map<std::string, const RemoteEntry*>& by_name) const {
  // X.edi -> X.edi.done, then X.done.
  std::vector<std::string> names{name + rules_.done_suffix};
  if (const std::size_t dot = name.rfind('.'); dot != std::string::npos && dot > 0) {
    names.push_back(name.substr(0, dot) + rules_.done_suffix);
  }
  for (const std::string& n : names) {
    if (auto it = by_name.find(n); it != by_name.end() && it->second->is_regular) return n;
  }
  return std::nullopt;
}

std::vector<ReadyFile> InboundSelector::Select(const std::vector<RemoteEntry>& listing,
                                               Clock::time_point now) {
  std::map<std::string, const RemoteEntry*> by_name;
  for (const RemoteEntry& e : listing) by_name.emplace(e.name, &e);

  // Forget what disappeared, so the map does not grow with every file ever seen.
  for (auto it = seen_.begin(); it != seen_.end();) {
    it = by_name.count(it->first) != 0 ? std::next(it) : seen_.erase(it);
  }

  const std::int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  std::vector<ReadyFile> ready;
  for (const RemoteEntry& e : listing) {
    if (!Candidate(e)) continue;
    auto [it, inserted] = seen_.try_emplace(e.name, Seen{e.size, e.mtime, now});
    Seen& seen = it->second;
    if (!inserted && (seen.size != e.size || seen.mtime != e.mtime)) {
      seen = Seen{e.size, e.mtime, now};  // still changing: the clock starts again
    }
    // A future mtime (clock skew, or a writer touching the file) is never old enough.
    if (now_s - e.mtime < rules_.min_age.count()) continue;
    ReadyFile file{e, std::nullopt};
    if (!rules_.done_suffix.empty()) {
      file.done_file = DoneFileFor(e.name, by_name);
      if (!file.done_file) continue;
    } else if (now - seen.unchanged_since < rules_.stable_for) {
      continue;
    }
    ready.push_back(std::move(file));
  }
  std::sort(ready.begin(), ready.end(), [](const ReadyFile& a, const ReadyFile& b) {
    return std::tie(a.entry.mtime, a.entry.name) < std::tie(b.entry.mtime, b.entry.name);
  });
  if (ready.size() > rules_.max_files_per_poll) ready.resize(rules_.max_files_per_poll);
  return ready;
}

}  // namespace gateway::transport
