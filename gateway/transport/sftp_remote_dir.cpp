#include "gateway/transport/sftp_remote_dir.h"

#include <vector>

#include "gateway/transport/remote_path.h"
#include "gateway/transport/ssh_session.h"

namespace gateway::transport {
namespace {

constexpr std::size_t kChunk = 256 * 1024;  // several SFTP requests in flight per call

RemoteEntry EntryFrom(std::string name, const LIBSSH2_SFTP_ATTRIBUTES& a) {
  RemoteEntry e;
  e.name = std::move(name);
  if (a.flags & LIBSSH2_SFTP_ATTR_SIZE) e.size = a.filesize;
  if (a.flags & LIBSSH2_SFTP_ATTR_ACMODTIME) e.mtime = static_cast<std::int64_t>(a.mtime);
  e.is_regular = (a.flags & LIBSSH2_SFTP_ATTR_PERMISSIONS) && LIBSSH2_SFTP_S_ISREG(a.permissions);
  return e;
}

// An open SFTP file or directory handle, closed (bounded by the io timeout) when it goes away.
class Handle {
 public:
  Handle(SshSession& ssh, LIBSSH2_SFTP_HANDLE* h) : ssh_(ssh), h_(h) {}
  ~Handle() { (void)Close(); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  LIBSSH2_SFTP_HANDLE* get() const { return h_; }
  // Closes now; returns libssh2's result (a server can report a late write error here).
  int Close() {
    if (h_ == nullptr) return 0;
    const int rc = ssh_.Io([&] { return libssh2_sftp_close_handle(h_); });
    h_ = nullptr;
    return rc;
  }

 private:
  SshSession& ssh_;
  LIBSSH2_SFTP_HANDLE* h_;
};

unsigned PathLen(const std::string& p) { return static_cast<unsigned>(p.size()); }

}  // namespace

SftpRemoteDir::SftpRemoteDir(SftpSettings settings) : settings_(std::move(settings)) {
  if (settings_.root_dir.empty()) settings_.root_dir = ".";
}

SftpRemoteDir::~SftpRemoteDir() = default;

std::string SftpRemoteDir::Describe() const {
  return "sftp://" + settings_.user + "@" + settings_.host + ":" + std::to_string(settings_.port) +
         "/" + settings_.root_dir;
}

Status SftpRemoteDir::Connect() {
  ssh_.reset();
  GATEWAY_ASSIGN_OR_RETURN(ssh_, SshSession::Open(settings_));
  return Status::Ok();
}

void SftpRemoteDir::Close() { ssh_.reset(); }

bool SftpRemoteDir::IsConnected() const { return ssh_ != nullptr && !ssh_->broken(); }

Status SftpRemoteDir::KeepAlive() {
  if (!IsConnected()) return Status(Code::kUnavailable, "sftp keepalive " + Describe() + ": not connected");
  return ssh_->KeepAlive();
}

Result<std::string> SftpRemoteDir::Resolve(const char* op, std::string_view path) const {
  const std::string where = settings_.user + "@" + settings_.host + ":" + std::to_string(settings_.port);
  if (!IsConnected()) {
    return Status(Code::kUnavailable, std::string("sftp ") + op + " " + where + ": not connected");
  }
  Result<std::string> rel = NormalizeRelative(path);
  if (!rel.ok()) {
    return Status(Code::kInvalidArgument,
                  std::string("sftp ") + op + " " + where + ": " + rel.status().message());
  }
  return JoinRoot(settings_.root_dir, *rel);
}

Status SftpRemoteDir::Fail(const char* op, const std::string& path, int rc) {
  // A broken session stays allocated (IsConnected() is false) until Connect, Close or the
  // destructor, so handles still open in the caller's scope can be released first.
  return ssh_->ErrorFor(std::string("sftp ") + op + " " + ssh_->where() + " " + path, rc);
}

Result<std::vector<RemoteEntry>> SftpRemoteDir::List(std::string_view dir) {
  GATEWAY_ASSIGN_OR_RETURN(const std::string abs, Resolve("list", dir));
  LIBSSH2_SFTP* sftp = ssh_->sftp();
  LIBSSH2_SFTP_HANDLE* raw = ssh_->Io([&] {
    return libssh2_sftp_open_ex(sftp, abs.c_str(), PathLen(abs), 0, 0, LIBSSH2_SFTP_OPENDIR);
  });
  if (raw == nullptr) return Fail("list", abs, libssh2_session_last_errno(ssh_->session()));
  std::vector<RemoteEntry> out;
  {
    Handle h(*ssh_, raw);
    std::vector<char> name(4096);
    for (;;) {
      LIBSSH2_SFTP_ATTRIBUTES attrs{};
      const int n = ssh_->Io([&] {
        return libssh2_sftp_readdir_ex(h.get(), name.data(), name.size(), nullptr, 0, &attrs);
      });
      if (n < 0) {
        Status failed = Fail("list", abs, n);  // before Close, which starts a new call
        (void)h.Close();
        return failed;
      }
      if (n == 0) break;
      std::string entry(name.data(), static_cast<std::size_t>(n));
      // A hostile server could send names that walk out of the directory: never pass them on.
      if (entry == "." || entry == ".." || entry.find('/') != std::string::npos) continue;
      out.push_back(EntryFrom(std::move(entry), attrs));
    }
    if (const int rc = h.Close(); rc != 0) return Fail("list", abs, rc);
  }
  return out;
}

Result<RemoteEntry> SftpRemoteDir::StatAbsolute(const char* op, const std::string& path) {
  LIBSSH2_SFTP_ATTRIBUTES attrs{};
  LIBSSH2_SFTP* sftp = ssh_->sftp();
  const int rc = ssh_->Io([&] {
    return libssh2_sftp_stat_ex(sftp, path.c_str(), PathLen(path), LIBSSH2_SFTP_LSTAT, &attrs);
  });
  if (rc != 0) return Fail(op, path, rc);
  return EntryFrom(BaseName(path), attrs);
}

Result<RemoteEntry> SftpRemoteDir::Stat(std::string_view path) {
  GATEWAY_ASSIGN_OR_RETURN(const std::string abs, Resolve("stat", path));
  return StatAbsolute("stat", abs);
}

Result<std::uint64_t> SftpRemoteDir::Read(std::string_view path, ByteSink& sink) {
  GATEWAY_ASSIGN_OR_RETURN(const std::string abs, Resolve("read", path));
  LIBSSH2_SFTP* sftp = ssh_->sftp();
  LIBSSH2_SFTP_HANDLE* raw = ssh_->Io([&] {
    return libssh2_sftp_open_ex(sftp, abs.c_str(), PathLen(abs), LIBSSH2_FXF_READ, 0,
                                LIBSSH2_SFTP_OPENFILE);
  });
  if (raw == nullptr) return Fail("read", abs, libssh2_session_last_errno(ssh_->session()));
  Handle h(*ssh_, raw);
  std::vector<char> buf(kChunk);
  std::uint64_t total = 0;
  for (;;) {
    const ssize_t n = ssh_->Io([&] { return libssh2_sftp_read(h.get(), buf.data(), buf.size()); });
    if (n < 0) {
      Status failed = Fail("read", abs, static_cast<int>(n));  // before Close, a new call
      (void)h.Close();
      return failed;
    }
    if (n == 0) break;
    if (Status s = sink.Write(std::string_view(buf.data(), static_cast<std::size_t>(n))); !s.ok()) {
      return s;
    }
    total += static_cast<std::uint64_t>(n);
  }
  if (const int rc = h.Close(); rc != 0) return Fail("read", abs, rc);
  return total;
}

Result<std::uint64_t> SftpRemoteDir::Write(std::string_view path, ByteSource& source) {
  GATEWAY_ASSIGN_OR_RETURN(const std::string abs, Resolve("write", path));
  // Fail early and clearly if the final name is taken; the rename below refuses it anyway.
  if (Result<RemoteEntry> existing = StatAbsolute("write", abs); existing.ok()) {
    return Status(Code::kAlreadyExists,
                  "sftp write " + ssh_->where() + " " + abs + ": file exists; not overwriting");
  } else if (existing.status().code() != Code::kNotFound) {
    return existing.status();
  }
  const std::string temp = JoinRoot(settings_.root_dir, TempNameFor(*NormalizeRelative(path)));
  LIBSSH2_SFTP* sftp = ssh_->sftp();
  LIBSSH2_SFTP_HANDLE* raw = ssh_->Io([&] {
    return libssh2_sftp_open_ex(sftp, temp.c_str(), PathLen(temp),
                                LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_EXCL, 0640,
                                LIBSSH2_SFTP_OPENFILE);
  });
  if (raw == nullptr) return Fail("write", temp, libssh2_session_last_errno(ssh_->session()));
  // From here on, any failure removes the temp file (if the connection still allows it).
  auto fail = [&](Status s) -> Result<std::uint64_t> {
    if (IsConnected()) (void)RemoveAbsolute("write cleanup", temp);
    return s;
  };
  std::uint64_t total = 0;
  {
    Handle h(*ssh_, raw);
    auto fail_open = [&](Status s) -> Result<std::uint64_t> {
      (void)h.Close();
      return fail(std::move(s));
    };
    std::vector<char> buf(kChunk);
    for (;;) {
      Result<std::size_t> n = source.Read(std::span<char>(buf.data(), buf.size()));
      if (!n.ok()) return fail_open(n.status());
      if (*n == 0) break;
      std::size_t done = 0;
      while (done < *n) {
        // On EAGAIN libssh2 wants the same buffer again; Io() does exactly that.
        const ssize_t w =
            ssh_->Io([&] { return libssh2_sftp_write(h.get(), buf.data() + done, *n - done); });
        if (w < 0) return fail_open(Fail("write", temp, static_cast<int>(w)));
        done += static_cast<std::size_t>(w);
      }
      total += *n;
    }
    const int synced = ssh_->Io([&] { return libssh2_sftp_fsync(h.get()); });
    if (synced != 0) {
      const bool unsupported = synced == LIBSSH2_ERROR_SFTP_PROTOCOL &&
                               libssh2_sftp_last_error(sftp) == LIBSSH2_FX_OP_UNSUPPORTED;
      // A server without fsync@openssh.com still gets the file; only real errors abort.
      if (!unsupported) return fail_open(Fail("fsync", temp, synced));
    }
    if (const int rc = h.Close(); rc != 0) return fail(Fail("write", temp, rc));
  }
  Result<RemoteEntry> written = StatAbsolute("write", temp);
  if (!written.ok()) return fail(written.status());
  if (written->size != total) {
    return fail(Status(Code::kDataLoss, "sftp write " + ssh_->where() + " " + temp + ": size " +
                                            std::to_string(written->size) + " after sending " +
                                            std::to_string(total) + " bytes"));
  }
  if (Status s = RenameAbsolute("write", temp, abs); !s.ok()) return fail(s);
  return total;
}

Status SftpRemoteDir::RenameAbsolute(const char* op, const std::string& from, const std::string& to) {
  LIBSSH2_SFTP* sftp = ssh_->sftp();
  const int rc = ssh_->Io([&] {
    return libssh2_sftp_rename_ex(sftp, from.c_str(), PathLen(from), to.c_str(), PathLen(to),
                                  LIBSSH2_SFTP_RENAME_ATOMIC | LIBSSH2_SFTP_RENAME_NATIVE);
  });
  if (rc == 0) return Status::Ok();
  Status failed = Fail(op, from + " -> " + to, rc);
  // SFTP v3 has no "already exists" status: a generic failure with the target present is that.
  if (failed.code() == Code::kIoError && IsConnected()) {
    if (Result<RemoteEntry> target = StatAbsolute(op, to); target.ok()) {
      return Status(Code::kAlreadyExists, std::string("sftp ") + op + " " + ssh_->where() + " " +
                                              from + " -> " + to + ": target exists; not overwriting");
    }
  }
  return failed;
}

Status SftpRemoteDir::Rename(std::string_view from, std::string_view to) {
  GATEWAY_ASSIGN_OR_RETURN(const std::string src, Resolve("rename", from));
  GATEWAY_ASSIGN_OR_RETURN(const std::string dst, Resolve("rename", to));
  if (Result<RemoteEntry> existing = StatAbsolute("rename", dst); existing.ok()) {
    return Status(Code::kAlreadyExists, "sftp rename " + ssh_->where() + " " + src + " -> " + dst +
                                            ": target exists; not overwriting");
  } else if (existing.status().code() != Code::kNotFound) {
    return existing.status();
  }
  return RenameAbsolute("rename", src, dst);
}

Status SftpRemoteDir::RemoveAbsolute(const char* op, const std::string& path) {
  LIBSSH2_SFTP* sftp = ssh_->sftp();
  const int rc = ssh_->Io([&] { return libssh2_sftp_unlink_ex(sftp, path.c_str(), PathLen(path)); });
  return rc == 0 ? Status::Ok() : Fail(op, path, rc);
}

Status SftpRemoteDir::Remove(std::string_view path) {
  GATEWAY_ASSIGN_OR_RETURN(const std::string abs, Resolve("remove", path));
  return RemoveAbsolute("remove", abs);
}

Status SftpRemoteDir::MakeDirs(std::string_view dir) {
  GATEWAY_ASSIGN_OR_RETURN(const std::string abs, Resolve("mkdir", dir));
  (void)abs;
  const std::string rel = *NormalizeRelative(dir);
  std::size_t pos = 0;
  while (!rel.empty() && pos <= rel.size()) {
    std::size_t slash = rel.find('/', pos);
    if (slash == std::string::npos) slash = rel.size();
    const std::string prefix = JoinRoot(settings_.root_dir, rel.substr(0, slash));
    pos = slash + 1;
    Result<RemoteEntry> st = StatAbsolute("mkdir", prefix);
    if (st.ok()) {
      if (st->is_regular) {
        return Status(Code::kAlreadyExists,
                      "sftp mkdir " + ssh_->where() + " " + prefix + ": exists and is not a directory");
      }
      continue;
    }
    if (st.status().code() != Code::kNotFound) return st.status();
    LIBSSH2_SFTP* sftp = ssh_->sftp();
    const int rc = ssh_->Io(
        [&] { return libssh2_sftp_mkdir_ex(sftp, prefix.c_str(), PathLen(prefix), 0750); });
    if (rc != 0) {
      Status failed = Fail("mkdir", prefix, rc);
      // Lost a race with another creator: fine if it is a directory now.
      if (IsConnected()) {
        if (Result<RemoteEntry> again = StatAbsolute("mkdir", prefix); again.ok() && !again->is_regular) {
          continue;
        }
      }
      return failed;
    }
  }
  return Status::Ok();
}

}  // namespace gateway::transport
