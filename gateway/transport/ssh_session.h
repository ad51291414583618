// One authenticated SSH connection with an SFTP channel, driven in libssh2's non-blocking mode.
// Every libssh2 call goes through Drive(), which waits on the socket with poll() until the call
// completes or its timeout passes, so no call can hang on a silent server. A timeout or a socket
// error leaves the SSH stream in an unknown state: the session is then marked broken (the socket
// is shut down) and the owner must open a new one.
#pragma once

#include <libssh2.h>
#include <libssh2_sftp.h>

#include <chrono>
#include <memory>
#include <string>
#include <sys/types.h>

#include "gateway/status.h"
#include "gateway/transport/sftp_settings.h"

namespace gateway::transport {

class SshSession {
 public:
  // Connects to settings.host, verifies the host key (host_key.h), authenticates and starts the
  // SFTP subsystem. Secrets are read just before use and wiped after. Errors: kInvalidArgument
  // (settings), kUnavailable / kTimeout (network), kHostKeyRejected, kAuthFailed.
  static Result<std::unique_ptr<SshSession>> Open(const SftpSettings& settings);

  // Says goodbye to the server when the session is healthy (bounded by io_timeout), then frees
  // everything. Never blocks longer than that.
  ~SshSession();
  SshSession(const SshSession&) = delete;
  SshSession& operator=(const SshSession&) = delete;

  LIBSSH2_SESSION* session() const { return session_; }
  LIBSSH2_SFTP* sftp() const { return sftp_; }
  bool broken() const { return broken_; }
  // "user@host:port", for messages.
  const std::string& where() const { return where_; }

  // Calls `step` (a libssh2 call returning int, ssize_t or a pointer) until it stops reporting
  // EAGAIN. If no result comes within `timeout`, the session is marked broken, `step` is called
  // once more so libssh2 can release what it holds, and timed_out() is true.
  template <typename Step>
  auto Drive(Step step, std::chrono::milliseconds timeout) -> decltype(step()) {
    timed_out_ = false;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto r = step();
      if (!WouldBlock(r)) return r;
      if (!WaitSocket(deadline)) {
        timed_out_ = true;
        MarkBroken();
        return step();
      }
    }
  }
  // Drive with the io_timeout from the settings.
  template <typename Step>
  auto Io(Step step) -> decltype(step()) {
    return Drive(step, io_timeout_);
  }
  bool timed_out() const { return timed_out_; }

  // The Status for a failed call that returned `rc` (a libssh2 error code; for pointer-returning
  // calls pass libssh2_session_last_errno). `context` is "sftp <op> <path>". SFTP status codes
  // map to kNotFound, kPermissionDenied, ...; timeouts and socket errors to kTimeout /
  // kUnavailable and mark the session broken.
  Status ErrorFor(const std::string& context, int rc);

  // Sends a keep-alive if due. Errors mark the session broken.
  Status KeepAlive();

  // Shuts the socket down so that every later libssh2 call fails at once instead of waiting.
  void MarkBroken();

 private:
  SshSession(int sock, LIBSSH2_SESSION* session, const SftpSettings& s);
  Status Handshake(const SftpSettings& s);
  Status Authenticate(const SftpSettings& s);
  Status StartSftp();

  bool WouldBlock(int rc) const { return rc == LIBSSH2_ERROR_EAGAIN; }
  bool WouldBlock(ssize_t rc) const { return rc == LIBSSH2_ERROR_EAGAIN; }
  template <typename T>
  bool WouldBlock(T* p) const {
    return p == nullptr && libssh2_session_last_errno(session_) == LIBSSH2_ERROR_EAGAIN;
  }
  // Waits until the socket is ready in the directions libssh2 is blocked on; false at deadline.
  bool WaitSocket(std::chrono::steady_clock::time_point deadline) const;
  std::string LastError() const;

  int sock_ = -1;
  LIBSSH2_SESSION* session_ = nullptr;
  LIBSSH2_SFTP* sftp_ = nullptr;
  std::string where_;
  std::chrono::milliseconds io_timeout_;
  bool broken_ = false;
  bool timed_out_ = false;
};

}  // namespace gateway::transport
