// One log line per event, with the fields operators search by (partner, file, control numbers,
// message id): `2026-11-27T16:00:00.123+0000 [info] delivered partner=acme message=42 ...` or,
// with log.format json, one JSON object per line. Values are data the daemon chose to log;
// secrets are never passed here (they live only in transport::Secret).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include "gateway/daemon/daemon_config.h"
#include "gateway/status.h"

namespace gateway::daemon {

struct LogField {
  std::string_view key;
  std::string value;
  LogField(std::string_view k, std::string v) : key(k), value(std::move(v)) {}
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const char* v) : key(k), value(v) {}
  LogField(std::string_view k, long long v) : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, long v) : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, int v) : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, unsigned long v) : key(k), value(std::to_string(v)) {}
  LogField(std::string_view k, unsigned long long v) : key(k), value(std::to_string(v)) {}
};

// Installs the default spdlog logger (stderr or a file; text or JSON). Called once by `run`.
Status SetupLogging(const LogSettings& settings);

void LogEvent(spdlog::level::level_enum level, std::string_view message, std::initializer_list<LogField> fields = {});

// An alert is a warning/error with alert=<name>, counted in edigate_alerts_total.
void LogAlert(std::string_view alert, std::string_view message, std::initializer_list<LogField> fields = {});

}  // namespace gateway::daemon
