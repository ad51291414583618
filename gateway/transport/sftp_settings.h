// Everything SftpRemoteDir needs to reach one partner folder. Plain data, filled from the partner
// profile. Secrets are never stored here, only where to find them (an environment variable or a
// file), so the settings can be logged and compared freely.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace gateway::transport {

// Where a secret comes from: exactly one of `env` (a variable name) or `file` (a path whose
// content, minus one trailing newline, is the secret). Both empty = no secret configured.
struct SecretRef {
  std::string env;
  std::string file;
  bool configured() const { return !env.empty() || !file.empty(); }
};

struct SftpAuth {
  enum class Kind { kPrivateKey, kPassword };
  Kind kind = Kind::kPrivateKey;
  std::string private_key_file;  // kPrivateKey: OpenSSH or PEM private key
  std::string public_key_file;   // optional; derived from the private key when empty
  SecretRef passphrase;          // kPrivateKey: optional; required if the key is encrypted
  SecretRef password;            // kPassword: required
};

struct SftpSettings {
  std::string host;
  std::uint16_t port = 22;
  std::string user;
  SftpAuth auth;

  // Host key verification: at least one must be set, or Connect refuses to proceed. When both
  // are set both must match. There is no "trust on first use".
  std::string known_hosts_file;     // OpenSSH known_hosts ("[host]:port" entries for port != 22)
  std::string host_key_fingerprint; // pinned "SHA256:<base64>" as printed by ssh-keygen -l

  std::chrono::milliseconds connect_timeout{15000};  // TCP connect, SSH handshake, auth
  std::chrono::milliseconds io_timeout{30000};  // each SFTP request / transfer chunk: no progress
                                                // for this long drops the connection
  std::chrono::seconds keepalive_interval{30};  // 0 disables keep-alives

  std::string root_dir = ".";  // remote directory all RemoteDir paths are relative to
};

}  // namespace gateway::transport
