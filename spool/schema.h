// The spool's schema as an ordered list of migrations. PRAGMA user_version records how many
// have been applied; each runs in its own transaction together with the version bump, so a
// crash mid-upgrade leaves the database at the previous version, never in between.
#pragma once

#include "spool/sqlite_db.h"
#include "spool/status.h"

namespace spool {

// The version a fully migrated database has.
int LatestSchemaVersion();

// Applies migrations until the database is at `target` (default: latest). A database made by
// a newer edigate (user_version > latest) is refused with kSchema.
Status Migrate(SqliteDb& db, int target = -1);

Result<int> SchemaVersion(SqliteDb& db);

}  // namespace spool
