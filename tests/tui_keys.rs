//! Form keys as a clerk presses them, checked as changes of state: focus and cursor,
//! saving, and the questions a save asks (override reason, duplicate, conflict).

mod tui_common;

use ratatui::crossterm::event::{Event, KeyCode};
use taizhang::domain::{OVERRIDE_REASON, RecordKind};
use taizhang::i18n::Lang;
use taizhang::tui::keys::Ctx;
use taizhang::tui::state::form::FormDialog;
use taizhang::tui::{App, Note, Tab, View};
use tui_common::*;

/// Types a complete, valid high-tech record into the open form.
fn fill_valid_high_tech(app: &mut App, name: &str) {
    type_text(app, name);
    press(app, KeyCode::Tab);
    type_text(app, "91230521ma1b2c3d8p");
    press(app, KeyCode::Tab);
    type_text(app, "GR202123000123");
    press(app, KeyCode::Tab);
    type_text(app, "2021年3月15日");
    press(app, KeyCode::Tab);
    press(app, KeyCode::Char(' '));
    press(app, KeyCode::Tab);
    press(app, KeyCode::Char('2'));
}

#[test]
fn focus_moves_with_tab_enter_arrows_and_wraps() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    open_form(&mut app, RecordKind::HighTech);
    assert_eq!(app.context(), Ctx::FormText);
    let steps = [
        (KeyCode::Tab, "credit_code"),
        (KeyCode::Enter, "cert_no"),
        (KeyCode::Down, "certified_on"),
        (KeyCode::BackTab, "cert_no"),
        (KeyCode::Up, "credit_code"),
        (KeyCode::Up, "name"),
        (KeyCode::Up, "notes"),
        (KeyCode::Tab, "name"),
    ];
    for (key, want) in steps {
        press(&mut app, key);
        assert_eq!(focus(&app), want, "after {key:?}");
    }
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Up);
    assert_eq!(focus(&app), "tax_level");
    assert_eq!(
        app.context(),
        Ctx::FormChoice,
        "letters pick, not type, on a choice"
    );
}

#[test]
fn the_terminal_cursor_sits_in_the_focused_field() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    open_form(&mut app, RecordKind::HighTech);
    type_text(&mut app, "鑫达");
    let mut term = terminal(&app, 80, 24);
    // Value column: border (1) + label (22) + gap (1); two wide characters typed.
    term.backend_mut().assert_cursor_position((28, 3));
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "9135");
    let mut term = terminal(&app, 80, 24);
    term.backend_mut().assert_cursor_position((28, 4));
}

#[test]
fn ctrl_s_saves_a_valid_form_as_typed_in_chinese() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    open_form(&mut app, RecordKind::HighTech);
    fill_valid_high_tech(&mut app, "双鸭山鑫达石墨新材料科技有限公司");
    ctrl(&mut app, 's');
    assert!(app.form().is_none(), "the form closes after a save");
    assert!(matches!(app.note(), Some(Note::Saved { .. })));
    let saved = all_records(&fx);
    assert_eq!(saved.len(), 1);
    let r = &saved[0];
    assert_eq!(r.name(), "双鸭山鑫达石墨新材料科技有限公司");
    assert_eq!(r.fields["credit_code"], "91230521MA1B2C3D8P");
    assert_eq!(r.fields["certified_on"], "2021-03-15");
    assert_eq!(r.fields["recognition"], "first");
    assert_eq!(r.fields["size"], "below");
    assert_eq!(r.created_by, ACTOR);
    assert_eq!(app.tab(), Tab::Kind(RecordKind::HighTech));
    assert_eq!(
        app.records_list(RecordKind::HighTech).page.len(),
        1,
        "the list shows it"
    );
}

#[test]
fn enter_inside_a_typing_burst_moves_on_and_never_saves() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    open_form(&mut app, RecordKind::HighTech);
    fill_valid_high_tech(&mut app, "鑫达");
    for _ in 0..10 {
        press(&mut app, KeyCode::Enter);
    }
    assert!(app.form().is_some());
    assert!(all_records(&fx).is_empty(), "only Ctrl+S saves");
}

