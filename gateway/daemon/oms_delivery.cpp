#include "gateway/daemon/oms_delivery.h"

#include <nlohmann/json.hpp>

#include "gateway/daemon/crash_point.h"
#include "gateway/daemon/event_log.h"

namespace gateway::daemon {

namespace {

constexpr std::chrono::seconds kAuthPause{60};

std::int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The canonical type of an event without parsing the whole payload.
std::string EventType(const std::string& payload) {
  const nlohmann::json j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return "";
  return j.value("type", "");
}

}  // namespace

oms::OmsSettings ToOmsSettings(const OmsTarget& t) {
  oms::OmsSettings s;
  s.base_url = t.base_url;
  s.paths = t.paths;
  s.token = t.token;
  s.ca_file = t.ca_file;
  s.verify_tls = t.verify_tls;
  s.connect_timeout = t.connect_timeout;
  s.request_timeout = t.request_timeout;
  s.max_connections = t.max_connections;
  for (const auto& [code, cls] : t.status_classes) {
    s.status_overrides[code] = cls == "delivered"   ? oms::ResponseClass::kDelivered
                               : cls == "permanent" ? oms::ResponseClass::kPermanent
                               : cls == "auth"      ? oms::ResponseClass::kAuth
                                                    : oms::ResponseClass::kTransient;
  }
  return s;
}

std::chrono::seconds OmsDelivery::paused_for() const {
  const std::int64_t left = paused_until_ms_.load() - SteadyMs();
  return left > 0 ? std::chrono::seconds((left + 999) / 1000) : std::chrono::seconds(0);
}

Result<std::size_t> OmsDelivery::RunOnce(std::size_t batch) {
  if (!client_ || paused_for().count() > 0) return std::size_t{0};
  spool::ClaimRequest claim;
  claim.direction = spool::Direction::kInbound;
  claim.states = {spool::MessageState::kMapped, spool::MessageState::kRetryWait, spool::MessageState::kDelivering};
  claim.worker = p_.worker;
  claim.lease = lease_;
  claim.limit = static_cast<int>(batch);
  auto leases = p_.spool->Claim(claim);
  if (!leases.ok()) return Status(Code::kIoError, leases.status().message());
  if (leases->empty()) return std::size_t{0};
  // Mark the whole batch delivering in one transaction: from here a crash means "maybe sent".
  std::vector<spool::MessageTransition> starts;
  for (const spool::Lease& l : *leases) {
    if (l.state == "delivering") continue;  // a crashed attempt: already marked
    spool::MessageTransition t;
    t.id = l.id;
    t.lease_token = l.token;
    t.from = *spool::ParseMessageState(l.state);
    t.to = spool::MessageState::kDelivering;
    t.reason = "posting to the OMS";
    starts.push_back(t);
  }
  if (!starts.empty()) {
    spool::Status s = p_.spool->Transition(starts);
    if (!s.ok()) return Status(Code::kIoError, s.message());
  }
  std::size_t attempted = 0;
  for (const spool::Lease& l : *leases) {
    if (p_.stopping.load() || paused_for().count() > 0) {
      (void)p_.spool->ReleaseLease(spool::ItemKind::kMessage, l.id, l.token);
      continue;
    }
    ++attempted;
    Status s = DeliverOne(l);
    if (!s.ok()) LogEvent(spdlog::level::err, "delivery bookkeeping failed", {{"message", std::to_string(l.id)}, {"error", s.message()}});
  }
  return attempted;
}

Status OmsDelivery::DeliverOne(const spool::Lease& lease) {
  auto item = p_.spool->Get(lease.id);
  if (!item.ok()) return Status(Code::kIoError, item.status().message());
  auto payload = p_.spool->Payload(lease.id);
  if (!payload.ok()) return Status(Code::kIoError, payload.status().message());
  oms::DeliveryRequest req;
  req.type = EventType(*payload);
  req.idempotency_key = item->idempotency_key.value_or("");
  req.body = std::move(*payload);
  const oms::DeliveryOutcome out = client_->Deliver(req);
  const std::string id = std::to_string(lease.id);
  if (out.response_class == oms::ResponseClass::kDelivered) {
    CrashPoint("after_post");
    spool::MessageTransition t;
    t.id = lease.id;
    t.lease_token = lease.token;
    t.from = spool::MessageState::kDelivering;
    t.to = spool::MessageState::kDelivered;
    t.reason = "OMS answered " + std::to_string(out.http_status);
    spool::Status s = p_.spool->Transition(std::span(&t, 1));
    if (!s.ok()) return Status(Code::kIoError, s.message());
    p_.Count("edigate_events_delivered_total", "Events the OMS accepted", {{"partner", item->partner}, {"type", req.type}});
    LogEvent(spdlog::level::info, "delivered",
             {{"partner", item->partner}, {"message", id}, {"type", req.type}, {"key", req.idempotency_key},
              {"status", out.http_status}, {"isa13", item->control_numbers.isa13}, {"gs06", item->control_numbers.gs06},
              {"st02", item->control_numbers.st02}});
    return Status::Ok();
  }
  p_.Count("edigate_oms_delivery_failures_total", "OMS delivery attempts that failed, by response class",
           {{"partner", item->partner}, {"class", std::string(oms::Name(out.response_class))}});
  spool::FailureReport f;
  f.id = lease.id;
  f.lease_token = lease.token;
  f.permanent = out.response_class == oms::ResponseClass::kPermanent;
  f.reason = "OMS: " + out.detail;
  f.retry_after = out.retry_after;
  if (out.response_class == oms::ResponseClass::kAuth) {
    // Every event would fail the same way: pause the target, retry this one after the pause.
    paused_until_ms_ = SteadyMs() + std::chrono::duration_cast<std::chrono::milliseconds>(kAuthPause).count();
    f.retry_after = kAuthPause;
    p_.Alert(item->partner, "oms_auth", "the OMS refused our credentials; deliveries paused", out.detail);
  }
  auto d = p_.spool->RecordFailure(f);
  if (!d.ok()) return Status(Code::kIoError, d.status().message());
  if (d->dead) {
    p_.Alert(item->partner, "dead_letter", "event dead-lettered",
             "message " + id + " key " + req.idempotency_key + ": " + out.detail + " (" + d->reason + ")");
  } else {
    LogEvent(spdlog::level::warn, "delivery failed, will retry",
             {{"partner", item->partner}, {"message", id}, {"key", req.idempotency_key}, {"detail", out.detail},
              {"retry", d->reason}});
  }
  return Status::Ok();
}

}  // namespace gateway::daemon
