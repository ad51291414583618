#include "gateway/daemon/file_processor.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>

#include <nlohmann/json.hpp>

#include "edi/ack.h"
#include "edi/byte_source.h"
#include "edi/tee_sink.h"
#include "edi/validator.h"
#include "edi/x12_time.h"
#include "gateway/daemon/byte_pipe.h"
#include "gateway/daemon/crash_point.h"
#include "gateway/daemon/event_log.h"
#include "gateway/daemon/interchange_ack.h"
#include "gateway/mapping/inbound.h"

namespace gateway::daemon {

namespace {

constexpr std::size_t kBatch = 256;
constexpr std::size_t kMaxXmlBytes = 256u << 20;


// The stored bytes as an edi::ByteSource, with the first bytes (already peeked) in front.
class PipeSource final : public edi::ByteSource {
 public:
  PipeSource(BytePipe& pipe, std::string head, std::optional<uint64_t> size)
      : pipe_(pipe), head_(std::move(head)), size_(size) {}
  // The stored file's size: a small file is validated without a second reading thread.
  std::optional<uint64_t> SizeHint() const override { return size_; }
  edi::Result<size_t> Read(char* dst, size_t n) override {
    if (head_pos_ < head_.size()) {
      const size_t k = std::min(n, head_.size() - head_pos_);
      std::memcpy(dst, head_.data() + head_pos_, k);
      head_pos_ += k;
      return k;
    }
    auto r = pipe_.Read(dst, n);
    if (!r.ok()) {
      edi::Error e;
      e.message = "reading the spooled file: " + r.status().message();
      return e;
    }
    return *r;
  }

 private:
  BytePipe& pipe_;
  std::string head_;
  size_t head_pos_ = 0;
  std::optional<uint64_t> size_;
};

class PipeSink final : public spool::ByteSink {
 public:
  explicit PipeSink(BytePipe& pipe) : pipe_(pipe) {}
  spool::Status Write(std::string_view data) override {
    Status s = pipe_.Write(data);
    if (!s.ok()) return spool::Status(spool::Code::kIoError, s.message());
    return spool::Status::Ok();
  }

 private:
  BytePipe& pipe_;
};

// Collects the sets of one file and writes them to the spool in batches.
class SpoolingSink final : public mapping::InboundSink, public edi::ValidationSink {
 public:
  SpoolingSink(Pipeline& p, const spool::ItemSummary& file, const canonical::EdiSource& source, FileOutcome& outcome)
      : p_(p), file_(file), source_(source), outcome_(outcome) {}

  // Runs before the mapper sees the interchange: its duplicate verdict decides its sets.
  void OnInterchangeStart(const edi::InterchangeInfo& info) override {
    spool::InterchangeRequest req;
    req.file_id = file_.id;
    req.partner = file_.partner;
    req.isa06 = info.sender_qualifier + ":" + info.sender_id;
    req.isa08 = info.receiver_qualifier + ":" + info.receiver_id;
    req.isa13 = info.control;
    interchange_control_ = info.control;
    interchange_id_.reset();
    interchange_skipped_ = false;
    auto r = p_.spool->RecordInterchange(req);
    if (!r.ok()) {
      Fail(r.status().message());
      return;
    }
    interchange_id_ = r->id;
    if (r->action == spool::DuplicateAction::kSkipped || r->action == spool::DuplicateAction::kRejected) {
      interchange_skipped_ = true;
      LogEvent(spdlog::level::warn, "duplicate interchange: its sets are recorded as duplicates, not delivered",
               {{"partner", file_.partner}, {"file", std::to_string(file_.id)}, {"isa13", info.control},
                {"sender", req.isa06}, {"duplicate_of_interchange", std::to_string(r->duplicate_of.value_or(0))}});
    }
  }

