#include "spool/blob_store.h"

#include <unistd.h>

#include <random>
#include <vector>

#include "spool/sha256.h"

namespace spool {

BlobStore::BlobStore(FileSystem& fs, std::string dir) : fs_(fs), dir_(std::move(dir)) {}

Status BlobStore::Init() {
  SPOOL_RETURN_IF_ERROR(fs_.CreateDir(dir_));
  SPOOL_RETURN_IF_ERROR(fs_.CreateDir(dir_ + "/tmp"));
  SPOOL_RETURN_IF_ERROR(fs_.CreateDir(dir_ + "/trash"));
  return Status::Ok();
}

std::string BlobStore::PathOf(const std::string& sha256) const {
  return dir_ + "/" + sha256.substr(0, 2) + "/" + sha256;
}

Result<BlobInfo> BlobStore::Put(ByteSource& source) {
  // Unique per process and call, so concurrent writers never share a temporary file.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::string tmp = dir_ + "/tmp/" + std::to_string(::getpid()) + "-" +
                          std::to_string(tmp_counter_++) + "-" + std::to_string(rng() % 1000000) +
                          ".tmp";
  SPOOL_ASSIGN_OR_RETURN(auto file, fs_.NewWritableFile(tmp));
  auto fail = [&](const Status& st) -> Status {
    (void)file->Close();
    (void)fs_.Remove(tmp);  // best effort: a leftover temp file is only wasted space
    return st;
  };
  Sha256 hash;
  BlobInfo info;
  std::vector<char> buf(kChunkSize);
  for (;;) {
    auto n = source.Read(buf);
    if (!n.ok()) return fail(n.status().WithContext("reading the file to ingest"));
    if (*n == 0) break;
    const std::string_view chunk(buf.data(), *n);
    hash.Update(chunk);
    info.size += *n;
    if (Status st = file->Append(chunk); !st.ok()) return fail(st);
  }
  if (Status st = file->Sync(); !st.ok()) return fail(st);
  if (Status st = file->Close(); !st.ok()) return fail(st);
  info.sha256 = hash.HexDigest();

  const std::string final_path = PathOf(info.sha256);
  const std::string shard = dir_ + "/" + info.sha256.substr(0, 2);
  if (Status st = fs_.CreateDir(shard); !st.ok()) return fail(st);
  if (Status st = fs_.SyncDir(dir_); !st.ok()) return fail(st);
  auto exists = fs_.Exists(final_path);
  if (!exists.ok()) return fail(exists.status());
  if (*exists) {
    // Same bytes already stored (maybe by a process that crashed before its commit): make sure
    // they are on disk, keep them, drop our copy.
    if (Status st = fs_.SyncFile(final_path); !st.ok()) return fail(st);
    (void)fs_.Remove(tmp);
  } else if (Status st = fs_.Rename(tmp, final_path); !st.ok()) {
    return fail(st);
  }
  if (Status st = fs_.SyncDir(shard); !st.ok()) return Status(st);
  return info;
}

Status BlobStore::Read(const std::string& sha256, ByteSink& sink) {
  const std::string path = PathOf(sha256);
  SPOOL_ASSIGN_OR_RETURN(auto file, fs_.OpenForRead(path));
  Sha256 hash;
  std::vector<char> buf(kChunkSize);
  for (;;) {
    SPOOL_ASSIGN_OR_RETURN(std::size_t n, file->Read(buf));
    if (n == 0) break;
    const std::string_view chunk(buf.data(), n);
    hash.Update(chunk);
    SPOOL_RETURN_IF_ERROR(sink.Write(chunk));
  }
  if (hash.HexDigest() != sha256) {
    return Status(Code::kCorruption, "blob " + path + " does not match its sha256");
  }
  return Status::Ok();
}

Status BlobStore::MoveToTrash(const std::string& sha256) {
  SPOOL_RETURN_IF_ERROR(fs_.Rename(PathOf(sha256), TrashPathOf(sha256)));
  SPOOL_RETURN_IF_ERROR(fs_.SyncDir(dir_ + "/trash"));
  return fs_.SyncDir(dir_ + "/" + sha256.substr(0, 2));
}

Status BlobStore::EmptyTrash(const std::string& sha256) { return fs_.Remove(TrashPathOf(sha256)); }

}  // namespace spool