#[test]
fn a_lone_escape_only_asks_and_only_y_discards() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    open_form(&mut app, RecordKind::TechSme);
    type_text(&mut app, "鑫达");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Ctx::ConfirmDiscard);
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.context(),
        Ctx::ConfirmDiscard,
        "a stray Enter does not discard"
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(
        app.context(),
        Ctx::FormText,
        "Esc on the question goes back to the form"
    );
    assert_eq!(app.form().unwrap().values()["name"], "鑫达");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    assert!(app.form().is_none());
    assert_eq!(app.note(), Some(&Note::Cancelled));

    // A form with nothing typed closes without a question.
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::Esc);
    assert!(app.form().is_none());
}

#[test]
fn errors_stay_on_the_form_next_to_their_fields() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    open_form(&mut app, RecordKind::TechSme);
    type_text(&mut app, "华鑫科技");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "123");
    press(&mut app, KeyCode::Tab);
    let form = app.form().unwrap();
    assert!(
        form.fields[1].error.is_some(),
        "checked on leaving the field"
    );
    ctrl(&mut app, 's');
    let form = app.form().expect("not saved");
    assert_eq!(
        form.focus_key(),
        "credit_code",
        "focus on the first problem"
    );
    assert!(form.fields[2].error.is_some() && form.fields[3].error.is_some());
    assert!(matches!(app.note(), Some(Note::NotSaved { problems: 3 })));
    assert!(all_records(&fx).is_empty());
}

#[test]
fn a_failed_check_digit_is_kept_only_with_a_reason() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    open_form(&mut app, RecordKind::TechSme);
    type_text(&mut app, "早期试点企业");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "91230521MA1B2C3D8Q");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2023230521A8020396");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2023-04-01");
    ctrl(&mut app, 's');
    assert_eq!(app.context(), Ctx::Prompt, "asks why");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.note(), Some(&Note::ReasonRequired));
    assert!(all_records(&fx).is_empty());
    type_text(&mut app, "早期试点代码");
    press(&mut app, KeyCode::Enter);
    let saved = all_records(&fx);
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].fields["credit_code"], "91230521MA1B2C3D8Q");
    assert_eq!(saved[0].fields[OVERRIDE_REASON], "早期试点代码");
}

#[test]
fn a_duplicate_names_the_existing_record_and_opens_it_keeping_the_form() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    let existing = add(&mut ledger, RecordKind::HighTech, XINDA, "wang");
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    open_form(&mut app, RecordKind::HighTech);
    fill_valid_high_tech(&mut app, "鑫达（重复）");
    ctrl(&mut app, 's');
    match &app.form().unwrap().dialog {
        Some(FormDialog::Duplicate {
            existing_id,
            existing_name,
        }) => {
            assert_eq!(*existing_id, existing.id);
            assert_eq!(existing_name, existing.name());
        }
        other => panic!("expected the duplicate question, got {other:?}"),
    }
    press(&mut app, KeyCode::Char('o'));
    assert_eq!(app.detail().map(|d| d.record.id), Some(existing.id));
    press(&mut app, KeyCode::Esc);
    let form = app.form().expect("the form is still there");
    assert!(form.dialog.is_none());
    // The form keeps the value as it will be stored (NFKC: ASCII brackets).
    assert_eq!(form.values()["name"], "鑫达(重复)");
    assert_eq!(all_records(&fx).len(), 1);
}

/// Opens the edit form of the only high-tech record and appends `suffix` to its name.
fn start_edit(app: &mut App, suffix: &str) {
    press(app, KeyCode::Char('2'));
    press(app, KeyCode::Enter);
    press(app, KeyCode::Char('e'));
    press(app, KeyCode::End);
    type_text(app, suffix);
}

fn other_changes_size(fx: &Fixture, record: &taizhang::domain::Record) {
    let mut other = fx.other_session();
    let mut values = record.fields.clone();
    values.insert("size".into(), "below".into());
    let valid = taizhang::domain::validate::validate_record(record.kind, &values).unwrap();
    other.update(record.id, Some(1), &valid, "wang").unwrap();
}

#[test]
fn a_conflict_shows_both_and_keep_mine_saves_over_theirs() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    let record = add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    start_edit(&mut app, "（一期）");
    other_changes_size(&fx, &record);
    ctrl(&mut app, 's');
    assert_eq!(app.context(), Ctx::Conflict);
    let current = fx.other_session().get(record.id).unwrap();
    assert_eq!(
        current.revision, 2,
        "nothing overwritten while the clerk chooses"
    );
    press(&mut app, KeyCode::Char('m'));
    let saved = fx.other_session().get(record.id).unwrap();
    assert_eq!(saved.revision, 3);
    assert!(saved.name().ends_with("(一期)"), "stored NFKC-normalised");
    assert_eq!(saved.fields["size"], "above", "mine, chosen knowingly");
    assert_eq!(app.detail().map(|d| d.record.revision), Some(3));
}

