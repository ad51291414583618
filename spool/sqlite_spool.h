// The SQLite implementation of Spool (spool/spool.h).
//
// One connection per SqliteSpool, guarded by a mutex: threads share an instance or open their
// own; processes open their own. Write transactions are BEGIN IMMEDIATE, so concurrent writers
// queue on SQLite's lock (busy_timeout) instead of failing on lock upgrade. Pragmas:
// journal_mode=WAL (readers never block the writer), foreign_keys=ON, busy_timeout. File bodies
// live in a blob directory next to the database (<path>.blobs by default), written and fsynced
// before their row commits.
//
// Durability. Every commit survives a crash of the process (kill -9): WAL pages are in the OS
// before the commit returns. What a power cut may take back is decided per operation, by the
// rule "fsync before anything leaves the machine or is promised to someone":
//  - synchronous=FULL (fsynced) for what others rely on or what cannot be redone: a file
//    ingested (the partner's copy is deleted next), an order accepted (the OMS got a 202),
//    control numbers rendered (the bytes are uploaded next), operator actions;
//  - synchronous=NORMAL for steps that are redone from that durable state when lost: claims,
//    state transitions, delivery outcomes, sets and interchanges parsed from a stored file,
//    acks and shipments applied. A power cut may roll the last of these back (never corrupt,
//    never out of order); the daemon then repeats them: a file is parsed again into the same
//    keys, an event is re-sent with its Idempotency-Key, a re-upload finds its own file.
// An fsync costs milliseconds; a processed file makes about a dozen commits, so this is the
// difference between tens and hundreds of files per second.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "spool/blob_store.h"
#include "spool/clock.h"
#include "spool/file_system.h"
#include "spool/policy.h"
#include "spool/spool.h"
#include "spool/sqlite_db.h"

namespace spool {

struct SqliteSpoolOptions {
  std::string path;
  std::string blob_dir;        // empty: path + ".blobs"
  Clock* clock = nullptr;      // not owned; nullptr: the system clock
  FileSystem* fs = nullptr;    // not owned; nullptr: the POSIX filesystem
  PolicyBook policies;
  int busy_timeout_ms = 5000;
  std::string vfs;             // SQLite VFS name; empty: the default
  int64_t max_pages = 0;       // cap on the database size in pages (kNoSpace past it); 0: none
  std::optional<uint64_t> seed;  // for jitter and lease tokens; nullopt: random
};

class SqliteSpool final : public Spool {
 public:
  // Opens (creating if needed) and migrates the database to the latest schema version.
  static Result<std::unique_ptr<SqliteSpool>> Open(SqliteSpoolOptions options);
  ~SqliteSpool() override;

  Result<IngestResult> IngestFile(const IngestRequest& request, ByteSource& bytes) override;
  Status ReadFile(ItemId id, ByteSink& sink) override;
  Status TransitionFile(const FileTransition& change) override;
  Result<InterchangeResult> RecordInterchange(const InterchangeRequest& request) override;
  Result<std::vector<AddedMessage>> AddInboundMessages(std::span<const InboundMessage> messages,
                                                       const Actor& actor) override;
  Result<AddedMessage> AcceptOutbound(const OutboundOrder& order, const Actor& actor) override;
  Result<std::vector<Lease>> Claim(const ClaimRequest& request) override;
  Status Transition(std::span<const MessageTransition> changes) override;
  Result<ControlNumbers> Render(ItemId id, int64_t lease_token, const Renderer& render,
                                const Actor& actor) override;
  Result<std::string> RenderedBytes(ItemId id) override;
  Result<std::string> Payload(ItemId id) override;
  Result<RetryDecision> RecordFailure(const FailureReport& report) override;
  Result<ItemId> ApplyAck(const AckReport& report) override;
  Result<std::optional<ItemId>> ApplyShipment(const ShipmentReport& report) override;
  Result<std::vector<std::optional<ItemId>>> ApplyShipments(std::span<const ShipmentReport> reports) override;
  Status ReleaseLease(ItemKind kind, ItemId id, int64_t token) override;
  Result<std::vector<std::string>> LeaseOwners() override;
  Result<int64_t> BreakLeases(const std::string& owner, const Actor& actor,
                              const std::string& reason) override;
  void SetPolicies(PolicyBook policies) override;
  Result<ReplayOutcome> Replay(const ReplayRequest& request) override;
  Result<ReplayOutcome> Release(ItemId id, const Actor& actor, const std::string& reason) override;
  Result<PurgeReport> Purge(Timestamp cutoff, const Actor& actor) override;
  Status ResetControlNumber(const std::string& partner, ControlKind kind, int64_t next_value,
                            const Actor& actor, const std::string& reason) override;
  Result<std::vector<ItemSummary>> List(const ListFilter& filter) override;
  Result<ItemSummary> Get(ItemId id) override;
  Result<std::vector<AuditEvent>> History(ItemId id) override;
  Result<Stats> GetStats() override;

