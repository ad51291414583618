// RemoteDir on a local directory: the embedded default drop folder and mounted partner shares.
// Same semantics as SFTP (see remote_dir.h): uploads go to a temporary name, are fsynced, size
// checked and then moved into place with renameat2(RENAME_NOREPLACE) (or link()+unlink() where
// the file system lacks it), so an existing file is never replaced; the directory is fsynced
// after every name change so the change survives a crash.
#pragma once

#include <string>

#include "gateway/transport/remote_dir.h"

namespace gateway::transport {

class LocalRemoteDir final : public RemoteDir {
 public:
  // `root` must be an existing directory when Connect is called.
  explicit LocalRemoteDir(std::string root);

  std::string Describe() const override;
  // Checks that the root is a directory. Operations before Connect return kUnavailable.
  Status Connect() override;
  void Close() override { connected_ = false; }
  bool IsConnected() const override { return connected_; }
  Status KeepAlive() override { return Status::Ok(); }

  Result<std::vector<RemoteEntry>> List(std::string_view dir) override;
  Result<RemoteEntry> Stat(std::string_view path) override;
  Result<std::uint64_t> Read(std::string_view path, ByteSink& sink) override;
  Result<std::uint64_t> Write(std::string_view path, ByteSource& source) override;
  Status Rename(std::string_view from, std::string_view to) override;
  Status Remove(std::string_view path) override;
  Status MakeDirs(std::string_view dir) override;

 private:
  // The absolute path for a root-relative one, or kInvalidArgument / kUnavailable.
  Result<std::string> Resolve(const char* op, std::string_view path) const;
  Status Error(const char* op, const std::string& path, int err) const;
  Status RenameNoReplace(const char* op, const std::string& from, const std::string& to) const;

  std::string root_;
  bool connected_ = false;
};

}  // namespace gateway::transport
