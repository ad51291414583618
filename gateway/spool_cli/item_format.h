// How `edigate spool` shows spool items: JSON objects for --json (one per line) and short
// human lines otherwise.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "spool/spool.h"

namespace gateway::spool_cli {

// {"id", "kind", "partner", "state", "sha256" (files), "type", "idempotency_key" (messages),
//  "duplicate_of" (id or null), ...}.
nlohmann::json ItemJson(const spool::ItemSummary& item);
nlohmann::json EventJson(const spool::AuditEvent& event);
nlohmann::json StatsJson(const spool::Stats& stats);

// "12  file     acme  received   sha256=ab12..  /out/a.edi"
std::string ItemLine(const spool::ItemSummary& item);
std::string EventLine(const spool::AuditEvent& event);
// Multi-line details of one item.
std::string ItemDetails(const spool::ItemSummary& item);

// "2026-11-20T14:32:00Z", "2026-11-20" (UTC midnight), or an age: "90m", "36h", "7d" before now.
std::optional<spool::Timestamp> ParseTime(const std::string& text, spool::Timestamp now);

}  // namespace gateway::spool_cli
