#include "gateway/daemon/daemon_config.h"

#include <filesystem>

#include <yaml-cpp/yaml.h>

#include "gateway/partners/profile.h"
#include "gateway/partners/yaml_util.h"

namespace gateway::daemon {

namespace {

namespace fs = std::filesystem;
using yamlutil::CheckKeys;
using yamlutil::Error;
using yamlutil::GetString;

class Reader {
 public:
  Reader(std::string file, std::string base) : file_(std::move(file)), base_(std::move(base)) {}

  std::string Resolve(const std::string& p) const {
    if (p.empty()) return p;
    fs::path f = p;
    return (f.is_relative() ? fs::path(base_) / f : f).lexically_normal().string();
  }

  Status Duration(const YAML::Node& parent, const std::string& prefix, const std::string& key, std::chrono::seconds* out) {
    std::string text;
    GATEWAY_RETURN_IF_ERROR(GetString(file_, parent, prefix, key, false, &text));
    if (text.empty()) return Status::Ok();
    if (!partners::ParseDuration(text, out)) {
      return Error(file_, parent[key], yamlutil::Join(prefix, key), "'" + text + "' is not a duration (30s, 5m, 4h, 2d)");
    }
    return Status::Ok();
  }
  Status Millis(const YAML::Node& parent, const std::string& prefix, const std::string& key, std::chrono::milliseconds* out) {
    std::string text;
    GATEWAY_RETURN_IF_ERROR(GetString(file_, parent, prefix, key, false, &text));
    if (text.empty()) return Status::Ok();
    if (text.size() > 2 && text.compare(text.size() - 2, 2, "ms") == 0) {
      try {
        *out = std::chrono::milliseconds(std::stoll(text.substr(0, text.size() - 2)));
        return Status::Ok();
      } catch (...) {
      }
    } else {
      std::chrono::seconds s{};
      if (partners::ParseDuration(text, &s)) {
        *out = s;
        return Status::Ok();
      }
    }
    return Error(file_, parent[key], yamlutil::Join(prefix, key), "'" + text + "' is not a duration (500ms, 30s, 5m)");
  }
  Status Int(const YAML::Node& parent, const std::string& prefix, const std::string& key, int lo, int hi, int* out) {
    std::string text;
    GATEWAY_RETURN_IF_ERROR(GetString(file_, parent, prefix, key, false, &text));
    if (text.empty()) return Status::Ok();
    try {
      size_t used = 0;
      const long v = std::stol(text, &used);
      if (used == text.size() && v >= lo && v <= hi) {
        *out = static_cast<int>(v);
        return Status::Ok();
      }
    } catch (...) {
    }
    return Error(file_, parent[key], yamlutil::Join(prefix, key),
                 "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  Status Bool(const YAML::Node& parent, const std::string& prefix, const std::string& key, bool* out) {
    std::string text;
    GATEWAY_RETURN_IF_ERROR(GetString(file_, parent, prefix, key, false, &text));
    if (text.empty()) return Status::Ok();
    if (text == "true" || text == "yes") {
      *out = true;
    } else if (text == "false" || text == "no") {
      *out = false;
    } else {
      return Error(file_, parent[key], yamlutil::Join(prefix, key), "must be true or false");
    }
    return Status::Ok();
  }
  Status Secret(const YAML::Node& parent, const std::string& prefix, transport::SecretRef* out) {
    GATEWAY_RETURN_IF_ERROR(GetString(file_, parent, prefix, "token_env", false, &out->env));
    std::string f;
    GATEWAY_RETURN_IF_ERROR(GetString(file_, parent, prefix, "token_file", false, &f));
    out->file = Resolve(f);
    if (!out->env.empty() && !out->file.empty()) {
      return Error(file_, parent["token_file"], prefix, "give token_env or token_file, not both");
    }
    if (parent["token"].IsDefined()) {
      return Error(file_, parent["token"], yamlutil::Join(prefix, "token"),
                   "secrets never go in the config: use token_env (a variable name) or token_file (a path)");
    }
    return Status::Ok();
  }

  Status Oms(const YAML::Node& n, OmsTarget* o) {
    GATEWAY_RETURN_IF_ERROR(CheckKeys(file_, n, "oms",
                                      {"base_url", "paths", "token_env", "token_file", "token", "ca_file", "verify_tls",
                                       "connect_timeout", "request_timeout", "max_connections", "status_classes", "retry"}));
    GATEWAY_RETURN_IF_ERROR(GetString(file_, n, "oms", "base_url", false, &o->base_url));
    if (!o->base_url.empty() && o->base_url.rfind("http://", 0) != 0 && o->base_url.rfind("https://", 0) != 0) {
      return Error(file_, n["base_url"], "oms.base_url", "must start with http:// or https://");
    }
    if (const YAML::Node p = n["paths"]; p.IsDefined()) {
      if (!p.IsMap()) return Error(file_, p, "oms.paths", "must map event types to paths");
      for (const auto& kv : p) {
        const std::string path = kv.second.as<std::string>();
        if (path.empty() || path[0] != '/') return Error(file_, kv.second, "oms.paths." + kv.first.as<std::string>(), "must start with /");
        o->paths[kv.first.as<std::string>()] = path;
      }
    }
    GATEWAY_RETURN_IF_ERROR(Secret(n, "oms", &o->token));
    std::string ca;
    GATEWAY_RETURN_IF_ERROR(GetString(file_, n, "oms", "ca_file", false, &ca));
    o->ca_file = Resolve(ca);
    GATEWAY_RETURN_IF_ERROR(Bool(n, "oms", "verify_tls", &o->verify_tls));
    GATEWAY_RETURN_IF_ERROR(Millis(n, "oms", "connect_timeout", &o->connect_timeout));
    GATEWAY_RETURN_IF_ERROR(Millis(n, "oms", "request_timeout", &o->request_timeout));
    GATEWAY_RETURN_IF_ERROR(Int(n, "oms", "max_connections", 1, 256, &o->max_connections));
    if (const YAML::Node c = n["status_classes"]; c.IsDefined()) {
      if (!c.IsMap()) return Error(file_, c, "oms.status_classes", "must map HTTP status codes to classes");
      for (const auto& kv : c) {
        const std::string k = kv.first.as<std::string>(), v = kv.second.as<std::string>();
        int code = 0;
        try {
          code = std::stoi(k);
        } catch (...) {
        }
        if (code < 100 || code > 599) return Error(file_, kv.first, "oms.status_classes." + k, "is not an HTTP status code");
        if (v != "delivered" && v != "permanent" && v != "auth" && v != "transient") {
          return Error(file_, kv.second, "oms.status_classes." + k, "must be delivered, permanent, auth or transient");
        }
        o->status_classes[code] = v;
      }
    }
    if (const YAML::Node r = n["retry"]; r.IsDefined()) {
      GATEWAY_RETURN_IF_ERROR(CheckKeys(file_, r, "oms.retry", {"initial_delay", "max_delay", "window", "multiplier", "jitter", "max_attempts"}));
      std::chrono::seconds s{};
      s = std::chrono::duration_cast<std::chrono::seconds>(o->retry.initial_delay);
      GATEWAY_RETURN_IF_ERROR(Duration(r, "oms.retry", "initial_delay", &s));
      o->retry.initial_delay = s;
      s = std::chrono::duration_cast<std::chrono::seconds>(o->retry.max_delay);
      GATEWAY_RETURN_IF_ERROR(Duration(r, "oms.retry", "max_delay", &s));
      o->retry.max_delay = s;
      if (r["window"].IsDefined()) {
        s = std::chrono::seconds(0);
        GATEWAY_RETURN_IF_ERROR(Duration(r, "oms.retry", "window", &s));
        o->retry.max_age = s;
      }
      std::string text;
      GATEWAY_RETURN_IF_ERROR(GetString(file_, r, "oms.retry", "multiplier", false, &text));
      if (!text.empty()) {
        try {
          o->retry.multiplier = std::stod(text);
        } catch (...) {
          return Error(file_, r["multiplier"], "oms.retry.multiplier", "must be a number");
        }
        if (o->retry.multiplier < 1) return Error(file_, r["multiplier"], "oms.retry.multiplier", "must be at least 1");
      }
      text.clear();
      GATEWAY_RETURN_IF_ERROR(GetString(file_, r, "oms.retry", "jitter", false, &text));
      if (!text.empty()) {
        try {
          o->retry.jitter = std::stod(text);
        } catch (...) {
          return Error(file_, r["jitter"], "oms.retry.jitter", "must be a number");
        }
        if (o->retry.jitter < 0 || o->retry.jitter > 1) return Error(file_, r["jitter"], "oms.retry.jitter", "must be from 0 to 1");
      }
      int attempts = 0;
      GATEWAY_RETURN_IF_ERROR(Int(r, "oms.retry", "max_attempts", 1, 1000000, &attempts));
      if (attempts > 0) o->retry.max_attempts = attempts;
    }
    return Status::Ok();
  }

  Status Http(const YAML::Node& n, HttpSettings* h) {
    GATEWAY_RETURN_IF_ERROR(CheckKeys(file_, n, "http", {"enabled", "address", "port", "token_env", "token_file", "token", "max_body_bytes"}));
    GATEWAY_RETURN_IF_ERROR(Bool(n, "http", "enabled", &h->enabled));
    GATEWAY_RETURN_IF_ERROR(GetString(file_, n, "http", "address", false, &h->address));
    GATEWAY_RETURN_IF_ERROR(Int(n, "http", "port", 0, 65535, &h->port));
    GATEWAY_RETURN_IF_ERROR(Secret(n, "http", &h->token));
    int max_body = static_cast<int>(h->max_body_bytes);
    GATEWAY_RETURN_IF_ERROR(Int(n, "http", "max_body_bytes", 1024, 1 << 30, &max_body));
    h->max_body_bytes = static_cast<std::size_t>(max_body);
    return Status::Ok();
  }

  Status Log(const YAML::Node& n, LogSettings* l) {
    GATEWAY_RETURN_IF_ERROR(CheckKeys(file_, n, "log", {"level", "format", "file"}));
    GATEWAY_RETURN_IF_ERROR(GetString(file_, n, "log", "level", false, &l->level));
    GATEWAY_RETURN_IF_ERROR(GetString(file_, n, "log", "format", false, &l->format));
    std::string f;
    GATEWAY_RETURN_IF_ERROR(GetString(file_, n, "log", "file", false, &f));
    l->file = Resolve(f);
    static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error"};
    if (!kLevels.count(l->level)) return Error(file_, n["level"], "log.level", "must be trace, debug, info, warn or error");
    if (l->format != "text" && l->format != "json") return Error(file_, n["format"], "log.format", "must be text or json");
    return Status::Ok();
  }

 private:
  std::string file_, base_;
};

}  // namespace

Result<DaemonConfig> LoadDaemonConfig(const std::string& path) {
  DaemonConfig c;
  GATEWAY_ASSIGN_OR_RETURN(c.gateway, partners::LoadGatewayConfig(path));
  c.base_dir = fs::path(path).parent_path().string();
  if (c.base_dir.empty()) c.base_dir = ".";
  Reader r(path, c.base_dir);
  try {
    const YAML::Node root = YAML::LoadFile(path);
    GATEWAY_RETURN_IF_ERROR(CheckKeys(path, root, "", {"partners_dir", "mappings_dir", "spool", "oms", "http", "log", "workers"}));
    std::string spool_path = "var/spool.db";
    if (const YAML::Node s = root["spool"]; s.IsDefined()) {
      GATEWAY_RETURN_IF_ERROR(CheckKeys(path, s, "spool", {"path", "lease", "deadline_check"}));
      GATEWAY_RETURN_IF_ERROR(GetString(path, s, "spool", "path", false, &spool_path));
      GATEWAY_RETURN_IF_ERROR(r.Duration(s, "spool", "lease", &c.lease));
      GATEWAY_RETURN_IF_ERROR(r.Duration(s, "spool", "deadline_check", &c.deadline_check));
      if (c.lease < std::chrono::seconds(10)) return Error(path, s["lease"], "spool.lease", "must be at least 10s");
    }
    c.spool_path = r.Resolve(spool_path);
    if (const YAML::Node w = root["workers"]; w.IsDefined()) {
      GATEWAY_RETURN_IF_ERROR(CheckKeys(path, w, "workers", {"transfers", "deliveries"}));
      GATEWAY_RETURN_IF_ERROR(r.Int(w, "workers", "transfers", 1, 64, &c.transfer_workers));
      GATEWAY_RETURN_IF_ERROR(r.Int(w, "workers", "deliveries", 1, 64, &c.delivery_workers));
    }
    if (const YAML::Node o = root["oms"]; o.IsDefined()) GATEWAY_RETURN_IF_ERROR(r.Oms(o, &c.oms));
    if (const YAML::Node h = root["http"]; h.IsDefined()) GATEWAY_RETURN_IF_ERROR(r.Http(h, &c.http));
    if (const YAML::Node l = root["log"]; l.IsDefined()) GATEWAY_RETURN_IF_ERROR(r.Log(l, &c.log));
  } catch (const YAML::Exception& e) {
    return Status(Code::kInvalidArgument, path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return c;
}

}  // namespace gateway::daemon
