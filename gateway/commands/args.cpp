#include "gateway/commands/args.h"

namespace gateway {

Args::Args(const std::vector<std::string>& argv, std::set<std::string> with_value,
           std::set<std::string> switches) {
  bool only_positional = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (only_positional || a.size() < 2 || a[0] != '-' || a == "-") {
      positional_.push_back(a);
      continue;
    }
    if (a == "--") {
      only_positional = true;
      continue;
    }
    std::string flag = a;
    std::optional<std::string> inline_value;
    if (size_t eq = a.find('='); eq != std::string::npos) {
      flag = a.substr(0, eq);
      inline_value = a.substr(eq + 1);
    }
    if (with_value.count(flag)) {
      if (inline_value) {
        values_[flag] = *inline_value;
      } else if (i + 1 < argv.size()) {
        values_[flag] = argv[++i];
      } else {
        error_ = flag + " needs a value";
        return;
      }
    } else if (switches.count(flag) && !inline_value) {
      values_[flag] = "";
    } else {
      error_ = "unknown option " + flag;
      return;
    }
  }
}

std::optional<std::string> Args::Value(const std::string& flag) const {
  auto it = values_.find(flag);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::ValueOr(const std::string& flag, const std::string& fallback) const {
  auto v = Value(flag);
  return v ? *v : fallback;
}

}  // namespace gateway