#[test]
fn a_conflict_can_take_theirs_or_go_back_to_editing() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    let record = add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
    drop(ledger);
    let mut app = fx.app(Lang::En);
    start_edit(&mut app, "（一期）");
    other_changes_size(&fx, &record);
    ctrl(&mut app, 's');
    press(&mut app, KeyCode::Char('t'));
    assert!(app.form().is_none());
    let shown = app.detail().expect("their version is shown").record.clone();
    assert_eq!(shown.revision, 2);
    assert_eq!(shown.fields["size"], "below");

    // Editing again on top of their version: the next save goes through.
    press(&mut app, KeyCode::Char('e'));
    press(&mut app, KeyCode::End);
    type_text(&mut app, "A");
    let mut other = fx.other_session();
    let mut values = shown.fields.clone();
    values.insert("notes".into(), "第三人".into());
    let valid = taizhang::domain::validate::validate_record(RecordKind::HighTech, &values).unwrap();
    other.update(record.id, Some(2), &valid, "li").unwrap();
    ctrl(&mut app, 's');
    press(&mut app, KeyCode::Char('e'));
    assert_eq!(app.context(), Ctx::FormText);
    ctrl(&mut app, 's');
    let saved = fx.other_session().get(record.id).unwrap();
    assert_eq!(saved.revision, 4);
    assert!(saved.name().ends_with('A'));
}

#[test]
fn help_opens_over_a_form_and_closes_back_to_it() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    open_form(&mut app, RecordKind::TechSme);
    type_text(&mut app, "?");
    assert_eq!(
        app.form().unwrap().values()["name"],
        "?",
        "? is typed in a text field"
    );
    ctrl(&mut app, 'g');
    assert!(matches!(app.top_view(), Some(View::Help(_))));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Ctx::FormText);
    press(&mut app, KeyCode::F(1));
    assert!(matches!(app.top_view(), Some(View::Help(_))));
}

#[test]
fn editing_from_the_detail_saves_a_new_revision() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    let record = add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('e'));
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(focus(&app), "size");
    press(&mut app, KeyCode::Right);
    ctrl(&mut app, 's');
    let saved = fx.other_session().get(record.id).unwrap();
    assert_eq!(saved.revision, 2);
    assert_eq!(saved.fields["size"], "below");
    let history = fx.other_session().history(record.id).unwrap();
    assert!(
        history
            .iter()
            .any(|e| e.field.as_deref() == Some("size") && e.actor == ACTOR)
    );
    assert_eq!(app.detail().map(|d| d.record.revision), Some(2));
}

#[test]
fn pasted_text_goes_into_the_field_flattened() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    open_form(&mut app, RecordKind::Achievement);
    app.handle(&Event::Paste("寒地水稻\n节水栽培\u{1b}技术".into()));
    assert_eq!(
        app.form().unwrap().values()["title"],
        "寒地水稻 节水栽培技术"
    );
}

#[test]
fn the_upgrade_field_offers_the_hosts_earlier_records_and_links_the_one_typed() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    let centre = |name: &'static str, code: &'static str| {
        vec![
            ("name", name),
            ("host", "双鸭山华鑫科技有限公司"),
            ("host_credit_code", code),
            ("level", "city"),
            ("category", "工程技术研究中心"),
            ("recognized_on", "2021-05-01"),
        ]
    };
    let earlier = add(
        &mut ledger,
        RecordKind::RndInstitution,
        &centre("双鸭山市石墨工程技术研究中心", "91230521MA1B2C3D8P"),
        ACTOR,
    );
    add(
        &mut ledger,
        RecordKind::RndInstitution,
        &centre("双鸭山市大豆工程技术研究中心", "91230521MA1B2C3D4B"),
        ACTOR,
    );
    drop(ledger);

    let mut app = fx.app(Lang::Zh);
    open_form(&mut app, RecordKind::RndInstitution);
    type_text(&mut app, "黑龙江省石墨工程技术研究中心");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "双鸭山华鑫科技有限公司");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "91230521ma1b2c3d8p");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "工程技术研究中心");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2022-06-30");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Tab);
    assert_eq!(focus(&app), "supersedes");
    let shown = screen(&app);
    assert!(
        shown.contains("可填") && shown.contains("双鸭山市石墨工程技术研究中心"),
        "{shown}"
    );
    assert!(
        !shown.contains("大豆"),
        "another host's centre is not offered:\n{shown}"
    );

    let id = earlier.id.to_string();
    type_text(&mut app, &id[id.len() - 8..]);
    ctrl(&mut app, 's');
    assert!(app.form().is_none(), "saved: {}", screen(&app));
    let upgraded = all_records(&fx)
        .into_iter()
        .find(|r| r.name() == "黑龙江省石墨工程技术研究中心")
        .expect("saved");
    assert_eq!(upgraded.fields.get("supersedes"), Some(&id));
    let history = fx.other_session().entity_history(upgraded.id).unwrap();
    let names: Vec<&str> = history.iter().map(|r| r.name()).collect();
    assert_eq!(
        names,
        [
            "双鸭山市石墨工程技术研究中心",
            "黑龙江省石墨工程技术研究中心"
        ]
    );
}