  // The partner's TA1 about one of our interchanges (interchange_ack.h).
  void OnTa1(const edi::Segment& segment) override {
    const edi::InterchangeAck ta1 = edi::ReadTa1(segment);
    const int64_t index = kTa1Index + ta1_count_++;
    spool::ListFilter f;
    f.kind = spool::ItemKind::kMessage;
    f.partner = file_.partner;
    f.direction = spool::Direction::kOutbound;
    f.isa13 = OurInterchangeControl(ta1.control);
    auto ours = p_.spool->List(f);
    if (!ours.ok()) {
      Fail(ours.status().message());
      return;
    }
    const std::string what = DescribeTa1(ta1);
    if (ours->empty() || ta1.status != 'R') {
      LogEvent(ours->empty() ? spdlog::level::warn : spdlog::level::info,
               ours->empty() ? "TA1 names no interchange of ours" : "interchange accepted by the partner (TA1)",
               {{"partner", file_.partner}, {"file", std::to_string(file_.id)}, {"isa13", *f.isa13}, {"status", what}});
      return;
    }
    canonical::EdiSource source = source_;
    source.isa13 = interchange_control_;
    std::optional<Ta1Event> e = OrderAcknowledgmentFromTa1(file_.partner, ta1, *ours, source);
    if (!e) {
      // Our 997s: nothing waits on them, but the partner cannot read what we send.
      p_.Alert(file_.partner, "interchange_rejected", "the partner's TA1 rejected our interchange",
               "ISA13 " + *f.isa13 + " (" + ours->front().type.value_or("?") + "): " + what);
      return;
    }
    spool::InboundMessage msg;
    msg.file_id = file_.id;
    msg.interchange_id = interchange_id_;
    msg.set_index = index;
    msg.partner = file_.partner;
    msg.control_numbers = {interchange_control_, "", ""};
    msg.type = "TA1";
    msg.business_key = e->business_key;
    msg.payload = std::move(e->event);
    if (interchange_skipped_) {
      msg.initial_state = spool::MessageState::kDuplicate;
      msg.note = "duplicate interchange (ISA13 " + interchange_control_ + " seen before); not delivered";
    } else {
      msg.initial_state = spool::MessageState::kMapped;
    }
    Push(std::move(msg));
  }

  void OnMapped(const mapping::MappedMessage& m) override {
    if (m.origin == nullptr) return;
    spool::InboundMessage msg = Base(*m.origin);
    msg.type = m.origin->key_type.empty() ? m.origin->set_id : m.origin->key_type;
    msg.business_key = m.origin->business_key;
    msg.payload = std::string(m.event);
    if (interchange_skipped_) {
      msg.initial_state = spool::MessageState::kDuplicate;
      msg.note = "duplicate interchange (ISA13 " + m.origin->isa13 + " seen before); not delivered";
    } else {
      msg.initial_state = spool::MessageState::kMapped;
    }
    Push(std::move(msg));
  }

  void OnRejected(mapping::RejectedMessage r) override {
    std::string note = r.what;
    for (const std::string& e : r.errors) {
      if (note.size() > 4000) {
        note += "; ...";
        break;
      }
      note += "; " + e;
    }
    if (r.origin.index < 0) {
      file_errors_.push_back(note);
      return;
    }
    spool::InboundMessage msg = Base(r.origin);
    msg.type = r.origin.key_type.empty() ? r.origin.set_id : r.origin.key_type;
    msg.business_key = r.origin.business_key;
    msg.initial_state = spool::MessageState::kQuarantined;
    msg.note = note;
    LogEvent(spdlog::level::warn, "set quarantined",
             {{"partner", file_.partner}, {"file", std::to_string(file_.id)}, {"isa13", r.origin.isa13},
              {"gs06", r.origin.gs06}, {"st02", r.origin.st02}, {"reason", note}});
    Push(std::move(msg));
  }

  void OnWarning(const std::string& w) override {
    LogEvent(spdlog::level::warn, w, {{"partner", file_.partner}, {"file", std::to_string(file_.id)}});
  }

