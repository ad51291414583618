#include "gateway/daemon/partner_transport.h"

#include <ctime>
#include <filesystem>
#include <set>

#include "gateway/transport/local_remote_dir.h"
#include "gateway/transport/sftp_remote_dir.h"

namespace gateway::daemon {

namespace {

namespace fs = std::filesystem;

class TransportReader {
 public:
  TransportReader(const partners::PartnerProfile& p, std::string base) : p_(p), base_(std::move(base)) {}

  Status Fail(const std::string& key, const std::string& message) const {
    auto it = p_.transport_lines.find(key);
    std::string where = p_.file;
    if (it != p_.transport_lines.end() && it->second > 0) where += ":" + std::to_string(it->second);
    return Status(Code::kInvalidArgument, where + ": transport." + key + ": " + message);
  }
  std::string Get(const std::string& key, const std::string& fallback = "") const {
    auto it = p_.transport.find(key);
    return it == p_.transport.end() ? fallback : it->second;
  }
  bool Has(const std::string& key) const { return p_.transport.count(key) > 0; }
  std::string Path(const std::string& key) const {
    const std::string v = Get(key);
    if (v.empty()) return v;
    fs::path f = v;
    return (f.is_relative() ? fs::path(base_) / f : f).lexically_normal().string();
  }
  Status Seconds(const std::string& key, std::chrono::seconds* out) const {
    if (!Has(key)) return Status::Ok();
    if (!partners::ParseDuration(Get(key), out)) return Fail(key, "'" + Get(key) + "' is not a duration (30s, 5m, 1h)");
    return Status::Ok();
  }
  Status Number(const std::string& key, long lo, long hi, long* out) const {
    if (!Has(key)) return Status::Ok();
    try {
      size_t used = 0;
      const long v = std::stol(Get(key), &used);
      if (used == Get(key).size() && v >= lo && v <= hi) {
        *out = v;
        return Status::Ok();
      }
    } catch (...) {
    }
    return Fail(key, "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  Status RemotePath(const std::string& key, std::string* out) const {
    if (!Has(key)) return Status::Ok();
    const std::string v = Get(key);
    if (v.empty() || v[0] == '/' || v.find("..") != std::string::npos) {
      return Fail(key, "must be a folder relative to the transport root, without '..'");
    }
    *out = v;
    return Status::Ok();
  }

 private:
  const partners::PartnerProfile& p_;
  std::string base_;
};

}  // namespace

std::unique_ptr<transport::RemoteDir> PartnerTransport::Open() const {
  if (kind == "sftp") return std::make_unique<transport::SftpRemoteDir>(sftp);
  return std::make_unique<transport::LocalRemoteDir>(local_root);
}

Result<PartnerTransport> ReadPartnerTransport(const partners::PartnerProfile& profile, const std::string& base_dir) {
  const TransportReader r(profile, base_dir);
  static const std::set<std::string> kKeys = {
      "kind", "host", "port", "user", "auth.private_key_file", "auth.public_key_file", "auth.passphrase_env",
      "auth.passphrase_file", "auth.password_env", "auth.password_file", "known_hosts_file", "host_key_fingerprint",
      "connect_timeout", "io_timeout", "keepalive_interval", "root", "inbound_dir", "outbound_dir", "ack_dir",
      "after_download", "archive_dir", "error_dir", "poll_interval", "glob", "stable_for", "min_age", "done_suffix",
      "max_files_per_poll", "skip_hidden", "upload_name"};
  for (const auto& [key, value] : profile.transport) {
    if (!kKeys.count(key)) return r.Fail(key, "unknown key");
  }
  PartnerTransport t;
  t.kind = r.Get("kind");
  if (t.kind == "sftp") {
    t.sftp.host = r.Get("host");
    if (t.sftp.host.empty()) return r.Fail("host", "is required for an sftp transport");
    long port = 22;
    GATEWAY_RETURN_IF_ERROR(r.Number("port", 1, 65535, &port));
    t.sftp.port = static_cast<std::uint16_t>(port);
    t.sftp.user = r.Get("user");
    if (t.sftp.user.empty()) return r.Fail("user", "is required for an sftp transport");
    const bool key_auth = r.Has("auth.private_key_file");
    const bool password_auth = r.Has("auth.password_env") || r.Has("auth.password_file");
    if (key_auth == password_auth) {
      return r.Fail("auth", "give either private_key_file (with passphrase_env or passphrase_file if it is encrypted) "
                            "or password_env / password_file");
    }
    if (key_auth) {
      t.sftp.auth.kind = transport::SftpAuth::Kind::kPrivateKey;
      t.sftp.auth.private_key_file = r.Path("auth.private_key_file");
      t.sftp.auth.public_key_file = r.Path("auth.public_key_file");
      t.sftp.auth.passphrase.env = r.Get("auth.passphrase_env");
      t.sftp.auth.passphrase.file = r.Path("auth.passphrase_file");
    } else {
      t.sftp.auth.kind = transport::SftpAuth::Kind::kPassword;
      t.sftp.auth.password.env = r.Get("auth.password_env");
      t.sftp.auth.password.file = r.Path("auth.password_file");
    }
    t.sftp.known_hosts_file = r.Path("known_hosts_file");
    t.sftp.host_key_fingerprint = r.Get("host_key_fingerprint");
    if (t.sftp.known_hosts_file.empty() && t.sftp.host_key_fingerprint.empty()) {
      return r.Fail("known_hosts_file", "an sftp partner needs known_hosts_file or host_key_fingerprint: host keys are always verified");
    }
    std::chrono::seconds s{};
    s = std::chrono::duration_cast<std::chrono::seconds>(t.sftp.connect_timeout);
    GATEWAY_RETURN_IF_ERROR(r.Seconds("connect_timeout", &s));
    t.sftp.connect_timeout = s;
    s = std::chrono::duration_cast<std::chrono::seconds>(t.sftp.io_timeout);
    GATEWAY_RETURN_IF_ERROR(r.Seconds("io_timeout", &s));
    t.sftp.io_timeout = s;
    GATEWAY_RETURN_IF_ERROR(r.Seconds("keepalive_interval", &t.sftp.keepalive_interval));
    t.sftp.root_dir = r.Get("root", ".");
  } else {
    t.local_root = r.Path("root");
    if (t.local_root.empty()) return r.Fail("root", "is required for a local transport (a directory)");
    for (const char* k : {"host", "user", "auth.private_key_file", "auth.password_env", "auth.password_file"}) {
      if (r.Has(k)) return r.Fail(k, "only applies to kind: sftp");
    }
  }
  GATEWAY_RETURN_IF_ERROR(r.RemotePath("inbound_dir", &t.inbound_dir));
  GATEWAY_RETURN_IF_ERROR(r.RemotePath("outbound_dir", &t.outbound_dir));
  GATEWAY_RETURN_IF_ERROR(r.RemotePath("ack_dir", &t.ack_dir));
  GATEWAY_RETURN_IF_ERROR(r.RemotePath("archive_dir", &t.archive_dir));
  GATEWAY_RETURN_IF_ERROR(r.RemotePath("error_dir", &t.error_dir));
  if (t.archive_dir.empty()) t.archive_dir = t.inbound_dir + "/archive";
  const std::string after = r.Get("after_download", "archive");
  if (after == "archive") {
    t.after_download = AfterDownload::kArchive;
  } else if (after == "delete") {
    t.after_download = AfterDownload::kDelete;
  } else if (after == "leave") {
    t.after_download = AfterDownload::kLeave;
  } else {
    return r.Fail("after_download", "must be archive, delete or leave");
  }
  GATEWAY_RETURN_IF_ERROR(r.Seconds("poll_interval", &t.poll_interval));
  if (t.poll_interval.count() < 1) return r.Fail("poll_interval", "must be at least 1s");
  t.rules.glob = r.Get("glob", "*");
  GATEWAY_RETURN_IF_ERROR(r.Seconds("stable_for", &t.rules.stable_for));
  GATEWAY_RETURN_IF_ERROR(r.Seconds("min_age", &t.rules.min_age));
  t.rules.done_suffix = r.Get("done_suffix");
  long cap = static_cast<long>(t.rules.max_files_per_poll);
  GATEWAY_RETURN_IF_ERROR(r.Number("max_files_per_poll", 1, 100000, &cap));
  t.rules.max_files_per_poll = static_cast<std::size_t>(cap);
  if (r.Has("skip_hidden")) {
    const std::string v = r.Get("skip_hidden");
    if (v != "true" && v != "false") return r.Fail("skip_hidden", "must be true or false");
    t.rules.skip_hidden = v == "true";
  }
  t.upload_name = r.Get("upload_name", t.upload_name);
  if (t.upload_name.find("{control}") == std::string::npos && t.upload_name.find("{id}") == std::string::npos) {
    return r.Fail("upload_name", "must contain {control} or {id}, so that two files never get the same name");
  }
  return t;
}

std::string UploadName(const std::string& pattern, const std::string& partner, const std::string& type,
                       const std::string& control, long long id, std::chrono::system_clock::time_point now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &utc);
  std::string out;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '{') {
      const size_t end = pattern.find('}', i);
      if (end != std::string::npos) {
        const std::string var = pattern.substr(i + 1, end - i - 1);
        if (var == "partner") out += partner;
        else if (var == "type") out += type;
        else if (var == "control") out += control;
        else if (var == "id") out += std::to_string(id);
        else if (var == "time") out += stamp;
        else out += pattern.substr(i, end - i + 1);
        i = end + 1;
        continue;
      }
    }
    out += pattern[i++];
  }
  return out;
}

}  // namespace gateway::daemon
