#include "spool/schema.h"

#include <string>
#include <vector>

namespace spool {

namespace {

// Never edit a migration that has shipped; append a new one.
const std::vector<const char*>& Migrations() {
  static const std::vector<const char*> kMigrations = {
      // 1: files, interchanges, messages, control numbers, audit log.
      R"sql(
CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL);
CREATE TABLE files (
  id INTEGER PRIMARY KEY REFERENCES items(id),
  partner TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  remote_path TEXT,
  remote_size INTEGER,
  remote_mtime INTEGER,
  received_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  duplicate_of INTEGER REFERENCES files(id),
  dedup TEXT,
  next_attempt_at INTEGER,
  lease_owner TEXT,
  lease_token INTEGER,
  lease_until INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE INDEX files_partner_sha ON files(partner, sha256);
CREATE INDEX files_due ON files(state, next_attempt_at);
CREATE TABLE interchanges (
  id INTEGER PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES files(id),
  partner TEXT NOT NULL,
  isa06 TEXT NOT NULL,
  isa08 TEXT NOT NULL,
  isa13 TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  duplicate_of INTEGER REFERENCES interchanges(id),
  dedup TEXT
);
CREATE INDEX interchanges_key ON interchanges(partner, isa06, isa08, isa13, received_at);
CREATE TABLE messages (
  id INTEGER PRIMARY KEY REFERENCES items(id),
  direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  partner TEXT NOT NULL,
  type TEXT NOT NULL,
  business_key TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  file_id INTEGER REFERENCES files(id),
  interchange_id INTEGER REFERENCES interchanges(id),
  set_index INTEGER,
  isa13 TEXT,
  gs06 TEXT,
  st02 TEXT,
  state TEXT NOT NULL,
  duplicate_of INTEGER REFERENCES messages(id),
  dedup TEXT,
  payload BLOB,
  rendered BLOB,
  attempts INTEGER NOT NULL DEFAULT 0,
  first_attempt_at INTEGER,
  next_attempt_at INTEGER,
  last_error TEXT,
  lease_owner TEXT,
  lease_token INTEGER,
  lease_until INTEGER,
  ack_within INTEGER,
  ship_within INTEGER,
  ack_due_at INTEGER,
  ship_due_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX messages_due ON messages(state, next_attempt_at);
CREATE INDEX messages_business ON messages(partner, type, business_key);
CREATE INDEX messages_key ON messages(idempotency_key);
CREATE UNIQUE INDEX messages_file_set ON messages(file_id, set_index) WHERE file_id IS NOT NULL;
CREATE INDEX messages_control ON messages(partner, gs06, st02) WHERE direction = 'outbound';
CREATE TABLE control_numbers (
  partner TEXT NOT NULL,
  kind TEXT NOT NULL,
  next_value INTEGER NOT NULL,
  high_water INTEGER NOT NULL,
  PRIMARY KEY (partner, kind)
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  item_id INTEGER,
  subject TEXT,
  from_state TEXT,
  to_state TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX events_item ON events(item_id);
)sql",
      // 2: indexes for retention and stats (by age of the last change).
      R"sql(
CREATE INDEX messages_updated ON messages(state, updated_at);
CREATE INDEX files_updated ON files(state, updated_at);
CREATE INDEX messages_created ON messages(created_at);
)sql",
      // 3: API Idempotency-Keys (IETF httpapi draft): which request body a key was first used
      // with and the message it created.
      R"sql(
CREATE TABLE api_requests (
  request_key TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  created_at INTEGER NOT NULL
);
)sql",
      // 4: covering indexes for the per-partner counts of stats and /metrics (the GROUP BY
      // reads the small index, not the rows with their payloads).
      R"sql(
CREATE INDEX messages_stats ON messages(partner, type, state);
CREATE INDEX files_stats ON files(partner, state);
)sql",
      // 5: our outbound messages by interchange, for the partner's TA1 (TA101 is our ISA13).
      R"sql(
CREATE INDEX messages_interchange ON messages(partner, isa13) WHERE direction = 'outbound';
)sql",
  };
  return kMigrations;
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

Result<int> SchemaVersion(SqliteDb& db) {
  SPOOL_ASSIGN_OR_RETURN(Statement stmt, db.Prepare("PRAGMA user_version"));
  SPOOL_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? static_cast<int>(stmt.Int(0)) : 0;
}

Status Migrate(SqliteDb& db, int target) {
  const int latest = LatestSchemaVersion();
  if (target < 0) target = latest;
  for (;;) {
    Transaction txn(db);
    SPOOL_RETURN_IF_ERROR(txn.Begin());
    // Read the version inside the write transaction: another process may be migrating too.
    SPOOL_ASSIGN_OR_RETURN(int version, SchemaVersion(db));
    if (version > latest) {
      return Status(Code::kSchema, db.path() + " has schema version " + std::to_string(version) +
                                       ", newer than this edigate's " + std::to_string(latest));
    }
    if (version >= target) return Status::Ok();  // txn rolls back: nothing written
    SPOOL_RETURN_IF_ERROR(db.Exec(Migrations()[static_cast<std::size_t>(version)])
                              .WithContext("migration " + std::to_string(version + 1)));
    SPOOL_RETURN_IF_ERROR(db.Exec("PRAGMA user_version = " + std::to_string(version + 1)));
    SPOOL_RETURN_IF_ERROR(txn.Commit());
  }
}

}  // namespace spool
