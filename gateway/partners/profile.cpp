#include "gateway/partners/profile.h"

#include <cctype>
#include <filesystem>

#include <yaml-cpp/yaml.h>

#include "gateway/partners/yaml_util.h"

namespace gateway::partners {

namespace fs = std::filesystem;
using yamlutil::CheckKeys;
using yamlutil::Error;
using yamlutil::GetString;

namespace {
// Codes are a few bytes: sizes first, then the bytes inline (no memcmp call per entry; the
// mapper looks up several codes per line).
bool SameCode(const std::string& a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < b.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}
}  // namespace

const std::string* CodeTable::Find(std::string_view code) const {
  for (const auto& [k, v] : entries) {
    if (SameCode(k, code)) return &v;
  }
  return nullptr;
}

const std::string* CodeTable::FindReverse(std::string_view code) const {
  for (const auto& [k, v] : entries) {
    if (SameCode(v, code)) return &k;
  }
  return nullptr;
}

const CodeTable* PartnerProfile::FindTable(std::string_view name) const {
  for (const CodeTable& t : code_tables) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const MappingRef* PartnerProfile::FindMapping(std::string_view key, std::string_view direction) const {
  for (const MappingRef& m : mappings) {
    if (m.key == key && m.direction == direction) return &m;
  }
  return nullptr;
}

bool ParseDuration(std::string_view t, std::chrono::seconds* out) {
  if (t.size() < 2) return false;
  const char unit = t.back();
  t.remove_suffix(1);
  long long n = 0;
  for (char c : t) {
    if (c < '0' || c > '9' || n > 1000000000LL) return false;
    n = n * 10 + (c - '0');
  }
  long long mult = 0;
  switch (unit) {
    case 's': mult = 1; break;
    case 'm': mult = 60; break;
    case 'h': mult = 3600; break;
    case 'd': mult = 86400; break;
    default: return false;
  }
  *out = std::chrono::seconds(n * mult);
  return true;
}

namespace {

class ProfileParser {
 public:
  ProfileParser(std::string file, std::string mappings_dir) : file_(std::move(file)), mappings_dir_(std::move(mappings_dir)) {}

  Result<PartnerProfile> Parse(const YAML::Node& root) {
    PartnerProfile p;
    p.file = file_;
    GATEWAY_RETURN_IF_ERROR(CheckKeys(file_, root, "",
                                      {"id", "name", "format", "x12", "mappings", "code_tables", "duplicates",
                                       "deadlines", "transport", "warehouses"}));
    GATEWAY_RETURN_IF_ERROR(GetString(file_, root, "", "id", true, &p.id));
    if (p.id.empty() || p.id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != std::string::npos) {
      return Error(file_, root["id"], "id", "must be letters, digits, '.', '_' or '-'");
    }
    GATEWAY_RETURN_IF_ERROR(GetString(file_, root, "", "name", false, &p.name));
    GATEWAY_RETURN_IF_ERROR(GetString(file_, root, "", "format", false, &p.format));
    if (p.format != "x12" && p.format != "xml") return Error(file_, root["format"], "format", "must be x12 or xml");
    if (root["x12"].IsDefined()) {
      GATEWAY_RETURN_IF_ERROR(X12(root["x12"], &p));
    } else if (p.format == "x12") {
      return Error(file_, root, "x12", "is required for an X12 partner");
    }
    if (root["mappings"].IsDefined()) GATEWAY_RETURN_IF_ERROR(Mappings(root["mappings"], &p));
    if (root["code_tables"].IsDefined()) GATEWAY_RETURN_IF_ERROR(Tables(root["code_tables"], &p));
    if (root["duplicates"].IsDefined()) GATEWAY_RETURN_IF_ERROR(Duplicates(root["duplicates"], &p));
    if (root["deadlines"].IsDefined()) GATEWAY_RETURN_IF_ERROR(Deadlines(root["deadlines"], &p));
    if (root["transport"].IsDefined()) GATEWAY_RETURN_IF_ERROR(Transport(root["transport"], &p));
    if (const YAML::Node w = root["warehouses"]; w.IsDefined()) {
      if (!w.IsSequence()) return Error(file_, w, "warehouses", "must be a list of warehouse codes");
      for (const auto& item : w) {
        if (!item.IsScalar() || item.Scalar().empty()) return Error(file_, item, "warehouses", "each entry must be a warehouse code");
        p.warehouses.push_back(item.Scalar());
      }
    }
    return p;
  }

 private:
  Status Party(const YAML::Node& n, const std::string& key, PartyIds* out) {
    GATEWAY_RETURN_IF_ERROR(CheckKeys(file_, n, key, {"qualifier", "id", "gs"}));
    GATEWAY_RETURN_IF_ERROR(GetString(file_, n, key, "qualifier", true, &out->qualifier));
    GATEWAY_RETURN_IF_ERROR(GetString(file_, n, key, "id", true, &out->id));
    out->gs = out->id;
    GATEWAY_RETURN_IF_ERROR(GetString(file_, n, key, "gs", false, &out->gs));
    if (out->qualifier.size() != 2) return Error(file_, n["qualifier"], key + ".qualifier", "must be 2 characters (ISA05/ISA07)");
    if (out->id.empty() || out->id.size() > 15) return Error(file_, n["id"], key + ".id", "must be 1-15 characters (ISA06/ISA08)");
    if (out->gs.size() < 2 || out->gs.size() > 15) return Error(file_, n["gs"], key + ".gs", "must be 2-15 characters (GS02/GS03)");
    return Status::Ok();
  }

  Status Delimiter(const YAML::Node& n, const std::string& key, char* out, bool allow_newline) {
    if (!n.IsDefined()) return Status::Ok();
    const std::string v = n.as<std::string>();
    if (v.size() != 1) return Error(file_, n, key, "must be exactly one character");
    const unsigned char c = static_cast<unsigned char>(v[0]);
    if (std::isalnum(c) || (c == ' ') || (!allow_newline && (c == '\n' || c == '\r'))) {
      return Error(file_, n, key, "must not be a letter, digit, space" + std::string(allow_newline ? "" : " or line break"));
    }
    *out = v[0];
    return Status::Ok();
  }

  Status X12(const YAML::Node& n, PartnerProfile* p) {
    GATEWAY_RETURN_IF_ERROR(CheckKeys(file_, n, "x12",
                                      {"ours", "theirs", "version", "isa_version", "usage", "ack_requested", "delimiters",
                                       "charset"}));
    if (!n["ours"].IsDefined()) return Error(file_, n, "x12.ours", "is required");
    if (!n["theirs"].IsDefined()) return Error(file_, n, "x12.theirs", "is required");
    GATEWAY_RETURN_IF_ERROR(Party(n["ours"], "x12.ours", &p->ours));
    GATEWAY_RETURN_IF_ERROR(Party(n["theirs"], "x12.theirs", &p->theirs));
    GATEWAY_RETURN_IF_ERROR(GetString(file_, n, "x12", "version", false, &p->x12_version));
    if (p->x12_version.size() < 6) return Error(file_, n["version"], "x12.version", "must be a GS08 version such as 004010");
    GATEWAY_RETURN_IF_ERROR(GetString(file_, n, "x12", "isa_version", false, &p->isa_version));
    if (p->isa_version.size() != 5) return Error(file_, n["isa_version"], "x12.isa_version", "must be 5 characters (ISA12)");
    std::string usage(1, p->usage);
    GATEWAY_RETURN_IF_ERROR(GetString(file_, n, "x12", "usage", false, &usage));
    if (usage != "P" && usage != "T") return Error(file_, n["usage"], "x12.usage", "must be P or T");
    p->usage = usage[0];
    if (n["ack_requested"].IsDefined()) p->ack_requested = n["ack_requested"].as<bool>();
    GATEWAY_RETURN_IF_ERROR(GetString(file_, n, "x12", "charset", false, &p->charset));
    if (p->charset != "ascii" && p->charset != "utf8") {
      return Error(file_, n["charset"], "x12.charset", "must be ascii or utf8");
    }
    if (const YAML::Node d = n["delimiters"]; d.IsDefined()) {
      GATEWAY_RETURN_IF_ERROR(
          CheckKeys(file_, d, "x12.delimiters", {"element", "component", "segment", "suffix", "in_data"}));
      GATEWAY_RETURN_IF_ERROR(Delimiter(d["element"], "x12.delimiters.element", &p->delimiters.element, false));
      GATEWAY_RETURN_IF_ERROR(Delimiter(d["component"], "x12.delimiters.component", &p->delimiters.component, false));
      char term = p->delimiters.terminator[0];
      GATEWAY_RETURN_IF_ERROR(Delimiter(d["segment"], "x12.delimiters.segment", &term, true));
      p->delimiters.terminator = std::string(1, term);
      if (d["suffix"].IsDefined()) {
        p->segment_suffix = d["suffix"].as<std::string>();
        if (p->segment_suffix.find_first_not_of("\r\n") != std::string::npos) {
          return Error(file_, d["suffix"], "x12.delimiters.suffix", "may hold only CR and LF");
        }
      }
      const char e = p->delimiters.element, c = p->delimiters.component;
      if (e == c || e == term || c == term) {
        return Error(file_, d, "x12.delimiters", "element, component and segment delimiters must differ");
      }
      if (const YAML::Node r = d["in_data"]; r.IsDefined()) {
        const std::string v = r.IsScalar() ? r.Scalar() : "";
        const auto u = v.size() == 1 ? static_cast<unsigned char>(v[0]) : 0;
        if (v == "reject") {
          p->replace_in_data.reset();
        } else if (v.size() != 1 || u < 0x20 || u >= 0x7f || v[0] == e || v[0] == c || v[0] == term) {
          return Error(file_, r, "x12.delimiters.in_data",
                       "must be one printable ASCII character that is not a delimiter (what a delimiter in the "
                       "data becomes), or reject");
        } else {
          p->replace_in_data = v[0];
        }
      }
    }
    return Status::Ok();
  }

  Status Mappings(const YAML::Node& n, PartnerProfile* p) {
    GATEWAY_RETURN_IF_ERROR(CheckKeys(file_, n, "mappings", {"inbound", "outbound"}));
    for (const char* dir : {"inbound", "outbound"}) {
      const YAML::Node m = n[dir];
      if (!m.IsDefined()) continue;
      const std::string prefix = std::string("mappings.") + dir;
      if (!m.IsMap()) return Error(file_, m, prefix, "must map a transaction set (or XML document) to a mapping file");
      for (const auto& kv : m) {
        MappingRef r;
        r.key = kv.first.as<std::string>();
        r.direction = dir;
        r.line = yamlutil::Line(kv.second);
        if (!kv.second.IsScalar()) return Error(file_, kv.second, prefix + "." + r.key, "must be a file name");
        fs::path f = kv.second.Scalar();
        if (f.is_relative()) f = fs::path(MappingsDir()) / f;
        r.path = f.lexically_normal().string();
        if (!fs::exists(r.path)) {
          return Error(file_, kv.second, prefix + "." + r.key, "mapping file " + r.path + " does not exist");
        }
        p->mappings.push_back(std::move(r));
      }
    }
    return Status::Ok();
  }

  Status Tables(const YAML::Node& n, PartnerProfile* p) {
    if (!n.IsMap()) return Error(file_, n, "code_tables", "must map table names to tables");
    for (const auto& kv : n) {
      CodeTable t;
      t.name = kv.first.as<std::string>();
      const std::string key = "code_tables." + t.name;
      if (!kv.second.IsMap()) return Error(file_, kv.second, key, "must map partner codes to canonical codes");
      for (const auto& e : kv.second) {
        if (!e.second.IsScalar()) return Error(file_, e.second, key + "." + e.first.as<std::string>(), "must be a single value");
        const std::string code = e.first.as<std::string>();
        if (t.Find(code) != nullptr) return Error(file_, e.first, key + "." + code, "is listed twice");
        t.entries.emplace_back(code, e.second.Scalar());
      }
      p->code_tables.push_back(std::move(t));
    }
    return Status::Ok();
  }

  Status Action(const YAML::Node& n, const std::string& key, DuplicateAction* out) {
    if (!n.IsDefined()) return Status::Ok();
    const std::string v = n.as<std::string>();
    if (v == "reject") {
      *out = DuplicateAction::kReject;
    } else if (v == "warn") {
      *out = DuplicateAction::kWarn;
    } else if (v == "allow") {
      *out = DuplicateAction::kAllow;
    } else {
      return Error(file_, n, key, "must be reject, warn or allow");
    }
    return Status::Ok();
  }

  Status Duration(const YAML::Node& n, const std::string& key, std::chrono::seconds* out) {
    if (!n.IsDefined()) return Status::Ok();
    if (!n.IsScalar() || !ParseDuration(n.Scalar(), out) || out->count() <= 0) {
      return Error(file_, n, key, "must be a positive duration such as 30m, 4h or 2d");
    }
    return Status::Ok();
  }

  Status Duplicates(const YAML::Node& n, PartnerProfile* p) {
    GATEWAY_RETURN_IF_ERROR(CheckKeys(file_, n, "duplicates", {"file", "interchange", "interchange_window", "business"}));
    GATEWAY_RETURN_IF_ERROR(Action(n["file"], "duplicates.file", &p->duplicates.file));
    GATEWAY_RETURN_IF_ERROR(Action(n["interchange"], "duplicates.interchange", &p->duplicates.interchange));
    GATEWAY_RETURN_IF_ERROR(Action(n["business"], "duplicates.business", &p->duplicates.business));
    std::chrono::seconds w = p->duplicates.interchange_window;
    GATEWAY_RETURN_IF_ERROR(Duration(n["interchange_window"], "duplicates.interchange_window", &w));
    p->duplicates.interchange_window = std::chrono::duration_cast<std::chrono::hours>(w);
    return Status::Ok();
  }

  Status Deadlines(const YAML::Node& n, PartnerProfile* p) {
    GATEWAY_RETURN_IF_ERROR(CheckKeys(file_, n, "deadlines", {"ack_997", "ship_945"}));
    GATEWAY_RETURN_IF_ERROR(Duration(n["ack_997"], "deadlines.ack_997", &p->ack_deadline));
    GATEWAY_RETURN_IF_ERROR(Duration(n["ship_945"], "deadlines.ship_945", &p->ship_deadline));
    return Status::Ok();
  }

  Status Flatten(const YAML::Node& n, const std::string& prefix, std::map<std::string, std::string>* out) {
    if (n.IsMap()) {
      for (const auto& kv : n) GATEWAY_RETURN_IF_ERROR(Flatten(kv.second, yamlutil::Join(prefix, kv.first.as<std::string>()), out));
    } else if (n.IsScalar()) {
      (*out)[prefix] = n.Scalar();
      transport_lines_[prefix] = yamlutil::Line(n);
    } else if (!n.IsNull()) {
      return Error(file_, n, "transport." + prefix, "must be a value or a mapping");
    }
    return Status::Ok();
  }

  Status Transport(const YAML::Node& n, PartnerProfile* p) {
    if (!n.IsMap()) return Error(file_, n, "transport", "must be a mapping");
    std::string kind;
    GATEWAY_RETURN_IF_ERROR(GetString(file_, n, "transport", "kind", true, &kind));
    if (kind != "sftp" && kind != "local") return Error(file_, n["kind"], "transport.kind", "must be sftp or local");
    GATEWAY_RETURN_IF_ERROR(Flatten(n, "", &p->transport));
    p->transport_lines = transport_lines_;
    return Status::Ok();
  }

  std::string MappingsDir() const {
    if (!mappings_dir_.empty()) return mappings_dir_;
    return (fs::path(file_).parent_path() / ".." / "mappings").lexically_normal().string();
  }

  std::string file_;
  std::string mappings_dir_;
  std::map<std::string, int> transport_lines_;
};

}  // namespace

Result<PartnerProfile> LoadPartnerProfile(const std::string& path, const std::string& mappings_dir) {
  if (!fs::exists(path)) return Status(Code::kNotFound, path + ": no such partner profile");
  try {
    const YAML::Node root = YAML::LoadFile(path);
    if (!root.IsMap()) return Error(path, root, "", "a partner profile is a YAML mapping");
    return ProfileParser(path, mappings_dir).Parse(root);
  } catch (const YAML::Exception& e) {
    return Status(Code::kInvalidArgument,
                  path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

}  // namespace gateway::partners
