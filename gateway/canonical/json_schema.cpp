#include "gateway/canonical/json_schema.h"

#include <map>
#include <mutex>
#include <regex>

namespace gateway::canonical {

const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedCanonicalSchemas();

namespace {

using json = nlohmann::json;

const json* Resolve(const json& root, std::string_view pointer) {
  if (pointer.empty() || pointer == "#") return &root;
  if (pointer.substr(0, 2) != "#/") return nullptr;
  try {
    const json& j = root.at(json::json_pointer(std::string(pointer.substr(1))));
    return &j;
  } catch (const json::exception&) {
    return nullptr;
  }
}

bool TypeMatches(const std::string& type, const json& v) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "integer") return v.is_number_integer();
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_boolean();
  if (type == "null") return v.is_null();
  return false;
}

bool FormatMatches(const std::string& format, const std::string& s) {
  static const std::regex kDate(R"(^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$)");
  static const std::regex kTime(R"(^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$)");
  static const std::regex kDateTime(
      R"(^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d\d:\d\d)$)");
  if (format == "date") return std::regex_match(s, kDate);
  if (format == "time") return std::regex_match(s, kTime);
  if (format == "date-time") return std::regex_match(s, kDateTime);
  return true;  // other formats are annotations here
}

std::string Short(const json& v) {
  std::string s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

class Checker {
 public:
  explicit Checker(const json& root) : root_(root) {}

  void Check(const json& schema, const json& v, const std::string& path, std::vector<std::string>* errors, int depth = 0) {
    if (depth > 64) {
      errors->push_back(path + ": schema nesting too deep");
      return;
    }
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) errors->push_back(path + ": not allowed here");
      return;
    }
    if (!schema.is_object()) return;
    if (auto it = schema.find("$ref"); it != schema.end()) {
      const json* target = Resolve(root_, it->get<std::string>());
      if (target == nullptr) {
        errors->push_back(path + ": schema reference " + it->get<std::string>() + " not found");
        return;
      }
      Check(*target, v, path, errors, depth + 1);
    }
    if (auto it = schema.find("type"); it != schema.end()) {
      bool ok = false;
      std::string names;
      if (it->is_string()) {
        ok = TypeMatches(it->get<std::string>(), v);
        names = it->get<std::string>();
      } else {
        for (const auto& t : *it) {
          ok = ok || TypeMatches(t.get<std::string>(), v);
          names += (names.empty() ? "" : " or ") + t.get<std::string>();
        }
      }
      if (!ok) {
        errors->push_back(path + ": must be " + names + ", got " + Short(v));
        return;
      }
    }
    if (auto it = schema.find("const"); it != schema.end() && *it != v) {
      errors->push_back(path + ": must be " + it->dump() + ", got " + Short(v));
    }
    if (auto it = schema.find("enum"); it != schema.end()) {
      bool ok = false;
      for (const auto& e : *it) ok = ok || e == v;
      if (!ok) errors->push_back(path + ": must be one of " + it->dump() + ", got " + Short(v));
    }
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      if (auto it = schema.find("minLength"); it != schema.end() && s.size() < it->get<size_t>()) {
        errors->push_back(path + ": must have at least " + it->dump() + " characters");
      }
      if (auto it = schema.find("maxLength"); it != schema.end() && s.size() > it->get<size_t>()) {
        errors->push_back(path + ": must have at most " + it->dump() + " characters");
      }
      if (auto it = schema.find("pattern"); it != schema.end()) {
        if (!std::regex_search(s, Regex(it->get<std::string>()))) {
          errors->push_back(path + ": " + Short(v) + " does not match " + it->get<std::string>());
        }
      }
      if (auto it = schema.find("format"); it != schema.end() && !FormatMatches(it->get<std::string>(), s)) {
        errors->push_back(path + ": " + Short(v) + " is not a valid " + it->get<std::string>());
      }
    }
    if (v.is_number()) {
      if (auto it = schema.find("minimum"); it != schema.end() && it->is_number() && v < *it) {
        errors->push_back(path + ": must be at least " + it->dump());
      }
    }
    if (v.is_object()) {
      const json* props = nullptr;
      if (auto it = schema.find("properties"); it != schema.end()) props = &*it;
      if (auto it = schema.find("required"); it != schema.end()) {
        for (const auto& r : *it) {
          if (!v.contains(r.get<std::string>())) errors->push_back(path + "." + r.get<std::string>() + ": is required");
        }
      }
      auto extra = schema.find("additionalProperties");
      for (const auto& [k, sub] : v.items()) {
        const std::string p = path + "." + k;
        if (props != nullptr && props->contains(k)) {
          Check((*props)[k], sub, p, errors, depth + 1);
        } else if (extra != schema.end()) {
          if (extra->is_boolean() && !extra->get<bool>()) {
            errors->push_back(p + ": is not an allowed field");
          } else if (extra->is_object()) {
            Check(*extra, sub, p, errors, depth + 1);
          }
        }
      }
    }
    if (v.is_array()) {
      if (auto it = schema.find("minItems"); it != schema.end() && v.size() < it->get<size_t>()) {
        errors->push_back(path + ": must have at least " + it->dump() + " items");
      }
      if (auto it = schema.find("maxItems"); it != schema.end() && v.size() > it->get<size_t>()) {
        errors->push_back(path + ": must have at most " + it->dump() + " items");
      }
      if (auto it = schema.find("items"); it != schema.end()) {
        for (size_t i = 0; i < v.size(); ++i) Check(*it, v[i], path + "[" + std::to_string(i) + "]", errors, depth + 1);
      }
    }
    if (auto it = schema.find("allOf"); it != schema.end()) {
      for (const auto& s : *it) Check(s, v, path, errors, depth + 1);
    }
    if (auto it = schema.find("anyOf"); it != schema.end()) {
      if (Count(*it, v, path, depth) == 0) errors->push_back(path + ": matches none of the allowed forms");
    }
    if (auto it = schema.find("oneOf"); it != schema.end()) {
      const size_t n = Count(*it, v, path, depth);
      if (n != 1) errors->push_back(path + ": must match exactly one allowed form, matches " + std::to_string(n));
    }
  }

 private:
  size_t Count(const json& alternatives, const json& v, const std::string& path, int depth) {
    size_t n = 0;
    for (const auto& s : alternatives) {
      std::vector<std::string> e;
      Check(s, v, path, &e, depth + 1);
      n += e.empty();
    }
    return n;
  }

  const std::regex& Regex(const std::string& pattern) {
    static std::mutex mu;
    static std::map<std::string, std::regex> cache;
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(pattern);
    if (it == cache.end()) it = cache.emplace(pattern, std::regex(pattern, std::regex::ECMAScript)).first;
    return it->second;
  }

  const json& root_;
};

}  // namespace

bool CheckJsonSchema(const json& schema, const json& value, std::vector<std::string>* errors, std::string_view pointer,
                     const std::string& path) {
  const size_t before = errors->size();
  const json* start = Resolve(schema, pointer);
  if (start == nullptr) {
    errors->push_back("schema pointer " + std::string(pointer) + " not found");
    return false;
  }
  Checker(schema).Check(*start, value, path, errors);
  return errors->size() == before;
}

const json* CanonicalSchema(std::string_view type) {
  static const std::map<std::string, json, std::less<>> schemas = [] {
    std::map<std::string, json, std::less<>> m;
    for (const auto& [name, text] : EmbeddedCanonicalSchemas()) {
      std::string n(name);
      const size_t dot = n.find(".schema.json");
      if (dot == std::string::npos) continue;
      m[n.substr(0, dot)] = json::parse(text);  // a broken embedded schema is a build defect
    }
    return m;
  }();
  auto it = schemas.find(type);
  return it == schemas.end() ? nullptr : &it->second;
}

}  // namespace gateway::canonical
