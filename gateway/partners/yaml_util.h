// Helpers for reading YAML (profiles, config, mappings) with errors that name the file, the
// line and the key: "partners/acme.yaml:12: x12.ours.id: must be a string". yaml-cpp throws;
// these helpers are used inside a try block and the loaders turn exceptions into a Status.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "gateway/status.h"

namespace gateway::yamlutil {

// 1-based line of a node (0 when unknown, e.g. a missing node).
inline int Line(const YAML::Node& n) { return n.IsDefined() ? n.Mark().line + 1 : 0; }

inline Status Error(const std::string& file, const YAML::Node& at, const std::string& key,
                    const std::string& message) {
  std::string where = file;
  if (Line(at) > 0) where += ":" + std::to_string(Line(at));
  return Status(Code::kInvalidArgument, where + ": " + (key.empty() ? "" : key + ": ") + message);
}

inline std::string Join(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

// Rejects keys of map `m` that are not in `allowed` (a typo must not be silently ignored).
inline Status CheckKeys(const std::string& file, const YAML::Node& m, const std::string& prefix,
                        const std::set<std::string>& allowed) {
  if (!m.IsMap()) return Error(file, m, prefix, "must be a mapping (key: value)");
  for (const auto& kv : m) {
    const std::string k = kv.first.as<std::string>();
    if (!allowed.count(k)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return Error(file, kv.first, Join(prefix, k), "unknown key (expected one of: " + list + ")");
    }
  }
  return Status::Ok();
}

// Reads a scalar string; `required` makes absence an error.
inline Status GetString(const std::string& file, const YAML::Node& parent, const std::string& prefix,
                        const std::string& key, bool required, std::string* out) {
  const YAML::Node n = parent[key];
  if (!n.IsDefined() || n.IsNull()) {
    if (required) return Error(file, parent, Join(prefix, key), "is required");
    return Status::Ok();
  }
  if (!n.IsScalar()) return Error(file, n, Join(prefix, key), "must be a single value");
  *out = n.Scalar();
  return Status::Ok();
}

}  // namespace gateway::yamlutil
