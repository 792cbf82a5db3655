//! Opening a ledger file: the file's own checks, per-connection pragmas, and the embedded,
//! append-only migrations tracked by `PRAGMA user_version`.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior};

use super::StoreError;
use super::{file, reindex};

/// The schema, one step per entry, applied in order. Never edit or reorder an entry that has
/// shipped: append a new one instead. Entry `n` (0-based) brings `user_version` to `n + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: records, their audit trail, and the ledger's own key/value facts.
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE records (
    id          TEXT PRIMARY KEY NOT NULL,
    unit        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('active', 'voided')),
    revision    INTEGER NOT NULL CHECK (revision >= 1),
    name        TEXT NOT NULL,
    credit_code TEXT,
    key_date    TEXT NOT NULL,
    end_date    TEXT,
    dup_key     TEXT NOT NULL,
    count_key   TEXT NOT NULL,
    search_text TEXT NOT NULL,
    fields_json TEXT NOT NULL,
    void_reason TEXT,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- The same entity cannot be active twice in one unit, even when two clerks save at once.
CREATE UNIQUE INDEX records_active_dup ON records (unit, kind, dup_key)
    WHERE status = 'active';
-- Progress counts read only this index; with count_key before the dates, counting
-- distinct entities of one unit walks the index in order instead of building a temp b-tree.
CREATE INDEX records_active_count ON records (kind, unit, count_key, key_date, end_date)
    WHERE status = 'active';
-- Voided records are few; this keeps counting them from scanning the table.
CREATE INDEX records_voided ON records (kind) WHERE status = 'voided';
-- Keyset paging of lists, newest first, with the search column for index-only filtering.
CREATE INDEX records_list_kind ON records (kind, key_date DESC, id DESC, status, search_text);
CREATE INDEX records_list ON records (key_date DESC, id DESC, status, search_text);
CREATE INDEX records_credit_code ON records (kind, credit_code);

CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL REFERENCES records (id),
    revision  INTEGER NOT NULL,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('create', 'edit', 'void', 'restore')),
    field     TEXT,
    old       TEXT,
    new       TEXT
);
CREATE INDEX audit_record ON audit (record_id, seq);
"#,
    // 2: syncing. At a unit: the bundles it exported and the city's receipts. At the city:
    // the units' pinned keys, the audit of every pin, and the log of imported bundles.
    r#"
CREATE TABLE exports (
    sequence  INTEGER PRIMARY KEY CHECK (sequence >= 1),
    file_name TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    records   INTEGER NOT NULL CHECK (records >= 0),
    at        TEXT NOT NULL
);

