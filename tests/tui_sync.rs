//! The unit's sync screen, as a clerk uses it: export a bundle to a folder (the USB stick),
//! see a failed export leave the sequence where it was, and read the city's receipt back so
//! the dashboard shows what the city holds. Screens are snapshot at 80x24 in both languages.

mod tui_common;

use ratatui::crossterm::event::KeyCode;
use taizhang::domain::RecordKind;
use taizhang::i18n::Lang;
use taizhang::tui::keys::Ctx;
use taizhang::tui::state::sync::{SYNC_FOLDER_META, SyncOutcome};
use taizhang::tui::{App, Note, View};
use tui_common::city::City;
use tui_common::*;

const LANGS: [(Lang, &str); 2] = [(Lang::Zh, "zh"), (Lang::En, "en")];

/// Types `path` into the open path question, replacing what it offered.
fn answer(app: &mut App, path: &std::path::Path) {
    ctrl(app, 'u');
    type_text(app, &path.display().to_string());
    press(app, KeyCode::Enter);
}

fn outcome(app: &App) -> Option<&SyncOutcome> {
    match app.top_view() {
        Some(View::Sync(screen)) => screen.outcome.as_ref(),
        _ => None,
    }
}

/// The `.tzb` files in a folder.
fn bundles_in(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn export_writes_the_bundle_and_the_dashboard_shows_it() {
    for (lang, tag) in LANGS {
        let fx = Fixture::new();
        let mut ledger = fx.create_signing_ledger();
        add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
        demo_records(&mut ledger, RecordKind::TechSme, 3);
        let usb = fx.dir.path().join("usb");
        std::fs::create_dir_all(&usb).unwrap();
        ledger
            .meta_set(SYNC_FOLDER_META, &usb.display().to_string())
            .unwrap();
        drop(ledger);
        let mut app = fx.app(lang);
        press(&mut app, KeyCode::Char('u'));
        assert_eq!(app.context(), Ctx::Sync);
        insta::assert_snapshot!(format!("sync_{tag}"), fx.screen(&app));
        press(&mut app, KeyCode::Char('e'));
        assert_eq!(app.context(), Ctx::Prompt, "asks for the folder");
        insta::assert_snapshot!(format!("sync_export_prompt_{tag}"), fx.screen(&app));
        press(&mut app, KeyCode::Enter);

        let Some(SyncOutcome::Exported(done)) = outcome(&app) else {
            panic!("exported: {:?}", outcome(&app));
        };
        assert_eq!((done.sequence, done.records), (1, 4));
        assert!(done.path.starts_with(&usb) && done.path.exists());
        assert_eq!(app.note(), Some(&Note::Exported { sequence: 1 }));
        assert_eq!(
            fx.other_session()
                .last_export()
                .unwrap()
                .map(|e| e.sequence),
            Some(1)
        );
        insta::assert_snapshot!(format!("sync_exported_{tag}"), fx.screen(&app));

        press(&mut app, KeyCode::Esc);
        let want = match lang {
            Lang::Zh => "上次导出同步包：第 1 号，4 条记录",
            Lang::En => "Last sync bundle: no. 1, 4 records",
        };
        assert!(fx.screen(&app).contains(want), "{}", fx.screen(&app));
    }
}

#[test]
fn a_failed_export_says_why_and_leaves_the_sequence_unchanged() {
    for (lang, tag) in LANGS {
        let fx = Fixture::new();
        let mut ledger = fx.create_signing_ledger();
        add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
        drop(ledger);
        let mut app = fx.app(lang);
        press(&mut app, KeyCode::Char('u'));
        press(&mut app, KeyCode::Char('e'));
        // A stick pulled out: the folder is gone.
        let gone = fx.dir.path().join("pulled-out");
        answer(&mut app, &gone);
        assert!(matches!(outcome(&app), Some(SyncOutcome::ExportFailed(_))));
        assert_eq!(app.note(), Some(&Note::ExportFailed));
        assert_eq!(fx.other_session().last_export().unwrap(), None);
        assert!(!gone.exists(), "nothing was created");
        insta::assert_snapshot!(format!("sync_export_failed_{tag}"), fx.screen(&app));

        // The same export into a folder that is there is bundle 1, not 2.
        let usb = fx.dir.path().join("usb");
        std::fs::create_dir_all(&usb).unwrap();
        press(&mut app, KeyCode::Char('e'));
        answer(&mut app, &usb);
        let Some(SyncOutcome::Exported(done)) = outcome(&app) else {
            panic!("exported: {:?}", outcome(&app));
        };
        assert_eq!(done.sequence, 1);
        assert_eq!(bundles_in(&usb).len(), 1, "{:?}", bundles_in(&usb));
        // The folder that worked is offered next time.
        assert_eq!(
            fx.other_session().meta_get(SYNC_FOLDER_META).unwrap(),
            Some(usb.display().to_string())
        );
    }
}

#[test]
fn a_cancelled_export_writes_nothing() {
    let fx = Fixture::new();
    fx.create_signing_ledger();
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('u'));
    press(&mut app, KeyCode::Char('e'));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Ctx::Sync);
    assert_eq!(outcome(&app), None);
    assert_eq!(fx.other_session().last_export().unwrap(), None);
    press(&mut app, KeyCode::Char('e'));
    ctrl(&mut app, 'u');
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.note(), Some(&Note::PathRequired));
    assert_eq!(app.context(), Ctx::Prompt, "the question stays open");
}

