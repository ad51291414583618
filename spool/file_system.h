// The filesystem operations the spool performs, behind an interface. Production code goes
// through PosixFileSystem; tests wrap it to inject faults (ENOSPC, failed fsync, short writes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "spool/status.h"

namespace spool {

// A file being written. Not thread-safe. Close() must be called and checked; the destructor
// only releases the descriptor and reports nothing.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  // Flushes the data to stable storage (fsync).
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
};

// A file being read sequentially. Not thread-safe.
class ReadableFile {
 public:
  virtual ~ReadableFile() = default;
  // Reads up to buf.size() bytes; returns 0 at end of file.
  virtual Result<std::size_t> Read(std::span<char> buf) = 0;
};

// Thread-safe. Paths are plain strings; errors carry the path and the operation.
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Creates `path`, which must not exist (O_EXCL).
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  virtual Result<std::unique_ptr<ReadableFile>> OpenForRead(const std::string& path) = 0;
  // Atomically replaces `to` with `from`.
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  // fsync on a directory, so a rename or create inside it survives a crash.
  virtual Status SyncDir(const std::string& path) = 0;
  virtual Status Remove(const std::string& path) = 0;
  // Creates a directory; OK when it already exists.
  virtual Status CreateDir(const std::string& path) = 0;
  virtual Result<bool> Exists(const std::string& path) = 0;
  // Names of the entries of a directory (no "." or "..").
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) = 0;
  // fsync of an existing file (used when a blob may have been written by a crashed process).
  virtual Status SyncFile(const std::string& path) = 0;
};

// The real thing: open(2), write(2), fsync(2), rename(2), ...
class PosixFileSystem final : public FileSystem {
 public:
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  Result<std::unique_ptr<ReadableFile>> OpenForRead(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status SyncDir(const std::string& path) override;
  Status Remove(const std::string& path) override;
  Status CreateDir(const std::string& path) override;
  Result<bool> Exists(const std::string& path) override;
  Status SyncFile(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& path) override;
};

// errno -> Status ("<operation> <path>: <strerror>"); ENOSPC/EDQUOT become kNoSpace.
Status PosixError(const std::string& operation, const std::string& path, int err);

}  // namespace spool
