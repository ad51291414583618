#include "gateway/daemon/event_log.h"

#include <atomic>

#include <nlohmann/json.hpp>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace gateway::daemon {

namespace {

std::atomic<bool> g_json{false};

bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || c == '\n' || c == '\t' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

std::string Render(std::string_view message, std::initializer_list<LogField> fields, std::string_view alert) {
  if (g_json.load(std::memory_order_relaxed)) {
    nlohmann::json j = nlohmann::json::object();
    j["msg"] = std::string(message);
    if (!alert.empty()) j["alert"] = std::string(alert);
    for (const LogField& f : fields) j[std::string(f.key)] = f.value;
    std::string body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    // The pattern supplies the opening brace with time and level.
    return body.substr(1, body.size() - 2);
  }
  std::string out(message);
  if (!alert.empty()) out += " alert=" + std::string(alert);
  for (const LogField& f : fields) {
    out += ' ';
    out += f.key;
    out += '=';
    if (NeedsQuotes(f.value)) {
      out += nlohmann::json(f.value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
      out += f.value;
    }
  }
  return out;
}

}  // namespace

Status SetupLogging(const LogSettings& settings) {
  std::shared_ptr<spdlog::logger> logger;
  try {
    if (settings.file.empty()) {
      logger = std::make_shared<spdlog::logger>("edigate", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    } else {
      logger = std::make_shared<spdlog::logger>("edigate", std::make_shared<spdlog::sinks::basic_file_sink_mt>(settings.file));
    }
  } catch (const spdlog::spdlog_ex& e) {
    return Status(Code::kInvalidArgument, "log.file " + settings.file + ": " + e.what());
  }
  const bool json = settings.format == "json";
  g_json = json;
  logger->set_pattern(json ? R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l",%v})" : "%Y-%m-%dT%H:%M:%S.%e%z [%l] %v");
  logger->set_level(spdlog::level::from_str(settings.level));
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  return Status::Ok();
}

void LogEvent(spdlog::level::level_enum level, std::string_view message, std::initializer_list<LogField> fields) {
  if (!spdlog::default_logger_raw()->should_log(level)) return;
  spdlog::default_logger_raw()->log(level, "{}", Render(message, fields, ""));
}

void LogAlert(std::string_view alert, std::string_view message, std::initializer_list<LogField> fields) {
  spdlog::default_logger_raw()->log(spdlog::level::err, "{}", Render(message, fields, alert));
}

}  // namespace gateway::daemon
