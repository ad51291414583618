// SqliteSpool: opening, the audit log, files and interchanges. Messages, operator commands and
// queries live in sqlite_spool_messages.cpp, sqlite_spool_operators.cpp, sqlite_spool_queries.cpp.
#include "spool/sqlite_spool.h"

#include "spool/schema.h"

namespace spool {

std::string_view Name(DuplicateAction action) {
  switch (action) {
    case DuplicateAction::kNone: return "none";
    case DuplicateAction::kAllowed: return "allowed";
    case DuplicateAction::kSkipped: return "skipped";
    case DuplicateAction::kRejected: return "rejected";
  }
  return "?";
}

std::string_view Name(ControlKind kind) {
  switch (kind) {
    case ControlKind::kIsa13: return "isa13";
    case ControlKind::kGs06: return "gs06";
    case ControlKind::kSt02: return "st02";
  }
  return "?";
}

namespace {

DuplicateAction ActionFor(DuplicatePolicy policy) {
  switch (policy) {
    case DuplicatePolicy::kReject: return DuplicateAction::kRejected;
    case DuplicatePolicy::kSkip: return DuplicateAction::kSkipped;
    case DuplicatePolicy::kAllow: return DuplicateAction::kAllowed;
  }
  return DuplicateAction::kSkipped;
}

std::optional<std::string> DedupColumn(DuplicateAction action) {
  if (action == DuplicateAction::kNone) return std::nullopt;
  return std::string(Name(action));
}

}  // namespace

SqliteSpool::SqliteSpool(SqliteSpoolOptions options, std::unique_ptr<SqliteDb> db)
    : options_(std::move(options)), db_(std::move(db)) {
  if (options_.clock == nullptr) own_clock_ = std::make_unique<SystemClock>();
  if (options_.fs == nullptr) own_fs_ = std::make_unique<PosixFileSystem>();
  clock_ = options_.clock ? options_.clock : own_clock_.get();
  fs_ = options_.fs ? options_.fs : own_fs_.get();
  blobs_ = std::make_unique<BlobStore>(*fs_, options_.blob_dir);
  rng_.seed(options_.seed ? *options_.seed : std::random_device{}());
}

SqliteSpool::~SqliteSpool() = default;

Result<std::unique_ptr<SqliteSpool>> SqliteSpool::Open(SqliteSpoolOptions options) {
  if (options.path.empty()) return Status(Code::kInvalidArgument, "no spool path given");
  if (options.blob_dir.empty()) options.blob_dir = options.path + ".blobs";
  SqliteDb::Options db_options;
  db_options.busy_timeout_ms = options.busy_timeout_ms;
  db_options.vfs = options.vfs;
  SPOOL_ASSIGN_OR_RETURN(auto db, SqliteDb::Open(options.path, db_options));
  {
    SPOOL_ASSIGN_OR_RETURN(Statement wal, db->Prepare("PRAGMA journal_mode=WAL"));
    SPOOL_ASSIGN_OR_RETURN(bool row, wal.Step());
    if (!row || wal.Text(0) != "wal") {
      return Status(Code::kIoError, "cannot switch " + options.path + " to WAL mode");
    }
  }
  SPOOL_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=FULL"));
  SPOOL_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON"));
  if (options.max_pages > 0) {
    SPOOL_RETURN_IF_ERROR(db->Exec("PRAGMA max_page_count=" + std::to_string(options.max_pages)));
  }
  SPOOL_RETURN_IF_ERROR(Migrate(*db));
  std::unique_ptr<SqliteSpool> spool(new SqliteSpool(std::move(options), std::move(db)));
  SPOOL_RETURN_IF_ERROR(spool->blobs_->Init());
  SPOOL_RETURN_IF_ERROR(spool->RecoverTrash());
  return spool;
}

Status SqliteSpool::RecoverTrash() {
  std::lock_guard lock(mu_);
  // Under a write transaction, so a purge in another process cannot be half-way meanwhile.
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  SPOOL_RETURN_IF_ERROR(blobs_->Recover([&](const std::string& sha) -> Result<bool> {
    SPOOL_ASSIGN_OR_RETURN(auto find, db_->Cached("SELECT 1 FROM files WHERE sha256 = ? LIMIT 1"));
    find->Bind(1, sha);
    return find->Step();
  }));
  return txn.Commit();
}

double SqliteSpool::NextUniform() {
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
}

Result<ItemId> SqliteSpool::NewItem(ItemKind kind) {
  SPOOL_ASSIGN_OR_RETURN(auto stmt, db_->Cached("INSERT INTO items(kind) VALUES (?)"));
  SPOOL_RETURN_IF_ERROR(stmt->Bind(1, Name(kind)).Run());
  return db_->LastInsertId();
}

Status SqliteSpool::AppendEvent(std::optional<ItemId> item, const std::string& subject,
                                std::string_view from, std::string_view to, const Actor& actor,
                                const std::string& reason) {
  SPOOL_ASSIGN_OR_RETURN(
      auto stmt, db_->Cached("INSERT INTO events(at, item_id, subject, from_state, to_state, "
                             "actor, reason) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  stmt->Bind(1, ToMicros(clock_->Now())).Bind(2, item);
  if (subject.empty()) {
    stmt->Bind(3, std::nullopt);
  } else {
    stmt->Bind(3, subject);
  }
  if (from.empty()) {
    stmt->Bind(4, std::nullopt);
  } else {
    stmt->Bind(4, from);
  }
  return stmt->Bind(5, to).Bind(6, actor.name).Bind(7, reason).Run();
}

Result<IngestResult> SqliteSpool::IngestFile(const IngestRequest& request, ByteSource& bytes) {
  if (request.partner.empty()) return Status(Code::kInvalidArgument, "ingest: no partner given");
  // Bytes first, durable, outside the database lock (several ingests may stream at once).
  SPOOL_ASSIGN_OR_RETURN(BlobInfo blob, blobs_->Put(bytes));

  std::lock_guard lock(mu_);
  const Timestamp now = clock_->Now();
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  // Purge deletes blobs only inside its own write transaction, so this check (under ours)
  // cannot race with it: either the blob is here now and stays, or we report a retryable error.
  SPOOL_ASSIGN_OR_RETURN(bool present, fs_->Exists(blobs_->PathOf(blob.sha256)));
  if (!present) {
    return Status(Code::kBusy, "ingest: blob " + blob.sha256 + " was purged concurrently; retry");
  }
  IngestResult result;
  result.sha256 = blob.sha256;
  result.size = blob.size;
  {
    SPOOL_ASSIGN_OR_RETURN(auto find, db_->Cached("SELECT id FROM files WHERE partner = ? AND "
                                                  "sha256 = ? AND duplicate_of IS NULL "
                                                  "ORDER BY id LIMIT 1"));
    find->Bind(1, request.partner).Bind(2, blob.sha256);
    SPOOL_ASSIGN_OR_RETURN(bool row, find->Step());
    if (row) {
      result.duplicate_of = find->Int(0);
      result.action = ActionFor(options_.policies.For(request.partner).file_duplicates);
    }
  }
  result.state = (result.action == DuplicateAction::kNone ||
                  result.action == DuplicateAction::kAllowed)
                     ? FileState::kReceived
                     : FileState::kDuplicate;
  SPOOL_ASSIGN_OR_RETURN(result.id, NewItem(ItemKind::kFile));
  {
    SPOOL_ASSIGN_OR_RETURN(
        auto ins, db_->Cached("INSERT INTO files(id, partner, sha256, size, remote_path, "
                              "remote_size, remote_mtime, received_at, state, duplicate_of, dedup, "
                              "next_attempt_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    ins->Bind(1, result.id)
        .Bind(2, request.partner)
        .Bind(3, blob.sha256)
        .Bind(4, static_cast<int64_t>(blob.size))
        .Bind(5, request.origin.remote_path)
        .Bind(6, request.origin.remote_size)
        .Bind(7, request.origin.remote_mtime ? std::optional<int64_t>(ToMicros(*request.origin.remote_mtime))
                                             : std::nullopt)
        .Bind(8, ToMicros(now))
        .Bind(9, Name(result.state))
        .Bind(10, result.duplicate_of)
        .Bind(11, DedupColumn(result.action))
        .Bind(12, IsWorkState(result.state) ? std::optional<int64_t>(ToMicros(now)) : std::nullopt)
        .Bind(13, ToMicros(now));
    SPOOL_RETURN_IF_ERROR(ins->Run());
  }
  std::string reason = "ingested " + std::to_string(blob.size) + " bytes";
  if (!request.origin.remote_path.empty()) reason += " from " + request.origin.remote_path;
  if (result.duplicate_of) {
    reason += "; duplicate of file " + std::to_string(*result.duplicate_of) + " (" +
              std::string(Name(result.action)) + ")";
  }
  SPOOL_RETURN_IF_ERROR(
      AppendEvent(result.id, "", "", Name(result.state), request.actor, reason));
  SPOOL_RETURN_IF_ERROR(txn.Commit());
  return result;
}

Status SqliteSpool::ReadFile(ItemId id, ByteSink& sink) {
  std::string sha;
  {
    std::lock_guard lock(mu_);
    SPOOL_ASSIGN_OR_RETURN(auto stmt, db_->Cached("SELECT sha256 FROM files WHERE id = ?"));
    stmt->Bind(1, id);
    SPOOL_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return Status(Code::kNotFound, "no file with id " + std::to_string(id));
    sha = stmt->Text(0);
  }
  return blobs_->Read(sha, sink);
}

Status SqliteSpool::TransitionFile(const FileTransition& change) {
  if (!IsLegalTransition(change.from, change.to)) {
    return Status(Code::kIllegalTransition, "file " + std::to_string(change.id) + ": " +
                                                std::string(Name(change.from)) + " -> " +
                                                std::string(Name(change.to)));
  }
  std::lock_guard lock(mu_);
  RelaxedCommit relaxed(*db_);  // re-doable from durable state: see sqlite_spool.h
  const int64_t now = ToMicros(clock_->Now());
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  {
    SPOOL_ASSIGN_OR_RETURN(
        auto get, db_->Cached("SELECT state, lease_token, lease_until FROM files WHERE id = ?"));
    get->Bind(1, change.id);
    SPOOL_ASSIGN_OR_RETURN(bool row, get->Step());
    if (!row) return Status(Code::kNotFound, "no file with id " + std::to_string(change.id));
    if (get->Text(0) != Name(change.from)) {
      return Status(Code::kIllegalTransition,
                    "file " + std::to_string(change.id) + " is " + get->Text(0) + ", not " +
                        std::string(Name(change.from)));
    }
    const bool leased = !get->IsNull(2) && get->Int(2) > now;
    if (change.lease_token != 0 ? (!leased || get->Int(1) != change.lease_token) : leased) {
      return Status(Code::kLeaseLost, "file " + std::to_string(change.id) + ": lease not held");
    }
  }
  SPOOL_ASSIGN_OR_RETURN(
      auto upd, db_->Cached("UPDATE files SET state = ?, updated_at = ?, next_attempt_at = ?, "
                            "lease_owner = NULL, lease_token = NULL, lease_until = NULL "
                            "WHERE id = ?"));
  upd->Bind(1, Name(change.to))
      .Bind(2, now)
      .Bind(3, IsWorkState(change.to) ? std::optional<int64_t>(now) : std::nullopt)
      .Bind(4, change.id);
  SPOOL_RETURN_IF_ERROR(upd->Run());
  SPOOL_RETURN_IF_ERROR(
      AppendEvent(change.id, "", Name(change.from), Name(change.to), change.actor, change.reason));
  return txn.Commit();
}

Result<InterchangeResult> SqliteSpool::RecordInterchange(const InterchangeRequest& request) {
  std::lock_guard lock(mu_);
  RelaxedCommit relaxed(*db_);  // re-doable from durable state: see sqlite_spool.h
  const Timestamp now = clock_->Now();
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  InterchangeResult result;
  {
    // Re-processing the same file records the same interchange again: return the first row.
    SPOOL_ASSIGN_OR_RETURN(
        auto same, db_->Cached("SELECT id, duplicate_of, dedup FROM interchanges WHERE "
                               "file_id = ? AND isa06 = ? AND isa08 = ? AND isa13 = ?"));
    same->Bind(1, request.file_id).Bind(2, request.isa06).Bind(3, request.isa08).Bind(4, request.isa13);
    SPOOL_ASSIGN_OR_RETURN(bool row, same->Step());
    if (row) {
      result.id = same->Int(0);
      result.duplicate_of = same->OptInt(1);
      const std::string dedup = same->Text(2);
      result.action = dedup == "rejected"  ? DuplicateAction::kRejected
                      : dedup == "skipped" ? DuplicateAction::kSkipped
                      : dedup == "allowed" ? DuplicateAction::kAllowed
                                           : DuplicateAction::kNone;
      return result;
    }
  }
  const PartnerPolicy& policy = options_.policies.For(request.partner);
  {
    SPOOL_ASSIGN_OR_RETURN(
        auto find, db_->Cached("SELECT id FROM interchanges WHERE partner = ? AND isa06 = ? AND "
                               "isa08 = ? AND isa13 = ? AND received_at >= ? AND "
                               "duplicate_of IS NULL ORDER BY id LIMIT 1"));
    find->Bind(1, request.partner)
        .Bind(2, request.isa06)
        .Bind(3, request.isa08)
        .Bind(4, request.isa13)
        .Bind(5, ToMicros(now - policy.interchange_window));
    SPOOL_ASSIGN_OR_RETURN(bool row, find->Step());
    if (row) {
      result.duplicate_of = find->Int(0);
      result.action = ActionFor(policy.interchange_duplicates);
    }
  }
  {
    SPOOL_ASSIGN_OR_RETURN(
        auto ins, db_->Cached("INSERT INTO interchanges(file_id, partner, isa06, isa08, isa13, "
                              "received_at, duplicate_of, dedup) VALUES (?,?,?,?,?,?,?,?)"));
    ins->Bind(1, request.file_id)
        .Bind(2, request.partner)
        .Bind(3, request.isa06)
        .Bind(4, request.isa08)
        .Bind(5, request.isa13)
        .Bind(6, ToMicros(now))
        .Bind(7, result.duplicate_of)
        .Bind(8, DedupColumn(result.action));
    SPOOL_RETURN_IF_ERROR(ins->Run());
    result.id = db_->LastInsertId();
  }
  if (result.duplicate_of) {
    // Visible in the file's history: which interchange repeats which, and what was done.
    SPOOL_RETURN_IF_ERROR(AppendEvent(
        request.file_id, "interchange", "", "interchange_duplicate", Actor::Daemon(),
        "interchange " + request.isa06 + "->" + request.isa08 + " ISA13 " + request.isa13 +
            " duplicates interchange " + std::to_string(*result.duplicate_of) + " (" +
            std::string(Name(result.action)) + ")"));
  }
  SPOOL_RETURN_IF_ERROR(txn.Commit());
  return result;
}

Result<std::string> SqliteSpool::IntegrityCheck() {
  std::lock_guard lock(mu_);
  SPOOL_ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("PRAGMA integrity_check"));
  std::string out;
  for (;;) {
    SPOOL_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if (!out.empty()) out += "\n";
    out += stmt.Text(0);
  }
  return out;
}

}  // namespace spool
