//! The search index: each record's name and credit code, folded for searching, in an FTS5
//! trigram index that keeps no copy of the text. A search of three characters or more asks
//! the index which records hold every three-character piece of it, so a search that matches
//! nothing reads a few index pages instead of every record; shorter searches scan.

use std::sync::mpsc;
use std::thread;

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;
use super::records::fold_for_search;

/// The `meta` key naming the version of the index's contents; absent or older means the
/// index is built again from the records when the ledger is opened for writing.
const META_SEARCH_INDEX: &str = "search_index";
const SEARCH_INDEX_VERSION: &str = "2";

/// Searches of this many characters (after folding) or more are asked of the index as their
/// pieces; shorter ones through the pieces that begin with them (see [`short_query`]).
pub(crate) const TRIGRAM: usize = 3;

/// Matches past which a search is common enough that walking the list in order finds a page
/// sooner than collecting every match.
pub(crate) const FEW_MATCHES: usize = 2000;

/// The SQL function `taizhang_found(name, credit_code, folded)`: whether a record's name or
/// code, folded as the index folds them, holds the folded search. Registered on every
/// connection; it checks the index's candidates (which hold every piece of the search, not
/// necessarily the whole) and filters a scan.
pub(crate) const FOUND_FUNCTION: &str = "taizhang_found";

pub(crate) fn register(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        FOUND_FUNCTION,
        3,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let name = ctx.get_raw(0).as_str_or_null()?.unwrap_or("");
            let code = ctx.get_raw(1).as_str_or_null()?;
            let folded = ctx.get_raw(2).as_str_or_null()?.unwrap_or("");
            Ok(holds(name, folded) || code.is_some_and(|code| holds(code, folded)))
        },
    )
}

/// Whether `text`, folded for searching, holds `folded`. Text whose characters folding
/// leaves alone (CJK ideographs, lower-case ASCII, digits and punctuation) is searched as it
/// is, without folding it.
fn holds(text: &str, folded: &str) -> bool {
    let unchanged = |c: char| {
        matches!(c, '\u{4E00}'..='\u{9FFF}')
            || (c.is_ascii() && !c.is_ascii_uppercase() && !c.is_ascii_control())
    };
    if text.chars().all(unchanged) {
        text.contains(folded)
    } else {
        fold_for_search(text).contains(folded)
    }
}

/// What a record is found by: its name and credit code, folded, kept apart so that no search
/// matches across the two.
pub(crate) fn indexed_text(name: &str, credit_code: Option<&str>) -> String {
    let mut text = fold_for_search(name);
    if let Some(code) = credit_code {
        text.push(SEPARATOR);
        text.push_str(&fold_for_search(code));
    }
    // Every character, the last ones included, then begins a three-character piece: a
    // search of one or two characters is found among the pieces that begin with it.
    text.push(SEPARATOR);
    text
}

/// Between name and code, and after the code: a character no search holds.
const SEPARATOR: char = '\u{1F}';

/// Pieces that begin with a short search past which it is common enough to walk the list.
const FEW_PIECES: usize = 64;

/// The full-text query of a folded search of one or two characters: every piece of the
/// index that begins with it, or `None` when there are more than [`FEW_PIECES`] of them
/// (or none: nothing holds it).
pub(crate) fn short_query(conn: &Connection, folded: &str) -> Result<Option<String>, StoreError> {
    let mut end = folded.to_owned();
    end.push(char::MAX);
    let mut stmt = conn.prepare_cached(
        "SELECT term FROM records_search_pieces WHERE term >= ?1 AND term < ?2 LIMIT ?3",
    )?;
    let pieces = stmt
        .query_map(
            params![
                folded,
                end,
                i64::try_from(FEW_PIECES + 1).unwrap_or(i64::MAX)
            ],
            |row| row.get::<_, String>(0),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if pieces.len() > FEW_PIECES {
        return Ok(None);
    }
    if pieces.is_empty() {
        // No piece begins with it: a query that matches nothing.
        return Ok(Some(quoted(&format!("{SEPARATOR}{SEPARATOR}{SEPARATOR}"))));
    }
    Ok(Some(
        pieces
            .iter()
            .map(|p| quoted(p))
            .collect::<Vec<_>>()
            .join(" OR "),
    ))
}

fn quoted(piece: &str) -> String {
    format!("\"{}\"", piece.replace('"', "\"\""))
}

/// Puts a record (by its rowid) into the index, replacing what was there.
pub(crate) fn index(
    conn: &Connection,
    rowid: i64,
    name: &str,
    credit_code: Option<&str>,
) -> Result<(), StoreError> {
    unindex(conn, rowid)?;
    index_new(conn, rowid, name, credit_code)
}

/// Puts a record just inserted (so not yet in the index) into the index.
pub(crate) fn index_new(
    conn: &Connection,
    rowid: i64,
    name: &str,
    credit_code: Option<&str>,
) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT INTO records_search (rowid, text) VALUES (?1, ?2)")?
        .execute(params![rowid, indexed_text(name, credit_code)])?;
    Ok(())
}