CREATE TABLE receipts (
    sequence      INTEGER PRIMARY KEY CHECK (sequence >= 1),
    city          TEXT NOT NULL,
    bundle_sha256 TEXT NOT NULL,
    records       INTEGER NOT NULL CHECK (records >= 0),
    imported_at   TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- One key per unit, and one unit per key.
CREATE TABLE unit_keys (
    unit        TEXT PRIMARY KEY NOT NULL,
    key         TEXT NOT NULL UNIQUE,
    enrolled_at TEXT NOT NULL,
    enrolled_by TEXT NOT NULL
) WITHOUT ROWID;

-- Every pin and replacement; unit is NULL for the city's key pinned at a unit.
CREATE TABLE key_events (
    seq   INTEGER PRIMARY KEY,
    unit  TEXT,
    old   TEXT,
    new   TEXT NOT NULL,
    actor TEXT NOT NULL,
    at    TEXT NOT NULL
);

CREATE TABLE imports (
    unit          TEXT NOT NULL,
    sequence      INTEGER NOT NULL CHECK (sequence >= 1),
    bundle_sha256 TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    records       INTEGER NOT NULL CHECK (records >= 0),
    new           INTEGER NOT NULL,
    changed       INTEGER NOT NULL,
    unchanged     INTEGER NOT NULL,
    voided        INTEGER NOT NULL,
    PRIMARY KEY (unit, sequence)
) WITHOUT ROWID;

-- Firms claimed by more than one unit: grouping active records by kind and credit code
-- reads only this index.
CREATE INDEX records_active_claims ON records (kind, credit_code, unit)
    WHERE status = 'active' AND credit_code IS NOT NULL;
"#,
    // 3: the city office's yearly figures for the city-wide targets (GDP, R&D spending,
    // technology-transfer institutions …), and every change to them.
    r#"
CREATE TABLE city_figures (
    key        TEXT NOT NULL,
    year       INTEGER NOT NULL,
    value      REAL NOT NULL CHECK (value >= 0),
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    PRIMARY KEY (key, year)
) WITHOUT ROWID;

CREATE TABLE city_figure_events (
    seq   INTEGER PRIMARY KEY,
    key   TEXT NOT NULL,
    year  INTEGER NOT NULL,
    old   REAL,
    new   REAL NOT NULL,
    actor TEXT NOT NULL,
    at    TEXT NOT NULL
);
"#,
    // 4: the plan a ledger follows. Every adoption of a plan file, oldest first; the
    // adopted file's text itself is kept in `meta`.
    r#"
CREATE TABLE IF NOT EXISTS plan_events (
    seq         INTEGER PRIMARY KEY,
    old_plan_id TEXT NOT NULL,
    new_plan_id TEXT NOT NULL,
    source      TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL
);
"#,
    // 5: sequence lines. The city keeps each unit's imported bundles per signing key (a
    // replaced key starts a new line of sequences), in the order imported (`n`), with how many
    // records of the unit's previous ledger each import retired. Bundles imported before are
    // put on the line of the key that was pinned for their unit when they were imported (the
    // key pinned now if the key history does not say).
    r#"
CREATE TABLE imports_by_line (
    n             INTEGER PRIMARY KEY,
    unit          TEXT NOT NULL,
    key           TEXT NOT NULL,
    sequence      INTEGER NOT NULL CHECK (sequence >= 1),
    bundle_sha256 TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    records       INTEGER NOT NULL CHECK (records >= 0),
    new           INTEGER NOT NULL,
    changed       INTEGER NOT NULL,
    unchanged     INTEGER NOT NULL,
    voided        INTEGER NOT NULL,
    retired       INTEGER NOT NULL DEFAULT 0 CHECK (retired >= 0),
    UNIQUE (unit, key, sequence)
);

INSERT INTO imports_by_line (unit, key, sequence, bundle_sha256, created_at, imported_at,
    records, new, changed, unchanged, voided)
SELECT i.unit,
       COALESCE(
           (SELECT e.new FROM key_events e
             WHERE e.unit = i.unit AND julianday(e.at) <= julianday(i.imported_at)
             ORDER BY e.seq DESC LIMIT 1),
           (SELECT k.key FROM unit_keys k WHERE k.unit = i.unit),
           ''),
       i.sequence, i.bundle_sha256, i.created_at, i.imported_at,
       i.records, i.new, i.changed, i.unchanged, i.voided
FROM imports i
ORDER BY julianday(i.imported_at), i.unit, i.sequence;

DROP TABLE imports;
ALTER TABLE imports_by_line RENAME TO imports;
CREATE INDEX imports_unit_order ON imports (unit, n);
"#,
    // 6: crash-safe export numbering. A bundle's sequence is logged with its hash before the
    // file appears under its final name. Until the file is in place and read back, the export
    // has a row here: 'written' (logged; after a crash the file may or may not be on the
    // stick) or 'withdrawn' (failed after logging: the file was removed and the number is
    // skipped). An export without a row here was verified, as all earlier ones were.
    r#"
CREATE TABLE IF NOT EXISTS export_states (
    sequence INTEGER PRIMARY KEY CHECK (sequence >= 1),
    state    TEXT NOT NULL CHECK (state IN ('written', 'withdrawn'))
);
"#,
    // 7: awards. Approvals and payments of the entitlements the plan's award rules give,
    // recorded by the ledger of the fiscal level that pays (`received` 0), or copied from the
    // other side's latest bundle or receipt (`received` 1, replaced by the next one). What a
    // ledger recorded itself is never changed or deleted.
    r#"
CREATE TABLE IF NOT EXISTS award_events (
    seq         INTEGER PRIMARY KEY,
    recorded_by TEXT NOT NULL,
    received    INTEGER NOT NULL CHECK (received IN (0, 1)),
    record_id   TEXT NOT NULL,
    rule        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    unit        TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('county', 'city')),
    action      TEXT NOT NULL CHECK (action IN ('approve', 'pay')),
    fen         INTEGER NOT NULL CHECK (fen >= 0),
    on_date     TEXT NOT NULL,
    voucher     TEXT,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS award_events_once
    ON award_events (recorded_by, record_id, rule, year, action);
CREATE INDEX IF NOT EXISTS award_events_unit ON award_events (unit);
CREATE TRIGGER IF NOT EXISTS award_events_never_changed BEFORE UPDATE ON award_events
BEGIN
    SELECT RAISE(ABORT, 'award events are never changed');
END;
CREATE TRIGGER IF NOT EXISTS award_events_own_kept BEFORE DELETE ON award_events WHEN old.received = 0
BEGIN
    SELECT RAISE(ABORT, 'award events recorded here are never deleted');
END;
"#,
    // A record's history, one row per change instead of one per field: an edit keeps its
    // changed fields as a JSON array of `[field, old, new]` (null for a value absent), a void
    // its reason, a restore the reason it lifted. A creation is not copied: the record's
    // `created_by` and `created_at` hold it. The older per-field `audit` rows are converted in
    // order and the table dropped. Running this again (an empty `audit` is made and dropped)
    // changes nothing, so its place in this list may move.
    r#"
CREATE TABLE IF NOT EXISTS record_changes (
    seq       INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL,
    revision  INTEGER NOT NULL,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('edit', 'void', 'restore')),
    detail    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS record_changes_record ON record_changes (record_id, seq);

CREATE TABLE IF NOT EXISTS audit (
    seq       INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL,
    revision  INTEGER NOT NULL,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    field     TEXT,
    old       TEXT,
    new       TEXT
);

INSERT INTO record_changes (record_id, revision, at, actor, action, detail)
SELECT record_id, revision, at, actor, action, detail FROM (
    -- One edit is the rows of one record written at one revision and time; `actor` is
    -- taken from the row of MIN(seq).
    SELECT MIN(seq) AS first_seq, record_id, revision, at, actor, 'edit' AS action,
           json_group_array(json_array(field, old, new) ORDER BY seq) AS detail
    FROM (SELECT * FROM audit WHERE action = 'edit' ORDER BY seq)
    GROUP BY record_id, revision, at
    UNION ALL
    SELECT seq, record_id, revision, at, actor, action,
           CASE action WHEN 'void' THEN COALESCE(new, '') ELSE COALESCE(old, '') END
    FROM audit WHERE action IN ('void', 'restore')
)
ORDER BY first_seq;

DROP TABLE audit;
"#,
    // Kept counts. Every change of a record's counting columns (and of an achievement's
    // amount) is logged in `count_changes` (by triggers for updates and deletions; inserts
    // log themselves, since an insert trigger would make every insert keep a statement
    // journal) and settled into `count_steps` (+1/−1 per day and kind, per unit and for the
    // ledger as a whole), `amount_steps` (the technology contract turnover in fen, by day),
    // `record_tallies` and `shared_entities` in the same transaction; the steps are built
    // from the records on first open. An achievement's amount is logged as the record holds
    // it and read exactly when settled. The counting index leads with the entity so that one
    // entity's records, across units, are one seek; the claims index is no longer read.
    r#"
CREATE TABLE IF NOT EXISTS count_changes (
    seq       INTEGER PRIMARY KEY,
    sign      INTEGER NOT NULL CHECK (sign IN (-1, 1)),
    unit      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    status    TEXT NOT NULL,
    count_key TEXT NOT NULL,
    key_date  TEXT NOT NULL,
    end_date  TEXT,
    -- An achievement's `amount_yuan` as its record holds it; NULL for other kinds.
    amount    TEXT
);
CREATE TABLE IF NOT EXISTS count_steps (
    scope TEXT NOT NULL,
    kind  TEXT NOT NULL,
    day   TEXT NOT NULL,
    delta INTEGER NOT NULL,
    PRIMARY KEY (scope, kind, day)
) WITHOUT ROWID;
-- Sums kept as steps by day: the measure `contract_turnover_fen` for the ledger as a whole
-- (scope `*`).
CREATE TABLE IF NOT EXISTS amount_steps (
    scope   TEXT NOT NULL,
    measure TEXT NOT NULL,
    day     TEXT NOT NULL,
    delta   INTEGER NOT NULL,
    PRIMARY KEY (scope, measure, day)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS record_tallies (
    unit   TEXT NOT NULL,
    kind   TEXT NOT NULL,
    status TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (unit, kind, status)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS shared_entities (
    kind      TEXT NOT NULL,
    count_key TEXT NOT NULL,
    PRIMARY KEY (kind, count_key)
) WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS records_counted_delete AFTER DELETE ON records
BEGIN
    INSERT INTO count_changes
        (sign, unit, kind, status, count_key, key_date, end_date, amount)
    VALUES (-1, old.unit, old.kind, old.status, old.count_key, old.key_date, old.end_date,
        CASE WHEN old.kind = 'achievement'
            THEN json_extract(old.fields_json, '$.amount_yuan') END);
END;
CREATE TRIGGER IF NOT EXISTS records_counted_update
AFTER UPDATE OF unit, kind, status, count_key, key_date, end_date, fields_json ON records
WHEN old.unit IS NOT new.unit OR old.kind IS NOT new.kind OR old.status IS NOT new.status
  OR old.count_key IS NOT new.count_key OR old.key_date IS NOT new.key_date
  OR old.end_date IS NOT new.end_date
  OR (new.kind = 'achievement' AND json_extract(old.fields_json, '$.amount_yuan')
      IS NOT json_extract(new.fields_json, '$.amount_yuan'))
BEGIN
    INSERT INTO count_changes
        (sign, unit, kind, status, count_key, key_date, end_date, amount)
    VALUES (-1, old.unit, old.kind, old.status, old.count_key, old.key_date, old.end_date,
        CASE WHEN old.kind = 'achievement'
            THEN json_extract(old.fields_json, '$.amount_yuan') END);
    INSERT INTO count_changes
        (sign, unit, kind, status, count_key, key_date, end_date, amount)
    VALUES (1, new.unit, new.kind, new.status, new.count_key, new.key_date, new.end_date,
        CASE WHEN new.kind = 'achievement'
            THEN json_extract(new.fields_json, '$.amount_yuan') END);
END;

DROP INDEX IF EXISTS records_active_count;
DROP INDEX IF EXISTS records_active_claims;
CREATE INDEX IF NOT EXISTS records_entity ON records (kind, count_key, unit, key_date, end_date)
    WHERE status = 'active';
"#,
    // Search by index. The records' name and credit code, folded, go into an FTS5 trigram
    // index that keeps no copy of the text and no positions (built from the records on first
    // open); `search_text` is no longer written (new records leave it empty). Lists walk one
    // slimmer index per kind, newest first; a list of all kinds merges the kinds' pages.
    r#"
CREATE VIRTUAL TABLE IF NOT EXISTS records_search USING fts5(
    text, content = '', contentless_delete = 1, detail = none, tokenize = 'trigram'
);
DROP INDEX IF EXISTS records_list;
DROP INDEX IF EXISTS records_list_kind;
CREATE INDEX records_list_kind ON records (kind, key_date DESC, id DESC);
-- The few records that supersede another, which every save re-links: without this, each
-- save read every institution and incubator of the unit.
CREATE INDEX IF NOT EXISTS records_superseding ON records (unit, kind)
    WHERE status = 'active' AND json_extract(fields_json, '$.supersedes') IS NOT NULL;
-- Credit codes are looked up only for what an institution or incubator may upgrade.
DROP INDEX IF EXISTS records_credit_code;
CREATE INDEX IF NOT EXISTS records_upgradable ON records (kind, credit_code, unit)
    WHERE status = 'active' AND kind IN ('rnd_institution', 'incubator');
"#,
    // The search index's pieces, for a search of one or two characters: the pieces that
    // begin with it name its records.
    r#"
CREATE VIRTUAL TABLE IF NOT EXISTS records_search_pieces USING fts5vocab(records_search, 'row');
"#,
    // Each firm's records across kinds (its page, the worklist). A firm's own tech-SME
    // registrations and high-tech certificates are found by their counting key, its credit
    // code, in `records_entity`; the institutions it hosts, incubators it runs, alliances it
    // leads and achievements it received by this index, which also serves upgrades.
    r#"
DROP INDEX IF EXISTS records_upgradable;
CREATE INDEX IF NOT EXISTS records_firm_links ON records (credit_code, kind, unit)
    WHERE status = 'active' AND credit_code IS NOT NULL
      AND kind IN ('rnd_institution', 'incubator', 'alliance', 'achievement');
"#,
    // 13: the cultivation pool (培育库). A unit's firms on their way to the next stage, each
    // with a target date; at most one open entry per unit and firm. An entry closes as
    // achieved (by a clerk, or by the unit saving the firm's high-tech certificate, whose
    // record it then names) or withdrawn, and can be reopened. Its history has one row per
    // change, the fields changed as a JSON array of `[field, old, new]`; the creation is the
    // entry's own `created_by` and `created_at`. At the city the entries are each unit's, as
    // its latest bundle carried them.
    r#"
CREATE TABLE IF NOT EXISTS pool_entries (
    id           TEXT PRIMARY KEY NOT NULL,
    unit         TEXT NOT NULL,
    credit_code  TEXT NOT NULL,
    name         TEXT NOT NULL,
    stage        TEXT NOT NULL
        CHECK (stage IN ('tech_sme', 'high_tech_candidate', 'gazelle_candidate')),
    target_on    TEXT NOT NULL,
    notes        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('open', 'achieved', 'withdrawn')),
    achieved_by  TEXT,
    closed_on    TEXT,
    close_reason TEXT,
    -- Why a credit code failing its check digit is kept (an early pilot code).
    override_reason TEXT,
    revision     INTEGER NOT NULL CHECK (revision >= 1),
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK ((status = 'open') = (closed_on IS NULL)),
    CHECK (status = 'achieved' OR achieved_by IS NULL)
);
-- One open entry per unit and firm, even when two clerks add it at once.
CREATE UNIQUE INDEX IF NOT EXISTS pool_entries_open_firm ON pool_entries (unit, credit_code)
    WHERE status = 'open';
-- Lists by unit and status in target order; counts by unit, stage and status.
CREATE INDEX IF NOT EXISTS pool_entries_list ON pool_entries (unit, status, target_on, id);
CREATE INDEX IF NOT EXISTS pool_entries_stage ON pool_entries (unit, status, stage);
-- Entries near their target, whatever the unit.
CREATE INDEX IF NOT EXISTS pool_entries_due ON pool_entries (target_on) WHERE status = 'open';
-- The entry a high-tech record achieved, found again when the record is voided.
CREATE INDEX IF NOT EXISTS pool_entries_achieved_by ON pool_entries (achieved_by)
    WHERE achieved_by IS NOT NULL;

CREATE TABLE IF NOT EXISTS pool_changes (
    seq      INTEGER PRIMARY KEY,
    entry_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL CHECK (action IN ('edit', 'achieve', 'withdraw', 'reopen')),
    detail   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pool_changes_entry ON pool_changes (entry_id, seq);
"#,
    // 14: the bundles the city refused at import, for its worklist. When; the file's name
    // (not its folder) and SHA-256, when it could be read; the unit and sequence its
    // manifest claims, when that could be parsed (unverified); why, as a stable code and
    // that refusal's facts as a JSON object, in no language. A few rows a month: read
    // newest first with no index.
    r#"
CREATE TABLE IF NOT EXISTS refused_bundles (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    file_sha256 TEXT CHECK (file_sha256 IS NULL OR length(file_sha256) = 64),
    unit        TEXT,
    sequence    INTEGER CHECK (sequence IS NULL OR sequence >= 1),
    code        TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
);
"#,
    // 15: a slimmer index of the firm's linked records (the institutions it hosts, incubators
    // it runs, alliances it leads, achievements it received): keyed by the credit code alone,
    // as the firm page looks them up. A firm has a handful of such records, so an upgrade's
    // search for one kind and unit reads them all and keeps the few that match, and the kind
    // and unit columns cost 8.6 bytes per record at 10,000 (docs/benchmarks.md). Same name
    // and the same partial condition, so the queries that name it are unchanged.
    r#"
DROP INDEX IF EXISTS records_firm_links;
CREATE INDEX IF NOT EXISTS records_firm_links ON records (credit_code)
    WHERE status = 'active' AND credit_code IS NOT NULL
      AND kind IN ('rnd_institution', 'incubator', 'alliance', 'achievement');
"#,
];

/// The schema version this build writes: the number of migrations it knows.
pub(crate) fn supported_version() -> i64 {
    MIGRATIONS.len() as i64
}

const BUSY_TIMEOUT: Duration = Duration::from_millis(5000);

/// Opens an existing file read-write without creating it, checks that it is a taizhang ledger
/// this build can handle (reading only), then sets the pragmas and applies pending migrations.
/// A ledger that cannot be written (read-only file, folder or media) is opened for reading
/// only; a log left beside it with nobody connected is checked before it is taken in.
pub(crate) fn open_existing(path: &Path) -> Result<Connection, StoreError> {
    file::check_leftover_log(path)?;
    match open_existing_read_write(path) {
        // The file may be written but its folder not: SQLite cannot make its companions.
        Err(e) if file::is_read_only_sqlite(&e) => open_existing_read_only(path),
        other => other,
    }
}

fn open_existing_read_write(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| file_error(path, e))?;
    // SQLite falls back to reading when the file cannot be opened for writing.
    if conn.is_readonly(rusqlite::MAIN_DB)? {
        drop(conn);
        return open_existing_read_only(path);
    }
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Nothing is written before these checks: a newer or foreign file stays byte for byte.
    check_identity(path, &conn)?;
    configure(&conn)?;
    migrate(&mut conn)?;
    reindex::apply_text_policy(&mut conn)?;
    Ok(conn)
}

/// A ledger nobody may write, opened for reading: it must need no migration, since none
/// can be applied.
fn open_existing_read_only(path: &Path) -> Result<Connection, StoreError> {
    let conn = file::open_read_only(path)?;
    file::configure_read_only(&conn)?;
    check_identity(path, &conn)?;
    let version = user_version(&conn).map_err(|e| file_error(path, e))?;
    if version < supported_version() || reindex::needs_text_policy(&conn)? {
        return Err(StoreError::ReadOnlyNeedsUpgrade {
            path: path.to_path_buf(),
            found: version,
            supported: supported_version(),
        });
    }
    Ok(conn)
}

/// Refuses a newer ledger, and a file that is an SQLite database but not a ledger.
fn check_identity(path: &Path, conn: &Connection) -> Result<(), StoreError> {
    let version = user_version(conn).map_err(|e| file_error(path, e))?;
    if version > supported_version() {
        return Err(StoreError::NewerSchema {
            found: version,
            supported: supported_version(),
        });
    }
    if version < 1 || !has_unit(conn).map_err(|e| file_error(path, e))? {
        return Err(file::no_ledger_in(path));
    }
    Ok(())
}

/// Opens a file that `create` has just made (empty), sets the pragmas and builds the schema.
pub(crate) fn open_new(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    configure(&conn)?;
    migrate(&mut conn)?;
    reindex::apply_text_policy(&mut conn)?;
    Ok(conn)
}

/// An in-memory ledger's connection, schema built.
pub(crate) fn open_memory() -> Result<Connection, StoreError> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate(&mut conn)?;
    reindex::apply_text_policy(&mut conn)?;
    Ok(conn)
}

