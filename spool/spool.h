// The spool: edigate's source of truth (DESIGN.md, "Spool").
//
// Model. A *file* is raw bytes kept verbatim in a content-addressed blob store (by sha256)
// plus a row (partner, origin, received time). It counts as received only once both are
// durable. Parsing a file records its *interchanges* (ISA envelopes, for duplicate detection)
// and *messages* (one per transaction set, inbound), each with a deterministic idempotency
// key. The OMS's orders are outbound messages; rendering one allocates its ISA13/GS06/ST02 in
// the same transaction. Files and messages share one id space and each has an explicit state
// machine (spool/states.h); every change of state appends an *event* (time, actor, reason) to
// the audit log in the same transaction. Duplicates are recorded at three levels (file,
// interchange, business) under a per-partner policy (spool/policy.h) and link to the original.
// Workers *claim* due work under a lease that expires, so a crashed worker's work comes back.
//
// Errors are values (spool/status.h); nothing here throws. Implementations are thread-safe and
// several processes may share one spool. SqliteSpool (spool/sqlite_spool.h) is the one
// implementation today; the interface is shaped so PostgreSQL (FOR UPDATE SKIP LOCKED) fits.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "spool/byte_stream.h"
#include "spool/clock.h"
#include "spool/idempotency_key.h"
#include "spool/policy.h"
#include "spool/states.h"
#include "spool/status.h"

