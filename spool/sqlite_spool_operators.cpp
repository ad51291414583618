// SqliteSpool: what operators do — replay, release, purge, control number resets.
#include "spool/sqlite_spool.h"

namespace spool {

namespace {

struct FileHead {
  FileState state;
  bool leased;
};

Status IllegalReplay(ItemId id, std::string_view what, std::string_view state) {
  return Status(Code::kIllegalTransition, std::string(what) + " does not apply to item " +
                                              std::to_string(id) + " in state " +
                                              std::string(state));
}

}  // namespace

Status SqliteSpool::MoveMessage(ItemId id, MessageState from, MessageState to, Timestamp now,
                                const Actor& actor, const std::string& reason,
                                bool reset_attempts) {
  const int64_t t = ToMicros(now);
  SPOOL_ASSIGN_OR_RETURN(
      auto upd, db_->Cached("UPDATE messages SET state = ?, next_attempt_at = ?, updated_at = ?, "
                            "attempts = CASE WHEN ? THEN 0 ELSE attempts END, "
                            "first_attempt_at = CASE WHEN ? THEN NULL ELSE first_attempt_at END, "
                            "lease_owner = NULL, lease_token = NULL, lease_until = NULL "
                            "WHERE id = ? AND state = ?"));
  upd->Bind(1, Name(to)).Bind(2, t).Bind(3, t);
  upd->Bind(4, int64_t{reset_attempts}).Bind(5, int64_t{reset_attempts}).Bind(6, id).Bind(7, Name(from));
  SPOOL_RETURN_IF_ERROR(upd->Run());
  if (db_->Changes() != 1) {
    return Status(Code::kIllegalTransition, "message " + std::to_string(id) + " changed state");
  }
  return AppendEvent(id, "", Name(from), Name(to), actor, reason);
}

Result<ReplayOutcome> SqliteSpool::Replay(const ReplayRequest& r) {
  if (r.actor.name.empty()) return Status(Code::kInvalidArgument, "replay needs an actor");
  std::lock_guard lock(mu_);
  const Timestamp now = clock_->Now();
  const int64_t t = ToMicros(now);
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  SPOOL_ASSIGN_OR_RETURN(auto kind_stmt, db_->Cached("SELECT kind FROM items WHERE id = ?"));
  kind_stmt->Bind(1, r.id);
  SPOOL_ASSIGN_OR_RETURN(bool found, kind_stmt->Step());
  if (!found) return Status(Code::kNotFound, "no item with id " + std::to_string(r.id));
  const auto kind = ParseItemKind(kind_stmt->Text(0));
  const std::string mode = "replay " + std::string(Name(r.mode));
  std::string reason = mode + (r.reason.empty() ? "" : ": " + r.reason);
  ReplayOutcome outcome;

  if (kind == ItemKind::kFile) {
    outcome.kind = ItemKind::kFile;
    SPOOL_ASSIGN_OR_RETURN(
        auto get, db_->Cached("SELECT state, lease_until FROM files WHERE id = ?"));
    get->Bind(1, r.id);
    SPOOL_ASSIGN_OR_RETURN(bool row, get->Step());
    if (!row) return Status(Code::kNotFound, "no file with id " + std::to_string(r.id));
    const auto state = ParseFileState(get->Text(0)).value_or(FileState::kDuplicate);
    if (!get->IsNull(1) && get->Int(1) > t) {
      return Status(Code::kLeaseLost, "file " + std::to_string(r.id) + " is being worked on");
    }
    const auto to = ReplayTarget(r.mode, state);
    if (!to) return IllegalReplay(r.id, mode, Name(state));
    outcome.from = Name(state);
    outcome.to = Name(*to);
    if (r.dry_run) return outcome;
    SPOOL_ASSIGN_OR_RETURN(
        auto upd, db_->Cached("UPDATE files SET state = ?, next_attempt_at = ?, updated_at = ? "
                              "WHERE id = ?"));
    SPOOL_RETURN_IF_ERROR(upd->Bind(1, Name(*to)).Bind(2, t).Bind(3, t).Bind(4, r.id).Run());
    SPOOL_RETURN_IF_ERROR(AppendEvent(r.id, "", outcome.from, outcome.to, r.actor, reason));
    // Re-processing a file re-processes its sets, with the same keys.
    std::vector<std::pair<ItemId, MessageState>> children;
    {
      SPOOL_ASSIGN_OR_RETURN(
          auto kids, db_->Cached("SELECT id, state FROM messages WHERE file_id = ? AND "
                                 "(lease_until IS NULL OR lease_until <= ?)"));
      kids->Bind(1, r.id).Bind(2, t);
      for (;;) {
        SPOOL_ASSIGN_OR_RETURN(bool k, kids->Step());
        if (!k) break;
        if (auto s = ParseMessageState(kids->Text(1))) children.emplace_back(kids->Int(0), *s);
      }
    }
    for (const auto& [child, s] : children) {
      if (auto cto = ReplayTarget(Direction::kInbound, ReplayMode::kReprocess, s)) {
        SPOOL_RETURN_IF_ERROR(MoveMessage(child, s, *cto, now, r.actor,
                                          reason + " (file " + std::to_string(r.id) + ")", true));
      }
    }
    outcome.applied = true;
    SPOOL_RETURN_IF_ERROR(txn.Commit());
    return outcome;
  }

  SPOOL_ASSIGN_OR_RETURN(MessageHead head, LoadLeasedMessage(r.id, 0, now));
  const auto to = ReplayTarget(head.direction, r.mode, head.state);
  if (!to) return IllegalReplay(r.id, mode, Name(head.state));
  if (r.mode == ReplayMode::kResend && !head.has_rendered) {
    return Status(Code::kIllegalTransition,
                  "message " + std::to_string(r.id) + " has no rendered bytes to resend");
  }
  if (r.mode == ReplayMode::kRebuild && (!r.force || r.reason.empty())) {
    return Status(Code::kRejected,
                  "rebuild allocates new control numbers and can make the 3PL ship twice; "
                  "it needs --force and --reason");
  }
  outcome.from = Name(head.state);
  outcome.to = Name(*to);
  if (r.dry_run) return outcome;
  if (r.mode == ReplayMode::kRebuild) {
    // Keep the old numbers in the audit log; the next Render allocates new ones.
    SPOOL_ASSIGN_OR_RETURN(auto old, db_->Cached("SELECT isa13, gs06, st02 FROM messages WHERE id = ?"));
    old->Bind(1, r.id);
    SPOOL_ASSIGN_OR_RETURN(bool row, old->Step());
    if (row) {
      reason += " (was ISA13 " + old->Text(0) + " GS06 " + old->Text(1) + " ST02 " + old->Text(2) + ")";
    }
    SPOOL_ASSIGN_OR_RETURN(
        auto clear, db_->Cached("UPDATE messages SET isa13 = NULL, gs06 = NULL, st02 = NULL, "
                                "rendered = NULL WHERE id = ?"));
    SPOOL_RETURN_IF_ERROR(clear->Bind(1, r.id).Run());
  }
  if (head.direction == Direction::kOutbound) {
    SPOOL_ASSIGN_OR_RETURN(
        auto clear, db_->Cached("UPDATE messages SET ack_due_at = NULL, ship_due_at = NULL "
                                "WHERE id = ?"));
    SPOOL_RETURN_IF_ERROR(clear->Bind(1, r.id).Run());
  }
  SPOOL_RETURN_IF_ERROR(MoveMessage(r.id, head.state, *to, now, r.actor, reason, true));
  outcome.applied = true;
  SPOOL_RETURN_IF_ERROR(txn.Commit());
  return outcome;
}

Result<ReplayOutcome> SqliteSpool::Release(ItemId id, const Actor& actor,
                                           const std::string& reason) {
  std::lock_guard lock(mu_);
  const Timestamp now = clock_->Now();
  const int64_t t = ToMicros(now);
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  SPOOL_ASSIGN_OR_RETURN(auto kind_stmt, db_->Cached("SELECT kind FROM items WHERE id = ?"));
  kind_stmt->Bind(1, id);
  SPOOL_ASSIGN_OR_RETURN(bool found, kind_stmt->Step());
  if (!found) return Status(Code::kNotFound, "no item with id " + std::to_string(id));
  const std::string why = "release" + (reason.empty() ? "" : ": " + reason);
  ReplayOutcome outcome;
  if (ParseItemKind(kind_stmt->Text(0)) == ItemKind::kFile) {
    outcome.kind = ItemKind::kFile;
    SPOOL_ASSIGN_OR_RETURN(auto get, db_->Cached("SELECT state FROM files WHERE id = ?"));
    get->Bind(1, id);
    SPOOL_ASSIGN_OR_RETURN(bool row, get->Step());
    if (!row) return Status(Code::kNotFound, "no file with id " + std::to_string(id));
    const auto state = ParseFileState(get->Text(0)).value_or(FileState::kDuplicate);
    const auto to = ReleaseTarget(state);
    if (!to) return IllegalReplay(id, "release", Name(state));
    SPOOL_ASSIGN_OR_RETURN(
        auto upd, db_->Cached("UPDATE files SET state = ?, next_attempt_at = ?, updated_at = ? "
                              "WHERE id = ?"));
    SPOOL_RETURN_IF_ERROR(upd->Bind(1, Name(*to)).Bind(2, t).Bind(3, t).Bind(4, id).Run());
    outcome.from = Name(state);
    outcome.to = Name(*to);
    SPOOL_RETURN_IF_ERROR(AppendEvent(id, "", outcome.from, outcome.to, actor, why));
  } else {
    SPOOL_ASSIGN_OR_RETURN(MessageHead head, LoadLeasedMessage(id, 0, now));
    const auto to = ReleaseTarget(head.direction, head.state, head.has_rendered);
    if (!to) return IllegalReplay(id, "release", Name(head.state));
    outcome.from = Name(head.state);
    outcome.to = Name(*to);
    SPOOL_RETURN_IF_ERROR(MoveMessage(id, head.state, *to, now, actor, why, true));
  }
  outcome.applied = true;
  SPOOL_RETURN_IF_ERROR(txn.Commit());
  return outcome;
}

Result<PurgeReport> SqliteSpool::Purge(Timestamp cutoff, const Actor& actor) {
  std::lock_guard lock(mu_);
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  PurgeReport report;
  const int64_t c = ToMicros(cutoff);
  // Finished messages only (delivered, duplicate, fulfilled, or uploaded with nothing expected
  // back), and never an original that an unpurged duplicate still links to.
  SPOOL_RETURN_IF_ERROR(db_->Exec("DROP TABLE IF EXISTS temp.purge_messages; "
                                  "DROP TABLE IF EXISTS temp.purge_files; "
                                  "CREATE TEMP TABLE purge_messages(id INTEGER PRIMARY KEY); "
                                  "CREATE TEMP TABLE purge_files(id INTEGER PRIMARY KEY, sha256 TEXT)"));
  {
    SPOOL_ASSIGN_OR_RETURN(
        Statement pick,
        db_->Prepare("INSERT INTO purge_messages SELECT id FROM messages WHERE updated_at < ?1 AND "
                     "(state IN ('delivered', 'duplicate', 'fulfilled') OR (state = 'uploaded' AND "
                     "ack_within IS NULL AND ship_within IS NULL))"));
    SPOOL_RETURN_IF_ERROR(pick.Bind(1, c).Run());
  }
  SPOOL_RETURN_IF_ERROR(db_->Exec(
      "DELETE FROM purge_messages WHERE id IN (SELECT duplicate_of FROM messages WHERE "
      "duplicate_of IS NOT NULL AND id NOT IN (SELECT id FROM purge_messages))"));
  {
    // Files that are done and no longer referenced by any message that stays.
    SPOOL_ASSIGN_OR_RETURN(
        Statement pick,
        db_->Prepare("INSERT INTO purge_files SELECT id, sha256 FROM files f WHERE updated_at < ?1 "
                     "AND state IN ('parsed', 'duplicate') AND NOT EXISTS (SELECT 1 FROM messages m "
                     "WHERE m.file_id = f.id AND m.id NOT IN (SELECT id FROM purge_messages))"));
    SPOOL_RETURN_IF_ERROR(pick.Bind(1, c).Run());
  }
  SPOOL_RETURN_IF_ERROR(db_->Exec(
      "DELETE FROM purge_files WHERE id IN (SELECT duplicate_of FROM files WHERE "
      "duplicate_of IS NOT NULL AND id NOT IN (SELECT id FROM purge_files))"));
  SPOOL_RETURN_IF_ERROR(db_->Exec(
      "DELETE FROM events WHERE item_id IN (SELECT id FROM purge_messages UNION ALL "
      "SELECT id FROM purge_files)"));
  report.events = db_->Changes();
  // Duplicates first (they point at originals in the same batch), then the rest.
  SPOOL_RETURN_IF_ERROR(db_->Exec(
      "DELETE FROM messages WHERE id IN (SELECT id FROM purge_messages) AND duplicate_of IS NOT NULL; "
      "DELETE FROM messages WHERE id IN (SELECT id FROM purge_messages)"));
  {
    SPOOL_ASSIGN_OR_RETURN(Statement count, db_->Prepare("SELECT count(*) FROM purge_messages"));
    SPOOL_ASSIGN_OR_RETURN(bool row, count.Step());
    report.messages = row ? count.Int(0) : 0;
  }
  SPOOL_RETURN_IF_ERROR(db_->Exec(
      "UPDATE interchanges SET duplicate_of = NULL WHERE duplicate_of IN (SELECT i.id FROM "
      "interchanges i JOIN purge_files p ON i.file_id = p.id); "
      "DELETE FROM interchanges WHERE file_id IN (SELECT id FROM purge_files); "
      "DELETE FROM files WHERE id IN (SELECT id FROM purge_files) AND duplicate_of IS NOT NULL; "
      "DELETE FROM files WHERE id IN (SELECT id FROM purge_files); "
      "DELETE FROM items WHERE id IN (SELECT id FROM purge_messages UNION ALL "
      "SELECT id FROM purge_files)"));
  std::vector<std::string> orphans;
  {
    SPOOL_ASSIGN_OR_RETURN(
        Statement blobs, db_->Prepare("SELECT DISTINCT sha256 FROM purge_files p WHERE NOT EXISTS "
                                      "(SELECT 1 FROM files f WHERE f.sha256 = p.sha256)"));
    for (;;) {
      SPOOL_ASSIGN_OR_RETURN(bool row, blobs.Step());
      if (!row) break;
      orphans.push_back(blobs.Text(0));
    }
  }
  {
    SPOOL_ASSIGN_OR_RETURN(Statement count, db_->Prepare("SELECT count(*) FROM purge_files"));
    SPOOL_ASSIGN_OR_RETURN(bool row, count.Step());
    report.files = row ? count.Int(0) : 0;
  }
  // Blobs move to the trash while we hold the write lock, so no ingest can commit a row for
  // one meanwhile (IngestFile re-checks its blob inside its own write transaction). A crash
  // before COMMIT restores the rows; Open then moves their blobs back (BlobStore::Recover).
  for (const std::string& sha : orphans) SPOOL_RETURN_IF_ERROR(blobs_->MoveToTrash(sha));
  SPOOL_RETURN_IF_ERROR(AppendEvent(std::nullopt, "purge", "", "purged", actor,
                                    "before " + FormatTime(cutoff) + ": " +
                                        std::to_string(report.files) + " files, " +
                                        std::to_string(report.messages) + " messages"));
  SPOOL_RETURN_IF_ERROR(txn.Commit());
  for (const std::string& sha : orphans) {
    // Best effort: a leftover is only wasted space, emptied by the next Open.
    if (blobs_->EmptyTrash(sha).ok()) ++report.blobs;
  }
  return report;
}

Status SqliteSpool::ResetControlNumber(const std::string& partner, ControlKind kind,
                                       int64_t next_value, const Actor& actor,
                                       const std::string& reason) {
  if (next_value < 1 || next_value > 999999999) {
    return Status(Code::kInvalidArgument, "control numbers run from 1 to 999999999");
  }
  if (reason.empty()) return Status(Code::kInvalidArgument, "a control number reset needs a reason");
  std::lock_guard lock(mu_);
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  SPOOL_ASSIGN_OR_RETURN(
      auto get, db_->Cached("SELECT next_value, high_water FROM control_numbers WHERE partner = ? "
                            "AND kind = ?"));
  get->Bind(1, partner).Bind(2, Name(kind));
  SPOOL_ASSIGN_OR_RETURN(bool row, get->Step());
  const int64_t old_next = row ? get->Int(0) : 1;
  const int64_t high_water = row ? get->Int(1) : 0;
  if (next_value <= high_water) {
    return Status(Code::kRejected, std::string(Name(kind)) + " for " + partner +
                                       " has been used up to " + std::to_string(high_water) +
                                       "; a reset to " + std::to_string(next_value) +
                                       " would reuse numbers");
  }
  SPOOL_ASSIGN_OR_RETURN(
      auto set, db_->Cached("INSERT INTO control_numbers(partner, kind, next_value, high_water) "
                            "VALUES (?1, ?2, ?3, 0) ON CONFLICT(partner, kind) DO UPDATE SET "
                            "next_value = ?3"));
  SPOOL_RETURN_IF_ERROR(set->Bind(1, partner).Bind(2, Name(kind)).Bind(3, next_value).Run());
  SPOOL_RETURN_IF_ERROR(AppendEvent(std::nullopt,
                                    "control:" + partner + ":" + std::string(Name(kind)),
                                    std::to_string(old_next), std::to_string(next_value), actor,
                                    reason));
  return txn.Commit();
}

}  // namespace spool

