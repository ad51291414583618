// SqliteSpool: read-only queries — list, get, history, stats.
#include "spool/sqlite_spool.h"

namespace spool {

namespace {

std::optional<Timestamp> OptTime(const Statement& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return FromMicros(s.Int(col));
}

constexpr const char* kFileColumns =
    "SELECT id, partner, state, duplicate_of, dedup, received_at, updated_at, next_attempt_at, "
    "lease_owner, lease_until, sha256, size, remote_path, remote_size, remote_mtime FROM files";
constexpr const char* kMessageColumns =
    "SELECT id, partner, state, duplicate_of, dedup, created_at, updated_at, next_attempt_at, "
    "lease_owner, lease_until, direction, type, idempotency_key, business_key, file_id, isa13, "
    "gs06, st02, attempts, last_error, ack_due_at, ship_due_at FROM messages";

ItemSummary ReadRow(const Statement& s, ItemKind kind) {
  ItemSummary it;
  it.kind = kind;
  it.id = s.Int(0);
  it.partner = s.Text(1);
  it.state = s.Text(2);
  it.duplicate_of = s.OptInt(3);
  it.duplicate_action = s.OptText(4);
  it.created_at = FromMicros(s.Int(5));
  it.updated_at = FromMicros(s.Int(6));
  it.next_attempt_at = OptTime(s, 7);
  it.lease_owner = s.OptText(8);
  it.lease_until = OptTime(s, 9);
  if (kind == ItemKind::kFile) {
    it.sha256 = s.Text(10);
    it.size = s.Int(11);
    it.remote_path = s.OptText(12);
    it.remote_size = s.OptInt(13);
    it.remote_mtime = OptTime(s, 14);
    return it;
  }
  it.direction = ParseDirection(s.Text(10));
  it.type = s.Text(11);
  it.idempotency_key = s.Text(12);
  it.business_key = s.Text(13);
  it.file_id = s.OptInt(14);
  it.control_numbers = {s.Text(15), s.Text(16), s.Text(17)};
  it.attempts = s.Int(18);
  it.last_error = s.OptText(19);
  it.ack_due_at = OptTime(s, 20);
  it.ship_due_at = OptTime(s, 21);
  return it;
}

}  // namespace

Result<std::vector<ItemSummary>> SqliteSpool::ListTable(ItemKind kind, const ListFilter& f) {
  const bool files = kind == ItemKind::kFile;
  std::string sql = files ? kFileColumns : kMessageColumns;
  sql += " WHERE 1";
  if (f.state) sql += " AND state = ?1";
  if (f.partner) sql += " AND partner = ?2";
  if (f.type && !files) sql += " AND type = ?3";
  if (f.since) sql += files ? " AND received_at >= ?4" : " AND created_at >= ?4";
  if (files && (f.direction || f.isa13)) return std::vector<ItemSummary>{};  // no file matches
  if (f.direction) sql += " AND direction = ?6";
  if (f.isa13) sql += " AND isa13 = ?7";
  sql += " ORDER BY id";
  if (f.limit > 0) sql += " LIMIT ?5";
  SPOOL_ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(sql));
  if (f.state) stmt.Bind(1, *f.state);
  if (f.partner) stmt.Bind(2, *f.partner);
  if (f.type && !files) stmt.Bind(3, *f.type);
  if (f.since) stmt.Bind(4, ToMicros(*f.since));
  if (f.limit > 0) stmt.Bind(5, f.limit);
  if (f.direction) stmt.Bind(6, std::string(Name(*f.direction)));
  if (f.isa13) stmt.Bind(7, *f.isa13);
  std::vector<ItemSummary> out;
  for (;;) {
    SPOOL_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadRow(stmt, kind));
  }
  return out;
}

Result<std::vector<ItemSummary>> SqliteSpool::List(const ListFilter& filter) {
  std::lock_guard lock(mu_);
  std::vector<ItemSummary> files;
  std::vector<ItemSummary> messages;
  // Files have no type: a type filter selects messages only.
  if ((!filter.kind || *filter.kind == ItemKind::kFile) && !filter.type) {
    SPOOL_ASSIGN_OR_RETURN(files, ListTable(ItemKind::kFile, filter));
  }
  if (!filter.kind || *filter.kind == ItemKind::kMessage) {
    SPOOL_ASSIGN_OR_RETURN(messages, ListTable(ItemKind::kMessage, filter));
  }
  std::vector<ItemSummary> out;
  out.reserve(files.size() + messages.size());
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < files.size() || j < messages.size()) {
    if (j == messages.size() || (i < files.size() && files[i].id < messages[j].id)) {
      out.push_back(std::move(files[i++]));
    } else {
      out.push_back(std::move(messages[j++]));
    }
  }
  if (filter.limit > 0 && out.size() > static_cast<std::size_t>(filter.limit)) {
    out.resize(static_cast<std::size_t>(filter.limit));
  }
  return out;
}

