// `edigate partners check`: will each partner work, before the daemon finds out at 3 a.m.?
// The profile and its mappings load (PartnerBook refuses a config where one does not), and the
// transport is exercised the way the daemon will use it: connect (SFTP: TCP, host key verified
// against known_hosts or the pinned fingerprint, authentication), list the inbound folder and
// count what the glob would pick up, and look at the outbound, acknowledgment, archive and
// error folders (missing is fine: the daemon makes them at first use; a file there is not).
// It only reads: nothing is written, moved or removed on the partner's side, so it is safe to
// run against production servers. Secrets never appear in its output.
#pragma once

#include <string>
#include <vector>

#include "gateway/daemon/partner_book.h"

namespace gateway::daemon {

struct CheckStep {
  std::string name;    // "profile", "connect", "inbound_dir", "outbound_dir", ...
  bool ok = true;
  std::string detail;  // what was found, or why it failed
};

struct PartnerCheck {
  std::string partner;
  std::string transport;  // RemoteDir::Describe() (no secrets), or "none"
  bool ok = true;
  std::vector<CheckStep> steps;
};

PartnerCheck CheckPartner(const Partner& partner);

}  // namespace gateway::daemon
