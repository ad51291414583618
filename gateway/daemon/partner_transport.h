// How the daemon reaches one partner's folders, read from the profile's `transport` section
// (docs/operations.md, "Partner transport"):
//
//   transport:
//     kind: sftp                  # or local (a directory on this machine or a mounted share)
//     host: sftp.acme.test        # sftp: host, port, user, auth, known_hosts_file and/or
//     port: 22                    #       host_key_fingerprint, timeouts
//     user: edigate
//     auth: {private_key_file: keys/acme, passphrase_env: ACME_KEY_PASS}   # or password_env / password_file
//     known_hosts_file: keys/known_hosts
//     root: /home/edigate         # local: the directory (relative to the config file)
//     inbound_dir: to-oms         # where the partner drops files for us
//     outbound_dir: from-oms      # where we put 940s (and 997s unless ack_dir says otherwise)
//     archive_dir: to-oms/archive # after_download: archive (default) | delete | leave
//     error_dir: to-oms/rejected  # optional: a copy of each file we could not read at all
//     poll_interval: 60s
//     glob: "*.edi"  stable_for: 30s  min_age: 0s  done_suffix: ".done"  max_files_per_poll: 100
//     upload_name: "{partner}_{type}_{control}.edi"
//
// Paths in the remote folder are relative to its root. Errors name the profile, line and key.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "gateway/partners/profile.h"
#include "gateway/status.h"
#include "gateway/transport/inbound_selector.h"
#include "gateway/transport/remote_dir.h"
#include "gateway/transport/sftp_settings.h"

namespace gateway::daemon {

enum class AfterDownload { kArchive, kDelete, kLeave };

struct PartnerTransport {
  std::string kind;  // "sftp" or "local"
  transport::SftpSettings sftp;
  std::string local_root;
  std::string inbound_dir = "inbound";
  std::string outbound_dir = "outbound";
  std::string ack_dir;  // empty: outbound_dir
  AfterDownload after_download = AfterDownload::kArchive;
  std::string archive_dir;  // empty: <inbound_dir>/archive
  std::string error_dir;    // empty: none; else files quarantined whole are copied here
  std::chrono::seconds poll_interval{60};
  transport::InboundRules rules;
  std::string upload_name = "{partner}_{type}_{control}.edi";

  std::unique_ptr<transport::RemoteDir> Open() const;
};

// `base_dir`: relative local paths and key files are resolved against it (the config's dir).
Result<PartnerTransport> ReadPartnerTransport(const partners::PartnerProfile& profile, const std::string& base_dir);

// Fills an upload name template: {partner} {type} {control} (ISA13) {id} (message id) {time}
// (UTC, YYYYMMDDHHMMSS).
std::string UploadName(const std::string& pattern, const std::string& partner, const std::string& type,
                       const std::string& control, long long id, std::chrono::system_clock::time_point now);

}  // namespace gateway::daemon
