#include "gateway/metrics/registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <set>

#include <spdlog/spdlog.h>

namespace gateway::metrics {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not valid (overlong forms,
// surrogates and code points past U+10FFFF included).
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t len = 0;
  unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  if (b1 < lo || b1 > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (b < 0x80 || b > 0xBF) return 0;
  }
  return len;
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// The series key and its rendering at once: "{a=\"x\",b=\"y\"}" with labels sorted by name, or
// "" without labels.
Result<std::string> LabelKey(Labels labels) {
  std::sort(labels.begin(), labels.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string key;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto& [name, value] = labels[i];
    if (!ValidLabelName(name)) {
      return Status(Code::kInvalidArgument, "invalid label name \"" + EscapeLabelValue(name) + "\"");
    }
    if (i > 0 && labels[i - 1].first == name) {
      return Status(Code::kInvalidArgument, "label \"" + name + "\" given twice");
    }
    key += i == 0 ? "{" : ",";
    key += name;
    key += "=\"";
    key += EscapeLabelValue(value);
    key += '"';
  }
  if (!key.empty()) key += '}';
  return key;
}

void AppendFamilyHeader(std::string& out, const std::string& name, const std::string& help,
                        const char* type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += EscapeHelp(help);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void AppendSample(std::string& out, const std::string& name, const std::string& key,
                  const std::string& value) {
  out += name;
  out += key;
  out += ' ';
  out += value;
  out += '\n';
}

constexpr const char* kCollectorFailures = "edigate_metrics_collector_failures_total";

}  // namespace

bool ValidMetricName(std::string_view name) {
  if (name.empty()) return false;
  if (!IsAlpha(name[0]) && name[0] != '_' && name[0] != ':') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return IsAlpha(c) || IsDigit(c) || c == '_' || c == ':'; });
}

bool ValidLabelName(std::string_view name) {
  if (name.empty()) return false;
  if (!IsAlpha(name[0]) && name[0] != '_') return false;
  if (name.substr(0, 2) == "__") return false;  // reserved for Prometheus itself
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return IsAlpha(c) || IsDigit(c) || c == '_'; });
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size();) {
    const char c = value[i];
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      const std::size_t len = Utf8SequenceLength(value, i);
      if (len == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
        continue;
      }
      out.append(value.substr(i, len));
      i += len;
      continue;
    }
    ++i;
  }
  return out;
}

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return "NaN";  // cannot happen: 64 bytes hold any shortest double
  return std::string(buf, end);
}

void GaugeHandle::Add(double delta) const {
  if (!cell_) return;
  double cur = cell_->value.load(std::memory_order_relaxed);
  while (!cell_->value.compare_exchange_weak(cur, cur + delta, std::memory_order_relaxed)) {
  }
}

void CollectorOutput::Gauge(std::string_view family, Labels labels, double value) {
  samples_.push_back(Sample{std::string(family), std::move(labels), value});
}

Registry::Registry() = default;

Result<std::pair<Registry::Family*, std::string>> Registry::Series(const std::string& name,
                                                                   const std::string& help,
                                                                   const Labels& labels,
                                                                   Type type) {
  if (!ValidMetricName(name)) {
    return Status(Code::kInvalidArgument, "invalid metric name \"" + EscapeLabelValue(name) + "\"");
  }
  auto key = LabelKey(labels);
  if (!key.ok()) return key.status().WithContext(name);
  auto [it, inserted] = families_.try_emplace(name);
  Family& family = it->second;
  if (inserted) {
    family.type = type;
    family.help = help;
  } else if (!family.collector.empty()) {
    return Status(Code::kInvalidArgument,
                  name + ": already filled by collector \"" + family.collector + "\"");
  } else if (family.type != type) {
    return Status(Code::kInvalidArgument,
                  name + ": already registered as a " +
                      (family.type == Type::kCounter ? "counter" : "gauge"));
  }
  return std::pair<Family*, std::string>(&family, std::move(*key));
}

Result<CounterHandle> Registry::Counter(const std::string& name, const std::string& help,
                                        const Labels& labels) {
  std::lock_guard lock(mu_);
  GATEWAY_ASSIGN_OR_RETURN(auto series, Series(name, help, labels, Type::kCounter));
  auto& cell = series.first->counters[series.second];
  if (!cell) cell = std::make_shared<detail::CounterCell>();
  return CounterHandle(cell);
}

