// The run store's schema: its version, its ordered migrations, and how a file is recognised.
//
// Versioning policy (docs/run_store.md):
// - The `meta` table holds key/value text; `schema_version` is the version the file is at and
//   `application` is "faultline". A file without `meta` (and with other tables) is not ours.
// - Migration N takes a file from version N-1 to N, in one transaction together with the update
//   of `schema_version`, so a failed or interrupted migration leaves the file at N-1.
// - Migrations are append-only: a released migration is never edited; a change is a new one
//   (ALTER TABLE ... ADD COLUMN with a default, a new table, a backfill). Version 0 is an empty
//   database.
// - A file at a version newer than this build's current_schema_version is refused on open:
//   this build cannot know what the newer columns mean.
#pragma once

#include "store/sqlite_db.h"

#include <span>
#include <string_view>

namespace faultline::store {

struct Migration {
    int version;                   // the version this migration produces (1, 2, ...)
    std::string_view description;  // one line, recorded in the `migrations` log of meta
    std::string_view sql;          // statements run inside the migration's transaction
};

// This build's migrations, in order; migrations()[i].version == i + 1.
std::span<const Migration> migrations();
int current_schema_version();

// The schema version recorded in `meta`, 0 for a database with no tables at all, or an error
// naming the tables for a database that has tables but no Faultline `meta`.
Result<int> read_schema_version(Database& db, std::string_view operation);

// Brings the database up to the last migration in `list` (which must be ordered, from 1, with no
// gaps). Each step runs in its own BEGIN IMMEDIATE transaction and re-reads the version inside
// it, so two processes opening a new file at once migrate it once. An error leaves the database
// at the last version that committed. Tests pass their own `list` to exercise future versions.
Result<void> migrate(Database& db, std::span<const Migration> list, std::string_view operation);

}  // namespace faultline::store