namespace spool {

using ItemId = int64_t;

// Who caused a change: "daemon", "api", or "operator:<login>".
struct Actor {
  std::string name;
  static Actor Daemon() { return {"daemon"}; }
  static Actor Api() { return {"api"}; }
  static Actor Operator(const std::string& login) { return {"operator:" + login}; }
};

enum class DuplicateAction { kNone, kAllowed, kSkipped, kRejected };
std::string_view Name(DuplicateAction action);

struct FileOrigin {
  std::string remote_path;
  std::optional<int64_t> remote_size;
  std::optional<Timestamp> remote_mtime;
};

struct IngestRequest {
  std::string partner;
  FileOrigin origin;
  Actor actor = Actor::Daemon();
};

struct IngestResult {
  ItemId id = 0;
  std::string sha256;
  uint64_t size = 0;
  FileState state = FileState::kReceived;
  std::optional<ItemId> duplicate_of;
  DuplicateAction action = DuplicateAction::kNone;
};

struct InterchangeRequest {
  ItemId file_id = 0;
  std::string partner;
  std::string isa06;  // sender id
  std::string isa08;  // receiver id
  std::string isa13;  // interchange control number
};

struct InterchangeResult {
  int64_t id = 0;
  std::optional<int64_t> duplicate_of;  // the earlier interchange's id
  DuplicateAction action = DuplicateAction::kNone;
};

// One transaction set taken from a file.
struct InboundMessage {
  ItemId file_id = 0;
  std::optional<int64_t> interchange_id;
  int64_t set_index = 0;  // position of the set in the file; (file_id, set_index) is unique
  std::string partner;
  std::string type;                       // "945", "856", ...
  std::vector<std::string> business_key;  // e.g. {W06-02, W06-04}; may be empty
  ControlNumbers control_numbers;
  std::string payload;  // canonical JSON when known; may be empty until mapped
  // Where the set starts: kReceived (to be mapped later), kMapped (`payload` is the canonical
  // event, due for delivery at once), kQuarantined (validation or mapping refused it; `note`
  // says why) or kDuplicate (its interchange repeats an earlier one). A business duplicate
  // overrides it with kDuplicate under a skip/reject policy.
  MessageState initial_state = MessageState::kReceived;
  std::string note;  // recorded as last_error and in the audit event
};

// An order from the OMS to send to a partner.
struct OutboundOrder {
  std::string partner;
  std::string type;  // "940", "997"
  std::vector<std::string> business_key;
  std::string payload;
  std::optional<Duration> ack_within;   // 997 expected this long after upload
  std::optional<Duration> ship_within;  // 945 expected this long after upload
  // An API request's Idempotency-Key and the sha256 of its body (IETF httpapi idempotency
  // draft): the same key with the same body is the same message again; the same key with
  // another body is refused (kRejected). Empty: not from the API.
  std::string request_key;
  std::string request_hash;
};

struct AddedMessage {
  ItemId id = 0;
  std::string idempotency_key;
  MessageState state = MessageState::kReceived;
  std::optional<ItemId> duplicate_of;
  DuplicateAction action = DuplicateAction::kNone;
  bool existed = false;  // the same file/set (or order) was added before; nothing new written
};

struct ClaimRequest {
  ItemKind kind = ItemKind::kMessage;
  std::optional<Direction> direction;  // messages only; nullopt: both
  std::vector<MessageState> states;    // empty: every work state of the direction(s)
  std::optional<std::string> partner;  // messages only: this partner's items only
  std::vector<std::string> types;      // messages only: these types only; empty: all
  std::string worker;
  Duration lease = std::chrono::minutes(5);
  int limit = 1;
};

// A claimed item. `token` must accompany every change made under the lease.
struct Lease {
  ItemId id = 0;
  int64_t token = 0;
  std::string state;
  Timestamp until{};
};

// Moves a message `from` -> `to` (must be a legal step). lease_token 0: no lease needed (the
// item must then not be leased by someone else).
struct MessageTransition {
  ItemId id = 0;
  int64_t lease_token = 0;
  MessageState from = MessageState::kReceived;
  MessageState to = MessageState::kReceived;
  Actor actor = Actor::Daemon();
  std::string reason;
  std::optional<std::string> payload;  // replaces the canonical payload (mapping step)
};

struct FileTransition {
  ItemId id = 0;
  int64_t lease_token = 0;
  FileState from = FileState::kReceived;
  FileState to = FileState::kParsed;
  Actor actor = Actor::Daemon();
  std::string reason;
};

// A failed delivery (inbound) or upload (outbound) attempt of a leased message.
struct FailureReport {
  ItemId id = 0;
  int64_t lease_token = 0;
  bool permanent = false;  // e.g. 400/404/422: dead at once
  std::string reason;
  std::optional<Duration> retry_after;  // from the receiver; overrides the backoff
  Actor actor = Actor::Daemon();
};

// Renders an outbound message's bytes once its control numbers are allocated.
using Renderer = std::function<Result<std::string>(const ControlNumbers&)>;

struct AckReport {
  std::string partner;
  std::string gs06;  // AK1-02: the group we sent
  std::optional<std::string> st02;  // AK2-02 when the ack is per set
  bool accepted = true;
  std::string via = "997";  // what said so: "997", or "TA1" for a rejected interchange
  Actor actor = Actor::Daemon();
  std::string reason;
};

// A 945 (shipment) closing the outbound order it fulfils: the outbound message of `type` whose
// business key is `business_key` (the 940's W05-02 order id = the 945's W06-02).
struct ShipmentReport {
  std::string partner;
  std::string type = "940";
  std::vector<std::string> business_key;
  Actor actor = Actor::Daemon();
  std::string reason;
};

struct ReplayRequest {
  ItemId id = 0;
  ReplayMode mode = ReplayMode::kRedeliver;
  bool dry_run = false;
  bool force = false;
  std::string reason;
  Actor actor;
};

struct ReplayOutcome {
  ItemKind kind = ItemKind::kMessage;
  std::string from;
  std::string to;
  bool applied = false;  // false for a dry run
};

enum class ControlKind { kIsa13, kGs06, kSt02 };
std::string_view Name(ControlKind kind);

struct ListFilter {
  std::optional<ItemKind> kind;
  std::optional<std::string> state;
  std::optional<std::string> partner;
  std::optional<std::string> type;
  std::optional<Timestamp> since;  // created at or after
  int64_t limit = 0;               // 0: no limit
  // Messages only (files are never listed with these).
  std::optional<Direction> direction;
  std::optional<std::string> isa13;  // the interchange a message went (or came) in
};

// A file or a message as listed and shown. Fields that do not apply to the kind are empty.
struct ItemSummary {
  ItemId id = 0;
  ItemKind kind = ItemKind::kFile;
  std::string partner;
  std::string state;
  std::optional<ItemId> duplicate_of;
  std::optional<std::string> duplicate_action;
  Timestamp created_at{};
  Timestamp updated_at{};
  std::optional<Timestamp> next_attempt_at;
  std::optional<std::string> lease_owner;
  std::optional<Timestamp> lease_until;
  // files
  std::optional<std::string> sha256;
  std::optional<int64_t> size;
  std::optional<std::string> remote_path;
  std::optional<int64_t> remote_size;
  std::optional<Timestamp> remote_mtime;
  // messages
  std::optional<Direction> direction;
  std::optional<std::string> type;
  std::optional<std::string> idempotency_key;
  std::optional<std::string> business_key;
  std::optional<ItemId> file_id;
  ControlNumbers control_numbers;
  int64_t attempts = 0;
  std::optional<std::string> last_error;
  std::optional<Timestamp> ack_due_at;
  std::optional<Timestamp> ship_due_at;
};

struct AuditEvent {
  int64_t id = 0;
  Timestamp at{};
  ItemId item_id = 0;
  std::string from_state;  // empty for the creating event
  std::string to_state;
  std::string actor;
  std::string reason;
};

struct StatsRow {
  ItemKind kind = ItemKind::kMessage;
  std::string partner;
  std::string type;  // empty for files
  std::string state;
  int64_t count = 0;
};

// The business gauges of one partner (DESIGN.md, "Monitoring that answers business questions").
struct PartnerGauges {
  std::string partner;
  int64_t overdue_acks = 0;
  int64_t overdue_ships = 0;
  std::optional<Duration> oldest_pending_age;
};

struct Stats {
  std::vector<StatsRow> rows;
  std::vector<PartnerGauges> partners;  // every partner with at least one item
  std::optional<Duration> oldest_pending_age;  // oldest item in a work state
  int64_t overdue_acks = 0;   // uploaded, no 997 past ack_due_at
  int64_t overdue_ships = 0;  // uploaded/acknowledged, no 945 past ship_due_at
};

struct PurgeReport {
  int64_t files = 0;
  int64_t messages = 0;
  int64_t events = 0;
  int64_t blobs = 0;
};

class Spool {
 public:
  virtual ~Spool() = default;