  Status Flush() {
    if (!error_.empty()) return Status(Code::kIoError, error_);
    if (batch_.empty()) return Status::Ok();
    auto added = p_.spool->AddInboundMessages(batch_, spool::Actor::Daemon());
    if (!added.ok()) {
      Fail(added.status().message());
      return Status(Code::kIoError, error_);
    }
    bool any_due = false;
    std::vector<spool::ShipmentReport> shipments;  // applied in one transaction below
    for (size_t i = 0; i < added->size(); ++i) {
      const spool::AddedMessage& a = (*added)[i];
      const spool::InboundMessage& m = batch_[i];
      if (a.existed && a.state == spool::MessageState::kReceived) {
        // An operator sent this set back (reprocess, or release of a quarantined set): map it
        // again from the file, under the same key.
        if (Remap(a.id, m)) any_due = true;
        continue;
      }
      const bool mapped_once = a.state == spool::MessageState::kMapped || a.state == spool::MessageState::kDelivering ||
                               a.state == spool::MessageState::kDelivered || a.state == spool::MessageState::kRetryWait ||
                               a.state == spool::MessageState::kDead;
      if (mapped_once) {
        // Applied again when the file is processed again: a crash may have come between the
        // set being stored and the order being updated (both steps are idempotent).
        if (a.state == spool::MessageState::kMapped) any_due = true;
        if (!a.existed) ++outcome_.mapped;
        ApplyToOrders(p_, file_.partner, m.payload, &shipments);
      } else if (a.state == spool::MessageState::kDuplicate) {
        if (!a.existed) {
          ++outcome_.duplicates;
          LogEvent(spdlog::level::warn, "business duplicate: recorded, not delivered",
                   {{"partner", file_.partner}, {"message", std::to_string(a.id)}, {"key", a.idempotency_key},
                    {"duplicate_of", std::to_string(a.duplicate_of.value_or(0))}});
        }
      } else if (a.state == spool::MessageState::kQuarantined && !a.existed) {
        ++outcome_.quarantined;
      }
    }
    ApplyShipments(p_, file_.partner, shipments);
    batch_.clear();
    if (any_due) p_.deliveries.Notify();
    return Status::Ok();
  }

  // received -> parsed -> mapped (with the new event), or received -> quarantined.
  bool Remap(spool::ItemId id, const spool::InboundMessage& m) {
    std::vector<spool::MessageTransition> steps;
    spool::MessageTransition t;
    t.id = id;
    t.from = spool::MessageState::kReceived;
    if (m.initial_state == spool::MessageState::kMapped) {
      t.to = spool::MessageState::kParsed;
      t.reason = "processed again";
      steps.push_back(t);
      t.from = spool::MessageState::kParsed;
      t.to = spool::MessageState::kMapped;
      t.payload = m.payload;
      t.reason = "mapped again";
      steps.push_back(t);
    } else {
      t.to = spool::MessageState::kQuarantined;
      t.reason = m.note.empty() ? "not mapped" : m.note;
      steps.push_back(t);
    }
    spool::Status s = p_.spool->Transition(steps);
    if (!s.ok()) {
      LogEvent(spdlog::level::warn, "could not re-map a set", {{"message", std::to_string(id)}, {"error", s.message()}});
      return false;
    }
    if (m.initial_state == spool::MessageState::kMapped) {
      ++outcome_.mapped;
      ApplyToOrders(p_, file_.partner, m.payload);
      return true;
    }
    ++outcome_.quarantined;
    return false;
  }

  const std::vector<std::string>& file_errors() const { return file_errors_; }
  const std::string& error() const { return error_; }

 private:
  spool::InboundMessage Base(const mapping::SetOrigin& o) const {
    spool::InboundMessage msg;
    msg.file_id = file_.id;
    msg.interchange_id = interchange_id_;
    msg.set_index = o.index;
    msg.partner = file_.partner;
    msg.control_numbers = {o.isa13, o.gs06, o.st02};
    return msg;
  }
  void Push(spool::InboundMessage msg) {
    batch_.push_back(std::move(msg));
    if (batch_.size() < kBatch) return;
    (void)Flush();
    CrashPoint("mid_file");
  }
  void Fail(const std::string& why) {
    if (error_.empty()) error_ = why;
  }

  // TA1s are numbered apart from the sets (set_index from 0): a file's messages keep
  // (file, set_index) unique and stable when the file is processed again.
  static constexpr int64_t kTa1Index = int64_t{1} << 40;

