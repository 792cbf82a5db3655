//! Taking in a sheet the unit already keeps from the screen: `t` on the sync screen asks for
//! the sheet or its folder, offers the folder's sheets and the kinds, shows each row's
//! verdict without writing anything, and imports the new rows only on `y`, the rows to fix
//! written beside the sheet.

mod tui_common;

use std::path::Path;

use ratatui::crossterm::event::KeyCode;
use taizhang::domain::RecordKind;
use taizhang::i18n::Lang;
use taizhang::tui::keys::Ctx;
use taizhang::tui::state::sheet_import::SheetImportStage;
use taizhang::tui::state::sync::SYNC_FOLDER_META;
use taizhang::tui::{App, Note, View};
use tui_common::*;

/// A high-tech sheet as a unit keeps it: a title row, the header, the firm already in the
/// ledger (XINDA), a new firm, and a firm whose code fails its check.
fn write_sheet(path: &Path) {
    let good = credit_code(1);
    let mut bad = credit_code(2);
    let last = bad.pop().unwrap();
    bad.push(if last == '1' { '2' } else { '1' });
    let text = format!(
        "集贤县高新技术企业名单,,,,,\n\
         企业名称,统一社会信用代码,证书编号,发证日期,认定类型,企业规模\n\
         双鸭山鑫达石墨新材料科技有限公司,91230521MA1B2C3D8P,GR202123000123,2021-03-15,首次认定,规上\n\
         集贤县新立农机科技有限公司,{good},GR202223000456,2022年10月18日,首次认定,规下\n\
         集贤县错码科技有限公司,{bad},GR202223000789,2022/11/1,首次认定,规下\n"
    );
    std::fs::write(path, text).unwrap();
}

fn stage(app: &App) -> &SheetImportStage {
    match app.top_view() {
        Some(View::SheetImport(screen)) => &screen.stage,
        other => panic!("not the sheet import: {other:?}"),
    }
}

/// A ledger with XINDA, its sync folder `usb` holding the sheet(s) named.
fn desk(sheets: &[&str]) -> (Fixture, std::path::PathBuf) {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
    let usb = fx.dir.path().join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    for name in sheets {
        write_sheet(&usb.join(name));
    }
    ledger
        .meta_set(SYNC_FOLDER_META, &usb.display().to_string())
        .unwrap();
    drop(ledger);
    (fx, usb)
}

#[test]
fn t_shows_each_rows_verdict_then_imports_the_new_rows_on_y() {
    for (lang, tag) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
        let (fx, usb) = desk(&["高新名单.csv"]);
        let mut app = fx.app(lang);
        press(&mut app, KeyCode::Char('u'));
        press(&mut app, KeyCode::Char('t'));
        assert_eq!(app.context(), Ctx::Prompt, "asks for the sheet");
        // The folder offered holds one sheet: straight to its kind.
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.context(), Ctx::SheetPick);
        assert!(matches!(
            stage(&app),
            SheetImportStage::PickKind { selected: 0, .. }
        ));
        insta::assert_snapshot!(format!("sheet_pick_kind_{tag}"), fx.screen(&app));
        press(&mut app, KeyCode::Char('2'));
        assert_eq!(app.context(), Ctx::ImportReview);
        insta::assert_snapshot!(format!("sheet_review_{tag}"), fx.screen(&app));
        assert_eq!(all_records(&fx).len(), 1, "the dry run wrote nothing");
        assert_eq!(files_in(&usb), vec!["高新名单.csv".to_string()]);

        press(&mut app, KeyCode::Char('y'));
        assert_eq!(app.context(), Ctx::ImportDone);
        assert_eq!(
            app.note(),
            Some(&Note::SheetImported {
                inserted: 1,
                rejected: 1
            })
        );
        let names: Vec<String> = all_records(&fx)
            .iter()
            .map(|r| r.name().to_string())
            .collect();
        assert!(
            names.contains(&"集贤县新立农机科技有限公司".to_string()),
            "{names:?}"
        );
        assert_eq!(names.len(), 2);
        let to_fix = if lang == Lang::Zh {
            "高新名单-待修改.xlsx"
        } else {
            "高新名单-to-fix.xlsx"
        };
        assert!(
            files_in(&usb).contains(&to_fix.to_string()),
            "{:?}",
            files_in(&usb)
        );
        insta::assert_snapshot!(format!("sheet_done_{tag}"), fx.screen(&app));

        press(&mut app, KeyCode::Esc);
        assert_eq!(app.context(), Ctx::Sync, "back on the sync screen");
    }
}

