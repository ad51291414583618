#include "gateway/daemon/outbound_renderer.h"

#include <chrono>
#include <ctime>

#include "edi/reenvelope.h"
#include "edi/x12_time.h"
#include "gateway/daemon/event_log.h"

namespace gateway::daemon {

namespace {

uint64_t Number(const std::string& s) {
  try {
    return std::stoull(s);
  } catch (...) {
    return 0;
  }
}

}  // namespace

Status OutboundRenderer::Render(spool::ItemId id, std::int64_t lease_token) {
  auto item = p_.spool->Get(id);
  if (!item.ok()) return Status(Code::kIoError, item.status().message());
  auto payload = p_.spool->Payload(id);
  if (!payload.ok()) return Status(Code::kIoError, payload.status().message());
  const std::string type = item->type.value_or("");
  std::shared_ptr<const PartnerBook> book = p_.book();
  const Partner* partner = book->Find(item->partner);
  std::string failure;
  const edi::X12Stamp stamp = edi::StampOf(std::time(nullptr));

  spool::Renderer renderer = [&](const spool::ControlNumbers& cn) -> spool::Result<std::string> {
    if (partner == nullptr) {
      failure = "no partner profile '" + item->partner + "' is loaded";
      return spool::Status(spool::Code::kInvalidArgument, failure);
    }
    if (type == "940") {
      mapping::RenderControl control;
      control.interchange = Number(cn.isa13);
      control.group = Number(cn.gs06);
      control.set = Number(cn.st02);
      control.date = stamp.date;
      control.time = stamp.time;
      mapping::RenderOutput out = mapping::RenderOrderText(partner->setup, *payload, control);
      if (!out.errors.empty()) {
        for (const std::string& e : out.errors) failure += (failure.empty() ? "" : "; ") + e;
        return spool::Status(spool::Code::kInvalidArgument, failure);
      }
      for (const std::string& w : out.warnings) {
        LogEvent(spdlog::level::warn, "order data changed for X12",
                 {{"partner", item->partner}, {"message", std::to_string(id)}, {"detail", w}});
      }
      return std::move(out.x12);
    }
    if (type == "997" || type == "TA1") {
      auto bytes = edi::Reenvelope(*payload, edi::AckEnvelope{Number(cn.isa13), Number(cn.gs06), Number(cn.st02), "", ""},
                                   partner->profile().segment_suffix);
      if (!bytes.ok()) {
        failure = bytes.error().message;
        return spool::Status(spool::Code::kInvalidArgument, failure);
      }
      return std::move(*bytes);
    }
    failure = "no renderer for outbound type '" + type + "'";
    return spool::Status(spool::Code::kInvalidArgument, failure);
  };
  auto cn = p_.spool->Render(id, lease_token, renderer, spool::Actor::Daemon());
  if (cn.ok()) {
    LogEvent(spdlog::level::info, "rendered",
             {{"partner", item->partner}, {"message", std::to_string(id)}, {"type", type}, {"isa13", cn->isa13},
              {"gs06", cn->gs06}, {"st02", cn->st02}});
    if (p_.kick_partner) p_.kick_partner(item->partner);
    return Status::Ok();
  }
  if (failure.empty()) return Status(Code::kIoError, cn.status().message());
  // The order (or our own 997) cannot be rendered: that will not change by retrying.
  spool::FailureReport f;
  f.id = id;
  f.lease_token = lease_token;
  f.permanent = true;
  f.reason = "cannot render: " + failure;
  auto d = p_.spool->RecordFailure(f);
  if (!d.ok()) return Status(Code::kIoError, d.status().message());
  p_.Alert(item->partner, "dead_letter", "outbound message cannot be rendered", "message " + std::to_string(id) + ": " + failure);
  return Status::Ok();
}

}  // namespace gateway::daemon
