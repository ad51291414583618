// A small command-line parser shared by the subcommands: long flags with or without a
// value ("--json", "--out DIR", "--out=DIR"), the rest positional. Unknown flags are an
// error so a typo never silently changes behaviour.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace gateway {

class Args {
 public:
  // `with_value`: flags that take a value; `switches`: flags without one.
  Args(const std::vector<std::string>& argv, std::set<std::string> with_value,
       std::set<std::string> switches);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool Has(const std::string& flag) const { return values_.count(flag) > 0; }
  std::optional<std::string> Value(const std::string& flag) const;
  std::string ValueOr(const std::string& flag, const std::string& fallback) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
  std::string error_;
};

}  // namespace gateway