Result<GaugeHandle> Registry::Gauge(const std::string& name, const std::string& help,
                                    const Labels& labels) {
  std::lock_guard lock(mu_);
  GATEWAY_ASSIGN_OR_RETURN(auto series, Series(name, help, labels, Type::kGauge));
  auto& cell = series.first->gauges[series.second];
  if (!cell) cell = std::make_shared<detail::GaugeCell>();
  return GaugeHandle(cell);
}

Status Registry::AddCollector(const std::string& name, std::vector<GaugeFamily> families,
                              Collector collect) {
  if (name.empty()) return Status(Code::kInvalidArgument, "collector without a name");
  if (!collect) return Status(Code::kInvalidArgument, "collector \"" + name + "\" has no callback");
  std::lock_guard lock(mu_);
  for (const auto& c : collectors_) {
    if (c.name == name) {
      return Status(Code::kInvalidArgument, "collector \"" + name + "\" registered twice");
    }
  }
  std::set<std::string> seen;
  for (const auto& f : families) {
    if (!ValidMetricName(f.name)) {
      return Status(Code::kInvalidArgument,
                    "collector \"" + name + "\": invalid metric name \"" +
                        EscapeLabelValue(f.name) + "\"");
    }
    if (families_.count(f.name) > 0 || f.name == kCollectorFailures ||
        !seen.insert(f.name).second) {
      return Status(Code::kInvalidArgument,
                    "collector \"" + name + "\": metric " + f.name + " is already registered");
    }
  }
  GATEWAY_ASSIGN_OR_RETURN(
      auto failures,
      Series(kCollectorFailures,
             "Scrapes in which a metrics collector failed and its gauges were left out.",
             {{"collector", name}}, Type::kCounter));
  auto& failure_cell = failures.first->counters[failures.second];
  if (!failure_cell) failure_cell = std::make_shared<detail::CounterCell>();
  CollectorEntry entry{name, {}, std::make_shared<Collector>(std::move(collect)),
                       CounterHandle(failure_cell)};
  for (auto& f : families) {
    Family& family = families_[f.name];
    family.type = Type::kGauge;
    family.help = std::move(f.help);
    family.collector = name;
    entry.families.push_back(f.name);
  }
  collectors_.push_back(std::move(entry));
  return Status::Ok();
}

std::string Registry::Render() const {
  std::vector<CollectorEntry> collectors;
  {
    std::lock_guard lock(mu_);
    collectors = collectors_;
  }

  // family -> series key -> rendered value, filled without the lock (collectors are slow).
  std::map<std::string, std::map<std::string, std::string>> collected;
  for (const auto& c : collectors) {
    CollectorOutput out;
    Status status;
    try {
      status = (*c.collect)(out);
    } catch (const std::exception& e) {
      status = Status(Code::kInternal, e.what());
    }
    if (!status.ok()) {
      c.failures.Inc();
      spdlog::warn("metrics collector {} failed: {}", c.name, status.ToString());
      continue;
    }
    for (auto& s : out.samples_) {
      if (std::find(c.families.begin(), c.families.end(), s.family) == c.families.end()) {
        spdlog::warn("metrics collector {} wrote undeclared metric {}", c.name, s.family);
        continue;
      }
      auto key = LabelKey(std::move(s.labels));
      if (!key.ok()) {
        spdlog::warn("metrics collector {}: {}", c.name, key.status().WithContext(s.family).message());
        continue;
      }
      collected[s.family][*key] = FormatValue(s.value);
    }
  }

  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& [name, family] : families_) {
    const bool counter = family.type == Type::kCounter;
    AppendFamilyHeader(out, name, family.help, counter ? "counter" : "gauge");
    if (!family.collector.empty()) {
      auto it = collected.find(name);
      if (it == collected.end()) continue;
      for (const auto& [key, value] : it->second) AppendSample(out, name, key, value);
    } else if (counter) {
      for (const auto& [key, cell] : family.counters) {
        AppendSample(out, name, key, std::to_string(cell->value.load(std::memory_order_relaxed)));
      }
    } else {
      for (const auto& [key, cell] : family.gauges) {
        AppendSample(out, name, key, FormatValue(cell->value.load(std::memory_order_relaxed)));
      }
    }
  }
  return out;
}

}  // namespace gateway::metrics