  // --- files ---
  // Streams `bytes` into the blob store, makes them durable, then commits the file row (and
  // its duplicate verdict) in one transaction. On success the file is received for good; on
  // failure nothing refers to it and the call may be retried.
  virtual Result<IngestResult> IngestFile(const IngestRequest& request, ByteSource& bytes) = 0;
  // Streams the stored bytes of a file, verified against their sha256.
  virtual Status ReadFile(ItemId id, ByteSink& sink) = 0;
  virtual Status TransitionFile(const FileTransition& change) = 0;

  // --- interchanges and messages ---
  virtual Result<InterchangeResult> RecordInterchange(const InterchangeRequest& request) = 0;
  // Adds the sets of a file in one transaction (business duplicates decided per set). Adding
  // the same (file_id, set_index) again returns the existing message (existed = true).
  virtual Result<std::vector<AddedMessage>> AddInboundMessages(
      std::span<const InboundMessage> messages, const Actor& actor) = 0;
  virtual Result<AddedMessage> AcceptOutbound(const OutboundOrder& order, const Actor& actor) = 0;

  // --- work ---
  // Claims up to `limit` due items (next_attempt_at <= now, no live lease) in one transaction.
  // Safe against other threads and processes: an item is leased to one worker at a time.
  virtual Result<std::vector<Lease>> Claim(const ClaimRequest& request) = 0;
  // Applies every change in one transaction: all or none. Each must be a legal step from the
  // stated `from` (kIllegalTransition otherwise) under a live lease when one is given
  // (kLeaseLost otherwise). Entering a state that is not a work state drops the lease.
  virtual Status Transition(std::span<const MessageTransition> changes) = 0;
  // Allocates ISA13/GS06/ST02 for an accepted outbound message, calls `render` with them and
  // stores the bytes, moving it to rendered, all in one transaction: numbers are never reused,
  // even if the process dies, because they are committed with the message that uses them.
  virtual Result<ControlNumbers> Render(ItemId id, int64_t lease_token, const Renderer& render,
                                        const Actor& actor) = 0;
  virtual Result<std::string> RenderedBytes(ItemId id) = 0;
  // A message's payload: the canonical event (inbound) or the order / 997 to render (outbound).
  virtual Result<std::string> Payload(ItemId id) = 0;
  // Counts a failed attempt and schedules the next (retry_wait / rendered with a later
  // next_attempt_at) or declares the message dead, per the partner's retry policy.
  virtual Result<RetryDecision> RecordFailure(const FailureReport& report) = 0;
  // Applies a 997 to the outbound message it acknowledges; returns that message's id.
  virtual Result<ItemId> ApplyAck(const AckReport& report) = 0;
  // Marks the outbound order a shipment fulfils (uploaded or acknowledged -> fulfilled).
  // Returns its id, or nullopt when no such order is open (already fulfilled, or not ours).
  virtual Result<std::optional<ItemId>> ApplyShipment(const ShipmentReport& report) = 0;
  // The same for many shipments in one transaction (a file of 945s): one result per report.
  virtual Result<std::vector<std::optional<ItemId>>> ApplyShipments(std::span<const ShipmentReport> reports) = 0;
  // Gives up a lease without changing the item (a draining worker hands back what it claimed
  // but did not start). A lease that is no longer `token`'s is left alone.
  virtual Status ReleaseLease(ItemKind kind, ItemId id, int64_t token) = 0;
  // Workers that hold a live or expired lease, so a restarted daemon can break the leases of
  // its own dead predecessor at once instead of waiting for them to expire.
  virtual Result<std::vector<std::string>> LeaseOwners() = 0;
  // Drops every lease `owner` holds (recorded in the audit log); returns how many.
  virtual Result<int64_t> BreakLeases(const std::string& owner, const Actor& actor,
                                      const std::string& reason) = 0;
  // Replaces the per-partner policies (partner profiles reloaded).
  virtual void SetPolicies(PolicyBook policies) = 0;

  // --- operators ---
  virtual Result<ReplayOutcome> Replay(const ReplayRequest& request) = 0;
  // Dead or quarantined back to due now.
  virtual Result<ReplayOutcome> Release(ItemId id, const Actor& actor,
                                        const std::string& reason) = 0;
  // Deletes finished items (delivered, duplicate, fulfilled) last changed before `cutoff`, with
  // their events and unreferenced blobs. Never touches anything unfinished.
  virtual Result<PurgeReport> Purge(Timestamp cutoff, const Actor& actor) = 0;
  // Sets the next value of a control number counter. Refused when it would hand out a value
  // already used; recorded in the audit log.
  virtual Status ResetControlNumber(const std::string& partner, ControlKind kind,
                                    int64_t next_value, const Actor& actor,
                                    const std::string& reason) = 0;

  // --- queries ---
  virtual Result<std::vector<ItemSummary>> List(const ListFilter& filter) = 0;
  virtual Result<ItemSummary> Get(ItemId id) = 0;
  virtual Result<std::vector<AuditEvent>> History(ItemId id) = 0;
  virtual Result<Stats> GetStats() = 0;
};

}  // namespace spool
