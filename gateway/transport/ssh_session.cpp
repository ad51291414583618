#include "gateway/transport/ssh_session.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <mutex>

#include "gateway/transport/host_key.h"
#include "gateway/transport/secret.h"
#include "gateway/transport/tcp_connect.h"

namespace gateway::transport {
namespace {

// libssh2_init once per process; libssh2_exit at exit so leak checkers see a clean shutdown.
void InitLibssh2Once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (libssh2_init(0) != 0) std::abort();  // crypto backend unusable: nothing can work
    std::atexit([] { libssh2_exit(); });
  });
}

const char* SftpStatusText(unsigned long code) {
  switch (code) {
    case LIBSSH2_FX_EOF: return "end of file";
    case LIBSSH2_FX_NO_SUCH_FILE: return "no such file";
    case LIBSSH2_FX_PERMISSION_DENIED: return "permission denied";
    case LIBSSH2_FX_FAILURE: return "failure";
    case LIBSSH2_FX_BAD_MESSAGE: return "bad message";
    case LIBSSH2_FX_NO_CONNECTION: return "no connection";
    case LIBSSH2_FX_CONNECTION_LOST: return "connection lost";
    case LIBSSH2_FX_OP_UNSUPPORTED: return "operation unsupported";
    case LIBSSH2_FX_INVALID_HANDLE: return "invalid handle";
    case LIBSSH2_FX_NO_SUCH_PATH: return "no such path";
    case LIBSSH2_FX_FILE_ALREADY_EXISTS: return "file already exists";
    case LIBSSH2_FX_WRITE_PROTECT: return "write protected";
    case LIBSSH2_FX_NO_MEDIA: return "no media";
    case LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM: return "no space on file system";
    case LIBSSH2_FX_QUOTA_EXCEEDED: return "quota exceeded";
    case LIBSSH2_FX_DIR_NOT_EMPTY: return "directory not empty";
    case LIBSSH2_FX_NOT_A_DIRECTORY: return "not a directory";
    case LIBSSH2_FX_INVALID_FILENAME: return "invalid file name";
    default: return "error";
  }
}

Code CodeForSftpStatus(unsigned long code) {
  switch (code) {
    case LIBSSH2_FX_NO_SUCH_FILE:
    case LIBSSH2_FX_NO_SUCH_PATH:
    case LIBSSH2_FX_NOT_A_DIRECTORY: return Code::kNotFound;
    case LIBSSH2_FX_PERMISSION_DENIED:
    case LIBSSH2_FX_WRITE_PROTECT: return Code::kPermissionDenied;
    case LIBSSH2_FX_FILE_ALREADY_EXISTS: return Code::kAlreadyExists;
    case LIBSSH2_FX_INVALID_FILENAME: return Code::kInvalidArgument;
    case LIBSSH2_FX_NO_CONNECTION:
    case LIBSSH2_FX_CONNECTION_LOST: return Code::kUnavailable;
    default: return Code::kIoError;
  }
}

bool IsAuthError(int rc) {
  return rc == LIBSSH2_ERROR_AUTHENTICATION_FAILED || rc == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED ||
         rc == LIBSSH2_ERROR_FILE || rc == LIBSSH2_ERROR_PASSWORD_EXPIRED ||
         rc == LIBSSH2_ERROR_KEYFILE_AUTH_FAILED || rc == LIBSSH2_ERROR_METHOD_NONE ||
         rc == LIBSSH2_ERROR_PUBLICKEY_PROTOCOL;
}

}  // namespace

SshSession::SshSession(int sock, LIBSSH2_SESSION* session, const SftpSettings& s)
    : sock_(sock),
      session_(session),
      where_(s.user + "@" + s.host + ":" + std::to_string(s.port)),
      io_timeout_(s.io_timeout) {}

Result<std::unique_ptr<SshSession>> SshSession::Open(const SftpSettings& s) {
  const std::string where = s.user + "@" + s.host + ":" + std::to_string(s.port);
  if (s.host.empty() || s.user.empty()) {
    return Status(Code::kInvalidArgument, "sftp connect " + where + ": host and user are required");
  }
  if (s.known_hosts_file.empty() && s.host_key_fingerprint.empty()) {
    return Status(Code::kInvalidArgument,
                  "sftp connect " + where +
                      ": no known_hosts file and no host key fingerprint configured; refusing "
                      "to connect to an unverified host");
  }
  InitLibssh2Once();
  GATEWAY_ASSIGN_OR_RETURN(const int sock, ConnectTcp(s.host, s.port, s.connect_timeout));
  LIBSSH2_SESSION* raw = libssh2_session_init();
  if (raw == nullptr) {
    ::close(sock);
    return Status(Code::kInternal, "sftp connect " + where + ": cannot allocate a session");
  }
  std::unique_ptr<SshSession> session(new SshSession(sock, raw, s));
  libssh2_session_set_blocking(raw, 0);
  GATEWAY_RETURN_IF_ERROR(session->Handshake(s));
  GATEWAY_RETURN_IF_ERROR(session->Authenticate(s));
  if (s.keepalive_interval.count() > 0) {
    libssh2_keepalive_config(raw, 1, static_cast<unsigned>(s.keepalive_interval.count()));
  }
  GATEWAY_RETURN_IF_ERROR(session->StartSftp());
  return session;
}

Status SshSession::Handshake(const SftpSettings& s) {
  const int rc = Drive([&] { return libssh2_session_handshake(session_, sock_); }, s.connect_timeout);
  if (rc != 0) return ErrorFor("sftp handshake " + where_, rc);
  Status verified = VerifyHostKey(session_, s, "sftp connect " + where_);
  if (!verified.ok()) MarkBroken();  // send nothing more to an unverified host
  return verified;
}

