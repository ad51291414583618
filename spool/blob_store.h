// Content-addressed store for raw file bodies: <dir>/<sha[0:2]>/<sha>. Bodies are streamed in
// chunks; a blob is durable (file and directory fsynced) before Put returns, so the caller may
// then commit the row that refers to it. A crash between Put and that commit leaves an
// unreferenced blob, which is harmless (the next ingest of the same bytes reuses it).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "spool/byte_stream.h"
#include "spool/file_system.h"
#include "spool/status.h"

namespace spool {

struct BlobInfo {
  std::string sha256;  // lowercase hex
  uint64_t size = 0;
};

// Thread-safe (every Put writes its own temporary file). Does not own the FileSystem.
class BlobStore {
 public:
  BlobStore(FileSystem& fs, std::string dir);

  // Creates the directories. Call once before Put/Open.
  Status Init();

  // Streams `source` into the store. On success the blob named by the returned sha256 is on
  // stable storage. On failure nothing is referenced and the temporary file is removed.
  Result<BlobInfo> Put(ByteSource& source);

  // Streams a blob into `sink`, verifying its hash against `sha256` (kCorruption on mismatch).
  Status Read(const std::string& sha256, ByteSink& sink);

  // Purge in two steps: MoveToTrash inside the transaction that deletes the rows, EmptyTrash
  // after it commits. Recover (at open) puts back trashed blobs that `is_referenced` says a
  // row still needs (the purge did not commit) and deletes the rest.
  Status MoveToTrash(const std::string& sha256);
  Status EmptyTrash(const std::string& sha256);
  template <typename IsReferenced>
  Status Recover(IsReferenced is_referenced);

  std::string PathOf(const std::string& sha256) const;
  std::string TrashPathOf(const std::string& sha256) const { return dir_ + "/trash/" + sha256; }
  const std::string& dir() const { return dir_; }

  static constexpr std::size_t kChunkSize = 256 * 1024;

 private:
  FileSystem& fs_;
  std::string dir_;
  std::atomic<uint64_t> tmp_counter_{0};
};

template <typename IsReferenced>
Status BlobStore::Recover(IsReferenced is_referenced) {
  SPOOL_ASSIGN_OR_RETURN(auto names, fs_.ListDir(dir_ + "/trash"));
  for (const std::string& sha : names) {
    SPOOL_ASSIGN_OR_RETURN(bool needed, is_referenced(sha));
    if (!needed) {
      // Another process's purge may be emptying the same entry.
      if (Status st = fs_.Remove(TrashPathOf(sha)); !st.ok() && st.code() != Code::kNotFound) {
        return st;
      }
      continue;
    }
    const std::string shard = dir_ + "/" + sha.substr(0, 2);
    SPOOL_RETURN_IF_ERROR(fs_.CreateDir(shard));
    SPOOL_RETURN_IF_ERROR(fs_.Rename(TrashPathOf(sha), PathOf(sha)));
    SPOOL_RETURN_IF_ERROR(fs_.SyncDir(shard));
  }
  return fs_.SyncDir(dir_ + "/trash");
}

}  // namespace spool
