// A small Prometheus registry. Two kinds of values live here:
//  - counters and gauges the code updates as things happen (files received, OMS failures): the
//    caller registers a labelled series once and keeps a cheap handle; Inc/Set are lock-free;
//  - values that only make sense computed at scrape time from the spool (940s past their ack
//    deadline, oldest pending message age): a collector callback runs inside Render() and
//    appends gauge samples for the families it declared up front.
// Render() writes the Prometheus text exposition format 0.0.4. Names, label names and type
// clashes are checked at registration, where a Status says what is wrong; a scrape never fails.
// Thread-safe: any thread may register, update and render at the same time.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/status.h"

namespace gateway::metrics {

// Label name -> value. Order does not matter: a series is identified by its sorted labels.
using Labels = std::vector<std::pair<std::string, std::string>>;

// The content type of Render()'s output, for the /metrics response.
inline constexpr std::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

namespace detail {
struct CounterCell {
  std::atomic<std::uint64_t> value{0};
};
struct GaugeCell {
  std::atomic<double> value{0.0};
};
}  // namespace detail

// A handle on one counter series. Copyable; all copies update the same value. A default-built
// handle is detached: Inc does nothing (lets a component run without a registry).
class CounterHandle {
 public:
  CounterHandle() = default;
  void Inc(std::uint64_t n = 1) const {
    if (cell_) cell_->value.fetch_add(n, std::memory_order_relaxed);
  }
  std::uint64_t Value() const { return cell_ ? cell_->value.load(std::memory_order_relaxed) : 0; }

 private:
  friend class Registry;
  explicit CounterHandle(std::shared_ptr<detail::CounterCell> cell) : cell_(std::move(cell)) {}
  std::shared_ptr<detail::CounterCell> cell_;
};

// A handle on one gauge series; same sharing rules as CounterHandle.
class GaugeHandle {
 public:
  GaugeHandle() = default;
  void Set(double v) const {
    if (cell_) cell_->value.store(v, std::memory_order_relaxed);
  }
  void Add(double delta) const;
  double Value() const { return cell_ ? cell_->value.load(std::memory_order_relaxed) : 0.0; }

 private:
  friend class Registry;
  explicit GaugeHandle(std::shared_ptr<detail::GaugeCell> cell) : cell_(std::move(cell)) {}
  std::shared_ptr<detail::GaugeCell> cell_;
};

// A family a collector promises to fill (gauges only: scrape-time values are levels, not totals).
struct GaugeFamily {
  std::string name;
  std::string help;
};

// What a collector writes into during one scrape.
class CollectorOutput {
 public:
  // Appends one sample. A family the collector did not declare, or a bad label name, drops the
  // sample (and Render logs a warning): a scrape always succeeds.
  void Gauge(std::string_view family, Labels labels, double value);

 private:
  friend class Registry;
  struct Sample {
    std::string family;
    Labels labels;
    double value;
  };
  std::vector<Sample> samples_;
};

// Runs at scrape time, on the thread calling Render(), without any registry lock held (it may
// query the spool, and may even register series). A non-OK Status discards everything it wrote
// in this scrape (a partial answer reads like "all clear") and counts
// edigate_metrics_collector_failures_total{collector="<name>"}.
using Collector = std::function<Status(CollectorOutput&)>;

class Registry {
 public:
  Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The counter series `name`{labels}. The first call for a name creates the family with `help`;
  // later calls with the same labels return a handle on the same value. kInvalidArgument for a
  // malformed metric or label name, a duplicate label name, or a name already used by a family
  // of another type or by a collector.
  Result<CounterHandle> Counter(const std::string& name, const std::string& help,
                                const Labels& labels = {});
  // The gauge series `name`{labels}; same rules as Counter.
  Result<GaugeHandle> Gauge(const std::string& name, const std::string& help,
                            const Labels& labels = {});

  // Registers `collect` as the only source of the gauge families `families`. `name` identifies
  // the collector in the failure counter. kInvalidArgument for a malformed or already used family
  // name, or an already used collector name.
  Status AddCollector(const std::string& name, std::vector<GaugeFamily> families,
                      Collector collect);

  // The whole registry in text format 0.0.4: families sorted by name, each with one HELP and one
  // TYPE line, series sorted by their labels. Runs the collectors.
  std::string Render() const;

 private:
  enum class Type { kCounter, kGauge };
  struct Family {
    Type type;
    std::string help;
    std::string collector;  // non-empty: samples come from this collector only
    // Rendered label set ("{a=\"x\"}" or "") -> series.
    std::map<std::string, std::shared_ptr<detail::CounterCell>> counters;
    std::map<std::string, std::shared_ptr<detail::GaugeCell>> gauges;
  };
  struct CollectorEntry {
    std::string name;
    std::vector<std::string> families;
    std::shared_ptr<Collector> collect;
    CounterHandle failures;
  };

  // Checks the names and returns the family (created if new) and the series key, or an error.
  Result<std::pair<Family*, std::string>> Series(const std::string& name, const std::string& help,
                                                 const Labels& labels, Type type);

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;  // guarded by mu_
  std::vector<CollectorEntry> collectors_;  // guarded by mu_
};

// Name rules of the exposition format, exposed for callers that build names at run time.
bool ValidMetricName(std::string_view name);  // [a-zA-Z_:][a-zA-Z0-9_:]*
bool ValidLabelName(std::string_view name);   // [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__"
// A label value escaped for the text format (backslash, double quote, newline); invalid UTF-8
// becomes U+FFFD so one bad partner name cannot make Prometheus reject the whole scrape.
std::string EscapeLabelValue(std::string_view value);
// A sample value as the text format spells it: shortest round-trip decimal, NaN, +Inf, -Inf.
std::string FormatValue(double v);

}  // namespace gateway::metrics