/// Takes a record (by its rowid) out of the index.
pub(crate) fn unindex(conn: &Connection, rowid: i64) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM records_search WHERE rowid = ?1")?
        .execute([rowid])?;
    Ok(())
}

/// Marks the index as needing to be built again (after the records' text was changed in
/// bulk, as a new text policy does).
pub(crate) fn invalidate(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("DELETE FROM meta WHERE key = ?1", [META_SEARCH_INDEX])?;
    Ok(())
}

/// Whether the index holds every record as this build indexes them.
pub(crate) fn is_built(conn: &Connection) -> Result<bool, StoreError> {
    let version: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([META_SEARCH_INDEX], |row| row.get(0))
        .optional()?;
    Ok(version.as_deref() == Some(SEARCH_INDEX_VERSION))
}

/// Builds the index from the records, inside the caller's transaction.
pub(crate) fn rebuild(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("DELETE FROM records_search", [])?;
    {
        let mut stmt = conn.prepare("SELECT rowid, name, credit_code FROM records")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let name: String = row.get(1)?;
            let code: Option<String> = row.get(2)?;
            index_new(conn, row.get(0)?, &name, code.as_deref())?;
        }
    }
    mark_built(conn)
}

/// The search index of a load, built on a thread of its own in a private in-memory
/// database while the ledger writes the records, then copied into the ledger whole
/// ([`SideBuild::copy_into`]). Entries are each record's rowid and [`indexed_text`].
pub(crate) struct SideBuild {
    entries: Option<mpsc::Sender<SideEntries>>,
    builder: Option<thread::JoinHandle<Result<Connection, StoreError>>>,
    /// The index's declaration in the ledger, which the side index repeats.
    declaration: String,
}

impl SideBuild {
    /// Starts a side index declared as the ledger's `conn` declares its own.
    pub(crate) fn start(conn: &Connection) -> Result<Self, StoreError> {
        let declaration: String = conn.query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'records_search'",
            [],
            |row| row.get(0),
        )?;
        let (entries, received) = mpsc::channel::<SideEntries>();
        let side = declaration.clone();
        let builder = thread::spawn(move || -> Result<Connection, StoreError> {
            yield_to_the_load();
            let conn = Connection::open_in_memory()?;
            conn.execute_batch(&side)?;
            conn.execute_batch("BEGIN")?;
            {
                let mut stmt =
                    conn.prepare("INSERT INTO records_search (rowid, text) VALUES (?1, ?2)")?;
                for batch in received {
                    for (rowid, text) in batch.iter() {
                        stmt.execute(params![rowid, text])?;
                    }
                }
            }
            conn.execute_batch("COMMIT")?;
            Ok(conn)
        });
        Ok(Self {
            entries: Some(entries),
            builder: Some(builder),
            declaration,
        })
    }

    /// Hands records to the side index.
    pub(crate) fn add(&mut self, batch: SideEntries) -> Result<(), StoreError> {
        let sent = self.entries.as_ref().map(|entries| entries.send(batch));
        match sent {
            Some(Ok(())) => Ok(()),
            // The builder stopped early: say why.
            _ => Err(self
                .finish()
                .err()
                .unwrap_or(StoreError::SearchBuildStopped)),
        }
    }

    /// Waits for the side index and puts it in place of the ledger's (empty) index, inside
    /// the caller's transaction. The ledger's index is declared afresh first, so that nothing
    /// the connection remembers of the empty index outlives it.
    pub(crate) fn copy_into(mut self, conn: &Connection) -> Result<(), StoreError> {
        let built = self.finish()?;
        conn.execute_batch("DROP TABLE records_search")?;
        conn.execute_batch(&self.declaration)?;
        let parts: Vec<String> = built
            .prepare(
                "SELECT name FROM sqlite_schema
                 WHERE type = 'table' AND name LIKE 'records\\_search\\_%' ESCAPE '\\'",
            )?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for part in parts {
            conn.execute(&format!("DELETE FROM \"{part}\""), [])?;
            let mut read = built.prepare(&format!("SELECT * FROM \"{part}\""))?;
            let columns = read.column_count();
            let placeholders = vec!["?"; columns].join(", ");
            let mut write =
                conn.prepare(&format!("INSERT INTO \"{part}\" VALUES ({placeholders})"))?;
            let mut rows = read.query([])?;
            while let Some(row) = rows.next()? {
                let values = (0..columns)
                    .map(|i| row.get::<_, rusqlite::types::Value>(i))
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                write.execute(rusqlite::params_from_iter(values))?;
            }
        }
        Ok(())
    }

    /// Closes the entries and waits for the builder.
    fn finish(&mut self) -> Result<Connection, StoreError> {
        self.entries = None;
        match self.builder.take().map(thread::JoinHandle::join) {
            Some(Ok(built)) => built,
            Some(Err(_)) | None => Err(StoreError::SearchBuildStopped),
        }
    }
}

