#include "gateway/partners/config.h"

#include <filesystem>

#include <yaml-cpp/yaml.h>

#include "gateway/partners/yaml_util.h"

namespace gateway::partners {

namespace fs = std::filesystem;

Result<GatewayConfig> LoadGatewayConfig(const std::string& path) {
  if (!fs::exists(path)) return Status(Code::kNotFound, path + ": no such config file");
  GatewayConfig c;
  c.file = path;
  try {
    const YAML::Node root = YAML::LoadFile(path);
    if (!root.IsMap()) return yamlutil::Error(path, root, "", "the config is a YAML mapping");
    std::string partners = "partners", mappings = "mappings";
    GATEWAY_RETURN_IF_ERROR(yamlutil::GetString(path, root, "", "partners_dir", false, &partners));
    GATEWAY_RETURN_IF_ERROR(yamlutil::GetString(path, root, "", "mappings_dir", false, &mappings));
    const fs::path base = fs::path(path).parent_path();
    auto resolve = [&](const std::string& p) {
      fs::path f = p;
      return (f.is_relative() ? base / f : f).lexically_normal().string();
    };
    c.partners_dir = resolve(partners);
    c.mappings_dir = resolve(mappings);
    if (!fs::is_directory(c.partners_dir)) {
      return yamlutil::Error(path, root["partners_dir"], "partners_dir", c.partners_dir + " is not a directory");
    }
    if (!fs::is_directory(c.mappings_dir)) {
      return yamlutil::Error(path, root["mappings_dir"], "mappings_dir", c.mappings_dir + " is not a directory");
    }
  } catch (const YAML::Exception& e) {
    return Status(Code::kInvalidArgument, path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return c;
}

Result<PartnerProfile> FindPartner(const GatewayConfig& config, const std::string& id) {
  const fs::path as_path = id;
  if (as_path.extension() == ".yaml" || as_path.extension() == ".yml") {
    return LoadPartnerProfile(id, config.mappings_dir);
  }
  for (const char* ext : {".yaml", ".yml"}) {
    const fs::path f = fs::path(config.partners_dir) / (id + ext);
    if (fs::exists(f)) {
      auto p = LoadPartnerProfile(f.string(), config.mappings_dir);
      if (p.ok() && p->id != id) {
        return Status(Code::kInvalidArgument, f.string() + ": file name says '" + id + "' but its id is '" + p->id + "'");
      }
      return p;
    }
  }
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(config.partners_dir, ec)) {
    if (e.path().extension() != ".yaml" && e.path().extension() != ".yml") continue;
    auto p = LoadPartnerProfile(e.path().string(), config.mappings_dir);
    if (p.ok() && p->id == id) return p;
  }
  return Status(Code::kNotFound, "no partner profile with id '" + id + "' in " + config.partners_dir);
}

std::string DefaultConfigPath() {
  for (const char* f : {"config.yaml", "config.example.yaml"}) {
    if (fs::exists(f)) return f;
  }
  return "";
}

}  // namespace gateway::partners