namespace spool {

Status SqliteSpool::ReleaseLease(ItemKind kind, ItemId id, int64_t token) {
  std::lock_guard lock(mu_);
  RelaxedCommit relaxed(*db_);  // re-doable from durable state: see sqlite_spool.h
  const std::string table = kind == ItemKind::kFile ? "files" : "messages";
  SPOOL_ASSIGN_OR_RETURN(Statement upd,
                         db_->Prepare("UPDATE " + table + " SET lease_owner = NULL, lease_token = NULL, "
                                      "lease_until = NULL WHERE id = ? AND lease_token = ?"));
  upd.Bind(1, id).Bind(2, token);
  return upd.Run();
}

Result<std::vector<std::string>> SqliteSpool::LeaseOwners() {
  std::lock_guard lock(mu_);
  SPOOL_ASSIGN_OR_RETURN(Statement sel,
                         db_->Prepare("SELECT lease_owner FROM files WHERE lease_owner IS NOT NULL UNION "
                                      "SELECT lease_owner FROM messages WHERE lease_owner IS NOT NULL"));
  std::vector<std::string> owners;
  for (;;) {
    SPOOL_ASSIGN_OR_RETURN(bool row, sel.Step());
    if (!row) break;
    owners.push_back(sel.Text(0));
  }
  return owners;
}

Result<int64_t> SqliteSpool::BreakLeases(const std::string& owner, const Actor& actor,
                                         const std::string& reason) {
  std::lock_guard lock(mu_);
  RelaxedCommit relaxed(*db_);  // re-doable from durable state: see sqlite_spool.h
  Transaction txn(*db_);
  SPOOL_RETURN_IF_ERROR(txn.Begin());
  int64_t broken = 0;
  for (const char* table : {"files", "messages"}) {
    SPOOL_ASSIGN_OR_RETURN(Statement upd,
                           db_->Prepare(std::string("UPDATE ") + table + " SET lease_owner = NULL, lease_token = NULL, "
                                        "lease_until = NULL WHERE lease_owner = ?"));
    upd.Bind(1, owner);
    SPOOL_RETURN_IF_ERROR(upd.Run());
    broken += db_->Changes();
  }
  if (broken > 0) {
    SPOOL_RETURN_IF_ERROR(AppendEvent(std::nullopt, "lease", "", "released", actor,
                                      "broke " + std::to_string(broken) + " lease(s) of " + owner +
                                          (reason.empty() ? "" : ": " + reason)));
  }
  SPOOL_RETURN_IF_ERROR(txn.Commit());
  return broken;
}

void SqliteSpool::SetPolicies(PolicyBook policies) {
  std::lock_guard lock(mu_);
  options_.policies = std::move(policies);
}

}  // namespace spool