/// Lowers the calling thread's priority, so that the side index takes what the load leaves
/// of the processor: while the records are written it falls behind, and it catches up while
/// the ledger builds its indexes on one core.
#[cfg(target_os = "linux")]
fn yield_to_the_load() {
    // SAFETY: gettid has no preconditions; setpriority on one's own thread id changes only
    // this thread's nice value, and a refusal leaves it as it was.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
    }
}

#[cfg(not(target_os = "linux"))]
fn yield_to_the_load() {}

/// Records for the side index: each one's rowid and [`indexed_text`], the texts in one
/// string (so that the index's thread frees one allocation per batch, not one per record).
#[derive(Default)]
pub(crate) struct SideEntries {
    rowids: Vec<i64>,
    /// Where each record's text ends in `texts`.
    ends: Vec<usize>,
    texts: String,
}

impl SideEntries {
    pub(crate) fn push(&mut self, rowid: i64, name: &str, credit_code: Option<&str>) {
        self.texts.push_str(&indexed_text(name, credit_code));
        self.rowids.push(rowid);
        self.ends.push(self.texts.len());
    }

    fn iter(&self) -> impl Iterator<Item = (i64, &str)> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        self.rowids
            .iter()
            .zip(starts.zip(self.ends.iter()))
            .map(|(rowid, (start, end))| (*rowid, &self.texts[start..*end]))
    }
}

/// Records that the index holds every record as this build indexes them.
pub(crate) fn mark_built(conn: &Connection) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![META_SEARCH_INDEX, SEARCH_INDEX_VERSION],
    )?;
    Ok(())
}

/// The full-text query of a folded search of at least [`TRIGRAM`] characters: every
/// three-character piece of it, each quoted. The index keeps no positions, so a record
/// holding every piece may still not hold the search whole: callers check the text too.
pub(crate) fn trigram_query(folded: &str) -> Option<String> {
    let chars: Vec<char> = folded.chars().collect();
    if chars.len() < TRIGRAM {
        return None;
    }
    let mut pieces: Vec<String> = chars
        .windows(TRIGRAM)
        .map(|w| quoted(&w.iter().collect::<String>()))
        .collect();
    pieces.sort();
    pieces.dedup();
    Some(pieces.join(" AND "))
}

/// How many records the index names for a trigram query, counting no further than `limit`.
pub(crate) fn candidates(
    conn: &Connection,
    query: &str,
    limit: usize,
) -> Result<usize, StoreError> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM (SELECT rowid FROM records_search
             WHERE records_search MATCH ?1 LIMIT ?2)",
        )?
        .query_row(
            params![query, i64::try_from(limit).unwrap_or(i64::MAX)],
            |row| row.get(0),
        )?;
    Ok(n.unsigned_abs() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_becomes_its_three_character_pieces() {
        assert_eq!(trigram_query("鑫达"), None);
        assert_eq!(trigram_query("鑫达煤"), Some("\"鑫达煤\"".into()));
        assert_eq!(
            trigram_query("不存在的"),
            Some("\"不存在\" AND \"存在的\"".into())
        );
        assert_eq!(
            trigram_query("a\"bc"),
            Some("\"\"\"bc\" AND \"a\"\"b\"".into())
        );
        assert_eq!(trigram_query("aaaa"), Some("\"aaa\"".into()));
    }

    #[test]
    fn text_is_searched_as_folded() {
        assert!(holds("双鸭山市鑫达科技有限公司", "鑫达"));
        assert!(holds("ＡＢＣ科技", "abc"));
        assert!(holds("宝清县\u{AD}孵化器", "宝清县孵化器"));
        assert!(holds("91230500MA1B00001X", "ma1b"));
        assert!(!holds("双鸭山市鑫达科技有限公司", "鑫达煤"));
        assert!(!holds("abc", "abcd"));
    }

    #[test]
    fn name_and_code_are_folded_and_kept_apart() {
        assert_eq!(
            indexed_text("ＡＢＣ科技", Some("91230500MA1B00001X")),
            "abc科技\u{1F}91230500ma1b00001x\u{1F}"
        );
        assert_eq!(indexed_text("联盟", None), "联盟\u{1F}");
    }
}