Status SshSession::Authenticate(const SftpSettings& s) {
  const std::string context = "sftp auth " + where_;
  int rc = 0;
  if (s.auth.kind == SftpAuth::Kind::kPassword) {
    if (!s.auth.password.configured()) {
      return Status(Code::kAuthFailed, context + ": password auth without a password source "
                                                 "(set an environment variable or a file)");
    }
    Result<Secret> password = LoadSecret(s.auth.password, context + ": password");
    if (!password.ok()) return password.status();
    rc = Drive(
        [&] {
          return libssh2_userauth_password_ex(session_, s.user.c_str(),
                                              static_cast<unsigned>(s.user.size()),
                                              password->c_str(),
                                              static_cast<unsigned>(password->size()), nullptr);
        },
        s.connect_timeout);
  } else {
    if (s.auth.private_key_file.empty()) {
      return Status(Code::kAuthFailed, context + ": no private key file configured");
    }
    Result<Secret> passphrase = LoadSecret(s.auth.passphrase, context + ": key passphrase");
    if (!passphrase.ok()) return passphrase.status();
    const char* pub = s.auth.public_key_file.empty() ? nullptr : s.auth.public_key_file.c_str();
    rc = Drive(
        [&] {
          return libssh2_userauth_publickey_fromfile_ex(
              session_, s.user.c_str(), static_cast<unsigned>(s.user.size()), pub,
              s.auth.private_key_file.c_str(), passphrase->c_str());
        },
        s.connect_timeout);
  }
  if (rc == 0) return Status::Ok();
  if (IsAuthError(rc)) {
    // libssh2's messages are fixed texts; they never contain the secret.
    std::string detail = LastError();
    if (s.auth.kind == SftpAuth::Kind::kPrivateKey) detail += " (key " + s.auth.private_key_file + ")";
    return Status(Code::kAuthFailed, context + ": " + detail);
  }
  return ErrorFor(context, rc);
}

Status SshSession::StartSftp() {
  sftp_ = Io([&] { return libssh2_sftp_init(session_); });
  if (sftp_ == nullptr) {
    return ErrorFor("sftp init " + where_, libssh2_session_last_errno(session_));
  }
  return Status::Ok();
}

SshSession::~SshSession() {
  if (sftp_ != nullptr) {
    // Frees the SFTP state whatever the server says (a timeout breaks the session first, and the
    // retry then fails fast on the shut-down socket).
    (void)Io([&] { return libssh2_sftp_shutdown(sftp_); });
    sftp_ = nullptr;
  }
  if (!broken_) {
    Io([&] { return libssh2_session_disconnect(session_, "edigate closing"); });
  }
  MarkBroken();
  Drive([&] { return libssh2_session_free(session_); }, io_timeout_);
  ::close(sock_);
}

void SshSession::MarkBroken() {
  if (!broken_) ::shutdown(sock_, SHUT_RDWR);
  broken_ = true;
}

bool SshSession::WaitSocket(std::chrono::steady_clock::time_point deadline) const {
  const int dirs = libssh2_session_block_directions(session_);
  pollfd p{sock_, 0, 0};
  if (dirs & LIBSSH2_SESSION_BLOCK_INBOUND) p.events |= POLLIN;
  if (dirs & LIBSSH2_SESSION_BLOCK_OUTBOUND) p.events |= POLLOUT;
  if (p.events == 0) p.events = POLLIN;
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    const int rc = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1 << 30)));
    if (rc > 0) return true;
    if (rc < 0 && errno != EINTR) return true;  // let libssh2 see the socket error
  }
}

std::string SshSession::LastError() const {
  char* msg = nullptr;
  int len = 0;
  libssh2_session_last_error(session_, &msg, &len, 0);
  return msg != nullptr && len > 0 ? std::string(msg, static_cast<std::size_t>(len)) : "unknown error";
}

Status SshSession::ErrorFor(const std::string& context, int rc) {
  if (timed_out_) {
    return Status(Code::kTimeout, context + ": no response within " +
                                      std::to_string(io_timeout_.count()) +
                                      " ms; connection closed");
  }
  if (rc == LIBSSH2_ERROR_SFTP_PROTOCOL && sftp_ != nullptr) {
    const unsigned long code = libssh2_sftp_last_error(sftp_);
    return Status(CodeForSftpStatus(code), context + ": " + SftpStatusText(code) +
                                               " (SFTP status " + std::to_string(code) + ")");
  }
  std::string text = LastError() + " (libssh2 error " + std::to_string(rc) + ")";
  if (rc == LIBSSH2_ERROR_ALLOC || rc == LIBSSH2_ERROR_INVAL || rc == LIBSSH2_ERROR_BAD_USE) {
    return Status(Code::kInternal, context + ": " + text);
  }
  MarkBroken();  // transport-level failure: the stream can no longer be trusted
  return Status(Code::kUnavailable, context + ": " + text + "; connection closed");
}

Status SshSession::KeepAlive() {
  if (broken_) return Status(Code::kUnavailable, "sftp keepalive " + where_ + ": connection closed");
  int next = 0;
  const int rc = libssh2_keepalive_send(session_, &next);
  if (rc != 0 && rc != LIBSSH2_ERROR_EAGAIN) return ErrorFor("sftp keepalive " + where_, rc);
  return Status::Ok();
}

}  // namespace gateway::transport
