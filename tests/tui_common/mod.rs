//! Shared setup for the TUI tests: an app on a temporary ledger file with a fixed date and
//! account, keys fed as events, and the screen rendered on an 80x24 `TestBackend` with
//! times and ids masked so snapshots do not change from run to run.

#![allow(dead_code)]

pub mod city;

use std::path::{Path, PathBuf};

use jiff::civil::date;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use taizhang::demo::DemoRecords;
use taizhang::domain::credit_code::{check_char, org_code_mismatch};
use taizhang::domain::pool::{PoolDraft, PoolEntry, validate_draft};
use taizhang::domain::validate::validate_record;
use taizhang::domain::{FieldValues, Record, RecordKind};
use taizhang::i18n::Lang;
use taizhang::plan::Plan;
use taizhang::store::Ledger;
use taizhang::tui::{App, AppConfig, Theme};

pub const ACTOR: &str = "clerk";
pub const UNIT: &str = "230521";

/// A temporary directory holding `ledger.sqlite` (and the draft beside it).
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("ledger.sqlite")
    }

    /// Creates the unit's ledger file.
    pub fn create_ledger(&self) -> Ledger {
        Ledger::create(&self.db_path(), UNIT, &Plan::embedded().id).expect("create ledger")
    }

    /// Creates the unit's ledger file with a signing key, as `init` does, so it can export.
    pub fn create_signing_ledger(&self) -> Ledger {
        taizhang::bundle::keys::create_unit_ledger(&self.db_path(), UNIT, &Plan::embedded().id)
            .expect("create ledger")
    }

    /// Another session's connection to the same file.
    pub fn other_session(&self) -> Ledger {
        Ledger::open(&self.db_path()).expect("open ledger")
    }

    pub fn config(&self, lang: Lang) -> AppConfig {
        AppConfig {
            lang,
            plan: Plan::embedded(),
            theme: Theme {
                color: true,
                ascii: false,
                basic: false,
            },
            today: date(2023, 6, 30),
            actor: Ok(ACTOR.to_string()),
            db_path: Some(self.db_path()),
        }
    }

    /// The app on the ledger file, which is created if it does not exist.
    pub fn app(&self, lang: Lang) -> App {
        let ledger = if self.db_path().exists() {
            self.other_session()
        } else {
            self.create_ledger()
        };
        App::new(self.config(lang), Some(ledger))
    }

    /// The app with no ledger yet: the first-run screen.
    pub fn first_run(&self, lang: Lang) -> App {
        App::new(self.config(lang), None)
    }
}

pub fn values(pairs: &[(&str, &str)]) -> FieldValues {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Saves a record as `actor` directly through the store.
pub fn add(ledger: &mut Ledger, kind: RecordKind, pairs: &[(&str, &str)], actor: &str) -> Record {
    let valid = validate_record(kind, &values(pairs)).expect("valid record");
    ledger.insert(&valid, actor).expect("insert")
}

/// A valid high-tech firm.
pub const XINDA: &[(&str, &str)] = &[
    ("name", "双鸭山鑫达石墨新材料科技有限公司"),
    ("credit_code", "91230521MA1B2C3D8P"),
    ("cert_no", "GR202123000123"),
    ("certified_on", "2021-03-15"),
    ("recognition", "first"),
    ("size", "above"),
];

/// A valid credit code of 集贤县 (230521) for firm number `n`.
pub fn credit_code(n: u32) -> String {
    let body = format!("MA1E{n:04}");
    let org_check = org_code_mismatch(&format!("91230521{body}00")).unwrap_or('0');
    let first17 = format!("91230521{body}{org_check}");
    let check = check_char(&first17).expect("a check character");
    format!("{first17}{check}")
}

/// Puts a firm into the unit's cultivation pool through the store.
pub fn add_to_pool(
    ledger: &mut Ledger,
    credit_code: &str,
    name: &str,
    stage: &str,
    target_on: &str,
) -> PoolEntry {
    let fields = validate_draft(&PoolDraft {
        credit_code: credit_code.into(),
        name: name.into(),
        stage: stage.into(),
        target_on: target_on.into(),
        ..PoolDraft::default()
    })
    .expect("a valid pool entry");
    ledger.pool_add(&fields, ACTOR).expect("pool add")
}

/// `n` synthetic records of one kind with Chinese names (from the demo generator).
pub fn demo_records(ledger: &mut Ledger, kind: RecordKind, n: usize) {
    demo_records_seeded(ledger, kind, n, 11);
}

/// Like [`demo_records`], from another seed (for a second batch that must not collide).
pub fn demo_records_seeded(ledger: &mut Ledger, kind: RecordKind, n: usize, seed: u64) {
    let plan = Plan::embedded();
    let mut generator = DemoRecords::new(seed, plan.start, plan.end).in_unit(UNIT);
    let mut batch = Vec::new();
    while batch.len() < n {
        let (k, v) = generator.next_record();
        if k == kind {
            batch.push(validate_record(k, &v).expect("demo record is valid"));
        }
    }
    ledger
        .insert_many(&batch, ACTOR)
        .expect("insert demo records");
}

pub fn press_key(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    app.handle(&Event::Key(KeyEvent::new(code, mods)));
}

pub fn press(app: &mut App, code: KeyCode) {
    press_key(app, code, KeyModifiers::NONE);
}

pub fn ctrl(app: &mut App, c: char) {
    press_key(app, KeyCode::Char(c), KeyModifiers::CONTROL);
}

/// Types text one character at a time, as an input method's commit arrives.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// The screen as an 80x24 terminal shows it.
pub fn terminal(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| taizhang::tui::draw(frame, app))
        .expect("draw");
    terminal
}

