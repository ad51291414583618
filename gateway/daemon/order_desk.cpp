#include "gateway/daemon/order_desk.h"

#include "gateway/canonical/json_input.h"
#include "gateway/daemon/event_log.h"
#include "spool/sha256.h"

namespace gateway::daemon {

namespace {

api::ApiAnswer Error(int status, const std::string& code, const std::string& message,
                     const std::vector<std::string>& details = {}) {
  api::ApiAnswer a;
  a.status = status;
  a.body = {{"error", {{"code", code}, {"message", message}}}};
  if (!details.empty()) a.body["error"]["details"] = details;
  return a;
}

std::string Iso(spool::Timestamp t) {
  const std::time_t s = std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(t));
  std::tm utc{};
  gmtime_r(&s, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

}  // namespace

api::ApiAnswer OrderDesk::SubmitOrder(const api::OrderSubmission& order) {
  {
    std::lock_guard lock(mu_);
    if (!in_flight_.insert(order.idempotency_key).second) {
      return Error(409, "request_in_progress", "a request with this Idempotency-Key is still being processed; retry later");
    }
  }
  api::ApiAnswer answer = Submit(order);
  std::lock_guard lock(mu_);
  in_flight_.erase(order.idempotency_key);
  return answer;
}

api::ApiAnswer OrderDesk::Submit(const api::OrderSubmission& order) {
  auto doc = canonical::ParseExactJson(order.body);
  if (!doc.ok()) return Error(400, "invalid_json", doc.status().message());
  auto data = canonical::UnwrapEvent(std::move(*doc), "fulfillment_order");
  if (!data.ok()) return Error(422, "invalid_order", data.status().message());
  if (!data->is_object() || !data->contains("warehouse") || !(*data)["warehouse"].is_string()) {
    return Error(422, "invalid_order", "$.warehouse: a fulfillment order names the warehouse that ships it");
  }
  if (!data->contains("order_id") || !(*data)["order_id"].is_string() || (*data)["order_id"].get<std::string>().empty()) {
    return Error(422, "invalid_order", "$.order_id: required");
  }
  const std::string warehouse = (*data)["warehouse"].get<std::string>();
  const std::string order_id = (*data)["order_id"].get<std::string>();
  std::shared_ptr<const PartnerBook> book = p_.book();
  const Partner* partner = book->ForWarehouse(warehouse);
  if (partner == nullptr) {
    return Error(422, "unknown_warehouse", "$.warehouse: no partner profile serves warehouse '" + warehouse + "'");
  }
  const std::string payload = data->dump();
  // Render once with throwaway numbers: a bad order is refused now, with JSON paths.
  mapping::RenderControl probe;
  probe.date = "20000101";
  probe.time = "0000";
  mapping::RenderOutput trial = mapping::RenderOrderText(partner->setup, payload, probe);
  if (!trial.errors.empty()) {
    return trial.order_invalid ? Error(422, "invalid_order", "the order cannot become a 940", trial.errors)
                               : Error(500, "partner_setup", "the partner's outbound mapping is not usable", trial.errors);
  }
  spool::Sha256 sha;
  sha.Update(order.body);
  spool::OutboundOrder o;
  o.partner = partner->id();
  o.type = "940";
  o.business_key = {order_id};
  o.payload = payload;
  o.ack_within = partner->profile().ack_deadline;
  o.ship_within = partner->profile().ship_deadline;
  o.request_key = order.idempotency_key;
  o.request_hash = sha.HexDigest();
  auto added = p_.spool->AcceptOutbound(o, spool::Actor::Api());
  if (!added.ok()) {
    if (added.status().code() == spool::Code::kRejected) {
      return Error(422, "idempotency_key_reused", added.status().message());
    }
    if (added.status().code() == spool::Code::kBusy) {
      api::ApiAnswer a = Error(503, "busy", "the spool is busy; retry");
      a.headers["Retry-After"] = "1";
      return a;
    }
    LogEvent(spdlog::level::err, "cannot take an order", {{"order_id", order_id}, {"error", added.status().message()}});
    return Error(500, "spool_error", "the order could not be stored; retry");
  }
  if (added->existed) {
    // The order id is known. The same order again (another key, same content) is the same
    // message; different content for the same order id is a correction we cannot apply to a
    // 940 already on its way: refuse it loudly instead of dropping it.
    auto stored = p_.spool->Payload(added->id);
    if (stored.ok() && *stored != payload) {
      return Error(409, "order_conflict",
                   "order " + order_id + " was already accepted (message " + std::to_string(added->id) +
                       ") with different content; corrections are not applied: cancel it with the partner and "
                       "send the change under a new order_id");
    }
  }
  if (!added->existed) {
    p_.renders.Notify();
    p_.Count("edigate_orders_accepted_total", "Fulfillment orders taken from the OMS", {{"partner", partner->id()}});
    LogEvent(spdlog::level::info, "order accepted",
             {{"partner", partner->id()}, {"message", std::to_string(added->id)}, {"order_id", order_id},
              {"key", added->idempotency_key}});
  }
  api::ApiAnswer a;
  a.status = 202;
  // The same answer for every replay of the request (IETF idempotency draft): "accepted" is
  // what the 202 promises; the order's progress is GET /v1/messages/{id}.
  a.body = {{"id", added->id}, {"state", "accepted"}, {"idempotency_key", added->idempotency_key},
            {"partner", partner->id()}};
  // Data the 940 carries changed (a delimiter in a name, a line break in a description).
  if (!trial.warnings.empty()) a.body["warnings"] = trial.warnings;
  a.headers["Location"] = "/v1/messages/" + std::to_string(added->id);
  if (added->existed) a.headers["Idempotent-Replayed"] = "true";
  return a;
}

api::ApiAnswer OrderDesk::GetMessage(std::int64_t id) {
  auto item = p_.spool->Get(id);
  if (!item.ok() || item->kind != spool::ItemKind::kMessage) {
    return Error(404, "not_found", "no message with id " + std::to_string(id));
  }
  const spool::ItemSummary& m = *item;
  nlohmann::json j = {{"id", m.id},
                      {"direction", m.direction ? std::string(spool::Name(*m.direction)) : ""},
                      {"partner", m.partner},
                      {"type", m.type.value_or("")},
                      {"state", m.state},
                      {"idempotency_key", m.idempotency_key.value_or("")},
                      {"attempts", m.attempts},
                      {"created_at", Iso(m.created_at)},
                      {"updated_at", Iso(m.updated_at)}};
  j["last_error"] = m.last_error ? nlohmann::json(*m.last_error) : nlohmann::json(nullptr);
  j["control_numbers"] = {{"isa13", m.control_numbers.isa13}, {"gs06", m.control_numbers.gs06}, {"st02", m.control_numbers.st02}};
  j["ack_due_at"] = m.ack_due_at ? nlohmann::json(Iso(*m.ack_due_at)) : nlohmann::json(nullptr);
  j["ship_due_at"] = m.ship_due_at ? nlohmann::json(Iso(*m.ship_due_at)) : nlohmann::json(nullptr);
  if (m.duplicate_of) j["duplicate_of"] = *m.duplicate_of;
  nlohmann::json history = nlohmann::json::array();
  auto events = p_.spool->History(id);
  if (events.ok()) {
    for (const spool::AuditEvent& e : *events) {
      history.push_back({{"at", Iso(e.at)}, {"from", e.from_state}, {"to", e.to_state}, {"actor", e.actor}, {"reason", e.reason}});
    }
  }
  j["history"] = std::move(history);
  api::ApiAnswer a;
  a.status = 200;
  a.body = std::move(j);
  return a;
}

}  // namespace gateway::daemon
