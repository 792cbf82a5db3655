//! A clerk's first week at the terminal interface: no key leads to a screen that cannot be
//! seen or left, and every message points where the clerk can act.

mod tui_common;

use ratatui::crossterm::event::{Event, KeyCode};
use taizhang::domain::RecordKind;
use taizhang::i18n::Lang;
use taizhang::tui::View;
use tui_common::*;

/// The screen's rows, for looking at one line.
fn rows(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

#[test]
fn keys_do_nothing_but_quit_while_the_window_is_too_small() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    app.handle(&Event::Resize(60, 20));
    for key in ['n', '1', '2', 'u', 'f', '?'] {
        press(&mut app, KeyCode::Char(key));
    }
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "双鸭山");
    app.handle(&Event::Paste("鑫达".into()));
    assert!(app.top_view().is_none(), "no hidden screen was opened");
    assert!(app.modal().is_none(), "no hidden question was opened");
    assert_eq!(app.tab(), taizhang::tui::Tab::Dashboard);
    assert!(!app.should_quit());
    let small = terminal(&app, 60, 20);
    assert!(
        mask(&small.backend().to_string()).contains("q"),
        "the window says how to leave"
    );
    press(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit());
}

#[test]
fn help_opens_over_the_first_run_screen_and_closes_back_to_it() {
    let fx = Fixture::new();
    let mut app = fx.first_run(Lang::Zh);
    let setup = fx.screen(&app);
    assert!(
        setup.contains("taizhang init --city"),
        "the city office is told how to make its ledger:\n{setup}"
    );
    press(&mut app, KeyCode::Char('?'));
    let help = fx.screen(&app);
    assert!(help.contains("按键说明"), "{help}");
    assert!(matches!(app.top_view(), Some(View::Help(_))));
    // Pressed again, it does not stack a second help.
    press(&mut app, KeyCode::F(1));
    press(&mut app, KeyCode::Esc);
    assert!(app.top_view().is_none());
    assert_eq!(fx.screen(&app), setup);
    // The first-run screen still takes its keys.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert!(fx.screen(&app).contains("建立台账"));
}

#[test]
fn a_void_reason_is_limited_as_it_is_typed() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('v'));
    app.handle(&Event::Paste("重".repeat(1999)));
    assert!(!fx.screen(&app).contains("最多"));
    type_text(&mut app, "复录");
    let screen = fx.screen(&app);
    assert!(screen.contains("最多 2000 个字"), "{screen}");
    press(&mut app, KeyCode::Enter);
    let detail = app.detail().expect("detail");
    assert_eq!(
        detail
            .record
            .void_reason
            .as_deref()
            .map(|r| r.chars().count()),
        Some(2000)
    );
}

#[test]
fn ctrl_c_in_a_form_says_how_to_leave() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "鑫达");
    ctrl(&mut app, 'c');
    let screen = fx.screen(&app);
    assert!(screen.contains("Esc 或 Ctrl+Q"), "{screen}");
    assert!(app.form().is_some(), "the form stays open");
    assert!(!app.should_quit());
}

#[test]
fn the_header_shows_the_keys_that_work_where_the_clerk_is() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    let header = |app: &taizhang::tui::App| rows(&fx.screen(app))[0].clone();
    assert!(
        header(&app).contains("帮助 ?/F1  English: L"),
        "{}",
        header(&app)
    );
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('n'));
    // In a text field `?` and `L` are typed.
    let form = header(&app);
    assert!(form.contains("帮助 Ctrl+G/F1  English: Ctrl+T"), "{form}");
    assert!(!form.contains("?/F1"), "{form}");
}

#[test]
fn the_help_lists_the_keys_that_work_everywhere_on_its_first_page() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('?'));
    let screen = fx.screen(&app);
    for key in ["Ctrl+T", "Ctrl+L", "?/F1"] {
        assert!(screen.contains(key), "{key}:\n{screen}");
    }
}

#[test]
fn history_columns_align_whatever_the_account_name() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    let record = add(&mut ledger, RecordKind::HighTech, XINDA, "li");
    let valid = |changes: &[(&str, &str)]| {
        let merged = taizhang::domain::validate::merge_edit(&record.fields, &values(changes));
        taizhang::domain::validate::validate_record(record.kind, &merged).unwrap()
    };
    let record = ledger
        .update(
            record.id,
            Some(1),
            &valid(&[("size", "below")]),
            "wangxiaoming",
        )
        .unwrap();
    ledger
        .void(record.id, "重复录入", Some(record.revision), "zhao")
        .unwrap();
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('x'));
    press(&mut app, KeyCode::Enter);
    let screen = fx.screen(&app);
    let columns: Vec<usize> = rows(&screen)
        .iter()
        .filter(|l| l.contains("（版本"))
        .map(|l| l.find("（版本").unwrap_or(0))
        .collect();
    assert_eq!(columns.len(), 3, "{screen}");
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{screen}");
}