/// While probing: "not a database" or "malformed" mean a foreign, cut-off or damaged file.
fn file_error(path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => file::unreadable(path, e),
        _ => StoreError::Sqlite(e),
    }
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// Whether the file has taizhang's `meta` table naming the ledger's unit.
fn has_unit(conn: &Connection) -> rusqlite::Result<bool> {
    let has_meta: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta')",
        [],
        |row| row.get(0),
    )?;
    if !has_meta {
        return Ok(false);
    }
    let unit: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'unit'", [], |row| {
            row.get(0)
        })
        .optional()?;
    Ok(unit.is_some_and(|u| !u.is_empty()))
}

/// The pragmas every connection gets: WAL, foreign keys, full sync, and a busy timeout.
fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Returns the resulting mode ("memory" for an in-memory database), which is fine.
    let _mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    super::search::register(conn)?;
    Ok(())
}

/// The page cache a connection normally asks for, in KiB (grown only as needed): enough for
/// a screen's pages and one record's changes; counts are kept, so nothing reads a whole
/// index. Bulk writes ask for more (see [`BULK_CACHE_KIB`]).
const CACHE_KIB: i64 = 8_192;

/// The page cache of a bulk write (many records in few transactions), in KiB: inserts land
/// all over the indexes, and a cache that holds their pages keeps each commit from
/// rewriting them. Measured on 1,000,000 records in batches of 100,000 (docs/benchmarks.md):
/// 64 MiB took 153 s and wrote 7 GB, 128 MiB 106 s, 256 MiB 103 s for 136 MiB more memory.
const BULK_CACHE_KIB: i64 = 131_072;

