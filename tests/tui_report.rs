//! Writing the printable workbook from the screen: `w` on the unit's sync screen asks for the
//! folder (the one last used offered) and writes the unit's ledger workbook there, or says
//! why not; `w` in the city view does the same with the city's workbook.

mod tui_common;

use calamine::{Data, Reader, open_workbook_auto};
use ratatui::crossterm::event::KeyCode;
use taizhang::domain::RecordKind;
use taizhang::i18n::Lang;
use taizhang::tui::keys::Ctx;
use taizhang::tui::state::sync::{SYNC_FOLDER_META, SyncOutcome};
use taizhang::tui::{App, Note, View};
use tui_common::city::City;
use tui_common::*;

/// 集贤县's ledger workbook on the fixture's today.
const FILE: &str = "230521-集贤县-台账-2023-06-30.xlsx";

fn outcome(app: &App) -> Option<&SyncOutcome> {
    match app.top_view() {
        Some(View::Sync(screen)) => screen.outcome.as_ref(),
        _ => None,
    }
}

#[test]
fn w_on_the_sync_screen_writes_the_ledger_workbook_into_the_folder() {
    for (lang, tag, sheet) in [
        (Lang::Zh, "zh", "高新企业"),
        (Lang::En, "en", "High-tech enterprise"),
    ] {
        let fx = Fixture::new();
        let mut ledger = fx.create_ledger();
        add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
        let usb = fx.dir.path().join("usb");
        std::fs::create_dir_all(&usb).unwrap();
        ledger
            .meta_set(SYNC_FOLDER_META, &usb.display().to_string())
            .unwrap();
        let version = ledger.data_version().unwrap();
        drop(ledger);
        let mut app = fx.app(lang);
        press(&mut app, KeyCode::Char('u'));
        press(&mut app, KeyCode::Char('w'));
        assert_eq!(app.context(), Ctx::Prompt, "asks for the folder");
        insta::assert_snapshot!(format!("report_prompt_{tag}"), fx.screen(&app));
        press(&mut app, KeyCode::Enter);

        let want = usb.join(FILE);
        assert_eq!(
            outcome(&app),
            Some(&SyncOutcome::ReportWritten(want.clone()))
        );
        assert_eq!(
            app.note(),
            Some(&Note::ReportWritten {
                path: want.display().to_string()
            })
        );
        assert_eq!(files_in(&usb), [FILE], "one file, no temporary one");
        insta::assert_snapshot!(format!("report_written_{tag}"), fx.screen(&app));

        let mut book = open_workbook_auto(&want).unwrap();
        assert_eq!(book.sheet_names().len(), 7);
        let range = book.worksheet_range(sheet).unwrap();
        assert_eq!(
            range.get_value((3, 1)),
            Some(&Data::String(XINDA[0].1.to_string()))
        );
        assert_eq!(
            range.get_value((3, 2)),
            Some(&Data::String(XINDA[1].1.to_string()))
        );
        assert_eq!(
            fx.other_session().data_version().unwrap(),
            version,
            "writing the workbook changes nothing in the ledger"
        );
    }
}

#[test]
fn a_missing_folder_says_why_and_writes_nothing() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('u'));
    press(&mut app, KeyCode::Char('w'));
    let gone = fx.dir.path().join("pulled-out");
    answer(&mut app, &gone);
    let Some(SyncOutcome::ReportFailed(reason)) = outcome(&app) else {
        panic!("failed: {:?}", outcome(&app));
    };
    assert!(reason.zh.contains("不存在"), "{}", reason.zh);
    assert_eq!(app.note(), Some(&Note::ReportFailed));
    assert!(!gone.exists(), "nothing was created");
    let screen = fx.screen(&app);
    assert!(screen.contains("报表没有写出"), "{screen}");

    // Esc takes the question back without writing.
    press(&mut app, KeyCode::Char('w'));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Ctx::Sync);
}

#[test]
fn w_in_the_city_view_writes_the_city_workbook() {
    let city = City::build();
    let mut app = city.fx.app(Lang::Zh);
    assert_eq!(app.context(), Ctx::City);
    press(&mut app, KeyCode::Char('w'));
    assert_eq!(app.context(), Ctx::Prompt, "asks for the folder");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Ctx::City);
    assert_eq!(app.note(), None);

    let out = city.fx.dir.path().join("report");
    std::fs::create_dir_all(&out).unwrap();
    press(&mut app, KeyCode::Char('w'));
    answer(&mut app, &out);
    assert_eq!(app.context(), Ctx::City);
    let want = out.join("230500-双鸭山市-报表-2023-06-30.xlsx");
    let Some(Note::ReportWritten { path }) = app.note() else {
        panic!("not written: {:?}", app.note());
    };
    assert_eq!(path, &want.display().to_string());
    assert_eq!(files_in(&out).len(), 1, "{:?}", files_in(&out));
    let book = calamine::open_workbook_auto(&want).expect("the city workbook opens");
    use calamine::Reader;
    assert!(
        book.sheet_names().iter().any(|n| n == "附件2"),
        "{:?}",
        book.sheet_names()
    );
    let screen = city.fx.screen(&app);
    assert!(screen.contains("230500-双鸭山市-报表"), "{screen}");
}