  // PRAGMA integrity_check: "ok" or the problems found.
  Result<std::string> IntegrityCheck();
  const std::string& path() const { return options_.path; }

 private:
  SqliteSpool(SqliteSpoolOptions options, std::unique_ptr<SqliteDb> db);

  // Commits made while one is alive are not fsynced (synchronous=NORMAL); see "Durability".
  class RelaxedCommit {
   public:
    explicit RelaxedCommit(SqliteDb& db) : db_(db) { (void)db_.Exec("PRAGMA synchronous=NORMAL"); }
    ~RelaxedCommit() { (void)db_.Exec("PRAGMA synchronous=FULL"); }
    RelaxedCommit(const RelaxedCommit&) = delete;
    RelaxedCommit& operator=(const RelaxedCommit&) = delete;

   private:
    SqliteDb& db_;
  };

  // All private helpers expect mu_ held and (for writes) a transaction open.
  Result<ItemId> NewItem(ItemKind kind);
  Status AppendEvent(std::optional<ItemId> item, const std::string& subject,
                     std::string_view from, std::string_view to, const Actor& actor,
                     const std::string& reason);
  Status ApplyTransition(const MessageTransition& change, Timestamp now);
  Result<AddedMessage> AddInbound(const InboundMessage& message, const Actor& actor,
                                  Timestamp now);
  Result<std::optional<ItemId>> FindBusinessOriginal(Direction direction,
                                                     const std::string& partner,
                                                     const std::string& type,
                                                     const std::string& business_key);
  Result<std::string> AllocateControlNumber(const std::string& partner, ControlKind kind);
  // Checks the message exists and that `token` matches its live lease (or that it has no live
  // lease when token is 0). Returns its state and direction.
  struct MessageHead {
    Direction direction;
    MessageState state;
    std::string partner;
    std::string type;
    std::optional<int64_t> first_attempt_at;
    int64_t attempts;
    bool has_rendered;
  };
  Result<MessageHead> LoadLeasedMessage(ItemId id, int64_t token, Timestamp now);
  Result<std::vector<ItemSummary>> ListTable(ItemKind kind, const ListFilter& filter);
  Status MoveMessage(ItemId id, MessageState from, MessageState to, Timestamp now,
                     const Actor& actor, const std::string& reason, bool reset_attempts);
  double NextUniform();
  // Puts back blobs an interrupted purge trashed but whose rows survived; empties the rest.
  Status RecoverTrash();

  SqliteSpoolOptions options_;
  std::unique_ptr<SystemClock> own_clock_;
  std::unique_ptr<PosixFileSystem> own_fs_;
  Clock* clock_;
  FileSystem* fs_;
  std::unique_ptr<BlobStore> blobs_;
  std::mutex mu_;
  std::unique_ptr<SqliteDb> db_;  // guarded by mu_
  std::mt19937_64 rng_;           // guarded by mu_
};

}  // namespace spool
