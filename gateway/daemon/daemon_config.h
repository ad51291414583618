// The daemon's sections of the gateway config (config.example.yaml): where the spool lives, how
// to reach the OMS, the HTTP API, logging and worker counts. Paths are relative to the config
// file. Secrets are never in the file, only where to find them (`token_env` / `token_file`).
// Every key is checked; an error names the file, the line and the key.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "gateway/partners/config.h"
#include "gateway/status.h"
#include "gateway/transport/sftp_settings.h"
#include "spool/retry_policy.h"

namespace gateway::daemon {

struct OmsTarget {
  std::string base_url;                       // empty: deliveries wait (readyz says why)
  std::map<std::string, std::string> paths;   // canonical type -> path under base_url
  transport::SecretRef token;
  std::string ca_file;
  bool verify_tls = true;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{30000};
  int max_connections = 4;
  std::map<int, std::string> status_classes;  // status -> delivered|permanent|auth|transient
  spool::RetryPolicy retry;
};

struct HttpSettings {
  bool enabled = true;
  std::string address = "127.0.0.1";
  int port = 8080;
  transport::SecretRef token;
  std::size_t max_body_bytes = 1 << 20;
};

struct LogSettings {
  std::string level = "info";   // trace debug info warn error
  std::string format = "text";  // text | json
  std::string file;             // empty: stderr
};

struct DaemonConfig {
  partners::GatewayConfig gateway;  // partners_dir, mappings_dir
  std::string base_dir;             // the config file's directory
  std::string spool_path;
  std::chrono::seconds lease{600};          // a claim's lease (files may take minutes to map)
  std::chrono::seconds deadline_check{30};  // how often the 997/945 deadlines are checked
  int transfer_workers = 4;                 // SFTP/local transfers in parallel, across partners
  int delivery_workers = 4;
  OmsTarget oms;
  HttpSettings http;
  LogSettings log;
};

Result<DaemonConfig> LoadDaemonConfig(const std::string& path);

}  // namespace gateway::daemon