  Pipeline& p_;
  const spool::ItemSummary& file_;
  const canonical::EdiSource& source_;
  FileOutcome& outcome_;
  std::string interchange_control_;
  int64_t ta1_count_ = 0;
  std::optional<int64_t> interchange_id_;
  bool interchange_skipped_ = false;
  std::vector<spool::InboundMessage> batch_;
  std::vector<std::string> file_errors_;
  std::string error_;
};

Status Finish(Pipeline& p, spool::ItemId id, int64_t token, spool::FileState to, const std::string& reason) {
  spool::FileTransition t;
  t.id = id;
  t.lease_token = token;
  t.from = spool::FileState::kReceived;
  t.to = to;
  t.reason = reason;
  spool::Status s = p.spool->TransitionFile(t);
  if (!s.ok()) return Status(Code::kIoError, s.message());
  return Status::Ok();
}

}  // namespace

void ApplyShipments(Pipeline& p, const std::string& partner, const std::vector<spool::ShipmentReport>& shipments) {
  if (shipments.empty()) return;
  auto applied = p.spool->ApplyShipments(shipments);
  if (!applied.ok()) {
    LogEvent(spdlog::level::warn, "could not close orders for shipments", {{"partner", partner}, {"error", applied.status().message()}});
    return;
  }
  for (size_t i = 0; i < applied->size(); ++i) {
    if ((*applied)[i]) {
      LogEvent(spdlog::level::info, "order fulfilled",
               {{"partner", partner}, {"message", std::to_string(*(*applied)[i])}, {"order_id", shipments[i].business_key[0]}});
    }
  }
}

void ApplyToOrders(Pipeline& p, const std::string& partner, std::string_view event_json,
                   std::vector<spool::ShipmentReport>* shipments) {
  // Cheap test first: most events are neither.
  const bool ack = event_json.find("\"order_acknowledgment\"") != std::string_view::npos;
  const bool ship = event_json.find("\"shipment_confirmation\"") != std::string_view::npos;
  if (!ack && !ship) return;
  const nlohmann::json event = nlohmann::json::parse(event_json, nullptr, false);
  if (event.is_discarded() || !event.contains("data")) return;
  const nlohmann::json& data = event["data"];
  const std::string type = event.value("type", "");
  if (type == "order_acknowledgment") {
    const std::string group = data.value("partner_group_control", "");
    const std::string group_status = data.value("group_status", "");
    // From the partner's TA1 (interchange_ack.h): its note is the reason.
    const bool ta1 = data.contains("interchange_status");
    // What said so, for the audit log: the key's type ("<partner>:999:...").
    const std::string key = event.value("idempotencykey", "");
    const size_t colon = key.find(':');
    const std::string via = ta1 ? "TA1" : colon == std::string::npos ? "997" : key.substr(colon + 1, 3);
    std::string ta1_reason;
    if (ta1 && data.contains("group_errors") && data["group_errors"].is_array() && !data["group_errors"].empty() &&
        data["group_errors"][0].is_string()) {
      ta1_reason = data["group_errors"][0].get<std::string>();
    }
    std::vector<spool::AckReport> reports;
    if (data.contains("sets") && data["sets"].is_array() && !data["sets"].empty()) {
      for (const auto& s : data["sets"]) {
        spool::AckReport r;
        r.partner = partner;
        r.gs06 = OurGroupControl(group);
        r.st02 = OurSetControl(s.value("control", std::string()));
        r.accepted = s.value("status", "") != "rejected";
        r.reason = (via == "999" ? "IK5 " : "AK5 ") + s.value("status", "");
        r.via = via;
        if (ta1) r.reason = ta1_reason;
        reports.push_back(std::move(r));
      }
    } else {
      spool::AckReport r;
      r.partner = partner;
      r.gs06 = OurGroupControl(group);
      r.accepted = group_status != "rejected";
      r.reason = "AK9 " + group_status;
      r.via = via;
      reports.push_back(std::move(r));
    }
    for (const spool::AckReport& r : reports) {
      auto applied = p.spool->ApplyAck(r);
      if (applied.ok()) {
        LogEvent(spdlog::level::info, r.accepted ? "order acknowledged by the partner" : "order rejected by the partner",
                 {{"partner", partner}, {"message", std::to_string(*applied)}, {"gs06", r.gs06},
                  {"st02", r.st02.value_or("")}, {"status", r.reason}});
        if (!r.accepted) {
          p.Alert(partner, "order_rejected", "the partner's " + r.via + " rejected our 940",
                  "message " + std::to_string(*applied) + (ta1 ? ": " + r.reason : ""));
        }
      } else if (applied.status().code() != spool::Code::kIllegalTransition) {
        // kIllegalTransition: applied before (the same 997 processed again).
        LogEvent(spdlog::level::warn, "997 names no 940 of ours",
                 {{"partner", partner}, {"gs06", r.gs06}, {"st02", r.st02.value_or("")}, {"error", applied.status().message()}});
      }
    }
  } else if (type == "shipment_confirmation") {
    spool::ShipmentReport r;
    r.partner = partner;
    r.business_key = {data.value("order_id", "")};
    if (r.business_key[0].empty()) return;
    r.reason = "945 shipment " + data.value("shipment_id", "");
    if (shipments != nullptr) {
      shipments->push_back(std::move(r));
    } else {
      ApplyShipments(p, partner, {r});
    }
  }
}

Result<FileOutcome> FileProcessor::Process(spool::ItemId id, std::int64_t lease_token) {
  return Run(id, lease_token, false);
}

Result<FileOutcome> FileProcessor::Rederive(spool::ItemId id) { return Run(id, 0, true); }

Result<FileOutcome> FileProcessor::Run(spool::ItemId id, std::int64_t lease_token, bool rederive) {
  FileOutcome outcome;
  // When re-deriving, the file keeps its state: only its sets move.
  auto Finish = [&](Pipeline& p, spool::ItemId file_id, int64_t token, spool::FileState to, const std::string& reason) {
    return rederive ? Status::Ok() : daemon::Finish(p, file_id, token, to, reason);
  };
  auto file_or = p_.spool->Get(id);
  if (!file_or.ok()) return Status(Code::kIoError, file_or.status().message());
  const spool::ItemSummary file = std::move(*file_or);
  const std::string file_label = std::to_string(id) + (file.remote_path ? " (" + *file.remote_path + ")" : "");
  std::shared_ptr<const PartnerBook> book = p_.book();
  const Partner* partner = book->Find(file.partner);
  if (partner == nullptr) {
    GATEWAY_RETURN_IF_ERROR(Finish(p_, id, lease_token, spool::FileState::kQuarantined,
                                   "no partner profile '" + file.partner + "' is loaded"));
    p_.Alert(file.partner, "file_quarantined", "file quarantined: unknown partner", file_label);
    return outcome;
  }
  const partners::PartnerProfile& profile = partner->profile();

  BytePipe pipe;
  Pump pump(pipe, [&](BytePipe& out) -> Status {
    PipeSink sink(out);
    spool::Status s = p_.spool->ReadFile(id, sink);
    return s.ok() ? Status::Ok() : Status(Code::kIoError, s.message());
  });
  // Peek: XML files start with '<' (mapping::LooksLikeXml), X12 with "ISA".
  std::string head(4096, '\0');
  size_t got = 0;
  for (;;) {
    auto r = pipe.Read(head.data() + got, head.size() - got);
    if (!r.ok()) return r.status();
    if (*r == 0) break;
    got += *r;
    if (got == head.size()) break;
  }
  head.resize(got);
  const bool xml = mapping::LooksLikeXml(head);

  mapping::InboundOptions options;
  options.profile = &profile;
  options.mappings = partner->setup.inbound;
  options.source.file = file.remote_path ? *file.remote_path : "file-" + std::to_string(id);
  if (auto slash = options.source.file.rfind('/'); slash != std::string::npos) options.source.file.erase(0, slash + 1);
  options.source.sha256 = file.sha256.value_or("");
  SpoolingSink sink(p_, file, options.source, outcome);
  std::vector<edi::Acknowledgment> acks;

  if (xml) {
    std::string bytes = std::move(head);
    char buf[64 * 1024];
    for (;;) {
      auto r = pipe.Read(buf, sizeof buf);
      if (!r.ok()) return r.status();
      if (*r == 0) break;
      bytes.append(buf, *r);
      if (bytes.size() > kMaxXmlBytes) {
        pipe.Abandon("too large");
        (void)pump.Join();
        GATEWAY_RETURN_IF_ERROR(Finish(p_, id, lease_token, spool::FileState::kQuarantined,
                                       "XML file larger than " + std::to_string(kMaxXmlBytes >> 20) + " MiB"));
        p_.Alert(file.partner, "file_quarantined", "file quarantined: XML too large", file_label);
        return outcome;
      }
    }
    GATEWAY_RETURN_IF_ERROR(pump.Join());
    mapping::MapXmlFile(bytes, options, sink);
  } else {
    std::optional<uint64_t> size;
    if (file.size.has_value() && *file.size >= 0) size = static_cast<uint64_t>(*file.size);
    PipeSource source(pipe, std::move(head), size);
    options.map_threads = mapping::MapThreadsFor(size);
    mapping::X12InboundMapper mapper(options, sink);
    edi::AckOptions ack_options;
    ack_options.sender_qualifier = profile.ours.qualifier;
    ack_options.sender_id = profile.ours.id;
    ack_options.application_sender = profile.ours.gs;
    ack_options.use_inbound_delimiters = false;
    ack_options.delimiters = profile.delimiters;
    ack_options.segment_suffix = profile.segment_suffix;
    const edi::X12Stamp stamp = edi::StampOf(std::time(nullptr));
    // Placeholders: the spool allocates the real numbers when it stores the bytes to send.
    ack_options.envelope = [&](const edi::InterchangeInfo&) { return edi::AckEnvelope{1, 1, 1, stamp.date, stamp.time}; };
    edi::AckBuilder acker(ack_options);
    edi::TeeSink tee{&sink, &acker, &mapper};
    const edi::FileSummary summary = edi::Validate(source, tee);
    mapper.Finish();
    GATEWAY_RETURN_IF_ERROR(pump.Join());
    outcome.not_x12 = summary.not_x12;
    acks = acker.Take();
  }
  GATEWAY_RETURN_IF_ERROR(sink.Flush());

  // The answer to the partner: one outbound message per acknowledgment interchange.
  for (size_t i = 0; i < acks.size(); ++i) {
    const edi::Acknowledgment& a = acks[i];
    if (!a.status.ok()) {
      LogEvent(spdlog::level::err, "could not write the acknowledgment",
               {{"partner", file.partner}, {"file", file_label}, {"error", a.status.error().message}});
      continue;
    }
    spool::OutboundOrder order;
    order.partner = file.partner;
    order.type = a.group_acks == 0 ? "TA1" : "997";
    order.business_key = {"ack", file.sha256.value_or(std::to_string(id)), std::to_string(a.interchange_index)};
    order.payload = a.bytes;
    auto added = p_.spool->AcceptOutbound(order, spool::Actor::Daemon());
    if (!added.ok()) return Status(Code::kIoError, added.status().message());
    if (!added->existed) ++outcome.acks;
  }
  if (!acks.empty()) p_.renders.Notify();

  const bool nothing = outcome.mapped + outcome.quarantined + outcome.duplicates == 0 && acks.empty();
  if (outcome.not_x12 || (nothing && !sink.file_errors().empty())) {
    std::string reason = xml ? "not mappable XML" : "not X12";
    for (const std::string& e : sink.file_errors()) reason += "; " + e;
    GATEWAY_RETURN_IF_ERROR(Finish(p_, id, lease_token, spool::FileState::kQuarantined, reason));
    p_.Alert(file.partner, "file_quarantined", "file quarantined", file_label + ": " + reason);
    if (partner->transport && !partner->transport->error_dir.empty()) {
      p_.ReturnToPartner(file.partner, id);
      if (p_.kick_partner) p_.kick_partner(file.partner);
    }
    return outcome;
  }
  std::string reason = std::to_string(outcome.mapped) + " mapped, " + std::to_string(outcome.quarantined) +
                       " quarantined, " + std::to_string(outcome.duplicates) + " duplicate, " +
                       std::to_string(outcome.acks) + " acknowledgment(s) queued";
  for (const std::string& e : sink.file_errors()) reason += "; " + e;
  GATEWAY_RETURN_IF_ERROR(Finish(p_, id, lease_token, spool::FileState::kParsed, reason));
  LogEvent(spdlog::level::info, "file parsed",
           {{"partner", file.partner}, {"file", file_label}, {"mapped", outcome.mapped},
            {"quarantined", outcome.quarantined}, {"duplicates", outcome.duplicates}, {"acks", outcome.acks}});
  if (outcome.quarantined > 0) {
    p_.Alert(file.partner, "sets_quarantined", "transaction sets quarantined", file_label + ": " + std::to_string(outcome.quarantined));
  }
  return outcome;
}

}  // namespace gateway::daemon
