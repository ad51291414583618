// SqliteSpool: messages — adding, claiming, state transitions, rendering with control numbers,
// failures and retries, acknowledgments.
#include <cstdio>

#include "spool/sqlite_spool.h"

namespace spool {

namespace {

std::optional<int64_t> OptMicros(const std::optional<Duration>& d) {
  if (!d) return std::nullopt;
  return d->count();
}

std::string IllegalMessage(ItemId id, Direction d, MessageState from, MessageState to) {
  return std::string(Name(d)) + " message " + std::to_string(id) + ": " +
         std::string(Name(from)) + " -> " + std::string(Name(to)) + " is not a legal transition";
}

}  // namespace

Result<std::optional<ItemId>> SqliteSpool::FindBusinessOriginal(Direction direction,
                                                                const std::string& partner,
                                                                const std::string& type,
                                                                const std::string& business_key) {
  if (business_key.empty()) return std::optional<ItemId>();
  SPOOL_ASSIGN_OR_RETURN(
      auto find, db_->Cached("SELECT id FROM messages WHERE partner = ? AND type = ? AND "
                             "business_key = ? AND direction = ? AND duplicate_of IS NULL "
                             "ORDER BY id LIMIT 1"));
  find->Bind(1, partner).Bind(2, type).Bind(3, business_key).Bind(4, Name(direction));
  SPOOL_ASSIGN_OR_RETURN(bool row, find->Step());
  if (!row) return std::optional<ItemId>();
  return std::optional<ItemId>(find->Int(0));
}

Result<AddedMessage> SqliteSpool::AddInbound(const InboundMessage& m, const Actor& actor,
                                             Timestamp now) {
  AddedMessage added;
  added.idempotency_key = MakeIdempotencyKey(m.partner, m.type, m.business_key, m.control_numbers);
  {
    SPOOL_ASSIGN_OR_RETURN(
        auto same, db_->Cached("SELECT id, state, duplicate_of, dedup FROM messages "
                               "WHERE file_id = ? AND set_index = ?"));
    same->Bind(1, m.file_id).Bind(2, m.set_index);
    SPOOL_ASSIGN_OR_RETURN(bool row, same->Step());
    if (row) {
      added.id = same->Int(0);
      added.state = ParseMessageState(same->Text(1)).value_or(MessageState::kReceived);
      added.duplicate_of = same->OptInt(2);
      const std::string dedup = same->Text(3);
      added.action = dedup == "rejected"  ? DuplicateAction::kRejected
                     : dedup == "skipped" ? DuplicateAction::kSkipped
                     : dedup == "allowed" ? DuplicateAction::kAllowed
                                          : DuplicateAction::kNone;
      added.existed = true;
      return added;
    }
  }
  const std::string business_key = JoinBusinessKey(m.business_key);
  SPOOL_ASSIGN_OR_RETURN(added.duplicate_of,
                         FindBusinessOriginal(Direction::kInbound, m.partner, m.type, business_key));
  if (added.duplicate_of) {
    switch (options_.policies.For(m.partner).business_duplicates) {
      case DuplicatePolicy::kReject: added.action = DuplicateAction::kRejected; break;
      case DuplicatePolicy::kSkip: added.action = DuplicateAction::kSkipped; break;
      case DuplicatePolicy::kAllow: added.action = DuplicateAction::kAllowed; break;
    }
  }
  if (m.initial_state != MessageState::kReceived && m.initial_state != MessageState::kMapped &&
      m.initial_state != MessageState::kQuarantined && m.initial_state != MessageState::kDuplicate) {
    return Status(Code::kInvalidArgument, "an inbound message starts received, mapped, quarantined or duplicate, not " +
                                              std::string(Name(m.initial_state)));
  }
  added.state = (added.action == DuplicateAction::kRejected ||
                 added.action == DuplicateAction::kSkipped)
                    ? MessageState::kDuplicate
                    : m.initial_state;
  const bool due = added.state == MessageState::kReceived || added.state == MessageState::kMapped;
  SPOOL_ASSIGN_OR_RETURN(added.id, NewItem(ItemKind::kMessage));
  SPOOL_ASSIGN_OR_RETURN(
      auto ins,
      db_->Cached("INSERT INTO messages(id, direction, partner, type, business_key, "
                  "idempotency_key, file_id, interchange_id, set_index, isa13, gs06, st02, state, "
                  "duplicate_of, dedup, payload, next_attempt_at, created_at, updated_at, last_error) "
                  "VALUES (?, 'inbound', ?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  const int64_t t = ToMicros(now);
  ins->Bind(1, added.id)
      .Bind(2, m.partner)
      .Bind(3, m.type)
      .Bind(4, business_key)
      .Bind(5, added.idempotency_key)
      .Bind(6, m.file_id)
      .Bind(7, m.interchange_id)
      .Bind(8, m.set_index)
      .Bind(9, m.control_numbers.isa13)
      .Bind(10, m.control_numbers.gs06)
      .Bind(11, m.control_numbers.st02)
      .Bind(12, Name(added.state))
      .Bind(13, added.duplicate_of);
  if (added.action == DuplicateAction::kNone) {
    ins->Bind(14, std::nullopt);
  } else {
    ins->Bind(14, Name(added.action));
  }
  ins->BindBlob(15, m.payload)
      .Bind(16, due ? std::optional<int64_t>(t) : std::nullopt)
      .Bind(17, t)
      .Bind(18, t);
  if (m.note.empty()) {
    ins->Bind(19, std::nullopt);
  } else {
    ins->Bind(19, m.note);
  }
  SPOOL_RETURN_IF_ERROR(ins->Run());
  std::string reason = "set " + std::to_string(m.set_index) + " of file " +
                       std::to_string(m.file_id) + ", key " + added.idempotency_key;
  if (added.duplicate_of) {
    reason += "; duplicate of message " + std::to_string(*added.duplicate_of) + " (" +
              std::string(Name(added.action)) + ")";
  }
  if (!m.note.empty()) reason += "; " + m.note;
  SPOOL_RETURN_IF_ERROR(AppendEvent(added.id, "", "", Name(added.state), actor, reason));
  return added;
}

Result<std::vector<AddedMessage>> SqliteSpool::AddInboundMessages(
    std::span<const InboundMessage> messages, const Actor& actor) {
  std::lock_guard lock(mu_);
  RelaxedCommit relaxed(*db_);  // re-doable from durable state: see sqlite_spool.h
  const Timestamp now = clock_->Now();
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  std::vector<AddedMessage> out;
  out.reserve(messages.size());
  for (const InboundMessage& m : messages) {
    if (m.partner.empty() || m.type.empty()) {
      return Status(Code::kInvalidArgument, "inbound message without partner or type");
    }
    SPOOL_ASSIGN_OR_RETURN(AddedMessage added, AddInbound(m, actor, now));
    out.push_back(std::move(added));
  }
  SPOOL_RETURN_IF_ERROR(txn.Commit());
  return out;
}

Result<AddedMessage> SqliteSpool::AcceptOutbound(const OutboundOrder& order, const Actor& actor) {
  if (order.partner.empty() || order.type.empty() || order.business_key.empty()) {
    return Status(Code::kInvalidArgument, "outbound order needs a partner, a type and a business key");
  }
  std::lock_guard lock(mu_);
  const int64_t now = ToMicros(clock_->Now());
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  AddedMessage added;
  added.idempotency_key = MakeIdempotencyKey(order.partner, order.type, order.business_key, {});
  if (!order.request_key.empty()) {
    SPOOL_ASSIGN_OR_RETURN(
        auto req, db_->Cached("SELECT r.request_hash, m.id, m.state, m.idempotency_key FROM api_requests r "
                              "JOIN messages m ON m.id = r.message_id WHERE r.request_key = ?"));
    req->Bind(1, order.request_key);
    SPOOL_ASSIGN_OR_RETURN(bool row, req->Step());
    if (row) {
      if (req->Text(0) != order.request_hash) {
        return Status(Code::kRejected, "Idempotency-Key '" + order.request_key +
                                           "' was first used with a different request body (message " +
                                           std::to_string(req->Int(1)) + ")");
      }
      added.id = req->Int(1);
      added.state = ParseMessageState(req->Text(2)).value_or(MessageState::kAccepted);
      added.idempotency_key = req->Text(3);
      added.existed = true;
      return added;
    }
  }
  auto remember_request = [&]() -> Status {
    if (order.request_key.empty()) return Status::Ok();
    SPOOL_ASSIGN_OR_RETURN(auto ins, db_->Cached("INSERT INTO api_requests(request_key, request_hash, "
                                                 "message_id, created_at) VALUES (?,?,?,?)"));
    ins->Bind(1, order.request_key).Bind(2, order.request_hash).Bind(3, added.id).Bind(4, now);
    return ins->Run();
  };
  {
    // The same order again (an OMS retry) is the same message.
    SPOOL_ASSIGN_OR_RETURN(
        auto same, db_->Cached("SELECT id, state FROM messages WHERE idempotency_key = ? AND "
                               "direction = 'outbound' ORDER BY id LIMIT 1"));
    same->Bind(1, added.idempotency_key);
    SPOOL_ASSIGN_OR_RETURN(bool row, same->Step());
    if (row) {
      added.id = same->Int(0);
      added.state = ParseMessageState(same->Text(1)).value_or(MessageState::kAccepted);
      added.existed = true;
      // Another Idempotency-Key for an order we already have: the same message.
      SPOOL_RETURN_IF_ERROR(remember_request());
      SPOOL_RETURN_IF_ERROR(txn.Commit());
      return added;
    }
  }
  added.state = MessageState::kAccepted;
  SPOOL_ASSIGN_OR_RETURN(added.id, NewItem(ItemKind::kMessage));
  SPOOL_ASSIGN_OR_RETURN(
      auto ins, db_->Cached("INSERT INTO messages(id, direction, partner, type, business_key, "
                            "idempotency_key, state, payload, ack_within, ship_within, "
                            "next_attempt_at, created_at, updated_at) "
                            "VALUES (?, 'outbound', ?,?,?,?, 'accepted', ?,?,?,?,?,?)"));
  ins->Bind(1, added.id)
      .Bind(2, order.partner)
      .Bind(3, order.type)
      .Bind(4, JoinBusinessKey(order.business_key))
      .Bind(5, added.idempotency_key)
      .BindBlob(6, order.payload)
      .Bind(7, OptMicros(order.ack_within))
      .Bind(8, OptMicros(order.ship_within))
      .Bind(9, now)
      .Bind(10, now)
      .Bind(11, now);
  SPOOL_RETURN_IF_ERROR(ins->Run());
  SPOOL_RETURN_IF_ERROR(
      AppendEvent(added.id, "", "", "accepted", actor, "order " + added.idempotency_key));
  SPOOL_RETURN_IF_ERROR(remember_request());
  SPOOL_RETURN_IF_ERROR(txn.Commit());
  return added;
}

Result<std::vector<Lease>> SqliteSpool::Claim(const ClaimRequest& request) {
  if (request.limit <= 0 || request.worker.empty()) {
    return Status(Code::kInvalidArgument, "claim needs a worker name and a positive limit");
  }
  std::string states;
  auto add_state = [&](std::string_view s) {
    if (!states.empty()) states += ",";
    states += "'";
    states += s;
    states += "'";
  };
  const bool files = request.kind == ItemKind::kFile;
  if (files) {
    add_state(Name(FileState::kReceived));
  } else if (!request.states.empty()) {
    for (MessageState s : request.states) add_state(Name(s));
  } else {
    for (Direction d : {Direction::kInbound, Direction::kOutbound}) {
      if (request.direction && *request.direction != d) continue;
      for (MessageState s : {MessageState::kReceived, MessageState::kParsed, MessageState::kMapped,
                             MessageState::kDelivering, MessageState::kRetryWait,
                             MessageState::kAccepted, MessageState::kRendered}) {
        if (IsWorkState(d, s)) add_state(Name(s));
      }
    }
  }
  const std::string table = files ? "files" : "messages";
  std::string select = "SELECT id, state FROM " + table + " WHERE state IN (" + states +
                       ") AND next_attempt_at <= ?1 AND (lease_until IS NULL OR lease_until <= ?1)";
  if (!files && request.direction) {
    select += std::string(" AND direction = '") + std::string(Name(*request.direction)) + "'";
  }
  if (!files && request.partner) select += " AND partner = ?3";
  if (!files && !request.types.empty()) {
    select += " AND type IN (";
    for (size_t i = 0; i < request.types.size(); ++i) {
      select += (i ? ",?" : "?") + std::to_string(4 + i);
    }
    select += ")";
  }
  select += " ORDER BY next_attempt_at, id LIMIT ?2";

  std::lock_guard lock(mu_);
  const Timestamp now = clock_->Now();
  const Timestamp until = now + request.lease;
  // A claim that is lost in a power cut only means the work is claimed again: no fsync needed.
  RelaxedCommit relaxed(*db_);
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  std::vector<Lease> leases;
  {
    SPOOL_ASSIGN_OR_RETURN(Statement sel, db_->Prepare(select));
    sel.Bind(1, ToMicros(now)).Bind(2, static_cast<int64_t>(request.limit));
    if (!files && request.partner) sel.Bind(3, *request.partner);
    if (!files) {
      for (size_t i = 0; i < request.types.size(); ++i) sel.Bind(static_cast<int>(4 + i), request.types[i]);
    }
    for (;;) {
      SPOOL_ASSIGN_OR_RETURN(bool row, sel.Step());
      if (!row) break;
      Lease l;
      l.id = sel.Int(0);
      l.state = sel.Text(1);
      l.until = until;
      // Never 0: 0 means "no lease" in transitions.
      do {
        l.token = static_cast<int64_t>(rng_() >> 1);
      } while (l.token == 0);
      leases.push_back(std::move(l));
    }
  }
  SPOOL_ASSIGN_OR_RETURN(Statement upd,
                         db_->Prepare("UPDATE " + table + " SET lease_owner = ?, lease_token = ?, "
                                      "lease_until = ? WHERE id = ?"));
  for (const Lease& l : leases) {
    upd.Reset();
    upd.Bind(1, request.worker).Bind(2, l.token).Bind(3, ToMicros(until)).Bind(4, l.id);
    SPOOL_RETURN_IF_ERROR(upd.Run());
  }
  SPOOL_RETURN_IF_ERROR(txn.Commit());
  return leases;
}

Result<SqliteSpool::MessageHead> SqliteSpool::LoadLeasedMessage(ItemId id, int64_t token,
                                                                Timestamp now) {
  SPOOL_ASSIGN_OR_RETURN(
      auto get, db_->Cached("SELECT direction, state, lease_token, lease_until, partner, type, "
                            "first_attempt_at, attempts, rendered IS NOT NULL, lease_owner "
                            "FROM messages WHERE id = ?"));
  get->Bind(1, id);
  SPOOL_ASSIGN_OR_RETURN(bool row, get->Step());
  if (!row) return Status(Code::kNotFound, "no message with id " + std::to_string(id));
  MessageHead head{};
  head.direction = ParseDirection(get->Text(0)).value_or(Direction::kInbound);
  auto state = ParseMessageState(get->Text(1));
  if (!state) {
    return Status(Code::kCorruption, "message " + std::to_string(id) + " has unknown state '" +
                                         get->Text(1) + "'");
  }
  head.state = *state;
  const bool leased = !get->IsNull(3) && get->Int(3) > ToMicros(now);
  if (token != 0 && (!leased || get->Int(2) != token)) {
    return Status(Code::kLeaseLost,
                  "message " + std::to_string(id) + ": the lease expired or was taken over");
  }
  if (token == 0 && leased) {
    return Status(Code::kLeaseLost, "message " + std::to_string(id) + " is leased by " +
                                        get->Text(9) + " until " +
                                        FormatTime(FromMicros(get->Int(3))));
  }
  head.partner = get->Text(4);
  head.type = get->Text(5);
  head.first_attempt_at = get->OptInt(6);
  head.attempts = get->Int(7);
  head.has_rendered = get->Int(8) != 0;
  return head;
}

Status SqliteSpool::ApplyTransition(const MessageTransition& c, Timestamp now) {
  SPOOL_ASSIGN_OR_RETURN(MessageHead head, LoadLeasedMessage(c.id, c.lease_token, now));
  if (head.state != c.from) {
    return Status(Code::kIllegalTransition,
                  "message " + std::to_string(c.id) + " is " + std::string(Name(head.state)) +
                      ", not " + std::string(Name(c.from)));
  }
  if (!IsLegalTransition(head.direction, c.from, c.to)) {
    return Status(Code::kIllegalTransition, IllegalMessage(c.id, head.direction, c.from, c.to));
  }
  const int64_t t = ToMicros(now);
  // The worker that starts delivering keeps its lease; any other step hands the item on.
  const bool keep_lease = c.to == MessageState::kDelivering;
  SPOOL_ASSIGN_OR_RETURN(
      auto upd,
      db_->Cached("UPDATE messages SET state = ?2, updated_at = ?3, "
                  "next_attempt_at = ?4, "
                  "payload = COALESCE(?5, payload), "
                  "first_attempt_at = CASE WHEN ?2 = 'delivering' "
                  "  THEN COALESCE(first_attempt_at, ?3) ELSE first_attempt_at END, "
                  "ack_due_at = CASE WHEN ?2 = 'uploaded' AND ack_within IS NOT NULL "
                  "  THEN ?3 + ack_within ELSE ack_due_at END, "
                  "ship_due_at = CASE WHEN ?2 = 'uploaded' AND ship_within IS NOT NULL "
                  "  THEN ?3 + ship_within ELSE ship_due_at END, "
                  "lease_owner = CASE WHEN ?6 THEN lease_owner END, "
                  "lease_token = CASE WHEN ?6 THEN lease_token END, "
                  "lease_until = CASE WHEN ?6 THEN lease_until END "
                  "WHERE id = ?1"));
  upd->Bind(1, c.id)
      .Bind(2, Name(c.to))
      .Bind(3, t)
      .Bind(4, IsWorkState(head.direction, c.to) ? std::optional<int64_t>(t) : std::nullopt);
  if (c.payload) {
    upd->BindBlob(5, *c.payload);
  } else {
    upd->Bind(5, std::nullopt);
  }
  upd->Bind(6, int64_t{keep_lease ? 1 : 0});
  SPOOL_RETURN_IF_ERROR(upd->Run());
  return AppendEvent(c.id, "", Name(c.from), Name(c.to), c.actor, c.reason);
}

Status SqliteSpool::Transition(std::span<const MessageTransition> changes) {
  std::lock_guard lock(mu_);
  RelaxedCommit relaxed(*db_);  // re-doable from durable state: see sqlite_spool.h
  const Timestamp now = clock_->Now();
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  for (const MessageTransition& c : changes) SPOOL_RETURN_IF_ERROR(ApplyTransition(c, now));
  return txn.Commit();
}

Result<std::string> SqliteSpool::AllocateControlNumber(const std::string& partner,
                                                       ControlKind kind) {
  SPOOL_ASSIGN_OR_RETURN(auto init, db_->Cached("INSERT OR IGNORE INTO control_numbers(partner, "
                                                "kind, next_value, high_water) VALUES (?, ?, 1, 0)"));
  SPOOL_RETURN_IF_ERROR(init->Bind(1, partner).Bind(2, Name(kind)).Run());
  SPOOL_ASSIGN_OR_RETURN(
      auto next, db_->Cached("UPDATE control_numbers SET next_value = next_value + 1, "
                             "high_water = MAX(high_water, next_value) "
                             "WHERE partner = ? AND kind = ? RETURNING next_value - 1"));
  next->Bind(1, partner).Bind(2, Name(kind));
  SPOOL_ASSIGN_OR_RETURN(bool row, next->Step());
  if (!row) return Status(Code::kInternal, "control number row vanished");
  const int64_t value = next->Int(0);
  SPOOL_RETURN_IF_ERROR(next->Run());
  // ISA13 and GS06 are at most 9 digits. Wrapping would reuse numbers: stop and say so.
  if (value > 999999999) {
    return Status(Code::kRejected, "control number " + std::string(Name(kind)) + " for " +
                                       partner + " is exhausted; reset it (audited)");
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, kind == ControlKind::kIsa13 ? "%09lld"
                                 : kind == ControlKind::kSt02 ? "%04lld"
                                                              : "%lld",
                static_cast<long long>(value));
  return std::string(buf);
}

Result<ControlNumbers> SqliteSpool::Render(ItemId id, int64_t lease_token, const Renderer& render,
                                           const Actor& actor) {
  std::lock_guard lock(mu_);
  const Timestamp now = clock_->Now();
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  SPOOL_ASSIGN_OR_RETURN(MessageHead head, LoadLeasedMessage(id, lease_token, now));
  if (head.direction != Direction::kOutbound || head.state != MessageState::kAccepted) {
    return Status(Code::kIllegalTransition,
                  IllegalMessage(id, head.direction, head.state, MessageState::kRendered));
  }
  ControlNumbers cn;
  SPOOL_ASSIGN_OR_RETURN(cn.isa13, AllocateControlNumber(head.partner, ControlKind::kIsa13));
  SPOOL_ASSIGN_OR_RETURN(cn.gs06, AllocateControlNumber(head.partner, ControlKind::kGs06));
  SPOOL_ASSIGN_OR_RETURN(cn.st02, AllocateControlNumber(head.partner, ControlKind::kSt02));
  // If rendering fails the transaction rolls back and the numbers were never used.
  SPOOL_ASSIGN_OR_RETURN(std::string bytes, render(cn));
  const int64_t t = ToMicros(now);
  SPOOL_ASSIGN_OR_RETURN(
      auto upd, db_->Cached("UPDATE messages SET state = 'rendered', isa13 = ?, gs06 = ?, "
                            "st02 = ?, rendered = ?, next_attempt_at = ?, updated_at = ?, "
                            "lease_owner = NULL, lease_token = NULL, lease_until = NULL "
                            "WHERE id = ?"));
  upd->Bind(1, cn.isa13).Bind(2, cn.gs06).Bind(3, cn.st02).BindBlob(4, bytes).Bind(5, t).Bind(6, t).Bind(7, id);
  SPOOL_RETURN_IF_ERROR(upd->Run());
  SPOOL_RETURN_IF_ERROR(AppendEvent(id, "", "accepted", "rendered", actor,
                                    "ISA13 " + cn.isa13 + " GS06 " + cn.gs06 + " ST02 " + cn.st02 +
                                        ", " + std::to_string(bytes.size()) + " bytes"));
  SPOOL_RETURN_IF_ERROR(txn.Commit());
  return cn;
}

Result<std::string> SqliteSpool::RenderedBytes(ItemId id) {
  std::lock_guard lock(mu_);
  SPOOL_ASSIGN_OR_RETURN(auto get, db_->Cached("SELECT rendered FROM messages WHERE id = ?"));
  get->Bind(1, id);
  SPOOL_ASSIGN_OR_RETURN(bool row, get->Step());
  if (!row) return Status(Code::kNotFound, "no message with id " + std::to_string(id));
  if (get->IsNull(0)) {
    return Status(Code::kNotFound, "message " + std::to_string(id) + " has not been rendered");
  }
  return get->Blob(0);
}

Result<std::string> SqliteSpool::Payload(ItemId id) {
  std::lock_guard lock(mu_);
  SPOOL_ASSIGN_OR_RETURN(auto get, db_->Cached("SELECT payload FROM messages WHERE id = ?"));
  get->Bind(1, id);
  SPOOL_ASSIGN_OR_RETURN(bool row, get->Step());
  if (!row) return Status(Code::kNotFound, "no message with id " + std::to_string(id));
  return get->IsNull(0) ? std::string() : get->Blob(0);
}

Result<RetryDecision> SqliteSpool::RecordFailure(const FailureReport& report) {
  std::lock_guard lock(mu_);
  RelaxedCommit relaxed(*db_);  // re-doable from durable state: see sqlite_spool.h
  const Timestamp now = clock_->Now();
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  SPOOL_ASSIGN_OR_RETURN(MessageHead head, LoadLeasedMessage(report.id, report.lease_token, now));
  const bool inbound = head.direction == Direction::kInbound;
  if (inbound ? head.state != MessageState::kDelivering
              : (head.state != MessageState::kAccepted && head.state != MessageState::kRendered)) {
    return Status(Code::kIllegalTransition,
                  "message " + std::to_string(report.id) + " is " + std::string(Name(head.state)) +
                      ": no attempt in progress to fail");
  }
  const int64_t attempts = head.attempts + 1;
  const Timestamp first = head.first_attempt_at ? FromMicros(*head.first_attempt_at) : now;
  RetryDecision decision;
  if (report.permanent) {
    decision.dead = true;
    decision.reason = "permanent failure";
  } else {
    const PartnerPolicy& policy = options_.policies.For(head.partner);
    const RetryPolicy& retry = !inbound && policy.retry_outbound ? *policy.retry_outbound : policy.RetryFor(head.type);
    decision = DecideRetry(retry, first, now,
                           attempts, report.retry_after, NextUniform());
  }
  const MessageState to = decision.dead ? MessageState::kDead
                          : inbound     ? MessageState::kRetryWait
                                        : head.state;
  SPOOL_ASSIGN_OR_RETURN(
      auto upd, db_->Cached("UPDATE messages SET state = ?, attempts = ?, first_attempt_at = ?, "
                            "next_attempt_at = ?, last_error = ?, updated_at = ?, "
                            "lease_owner = NULL, lease_token = NULL, lease_until = NULL "
                            "WHERE id = ?"));
  upd->Bind(1, Name(to))
      .Bind(2, attempts)
      .Bind(3, ToMicros(first))
      .Bind(4, decision.dead ? std::nullopt : std::optional<int64_t>(ToMicros(decision.next_attempt_at)))
      .Bind(5, report.reason)
      .Bind(6, ToMicros(now))
      .Bind(7, report.id);
  SPOOL_RETURN_IF_ERROR(upd->Run());
  SPOOL_RETURN_IF_ERROR(AppendEvent(report.id, "", Name(head.state), Name(to), report.actor,
                                    report.reason + "; " + decision.reason));
  SPOOL_RETURN_IF_ERROR(txn.Commit());
  return decision;
}

Result<ItemId> SqliteSpool::ApplyAck(const AckReport& report) {
  std::lock_guard lock(mu_);
  RelaxedCommit relaxed(*db_);  // re-doable from durable state: see sqlite_spool.h
  const Timestamp now = clock_->Now();
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  SPOOL_ASSIGN_OR_RETURN(
      auto find, db_->Cached("SELECT id, state FROM messages WHERE direction = 'outbound' AND "
                             "partner = ?1 AND gs06 = ?2 AND (?3 IS NULL OR st02 = ?3) "
                             "ORDER BY id DESC LIMIT 1"));
  find->Bind(1, report.partner).Bind(2, report.gs06).Bind(3, report.st02);
  SPOOL_ASSIGN_OR_RETURN(bool row, find->Step());
  if (!row) {
    return Status(Code::kNotFound, "no outbound message for " + report.partner + " GS06 " +
                                       report.gs06 + (report.st02 ? " ST02 " + *report.st02 : ""));
  }
  const ItemId id = find->Int(0);
  const auto state = ParseMessageState(find->Text(1)).value_or(MessageState::kDead);
  const MessageState to = report.accepted ? MessageState::kAcknowledged : MessageState::kRejected;
  if (state == MessageState::kFulfilled && report.accepted) {
    // The 945 overtook the 997: note the ack, keep the later state.
    SPOOL_RETURN_IF_ERROR(AppendEvent(id, "ack", "fulfilled", "fulfilled", report.actor,
                                      "997 accepted after fulfillment; " + report.reason));
  } else {
    MessageTransition c;
    c.id = id;
    c.from = state;
    c.to = to;
    c.actor = report.actor;
    c.reason = report.via + " " + std::string(report.accepted ? "accepted" : "rejected") +
               (report.reason.empty() ? "" : ": " + report.reason);
    SPOOL_RETURN_IF_ERROR(ApplyTransition(c, now));
  }
  SPOOL_RETURN_IF_ERROR(txn.Commit());
  return id;
}

}  // namespace spool

namespace spool {

Result<std::optional<ItemId>> SqliteSpool::ApplyShipment(const ShipmentReport& report) {
  SPOOL_ASSIGN_OR_RETURN(auto results, ApplyShipments(std::span(&report, 1)));
  return results.at(0);
}

Result<std::vector<std::optional<ItemId>>> SqliteSpool::ApplyShipments(std::span<const ShipmentReport> reports) {
  for (const ShipmentReport& report : reports) {
    if (report.partner.empty() || report.business_key.empty()) {
      return Status(Code::kInvalidArgument, "a shipment report needs a partner and the order's business key");
    }
  }
  std::lock_guard lock(mu_);
  RelaxedCommit relaxed(*db_);  // re-doable from durable state: see sqlite_spool.h
  const Timestamp now = clock_->Now();
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  std::vector<std::optional<ItemId>> results;
  results.reserve(reports.size());
  SPOOL_ASSIGN_OR_RETURN(
      auto find, db_->Cached("SELECT id, state FROM messages WHERE direction = 'outbound' AND partner = ? AND "
                             "type = ? AND business_key = ? AND state IN ('uploaded', 'acknowledged') "
                             "ORDER BY id DESC LIMIT 1"));
  for (const ShipmentReport& report : reports) {
    find->Reset();
    find->Bind(1, report.partner).Bind(2, report.type).Bind(3, JoinBusinessKey(report.business_key));
    SPOOL_ASSIGN_OR_RETURN(bool row, find->Step());
    if (!row) {
      results.emplace_back();
      continue;
    }
    MessageTransition c;
    c.id = find->Int(0);
    c.from = ParseMessageState(find->Text(1)).value_or(MessageState::kUploaded);
    c.to = MessageState::kFulfilled;
    c.actor = report.actor;
    c.reason = report.reason.empty() ? "shipment received" : report.reason;
    find->Reset();
    SPOOL_RETURN_IF_ERROR(ApplyTransition(c, now));
    results.emplace_back(c.id);
  }
  SPOOL_RETURN_IF_ERROR(txn.Commit());
  return results;
}

}  // namespace spool