/// The page cache of a bulk write, until [`normal_settings`].
pub(crate) fn bulk_write_settings(conn: &Connection) -> Result<(), StoreError> {
    conn.pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
    Ok(())
}

/// Settings for streaming a whole ledger through the connection (an export or an import):
/// a page cache of `cache_kib`, and temporary tables on disk rather than in memory, so that
/// memory stays bounded however large the ledger. Undone by [`normal_settings`].
pub(crate) fn bulk_settings(conn: &Connection, cache_kib: i64) -> Result<(), StoreError> {
    conn.pragma_update(None, "cache_size", -cache_kib)?;
    conn.pragma_update(None, "temp_store", "FILE")?;
    conn.pragma_update(Some("temp"), "cache_size", -4096)?;
    Ok(())
}

/// Back to the settings of [`configure`] after [`bulk_settings`].
pub(crate) fn normal_settings(conn: &Connection) -> Result<(), StoreError> {
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    Ok(())
}

/// Applies every migration the file lacks, each in its own immediate transaction that also
/// advances `user_version`; a concurrent opener that got there first is respected.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    if user_version(conn)? == supported_version() {
        return Ok(());
    }
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version = user_version(&tx)?;
        if version > supported_version() {
            return Err(StoreError::NewerSchema {
                found: version,
                supported: supported_version(),
            });
        }
        let Some(step) = usize::try_from(version)
            .ok()
            .and_then(|v| MIGRATIONS.get(v))
        else {
            return Ok(());
        };
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}