#[test]
fn a_folder_of_sheets_offers_each_and_n_changes_nothing() {
    let (fx, usb) = desk(&["a名单.csv", "b名单.csv"]);
    std::fs::write(usb.join("~$a名单.xlsx"), b"lock").unwrap();
    std::fs::write(usb.join("说明.txt"), b"text").unwrap();
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('u'));
    press(&mut app, KeyCode::Char('t'));
    press(&mut app, KeyCode::Enter);
    let SheetImportStage::PickFile { files, .. } = stage(&app) else {
        panic!("{:?}", stage(&app));
    };
    let names: Vec<_> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["a名单.csv", "b名单.csv"],
        "sheets only, lock files left out"
    );
    let screen = fx.screen(&app);
    assert!(
        screen.contains("1 a名单.csv") && screen.contains("2 b名单.csv"),
        "{screen}"
    );
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let SheetImportStage::PickKind { file, .. } = stage(&app) else {
        panic!("{:?}", stage(&app));
    };
    assert!(file.ends_with("b名单.csv"));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Ctx::ImportReview);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.context(), Ctx::Sync);
    assert_eq!(app.note(), Some(&Note::ImportCancelled));
    assert_eq!(all_records(&fx).len(), 1);
    assert_eq!(files_in(&usb).len(), 4, "no file written");
}

#[test]
fn a_wrong_path_a_folder_without_sheets_or_the_wrong_kind_say_why() {
    let (fx, usb) = desk(&[]);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('u'));
    press(&mut app, KeyCode::Char('t'));
    answer(&mut app, &usb.join("无此文件.xlsx"));
    assert_eq!(
        app.context(),
        Ctx::Prompt,
        "the question stays to correct the path"
    );
    let screen = fx.screen(&app);
    assert!(screen.contains("找不到"), "{screen}");

    answer(&mut app, &usb);
    assert_eq!(app.context(), Ctx::ImportDone);
    let screen = fx.screen(&app);
    assert!(screen.contains("没有表格文件"), "{screen}");
    assert_eq!(app.note(), Some(&Note::SheetRefused));
    press(&mut app, KeyCode::Esc);

    // A high-tech sheet read as achievements lacks their required columns: refused whole.
    write_sheet(&usb.join("高新名单.csv"));
    press(&mut app, KeyCode::Char('t'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('6'));
    assert_eq!(app.context(), Ctx::ImportDone);
    let screen = fx.screen(&app);
    assert!(screen.contains("未导入"), "{screen}");
    assert_eq!(all_records(&fx).len(), 1);
}

#[test]
fn a_message_too_long_for_its_line_opens_in_a_box_until_the_next_key() {
    let (fx, usb) = desk(&[]);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('u'));
    press(&mut app, KeyCode::Char('t'));
    let long = usb.join("二〇二三年度集贤县科技型中小企业入库登记名单（第三批）汇总表.xlsx");
    answer(&mut app, &long);
    let screen = fx.screen(&app);
    // The box's title sits above the message; its last words are on screen, not cut off.
    assert!(screen.contains("消息"), "{screen}");
    assert!(screen.contains("U盘是否已插好"), "{screen}");
    assert!(screen.contains("汇总表.xlsx"), "{screen}");
    insta::assert_snapshot!("long_message_box", screen);
    // The next key closes it.
    press(&mut app, KeyCode::Left);
    let screen = fx.screen(&app);
    assert!(!screen.contains("U盘是否已插好"), "{screen}");
}
