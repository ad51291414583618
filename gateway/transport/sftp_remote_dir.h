// RemoteDir over SFTP (libssh2), for partner folders on SSH servers. See remote_dir.h for the
// transport rules and ssh_session.h for the connection (non-blocking libssh2, every call bounded
// by a timeout, host keys always verified).
//
// Uploads open a hidden temp name with CREAT|EXCL, write in chunks, fsync (fsync@openssh.com,
// where the server offers it), check the size with a stat, then SSH_FXP_RENAME to the final
// name. SFTP v3 rename fails when the target exists (OpenSSH implements it with link()), so the
// server itself refuses to overwrite; we also stat the target first to fail early and clearly.
#pragma once

#include <memory>
#include <string>

#include "gateway/transport/remote_dir.h"
#include "gateway/transport/sftp_settings.h"

namespace gateway::transport {

class SshSession;

class SftpRemoteDir final : public RemoteDir {
 public:
  explicit SftpRemoteDir(SftpSettings settings);
  ~SftpRemoteDir() override;
  SftpRemoteDir(const SftpRemoteDir&) = delete;
  SftpRemoteDir& operator=(const SftpRemoteDir&) = delete;

  std::string Describe() const override;
  // Opens a new session (closing any previous one). See SshSession::Open for the errors.
  Status Connect() override;
  void Close() override;
  bool IsConnected() const override;
  Status KeepAlive() override;

  Result<std::vector<RemoteEntry>> List(std::string_view dir) override;
  Result<RemoteEntry> Stat(std::string_view path) override;
  Result<std::uint64_t> Read(std::string_view path, ByteSink& sink) override;
  Result<std::uint64_t> Write(std::string_view path, ByteSource& source) override;
  Status Rename(std::string_view from, std::string_view to) override;
  Status Remove(std::string_view path) override;
  Status MakeDirs(std::string_view dir) override;

 private:
  // The remote path for a root-relative one; kUnavailable when not connected.
  Result<std::string> Resolve(const char* op, std::string_view path) const;
  // The Status for a failed libssh2 call; drops the session if it broke.
  Status Fail(const char* op, const std::string& path, int rc);
  Result<RemoteEntry> StatAbsolute(const char* op, const std::string& path);
  Status RenameAbsolute(const char* op, const std::string& from, const std::string& to);
  Status RemoveAbsolute(const char* op, const std::string& path);

  SftpSettings settings_;
  std::unique_ptr<SshSession> ssh_;
};

}  // namespace gateway::transport