/// The app on the city fixture's first unit's ledger.
fn unit_app(city: &City, lang: Lang) -> App {
    let mut config = city.fx.config(lang);
    config.db_path = Some(city.unit_paths[0].clone());
    App::new(config, Some(city.unit(0)))
}

#[test]
fn the_city_receipt_is_read_back_and_shown_on_the_dashboard() {
    for (lang, tag) in LANGS {
        let city = City::build();
        let receipts = city.fx.dir.path().join("receipts");
        std::fs::create_dir_all(&receipts).unwrap();
        city.receipt_for("230521", &receipts);
        // A receipt meant for another unit, in a folder of its own.
        let other = city.fx.dir.path().join("other");
        std::fs::create_dir_all(&other).unwrap();
        city.receipt_for("230522", &other);

        let mut app = unit_app(&city, lang);
        press(&mut app, KeyCode::Char('u'));
        press(&mut app, KeyCode::Char('r'));
        answer(&mut app, &other);
        let Some(SyncOutcome::Receipts(reads)) = outcome(&app) else {
            panic!("receipts: {:?}", outcome(&app));
        };
        assert!(
            reads[0].result.is_err(),
            "another unit's receipt is refused"
        );
        assert_eq!(app.note(), Some(&Note::ReceiptRefused));
        insta::assert_snapshot!(format!("sync_receipt_refused_{tag}"), city.fx.screen(&app));

        press(&mut app, KeyCode::Char('r'));
        answer(&mut app, &receipts);
        assert_eq!(app.note(), Some(&Note::ReceiptRecorded { sequence: 1 }));
        insta::assert_snapshot!(format!("sync_receipt_{tag}"), city.fx.screen(&app));
        press(&mut app, KeyCode::Char('q'));
        let want = match lang {
            Lang::Zh => "市科技局回执：已收到第 1 号同步包",
            Lang::En => "City receipt: it holds no. 1",
        };
        assert!(
            city.fx.screen(&app).contains(want),
            "{}",
            city.fx.screen(&app)
        );
    }
}

#[test]
fn an_empty_folder_holds_no_receipt() {
    let city = City::build();
    let empty = city.fx.dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let mut app = unit_app(&city, Lang::En);
    press(&mut app, KeyCode::Char('u'));
    press(&mut app, KeyCode::Char('r'));
    answer(&mut app, &empty);
    assert!(matches!(outcome(&app), Some(SyncOutcome::ReceiptFailed(_))));
    assert!(city.fx.screen(&app).contains("no receipt (.tzr file)"));
    assert_eq!(city.unit(0).last_receipt().unwrap(), None);
}

#[test]
fn a_receipt_that_disagrees_with_the_export_log_is_shown_as_a_warning() {
    for (lang, words) in [
        (Lang::Zh, ["警告", "调换"]),
        (Lang::En, ["WARNING", "a substituted bundle?"]),
    ] {
        let city = City::build();
        let receipts = city.fx.dir.path().join("receipts");
        std::fs::create_dir_all(&receipts).unwrap();
        city.receipt_for("230521", &receipts);
        // The unit logged another file under bundle 1 than the one the city holds.
        {
            let conn = rusqlite::Connection::open(&city.unit_paths[0]).unwrap();
            conn.execute("UPDATE exports SET sha256 = ?1", [&"ab".repeat(32)])
                .unwrap();
        }
        let mut app = unit_app(&city, lang);
        press(&mut app, KeyCode::Char('u'));
        press(&mut app, KeyCode::Char('r'));
        answer(&mut app, &receipts);
        let Some(SyncOutcome::Receipts(reads)) = outcome(&app) else {
            panic!("receipts: {:?}", outcome(&app));
        };
        assert!(reads[0].result.is_err());
        assert_eq!(app.note(), Some(&Note::ReceiptRefused));
        // The outcome box, its lines joined without the border and the wrapping spaces.
        let screen = city.fx.screen(&app);
        let joined: String = screen
            .lines()
            .map(|l| l.split('"').nth(1).unwrap_or("").trim_matches('│').trim())
            .collect::<Vec<_>>()
            .join("");
        let joined: String = joined.split_whitespace().collect();
        for word in words {
            let word: String = word.split_whitespace().collect();
            assert!(joined.contains(&word), "{word}: {screen}");
        }
        assert_eq!(city.unit(0).last_receipt().unwrap(), None);
    }
}
