// `edigate run`: the gateway daemon (DESIGN.md, "Data flow"). One Boost.Asio event loop runs
// the HTTP API, the per-partner poll timers, the deadline checks and the signals; blocking work
// runs on threads: a bounded transfer pool for partner folders (one cycle per partner at a
// time, so a slow or hung partner only ever holds its own slot), one thread parsing spooled
// files, one rendering outbound messages, and a few delivering to the OMS. The spool is the
// only state that matters: a restart after a crash (even kill -9) resumes from it; leases of a
// dead predecessor on this host are broken at start so its work resumes at once.
// SIGTERM/SIGINT drain (work in hand finishes, claimed-but-unstarted work is handed back) and
// exit; SIGHUP reloads partner profiles and mappings (a bad file keeps the old ones).
#pragma once

#include <memory>
#include <string>

#include "gateway/daemon/daemon_config.h"
#include "gateway/status.h"

namespace gateway::daemon {

class Daemon {
 public:
  explicit Daemon(DaemonConfig config);
  ~Daemon();
  // Runs until a stop signal; returns the process exit code.
  int Run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gateway::daemon
