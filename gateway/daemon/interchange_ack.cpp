#include "gateway/daemon/interchange_ack.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "edi/text.h"
#include "spool/idempotency_key.h"

namespace gateway::daemon {

namespace {

// TA102 (YYMMDD) and TA103 (HHMM) as RFC 3339, "" when they are not a date and time.
std::string Ta1Time(const edi::InterchangeAck& ta1) {
  if (ta1.date.size() != 6 || ta1.time.size() != 4 || !edi::AllDigits(ta1.date) || !edi::AllDigits(ta1.time)) return "";
  const int month = std::stoi(ta1.date.substr(2, 2));
  const int day = std::stoi(ta1.date.substr(4, 2));
  const int hour = std::stoi(ta1.time.substr(0, 2));
  const int minute = std::stoi(ta1.time.substr(2, 2));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return "";
  return "20" + ta1.date.substr(0, 2) + "-" + ta1.date.substr(2, 2) + "-" + ta1.date.substr(4, 2) + "T" +
         ta1.time.substr(0, 2) + ":" + ta1.time.substr(2, 2) + ":00Z";
}

// `v` as a number written with printf `format`, or as it is when it is not a short number.
std::string Renumbered(std::string_view v, const char* format) {
  if (!edi::AllDigits(v) || v.size() > 18) return std::string(v);
  char buf[24];
  std::snprintf(buf, sizeof buf, format, std::stoll(std::string(v)));
  return buf;
}

}  // namespace

std::string OurInterchangeControl(std::string_view ta101) { return Renumbered(ta101, "%09lld"); }
std::string OurGroupControl(std::string_view ak102) { return Renumbered(ak102, "%lld"); }
std::string OurSetControl(std::string_view ak202) { return Renumbered(ak202, "%04lld"); }

std::string DescribeTa1(const edi::InterchangeAck& ta1) {
  std::string d = "TA1 " + std::string(1, ta1.status);
  if (!ta1.note_code.empty()) d += " " + ta1.note_code;
  const std::string_view text = edi::Ta1NoteText(ta1.note_code);
  if (!text.empty()) d += ": " + std::string(text);
  return d;
}

std::optional<Ta1Event> OrderAcknowledgmentFromTa1(std::string_view partner, const edi::InterchangeAck& ta1,
                                                   const std::vector<spool::ItemSummary>& ours,
                                                   const canonical::EdiSource& source) {
  if (ta1.status != 'R') return std::nullopt;
  // Our interchanges hold one group; should one ever hold more, each group is its own
  // acknowledgment, as the partner's 997 would have it.
  std::string group;
  nlohmann::json sets = nlohmann::json::array();
  for (const spool::ItemSummary& m : ours) {
    if (m.type != "940" || m.direction != spool::Direction::kOutbound) continue;
    if (group.empty()) group = m.control_numbers.gs06;
    if (m.control_numbers.gs06 != group) continue;
    sets.push_back({{"set_id", "940"}, {"control", m.control_numbers.st02}, {"status", "rejected"},
                    {"errors", nlohmann::json::array()}});
  }
  if (sets.empty() || group.empty()) return std::nullopt;
  const std::string control = OurInterchangeControl(ta1.control);
  nlohmann::json data = {
      {"functional_id", "OW"},
      {"partner_group_control", group},
      {"group_status", "rejected"},
      {"group_errors", nlohmann::json::array({DescribeTa1(ta1)})},
      {"sets_included", sets.size()},
      {"sets_accepted", 0},
      {"sets", sets},
      {"interchange_control", control},
      {"interchange_status", "rejected"},
  };
  if (!ta1.note_code.empty()) data["interchange_note_code"] = ta1.note_code;
  if (const std::string_view text = edi::Ta1NoteText(ta1.note_code); !text.empty()) {
    data["interchange_note"] = std::string(text);
  }
  Ta1Event e;
  e.orders = sets.size();
  e.business_key = {control, ta1.date + ta1.time};
  e.idempotency_key = spool::MakeIdempotencyKey(partner, "TA1", e.business_key, {});
  const std::string time = Ta1Time(ta1);
  canonical::Envelope env;
  env.partner = partner;
  env.type = "order_acknowledgment";
  env.time = time;
  env.idempotency_key = e.idempotency_key;
  env.source = &source;
  canonical::AppendCloudEvent(e.event, env, data.dump());
  return e;
}

}  // namespace gateway::daemon