Result<ItemSummary> SqliteSpool::Get(ItemId id) {
  std::lock_guard lock(mu_);
  for (ItemKind kind : {ItemKind::kFile, ItemKind::kMessage}) {
    SPOOL_ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare(std::string(kind == ItemKind::kFile ? kFileColumns : kMessageColumns) +
                     " WHERE id = ?"));
    stmt.Bind(1, id);
    SPOOL_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (row) return ReadRow(stmt, kind);
  }
  return Status(Code::kNotFound, "no item with id " + std::to_string(id));
}

Result<std::vector<AuditEvent>> SqliteSpool::History(ItemId id) {
  std::lock_guard lock(mu_);
  SPOOL_ASSIGN_OR_RETURN(
      auto stmt, db_->Cached("SELECT id, at, item_id, from_state, to_state, actor, reason "
                             "FROM events WHERE item_id = ? ORDER BY id"));
  stmt->Bind(1, id);
  std::vector<AuditEvent> out;
  for (;;) {
    SPOOL_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    AuditEvent e;
    e.id = stmt->Int(0);
    e.at = FromMicros(stmt->Int(1));
    e.item_id = stmt->Int(2);
    e.from_state = stmt->Text(3);
    e.to_state = stmt->Text(4);
    e.actor = stmt->Text(5);
    e.reason = stmt->Text(6);
    out.push_back(std::move(e));
  }
  return out;
}

Result<Stats> SqliteSpool::GetStats() {
  std::lock_guard lock(mu_);
  const int64_t now = ToMicros(clock_->Now());
  Stats stats;
  SPOOL_ASSIGN_OR_RETURN(
      Statement rows,
      db_->Prepare("SELECT 'file', partner, '', state, count(*) FROM files GROUP BY partner, state "
                   "UNION ALL SELECT 'message', partner, type, state, count(*) FROM messages "
                   "GROUP BY partner, type, state ORDER BY 1, 2, 3, 4"));
  for (;;) {
    SPOOL_ASSIGN_OR_RETURN(bool row, rows.Step());
    if (!row) break;
    stats.rows.push_back({ParseItemKind(rows.Text(0)).value_or(ItemKind::kMessage), rows.Text(1),
                          rows.Text(2), rows.Text(3), rows.Int(4)});
  }
  SPOOL_ASSIGN_OR_RETURN(
      Statement oldest,
      db_->Prepare("SELECT min(t) FROM (SELECT min(created_at) AS t FROM messages WHERE state IN "
                   "('received', 'parsed', 'mapped', 'delivering', 'retry_wait', 'accepted', "
                   "'rendered') UNION ALL SELECT min(received_at) FROM files WHERE state = "
                   "'received')"));
  SPOOL_ASSIGN_OR_RETURN(bool orow, oldest.Step());
  if (orow && !oldest.IsNull(0)) stats.oldest_pending_age = Duration(now - oldest.Int(0));
  SPOOL_ASSIGN_OR_RETURN(
      Statement overdue,
      db_->Prepare("SELECT (SELECT count(*) FROM messages WHERE state = 'uploaded' AND "
                   "ack_due_at < ?1), (SELECT count(*) FROM messages WHERE state IN "
                   "('uploaded', 'acknowledged') AND ship_due_at < ?1)"));
  overdue.Bind(1, now);
  SPOOL_ASSIGN_OR_RETURN(bool vrow, overdue.Step());
  if (vrow) {
    stats.overdue_acks = overdue.Int(0);
    stats.overdue_ships = overdue.Int(1);
  }
  // The same per partner, for the gauges.
  SPOOL_ASSIGN_OR_RETURN(
      Statement per,
      // Every branch reads only rows in the states it counts (index on state), never the whole
      // history: a spool of millions of delivered messages scrapes as fast as an empty one.
      db_->Prepare("SELECT partner, sum(oa), sum(os), min(op) FROM ("
                   "SELECT partner, (state = 'uploaded' AND ack_due_at < ?1) AS oa, "
                   "(ship_due_at < ?1) AS os, NULL AS op FROM messages "
                   "WHERE state IN ('uploaded', 'acknowledged') "
                   "UNION ALL SELECT partner, 0, 0, min(created_at) FROM messages WHERE state IN "
                   "('received', 'parsed', 'mapped', 'delivering', 'retry_wait', 'accepted', 'rendered') "
                   "GROUP BY partner "
                   "UNION ALL SELECT partner, 0, 0, min(received_at) FROM files WHERE state = 'received' "
                   "GROUP BY partner "
                   "UNION ALL SELECT DISTINCT partner, 0, 0, NULL FROM messages "
                   "UNION ALL SELECT DISTINCT partner, 0, 0, NULL FROM files"
                   ") GROUP BY partner ORDER BY partner"));
  per.Bind(1, now);
  for (;;) {
    SPOOL_ASSIGN_OR_RETURN(bool row, per.Step());
    if (!row) break;
    PartnerGauges g;
    g.partner = per.Text(0);
    g.overdue_acks = per.Int(1);
    g.overdue_ships = per.Int(2);
    if (!per.IsNull(3)) g.oldest_pending_age = Duration(now - per.Int(3));
    stats.partners.push_back(std::move(g));
  }
  return stats;
}

}  // namespace spool