#[test]
fn help_from_the_duplicate_dialog_starts_with_its_keys() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('n'));
    for (i, value) in [
        "双鸭山鑫达石墨新材料科技有限公司",
        "91230521MA1B2C3D8P",
        "GR202123000123",
        "2021/3/15",
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            press(&mut app, KeyCode::Tab);
        }
        type_text(&mut app, value);
    }
    for _ in 0..2 {
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Char('1'));
    }
    ctrl(&mut app, 's');
    assert!(
        fx.screen(&app).contains("已有这条记录"),
        "{}",
        fx.screen(&app)
    );
    press(&mut app, KeyCode::Char('?'));
    let help = rows(&fx.screen(&app));
    let first = help[5..9].join("\n");
    assert!(
        first.contains("重复记录") && first.contains("o/Enter"),
        "{}",
        help.join("\n")
    );
    press(&mut app, KeyCode::Esc);
    assert!(
        fx.screen(&app).contains("已有这条记录"),
        "back in the dialog"
    );
}

#[test]
fn typing_replaces_the_offered_date_and_cursor_keys_keep_it() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('d'));
    let offered = fx.screen(&app);
    assert!(offered.contains("> 2023-06-30"), "{offered}");
    assert!(
        offered.contains("直接输入即替换"),
        "the prompt says how to edit: {offered}"
    );
    type_text(&mut app, "2022年12月31日");
    let typed = fx.screen(&app);
    assert!(typed.contains("> 2022年12月31日 "), "{typed}");
    assert!(!typed.contains("2023-06-302022"), "{typed}");
    assert!(!typed.contains("直接输入即替换"), "{typed}");
    press(&mut app, KeyCode::Enter);
    assert!(fx.screen(&app).contains("2022-12-31"));

    // Backspace first edits the offered date instead.
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Backspace);
    type_text(&mut app, "0");
    assert!(
        fx.screen(&app).contains("> 2022-12-30"),
        "{}",
        fx.screen(&app)
    );
    press(&mut app, KeyCode::Esc);
    // So do the cursor keys.
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Delete);
    type_text(&mut app, "3");
    assert!(
        fx.screen(&app).contains("> 3022-12-31"),
        "{}",
        fx.screen(&app)
    );
}

#[test]
fn a_pasted_folder_replaces_the_offered_export_folder() {
    let fx = Fixture::new();
    fx.create_signing_ledger();
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('u'));
    press(&mut app, KeyCode::Char('e'));
    assert!(
        fx.screen(&app).contains("直接输入即替换"),
        "{}",
        fx.screen(&app)
    );
    app.handle(&Event::Paste("/media/usb".into()));
    let screen = fx.screen(&app);
    assert!(screen.contains("> /media/usb "), "{screen}");
}

#[test]
fn a_late_status_reads_on_light_and_dark_backgrounds() {
    use ratatui::style::{Color, Modifier};
    let fx = Fixture::new();
    let app = fx.app(Lang::Zh);
    let term = terminal(&app, 80, 24);
    let buf = term.backend().buffer();
    let late: Vec<_> = (0..24u16)
        .flat_map(|y| (0..79u16).map(move |x| (x, y)))
        .filter(|&(x, y)| buf[(x, y)].symbol() == "滞" && buf[(x + 2, y)].symbol() == "后")
        .map(|(x, y)| buf[(x, y)].style())
        .collect();
    assert!(!late.is_empty(), "the dashboard shows late indicators");
    for style in late {
        assert_ne!(style.fg, Some(Color::Yellow), "yellow vanishes on white");
        assert!(style.add_modifier.contains(Modifier::BOLD), "{style:?}");
    }
}

#[test]
fn a_long_value_shows_its_start_when_its_field_is_not_focused() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('n'));
    let long = "双鸭山鑫达石墨新材料科技有限公司第一分公司宝清县七星泡镇石墨产业园区东区";
    type_text(&mut app, long);
    press(&mut app, KeyCode::Tab);
    let screen = fx.screen(&app);
    let row = rows(&screen)
        .into_iter()
        .find(|l| l.contains("名称*"))
        .unwrap_or_default();
    assert!(row.contains("双鸭山鑫达石墨"), "the start shows: {row}");
    assert!(row.contains('…'), "the cut is marked: {row}");
    assert!(!row.contains("园区东区"), "{row}");
}
