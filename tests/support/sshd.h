// A real OpenSSH sshd on 127.0.0.1 for transport tests: a fresh port, fresh ed25519 host and
// client keys and an sshd_config (internal-sftp, key auth only, the current user) in a temporary
// directory per instance. If sshd or ssh-keygen is missing, or the server does not come up, the
// constructor throws std::runtime_error: these tests fail loudly, they never skip.
// Not thread-safe; one instance per test.
#pragma once

#include <cstdint>
#include <string>

#include "tests/support/run_command.h"

namespace x12test {

class Sshd {
 public:
  Sshd();
  // Stops the server (and any session processes it forked) by the pid in its PidFile.
  ~Sshd();
  Sshd(const Sshd&) = delete;
  Sshd& operator=(const Sshd&) = delete;

  std::uint16_t port() const { return port_; }
  const std::string& user() const { return user_; }
  // A directory the tests can use as the SFTP root (absolute path; no chroot).
  const std::string& data_dir() const { return data_dir_; }
  // A scratch directory for test files (known_hosts variants, passphrase files, ...).
  const std::string& scratch_dir() const { return scratch_dir_; }

  // Client keys authorized for user(): one without and one with a passphrase.
  const std::string& client_key() const { return client_key_; }
  const std::string& encrypted_client_key() const { return encrypted_client_key_; }
  const std::string& client_key_passphrase() const { return passphrase_; }

  // The host key as ssh-keygen -l prints it: "SHA256:<base64>".
  const std::string& host_fingerprint() const { return host_fingerprint_; }
  // "[127.0.0.1]:<port> ssh-ed25519 AAAA...", a known_hosts line for this server.
  const std::string& known_hosts_line() const { return known_hosts_line_; }
  // "ssh-ed25519 AAAA..." of a freshly generated key that is NOT this server's.
  std::string OtherHostKey() const;

  // SIGSTOPs / SIGCONTs every process the server forked for its sessions (not the listener),
  // so a connected client sees a server that stopped answering.
  void PauseSessions() const;
  void ResumeSessions() const;

  // The server's log so far (for assertions and failure messages).
  std::string Log() const;

 private:
  int MasterPid() const;
  // Starts sshd with `config`; true once it listens on port_, false (stopped again) if not.
  bool Start(const std::string& config);
  void Stop();

  TempDir dir_;
  std::uint16_t port_ = 0;
  std::string user_;
  std::string data_dir_, scratch_dir_;
  std::string client_key_, encrypted_client_key_, passphrase_;
  std::string host_fingerprint_, known_hosts_line_;
  std::string pid_file_, log_file_;
};

}  // namespace x12test