#[test]
fn a_record_with_warnings_is_saved_only_after_the_clerk_has_seen_them() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    open_form(&mut app, RecordKind::HighTech);
    // A firm registered in Fujian (region 350100), in 集贤县's ledger.
    type_text(&mut app, "双鸭山鑫达石墨新材料科技有限公司");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "91350100m000100y43");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "GR202123000123");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2021年3月15日");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('2'));
    ctrl(&mut app, 's');
    assert!(all_records(&fx).is_empty(), "not saved on the first Ctrl+S");
    assert!(matches!(
        app.note(),
        Some(Note::ConfirmWarnings { warnings: 1 })
    ));
    let shown = screen(&app);
    assert!(
        shown.contains("350100") && shown.contains("再按 Ctrl+S"),
        "{shown}"
    );
    ctrl(&mut app, 's');
    assert_eq!(
        all_records(&fx).len(),
        1,
        "saved once the clerk has seen it"
    );
}

#[test]
fn a_refused_character_is_named_by_its_position_in_the_form() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    open_form(&mut app, RecordKind::HighTech);
    fill_valid_high_tech(&mut app, "双鸭山\u{202E}鑫达");
    ctrl(&mut app, 's');
    assert!(app.form().is_some(), "the form stays open");
    assert!(all_records(&fx).is_empty(), "nothing saved");
    let screen = fx.screen(&app);
    assert!(
        screen.contains("第 4 个字符 U+202E（双向控制符）"),
        "{screen}"
    );
    assert!(
        !screen.contains('\u{202E}'),
        "nothing raw reaches the terminal"
    );
}

#[test]
fn a_tech_sme_saved_with_last_years_date_says_which_year_it_counts_in() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    let save_tech_sme = |app: &mut App, name: &str, code: &str, on: &str| {
        open_form(app, RecordKind::TechSme);
        type_text(app, name);
        press(app, KeyCode::Tab);
        type_text(app, code);
        press(app, KeyCode::Tab);
        type_text(app, &format!("{}230521A0000001", &on[..4]));
        press(app, KeyCode::Tab);
        type_text(app, on);
        ctrl(app, 's');
        assert!(app.form().is_none(), "saved: {:?}", app.note());
    };
    // The dashboard measures 2023-06-30: a 2022 registration does not move 2023's count.
    save_tech_sme(
        &mut app,
        "集贤去年入库科技有限公司",
        "91230521MA1B2C3D8P",
        "2022-11-05",
    );
    assert!(
        matches!(
            app.note(),
            Some(Note::Saved {
                counts_in: Some((2022, 2023)),
                ..
            })
        ),
        "{:?}",
        app.note()
    );
    let screen = fx.screen(&app);
    assert!(
        screen.contains("已保存，计入 2022 年（总览看的是 2023 年）：集贤去年入库"),
        "{screen}"
    );
    // This year's registration says nothing more.
    save_tech_sme(
        &mut app,
        "集贤今年入库科技有限公司",
        "91230521MA1B2C3D8P",
        "2023-03-01",
    );
    assert!(matches!(
        app.note(),
        Some(Note::Saved {
            counts_in: None,
            ..
        })
    ));
    // A certificate counts while valid, whatever its year.
    open_form(&mut app, RecordKind::HighTech);
    fill_valid_high_tech(&mut app, "双鸭山鑫达石墨新材料科技有限公司");
    ctrl(&mut app, 's');
    assert!(matches!(
        app.note(),
        Some(Note::Saved {
            counts_in: None,
            ..
        })
    ));
}
