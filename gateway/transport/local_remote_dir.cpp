#include "gateway/transport/local_remote_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "gateway/transport/remote_path.h"

namespace gateway::transport {
namespace {

constexpr std::size_t kChunk = 256 * 1024;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now and reports the result (close can report a deferred write error).
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

RemoteEntry EntryFrom(std::string name, const struct stat& st) {
  RemoteEntry e;
  e.name = std::move(name);
  e.size = static_cast<std::uint64_t>(st.st_size);
  e.mtime = static_cast<std::int64_t>(st.st_mtime);
  e.is_regular = S_ISREG(st.st_mode);
  return e;
}

Code CodeForErrno(int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR: return Code::kNotFound;
    case EEXIST:
    case ENOTEMPTY: return Code::kAlreadyExists;
    case EACCES:
    case EPERM:
    case EROFS: return Code::kPermissionDenied;
    case EINVAL: return Code::kInvalidArgument;
    default: return Code::kIoError;
  }
}

// Syncs the directory holding `path` so a created, renamed or removed name is durable.
int SyncParentDir(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == 0 ? "/" : path.substr(0, slash);
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  errno = err;
  return rc;
}

}  // namespace

LocalRemoteDir::LocalRemoteDir(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

std::string LocalRemoteDir::Describe() const { return "file://" + root_; }

Status LocalRemoteDir::Connect() {
  struct stat st {};
  if (::stat(root_.c_str(), &st) != 0) return Error("connect", root_, errno);
  if (!S_ISDIR(st.st_mode)) return Status(Code::kNotFound, "connect " + root_ + ": not a directory");
  connected_ = true;
  return Status::Ok();
}

Status LocalRemoteDir::Error(const char* op, const std::string& path, int err) const {
  return Status(CodeForErrno(err), std::string("local ") + op + " " + path + ": " + std::strerror(err));
}

Result<std::string> LocalRemoteDir::Resolve(const char* op, std::string_view path) const {
  if (!connected_) {
    return Status(Code::kUnavailable, std::string("local ") + op + " " + root_ + ": not connected");
  }
  Result<std::string> rel = NormalizeRelative(path);
  if (!rel.ok()) {
    return Status(Code::kInvalidArgument, std::string("local ") + op + " " + root_ + ": " +
                                              rel.status().message());
  }
  return JoinRoot(root_, *rel);
}

Result<std::vector<RemoteEntry>> LocalRemoteDir::List(std::string_view dir) {
  GATEWAY_ASSIGN_OR_RETURN(const std::string abs, Resolve("list", dir));
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(abs.c_str()), &::closedir);
  if (!d) return Error("list", abs, errno);
  std::vector<RemoteEntry> out;
  for (;;) {
    errno = 0;
    const dirent* ent = ::readdir(d.get());
    if (ent == nullptr) {
      if (errno != 0) return Error("list", abs, errno);
      break;
    }
    const std::string name = ent->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    if (::fstatat(::dirfd(d.get()), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;  // removed between readdir and stat
      return Error("list", abs + "/" + name, errno);
    }
    out.push_back(EntryFrom(name, st));
  }
  return out;
}

Result<RemoteEntry> LocalRemoteDir::Stat(std::string_view path) {
  GATEWAY_ASSIGN_OR_RETURN(const std::string abs, Resolve("stat", path));
  struct stat st {};
  if (::lstat(abs.c_str(), &st) != 0) return Error("stat", abs, errno);
  return EntryFrom(BaseName(abs), st);
}

Result<std::uint64_t> LocalRemoteDir::Read(std::string_view path, ByteSink& sink) {
  GATEWAY_ASSIGN_OR_RETURN(const std::string abs, Resolve("read", path));
  Fd fd(::open(abs.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) return Error("read", abs, errno);
  std::vector<char> buf(kChunk);
  std::uint64_t total = 0;
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error("read", abs, errno);
    }
    if (n == 0) break;
    GATEWAY_RETURN_IF_ERROR(sink.Write(std::string_view(buf.data(), static_cast<std::size_t>(n))));
    total += static_cast<std::uint64_t>(n);
  }
  return total;
}