/// The screen's text with times and ids masked.
pub fn screen(app: &App) -> String {
    let term = terminal(app, 80, 24);
    mask(&term.backend().to_string())
}

impl Fixture {
    /// The screen's text with times, ids and this fixture's temporary directory masked.
    pub fn screen(&self, app: &App) -> String {
        let dir = self.dir.path().display().to_string();
        let masked_dir: String = dir
            .chars()
            .enumerate()
            .map(|(i, c)| if i >= 5 && c != '/' { 'X' } else { c })
            .collect();
        screen(app).replace(&dir, &masked_dir)
    }
}

/// Replaces the random part of a bundle's temporary name (`.taizhang-<16 hex>.tmp`) with
/// `#`, also where a message wrapped it onto the next line of a bordered box.
fn mask_temp_names(text: &str) -> String {
    let marker = ".taizhang-";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        let (before, after) = rest.split_at(at + marker.len());
        out.push_str(before);
        let mut masked = 0;
        let mut i = 0;
        while masked < 16 && i < after.len() {
            let c = after[i..].chars().next().unwrap_or(' ');
            if c.is_ascii_hexdigit() {
                out.push('#');
                masked += 1;
                i += 1;
            } else if c == '"' {
                // The end of a screen line: keep everything up to the next line's border.
                let Some(next) = after[i..].find(['│', '|']) else {
                    break;
                };
                let border = after[i + next..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&after[i..i + next + border]);
                i += next + border;
            } else if matches!(c, '│' | '|' | ' ') {
                out.push(c);
                i += c.len_utf8();
            } else {
                break;
            }
        }
        rest = &after[i..];
    }
    out.push_str(rest);
    out
}

/// Replaces `YYYY-MM-DD hh:mm` times, UUIDs and short record ids with fixed text of the
/// same width.
pub fn mask(text: &str) -> String {
    let text = &mask_temp_names(text);
    let time = "dddd-dd-dd dd:dd";
    let uuid = "hhhhhhhh-hhhh-hhhh-hhhh-hhhhhhhhhhhh";
    // A key's fingerprint, and the date in a bundle's file name.
    let fingerprint = "hhhh-hhhh-hhhh-hhhh";
    let file_date = "-dddddddd.tzb";
    // A record's short id in a sheet import's verdict.
    let short_id_zh = "台账记录 hhhhhhhh";
    let short_id_en = "record hhhhhhhh";
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    'outer: while i < chars.len() {
        for (template, replacement) in [
            (time, "YYYY-MM-DD hh:mm"),
            (uuid, "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"),
            (fingerprint, "XXXX-XXXX-XXXX-XXXX"),
            (file_date, "-YYYYMMDD.tzb"),
            (short_id_zh, "台账记录 xxxxxxxx"),
            (short_id_en, "record xxxxxxxx"),
        ] {
            let t: Vec<char> = template.chars().collect();
            if i + t.len() <= chars.len()
                && t.iter().zip(&chars[i..]).all(|(p, c)| match p {
                    'd' => c.is_ascii_digit(),
                    'h' => c.is_ascii_hexdigit(),
                    other => other == c,
                })
            {
                out.push_str(replacement);
                i += t.len();
                continue 'outer;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Switches to the kind's list and opens a new form there.
pub fn open_form(app: &mut App, kind: RecordKind) {
    let n = RecordKind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("a kind") as u8
        + 1;
    press(app, KeyCode::Char(char::from(b'0' + n)));
    press(app, KeyCode::Char('n'));
}

/// The key of the focused field of the open form.
pub fn focus(app: &App) -> &'static str {
    app.form().expect("a form is open").focus_key()
}

/// Every record in the ledger file, read through another connection.
pub fn all_records(fx: &Fixture) -> Vec<Record> {
    fx.other_session()
        .list(&taizhang::store::ListQuery {
            include_voided: true,
            limit: 1000,
            ..taizhang::store::ListQuery::default()
        })
        .expect("list")
        .records
}

/// Types `path` into the open path question, replacing what it offered, and answers it.
pub fn answer(app: &mut App, path: &Path) {
    ctrl(app, 'u');
    type_text(app, &path.display().to_string());
    press(app, KeyCode::Enter);
}

/// The names of the files in `dir`, sorted.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
