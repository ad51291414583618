#include "gateway/spool_cli/item_format.h"

#include <cstdio>
#include <ctime>
#include <sstream>

namespace gateway::spool_cli {

namespace {

using nlohmann::json;

json OptTime(const std::optional<spool::Timestamp>& t) {
  return t ? json(spool::FormatTime(*t)) : json(nullptr);
}

template <typename T>
json Opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

json ItemJson(const spool::ItemSummary& it) {
  json j;
  j["id"] = it.id;
  j["kind"] = std::string(spool::Name(it.kind));
  j["partner"] = it.partner;
  j["state"] = it.state;
  j["duplicate_of"] = Opt(it.duplicate_of);
  j["duplicate_action"] = Opt(it.duplicate_action);
  j["created_at"] = spool::FormatTime(it.created_at);
  j["updated_at"] = spool::FormatTime(it.updated_at);
  j["next_attempt_at"] = OptTime(it.next_attempt_at);
  j["lease_owner"] = Opt(it.lease_owner);
  j["lease_until"] = OptTime(it.lease_until);
  if (it.kind == spool::ItemKind::kFile) {
    j["sha256"] = Opt(it.sha256);
    j["size"] = Opt(it.size);
    j["remote_path"] = Opt(it.remote_path);
    j["remote_size"] = Opt(it.remote_size);
    j["remote_mtime"] = OptTime(it.remote_mtime);
    return j;
  }
  j["direction"] = it.direction ? json(std::string(spool::Name(*it.direction))) : json(nullptr);
  j["type"] = Opt(it.type);
  j["idempotency_key"] = Opt(it.idempotency_key);
  j["business_key"] = Opt(it.business_key);
  j["file_id"] = Opt(it.file_id);
  j["isa13"] = it.control_numbers.isa13;
  j["gs06"] = it.control_numbers.gs06;
  j["st02"] = it.control_numbers.st02;
  j["attempts"] = it.attempts;
  j["last_error"] = Opt(it.last_error);
  j["ack_due_at"] = OptTime(it.ack_due_at);
  j["ship_due_at"] = OptTime(it.ship_due_at);
  return j;
}

json EventJson(const spool::AuditEvent& e) {
  return json{{"id", e.id},
              {"at", spool::FormatTime(e.at)},
              {"from", e.from_state.empty() ? json(nullptr) : json(e.from_state)},
              {"to", e.to_state},
              {"actor", e.actor},
              {"reason", e.reason}};
}

json StatsJson(const spool::Stats& s) {
  json rows = json::array();
  for (const spool::StatsRow& r : s.rows) {
    rows.push_back({{"kind", std::string(spool::Name(r.kind))},
                    {"partner", r.partner},
                    {"type", r.type.empty() ? json(nullptr) : json(r.type)},
                    {"state", r.state},
                    {"count", r.count}});
  }
  return json{{"counts", rows},
              {"oldest_pending_age_seconds",
               s.oldest_pending_age
                   ? json(std::chrono::duration_cast<std::chrono::seconds>(*s.oldest_pending_age).count())
                   : json(nullptr)},
              {"overdue_acks", s.overdue_acks},
              {"overdue_ships", s.overdue_ships}};
}

std::string ItemLine(const spool::ItemSummary& it) {
  std::ostringstream out;
  out << it.id << "  " << spool::Name(it.kind) << "  " << it.partner << "  " << it.state;
  if (it.kind == spool::ItemKind::kFile) {
    out << "  sha256=" << it.sha256.value_or("").substr(0, 12) << "  " << it.size.value_or(0)
        << " bytes";
    if (it.remote_path && !it.remote_path->empty()) out << "  " << *it.remote_path;
  } else {
    out << "  " << (it.direction ? spool::Name(*it.direction) : "") << " " << it.type.value_or("")
        << "  " << it.idempotency_key.value_or("");
  }
  if (it.duplicate_of) {
    out << "  duplicate of " << *it.duplicate_of << " (" << it.duplicate_action.value_or("") << ")";
  }
  return out.str();
}

std::string EventLine(const spool::AuditEvent& e) {
  std::ostringstream out;
  out << spool::FormatTime(e.at) << "  " << (e.from_state.empty() ? "-" : e.from_state) << " -> "
      << e.to_state << "  by " << e.actor;
  if (!e.reason.empty()) out << ": " << e.reason;
  return out.str();
}

std::string ItemDetails(const spool::ItemSummary& it) {
  std::ostringstream out;
  const json j = ItemJson(it);
  for (const auto& [key, value] : j.items()) {
    if (value.is_null() || (value.is_string() && value.get<std::string>().empty())) continue;
    out << "  " << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump())
        << "\n";
  }
  return out.str();
}

std::optional<spool::Timestamp> ParseTime(const std::string& text, spool::Timestamp now) {
  if (text.empty()) return std::nullopt;
  const char unit = text.back();
  if (unit == 'm' || unit == 'h' || unit == 'd') {
    char* end = nullptr;
    const long long n = std::strtoll(text.c_str(), &end, 10);
    if (end != text.c_str() + text.size() - 1 || n < 0) return std::nullopt;
    const long long minutes = unit == 'm' ? n : unit == 'h' ? n * 60 : n * 24 * 60;
    return now - std::chrono::minutes(minutes);
  }
  std::tm tm{};
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char z = 0;
  const int fields = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z);
  if (!(fields == 3 && text.size() == 10) && !(fields == 7 && z == 'Z')) return std::nullopt;
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return spool::Timestamp(std::chrono::seconds(timegm(&tm)));
}

}  // namespace gateway::spool_cli