Status LocalRemoteDir::RenameNoReplace(const char* op, const std::string& from,
                                       const std::string& to) const {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
    return Status::Ok();
  }
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return Error(op, to, errno);
  // The file system cannot do RENAME_NOREPLACE: link() refuses an existing target too.
  if (::link(from.c_str(), to.c_str()) != 0) return Error(op, to, errno);
  if (::unlink(from.c_str()) != 0) return Error(op, from, errno);
  return Status::Ok();
}

Result<std::uint64_t> LocalRemoteDir::Write(std::string_view path, ByteSource& source) {
  GATEWAY_ASSIGN_OR_RETURN(const std::string abs, Resolve("write", path));
  if (struct stat st {}; ::lstat(abs.c_str(), &st) == 0) return Error("write", abs, EEXIST);
  const std::string temp = JoinRoot(root_, TempNameFor(*NormalizeRelative(path)));
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
  if (fd.get() < 0) return Error("write", temp, errno);
  auto fail = [&](Status s) -> Result<std::uint64_t> {
    ::unlink(temp.c_str());
    return s;
  };
  std::vector<char> buf(kChunk);
  std::uint64_t total = 0;
  for (;;) {
    Result<std::size_t> n = source.Read(std::span<char>(buf.data(), buf.size()));
    if (!n.ok()) return fail(n.status());
    if (*n == 0) break;
    std::size_t done = 0;
    while (done < *n) {
      const ssize_t w = ::write(fd.get(), buf.data() + done, *n - done);
      if (w < 0) {
        if (errno == EINTR) continue;
        return fail(Error("write", temp, errno));
      }
      done += static_cast<std::size_t>(w);
    }
    total += *n;
  }
  if (::fsync(fd.get()) != 0) return fail(Error("fsync", temp, errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail(Error("stat", temp, errno));
  if (fd.Close() != 0) return fail(Error("close", temp, errno));
  if (static_cast<std::uint64_t>(st.st_size) != total) {
    return fail(Status(Code::kDataLoss, "local write " + temp + ": size " +
                                            std::to_string(st.st_size) + " after writing " +
                                            std::to_string(total) + " bytes"));
  }
  if (Status s = RenameNoReplace("write", temp, abs); !s.ok()) return fail(s);
  if (SyncParentDir(abs) != 0) return Error("fsync directory of", abs, errno);
  return total;
}

Status LocalRemoteDir::Rename(std::string_view from, std::string_view to) {
  GATEWAY_ASSIGN_OR_RETURN(const std::string src, Resolve("rename", from));
  GATEWAY_ASSIGN_OR_RETURN(const std::string dst, Resolve("rename", to));
  GATEWAY_RETURN_IF_ERROR(RenameNoReplace("rename", src, dst));
  if (SyncParentDir(dst) != 0) return Error("fsync directory of", dst, errno);
  if (SyncParentDir(src) != 0) return Error("fsync directory of", src, errno);
  return Status::Ok();
}

Status LocalRemoteDir::Remove(std::string_view path) {
  GATEWAY_ASSIGN_OR_RETURN(const std::string abs, Resolve("remove", path));
  if (::unlink(abs.c_str()) != 0) return Error("remove", abs, errno);
  if (SyncParentDir(abs) != 0) return Error("fsync directory of", abs, errno);
  return Status::Ok();
}

Status LocalRemoteDir::MakeDirs(std::string_view dir) {
  GATEWAY_ASSIGN_OR_RETURN(const std::string abs, Resolve("mkdir", dir));
  (void)abs;
  const std::string rel = *NormalizeRelative(dir);
  std::size_t pos = 0;
  while (pos <= rel.size() && !rel.empty()) {
    std::size_t slash = rel.find('/', pos);
    if (slash == std::string::npos) slash = rel.size();
    const std::string prefix = JoinRoot(root_, rel.substr(0, slash));
    pos = slash + 1;
    if (::mkdir(prefix.c_str(), 0750) == 0) {
      if (SyncParentDir(prefix) != 0) return Error("fsync directory of", prefix, errno);
      continue;
    }
    const int err = errno;
    struct stat st {};
    if (err == EEXIST && ::stat(prefix.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) continue;
    if (err == EEXIST) {
      return Status(Code::kAlreadyExists, "local mkdir " + prefix + ": exists and is not a directory");
    }
    return Error("mkdir", prefix, err);
  }
  return Status::Ok();
}

}  // namespace gateway::transport
