// A fault-injection seam for the crash tests: with EDIGATE_CRASH_AT=<point> in its environment
// the daemon kills itself with SIGKILL (no cleanup, no flush: a real crash) the first time it
// reaches that point. Points: download (mid-transfer, after the first chunk), after_spool_commit
// (a file is durable in the spool, the partner's copy not yet archived), after_post (the OMS
// answered, the spool does not know yet), after_upload (a file is on the partner's server, not
// yet recorded as uploaded), mid_file (the first batch of a file's sets is in the spool while
// the rest of the file is still being validated and mapped, on mapping threads for a big one). Unset (production): one relaxed load per call.
#pragma once

#include <string_view>

namespace gateway::daemon {

void CrashPoint(std::string_view point);

}  // namespace gateway::daemon
