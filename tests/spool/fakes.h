// Test doubles for the spool's seams: a clock the test moves, a filesystem that fails on
// command, and a temporary directory that cleans up after itself.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>

#include "spool/byte_stream.h"
#include "spool/clock.h"
#include "spool/file_system.h"

namespace spool::testing {

// Wall time that only moves when the test says so. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start = FromMicros(1'800'000'000'000'000)) : now_(ToMicros(start)) {}
  Timestamp Now() const override { return FromMicros(now_.load()); }
  void Advance(Duration d) { now_ += d.count(); }
  void Set(Timestamp t) { now_ = ToMicros(t); }

 private:
  std::atomic<int64_t> now_;
};

// A unique directory under TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "spool-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Forwards to a real FileSystem and fails the operations a test picks: the Nth operation of
// any kind (counting from 1), every operation from the Nth on, or every write/fsync. Each
// failure reports `error` (an errno) the way PosixFileSystem would.
class FaultFileSystem final : public FileSystem {
 public:
  explicit FaultFileSystem(FileSystem& base) : base_(base) {}

  enum class Op { kCreate, kOpen, kWrite, kSync, kClose, kRename, kSyncDir, kRemove, kMkdir, kExists, kList };

  // Fail only operation number `n` (1-based) after this call, or every op from `n` on.
  void FailNth(int64_t n, int error, bool and_after = false) {
    std::lock_guard lock(mu_);
    count_ = 0;
    fail_at_ = n;
    fail_after_ = and_after;
    error_ = error;
  }
  // Fail every operation of kind `op` (e.g. every fsync) until Clear().
  void FailEvery(Op op, int error) {
    std::lock_guard lock(mu_);
    every_ = op;
    every_set_ = true;
    error_ = error;
  }
  void Clear() {
    std::lock_guard lock(mu_);
    fail_at_ = 0;
    every_set_ = false;
  }
  int64_t operations() const {
    std::lock_guard lock(mu_);
    return count_;
  }
  int64_t failures() const { return failures_.load(); }

  Status Check(Op op, const std::string& what, const std::string& path) {
    std::lock_guard lock(mu_);
    ++count_;
    const bool nth = fail_at_ > 0 && (count_ == fail_at_ || (fail_after_ && count_ > fail_at_));
    if (nth || (every_set_ && every_ == op)) {
      ++failures_;
      return PosixError(what + " (injected)", path, error_);
    }
    return Status::Ok();
  }

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    SPOOL_RETURN_IF_ERROR(Check(Op::kCreate, "create", path));
    SPOOL_ASSIGN_OR_RETURN(auto file, base_.NewWritableFile(path));
    return std::unique_ptr<WritableFile>(std::make_unique<File>(*this, path, std::move(file)));
  }
  Result<std::unique_ptr<ReadableFile>> OpenForRead(const std::string& path) override {
    SPOOL_RETURN_IF_ERROR(Check(Op::kOpen, "open", path));
    return base_.OpenForRead(path);
  }
  Status Rename(const std::string& from, const std::string& to) override {
    SPOOL_RETURN_IF_ERROR(Check(Op::kRename, "rename", from));
    return base_.Rename(from, to);
  }
  Status SyncDir(const std::string& path) override {
    SPOOL_RETURN_IF_ERROR(Check(Op::kSyncDir, "fsync", path));
    return base_.SyncDir(path);
  }
  Status Remove(const std::string& path) override {
    SPOOL_RETURN_IF_ERROR(Check(Op::kRemove, "remove", path));
    return base_.Remove(path);
  }
  Status CreateDir(const std::string& path) override {
    SPOOL_RETURN_IF_ERROR(Check(Op::kMkdir, "mkdir", path));
    return base_.CreateDir(path);
  }
  Result<bool> Exists(const std::string& path) override {
    SPOOL_RETURN_IF_ERROR(Check(Op::kExists, "stat", path));
    return base_.Exists(path);
  }
  Status SyncFile(const std::string& path) override {
    SPOOL_RETURN_IF_ERROR(Check(Op::kSync, "fsync", path));
    return base_.SyncFile(path);
  }
  Result<std::vector<std::string>> ListDir(const std::string& path) override {
    SPOOL_RETURN_IF_ERROR(Check(Op::kList, "opendir", path));
    return base_.ListDir(path);
  }

 private:
  class File final : public WritableFile {
   public:
    File(FaultFileSystem& fs, std::string path, std::unique_ptr<WritableFile> base)
        : fs_(fs), path_(std::move(path)), base_(std::move(base)) {}
    Status Append(std::string_view data) override {
      SPOOL_RETURN_IF_ERROR(fs_.Check(Op::kWrite, "write", path_));
      return base_->Append(data);
    }
    Status Sync() override {
      SPOOL_RETURN_IF_ERROR(fs_.Check(Op::kSync, "fsync", path_));
      return base_->Sync();
    }
    Status Close() override {
      Status st = fs_.Check(Op::kClose, "close", path_);
      Status closed = base_->Close();
      return st.ok() ? closed : st;
    }

   private:
    FaultFileSystem& fs_;
    std::string path_;
    std::unique_ptr<WritableFile> base_;
  };

  FileSystem& base_;
  mutable std::mutex mu_;
  int64_t count_ = 0;
  int64_t fail_at_ = 0;
  bool fail_after_ = false;
  bool every_set_ = false;
  Op every_ = Op::kWrite;
  int error_ = EIO;
  std::atomic<int64_t> failures_{0};
};

// A deterministic stream of `size` pseudo-random bytes, generated on the fly (never held).
class PatternSource final : public ByteSource {
 public:
  PatternSource(uint64_t size, uint64_t seed) : left_(size), state_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  Result<std::size_t> Read(std::span<char> buf) override {
    const std::size_t n = static_cast<std::size_t>(std::min<uint64_t>(left_, buf.size()));
    for (std::size_t i = 0; i < n; ++i) {
      state_ ^= state_ << 13;
      state_ ^= state_ >> 7;
      state_ ^= state_ << 17;
      buf[i] = static_cast<char>(state_);
    }
    left_ -= n;
    return n;
  }

 private:
  uint64_t left_;
  uint64_t state_;
};

}  // namespace spool::testing
