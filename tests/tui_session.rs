//! The session as state changes: drafts written and offered back, other sessions' saves
//! appearing, lists (search, paging, voided), quitting, tabs, language and first run.

mod tui_common;

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{Event, KeyCode, KeyModifiers};
use taizhang::domain::{RecordKind, RecordStatus};
use taizhang::i18n::Lang;
use taizhang::store::drafts::DraftStore;
use taizhang::tui::app::Modal;
use taizhang::tui::keys::Ctx;
use taizhang::tui::{Note, Tab};
use tui_common::*;

#[test]
fn another_sessions_save_shows_within_a_tick_and_leaves_the_form_alone() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('1'));
    assert!(app.records_list(RecordKind::TechSme).page.is_empty());
    let start = Instant::now();
    app.tick(start);
    let mut other = fx.other_session();
    demo_records(&mut other, RecordKind::TechSme, 1);
    app.tick(start + Duration::from_millis(1100));
    assert_eq!(app.records_list(RecordKind::TechSme).page.len(), 1);

    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "正在输入");
    demo_records_seeded(&mut other, RecordKind::TechSme, 1, 99);
    app.tick(start + Duration::from_millis(2200));
    let form = app.form().unwrap();
    assert_eq!(form.values()["name"], "正在输入");
    assert_eq!(form.focus_key(), "name");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(app.records_list(RecordKind::TechSme).total, 2);
}

#[test]
fn a_draft_is_written_while_typing_and_offered_back_at_start() {
    let fx = Fixture::new();
    let drafts = DraftStore::beside(&fx.db_path(), ACTOR);
    let mut app = fx.app(Lang::Zh);
    open_form(&mut app, RecordKind::HighTech);
    type_text(&mut app, "双鸭山鑫达");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "9123");
    app.tick(Instant::now());
    let draft = drafts.load().unwrap().expect("draft written on the tick");
    assert_eq!(draft.values["credit_code"], "9123");
    type_text(&mut app, "0521");
    app.hang_up();
    assert!(app.should_quit());
    drop(app);

    let mut app = fx.app(Lang::Zh);
    assert!(matches!(app.modal(), Some(Modal::DraftOffer(_))));
    press(&mut app, KeyCode::Enter);
    let form = app.form().expect("the form is back");
    assert_eq!(form.values()["name"], "双鸭山鑫达");
    assert_eq!(
        form.values()["credit_code"],
        "91230521",
        "typing after the last tick kept"
    );
    assert_eq!(form.focus_key(), "credit_code");
    assert!(form.is_dirty());
    press(&mut app, KeyCode::End);
    type_text(&mut app, "MA1B2C3D8P");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "GR202123000123");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2021-03-15");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('1'));
    ctrl(&mut app, 's');
    assert_eq!(all_records(&fx).len(), 1);
    assert!(
        drafts.load().unwrap().is_none(),
        "a saved form leaves no draft"
    );
}

#[test]
fn a_draft_can_wait_or_be_thrown_away_after_a_second_yes() {
    let fx = Fixture::new();
    let drafts = DraftStore::beside(&fx.db_path(), ACTOR);
    let mut app = fx.app(Lang::En);
    open_form(&mut app, RecordKind::Alliance);
    type_text(&mut app, "寒地农业产业技术创新战略联盟");
    app.hang_up();
    drop(app);

    let mut app = fx.app(Lang::En);
    press(&mut app, KeyCode::Esc);
    assert!(app.modal().is_none());
    assert_eq!(app.note(), Some(&Note::DraftKept));
    assert!(drafts.load().unwrap().is_some());
    drop(app);

    let mut app = fx.app(Lang::En);
    press(&mut app, KeyCode::Char('d'));
    assert!(matches!(app.modal(), Some(Modal::ConfirmDiscardDraft(_))));
    press(&mut app, KeyCode::Enter);
    assert!(
        drafts.load().unwrap().is_some(),
        "Enter does not throw a draft away"
    );
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Char('y'));
    assert!(drafts.load().unwrap().is_none());
    assert!(app.modal().is_none());
}

#[test]
fn an_unchanged_form_writes_no_draft() {
    let fx = Fixture::new();
    let drafts = DraftStore::beside(&fx.db_path(), ACTOR);
    let mut app = fx.app(Lang::Zh);
    open_form(&mut app, RecordKind::Incubator);
    press(&mut app, KeyCode::Tab);
    app.tick(Instant::now());
    app.hang_up();
    assert!(drafts.load().unwrap().is_none());
}

#[test]
fn search_filters_as_you_type_in_chinese_or_by_code() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    demo_records(&mut ledger, RecordKind::TechSme, 30);
    add(
        &mut ledger,
        RecordKind::TechSme,
        &[
            ("name", "东方红拖拉机科技有限公司"),
            ("credit_code", "91230521MA1B2C3D8P"),
            ("reg_no", "2023230521A8020396"),
            ("registered_on", "2023-04-01"),
        ],
        ACTOR,
    );
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('1'));
    assert_eq!(app.records_list(RecordKind::TechSme).total, 31);
    press(&mut app, KeyCode::Char('/'));
    assert_eq!(app.context(), Ctx::Search);
    type_text(&mut app, "东方");
    let list = app.records_list(RecordKind::TechSme);
    assert_eq!(list.total, 1);
    assert_eq!(list.page[0].name(), "东方红拖拉机科技有限公司");
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.should_quit(), "q is typed into the search box");
    assert_eq!(app.records_list(RecordKind::TechSme).total, 0);
    press(&mut app, KeyCode::Backspace);
    ctrl(&mut app, 'u');
    type_text(&mut app, "ma1b2c3d");
    assert_eq!(
        app.records_list(RecordKind::TechSme).total,
        1,
        "credit code, any case"
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Ctx::List);
    assert_eq!(
        app.records_list(RecordKind::TechSme).total,
        1,
        "the search stays"
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.detail().map(|d| d.record.name()),
        Some("东方红拖拉机科技有限公司")
    );
}

#[test]
fn voiding_needs_a_reason_hides_the_record_and_restore_brings_it_back() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    let record = add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.note(), Some(&Note::ReasonRequired));
    type_text(&mut app, "重复录入");
    press(&mut app, KeyCode::Enter);
    let voided = fx.other_session().get(record.id).unwrap();
    assert_eq!(voided.status, RecordStatus::Voided);
    assert_eq!(voided.void_reason.as_deref(), Some("重复录入"));
    press(&mut app, KeyCode::Esc);
    assert!(
        app.records_list(RecordKind::HighTech).page.is_empty(),
        "voided is hidden"
    );
    press(&mut app, KeyCode::Char('x'));
    let list = app.records_list(RecordKind::HighTech);
    assert_eq!(list.page.len(), 1);
    assert_eq!(list.page[0].status, RecordStatus::Voided);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('e'));
    assert_eq!(app.note(), Some(&Note::VoidedCannotEdit));
    press(&mut app, KeyCode::Char('r'));
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(
        fx.other_session().get(record.id).unwrap().status,
        RecordStatus::Active
    );
    assert!(matches!(app.note(), Some(Note::Restored { .. })));
}

#[test]
fn lists_page_through_the_ledger() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    demo_records(&mut ledger, RecordKind::Achievement, 40);
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('6'));
    let first_page: Vec<_> = app
        .records_list(RecordKind::Achievement)
        .page
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(first_page.len(), 16);
    for _ in 0..16 {
        press(&mut app, KeyCode::Down);
    }
    let list = app.records_list(RecordKind::Achievement);
    assert_eq!(
        list.first_index(),
        16,
        "moving past the last row turns the page"
    );
    assert!(list.page.iter().all(|r| !first_page.contains(&r.id)));
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.records_list(RecordKind::Achievement).page.len(), 8);
    press(&mut app, KeyCode::PageDown);
    assert_eq!(
        app.records_list(RecordKind::Achievement).first_index(),
        32,
        "no page past the end"
    );
    press(&mut app, KeyCode::Home);
    assert_eq!(app.records_list(RecordKind::Achievement).first_index(), 0);
    app.handle(&Event::Resize(80, 30));
    assert_eq!(app.records_list(RecordKind::Achievement).page.len(), 22);
}

#[test]
fn q_quits_from_lists_and_the_dashboard_but_not_elsewhere() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    open_form(&mut app, RecordKind::TechSme);
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.should_quit());
    assert_eq!(app.form().unwrap().values()["name"], "q");
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit());
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit());
}

#[test]
fn tabs_numbers_and_the_language_toggle() {
    let fx = Fixture::new();
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.tab(), Tab::Kind(RecordKind::TechSme));
    press_key(&mut app, KeyCode::BackTab, KeyModifiers::SHIFT);
    press_key(&mut app, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(app.tab(), Tab::Kind(RecordKind::Achievement));
    press(&mut app, KeyCode::Char('0'));
    assert_eq!(app.tab(), Tab::Dashboard);
    press_key(&mut app, KeyCode::Char('L'), KeyModifiers::SHIFT);
    assert_eq!(app.lang(), Lang::En);
    open_form(&mut app, RecordKind::Incubator);
    ctrl(&mut app, 't');
    assert_eq!(app.lang(), Lang::Zh, "Ctrl+T switches even while typing");
    assert!(app.form().unwrap().values().is_empty(), "and types nothing");
}

#[test]
fn first_run_creates_the_ledger_for_the_chosen_unit() {
    let fx = Fixture::new();
    let mut app = fx.first_run(Lang::Zh);
    assert!(app.is_first_run());
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Ctx::Confirm);
    press(&mut app, KeyCode::Esc);
    assert!(
        !fx.db_path().exists(),
        "nothing made before the clerk confirms"
    );
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('y'));
    assert!(!app.is_first_run());
    assert_eq!(app.ledger().map(|l| l.unit()), Some("230522"));
    assert_eq!(fx.other_session().unit(), "230522");
    assert_eq!(app.tab(), Tab::Dashboard);
}

#[test]
fn a_search_typed_in_a_burst_waits_for_the_pause_then_queries_once() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    demo_records(&mut ledger, RecordKind::TechSme, 5);
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char('/'));
    for c in "无此公司".chars() {
        app.handle_event(&Event::Key(ratatui::crossterm::event::KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
    let now = Instant::now();
    assert!(
        app.flush_settled(now).is_some(),
        "still typing: no query yet"
    );
    assert_eq!(app.records_list(RecordKind::TechSme).page.len(), 5);
    assert_eq!(app.flush_settled(now + Duration::from_millis(300)), None);
    assert!(app.records_list(RecordKind::TechSme).page.is_empty());
}

#[test]
fn a_void_reason_with_a_bidi_control_is_refused_and_the_prompt_stays() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    let record = add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('v'));
    type_text(&mut app, "重复\u{202E}录入");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        fx.other_session().get(record.id).unwrap().status,
        RecordStatus::Active,
        "not voided"
    );
    let screen = fx.screen(&app);
    assert!(
        screen.contains("作废原因：第 3 个字符 U+202E（双向控制符）"),
        "{screen}"
    );
    assert!(
        !screen.contains('\u{202E}'),
        "nothing raw reaches the terminal"
    );
    // The prompt is still open with the reason typed: delete the character and confirm.
    for _ in 0..3 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "录入");
    press(&mut app, KeyCode::Enter);
    let voided = fx.other_session().get(record.id).unwrap();
    assert_eq!(voided.status, RecordStatus::Voided);
    assert_eq!(voided.void_reason.as_deref(), Some("重复录入"));
}

#[test]
fn a_void_reason_over_the_limit_is_refused_and_the_prompt_stays() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    let record = add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('v'));
    type_text(&mut app, &"重".repeat(2001));
    assert_eq!(
        fx.other_session().get(record.id).unwrap().status,
        RecordStatus::Active,
        "not voided"
    );
    // The character past the limit is refused as it is typed, and the clerk is told.
    let screen = fx.screen(&app);
    assert!(screen.contains("最多 2000 个字"), "{screen}");
    assert!(screen.contains("作废记录"), "the prompt stays: {screen}");
    press(&mut app, KeyCode::Enter);
    let voided = fx.other_session().get(record.id).unwrap();
    assert_eq!(voided.status, RecordStatus::Voided);
    assert_eq!(voided.void_reason.map(|r| r.chars().count()), Some(2000));
}

#[test]
fn an_account_the_ledger_cannot_record_refuses_changes_and_reading_still_works() {
    use taizhang::domain::Problem;
    use taizhang::store::{AccountError, AccountProblem};
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    let record = add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
    let history = ledger.history(record.id).unwrap().len();
    drop(ledger);
    let mut config = fx.config(Lang::Zh);
    config.actor = Err(AccountError {
        var: "USER",
        problem: AccountProblem::Text(Problem::TooLong { max: 200 }),
    });
    let mut app = taizhang::tui::App::new(config, Some(fx.other_session()));
    let refused = |app: &taizhang::tui::App| {
        matches!(app.note(), Some(Note::Failed(text))
            if text.zh.contains("环境变量 USER 给出的账户名太长") && text.zh.contains("export USER="))
    };

    // Reading works: the list and the record open.
    press(&mut app, KeyCode::Char('2'));
    assert_eq!(app.records_list(RecordKind::HighTech).page.len(), 1);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.detail().map(|d| d.record.id), Some(record.id));

    // Voiding is refused before anything is written; the reason typed stays.
    press(&mut app, KeyCode::Char('v'));
    type_text(&mut app, "重复录入");
    press(&mut app, KeyCode::Enter);
    assert!(refused(&app), "{:?}", app.note());
    press(&mut app, KeyCode::Esc);

    // So is saving an edit.
    press(&mut app, KeyCode::Char('e'));
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Right);
    ctrl(&mut app, 's');
    assert!(refused(&app), "{:?}", app.note());
    let kept = fx.other_session().get(record.id).unwrap();
    assert_eq!(
        (kept.status, kept.revision),
        (RecordStatus::Active, 1),
        "nothing written"
    );
    assert_eq!(
        fx.other_session().history(record.id).unwrap().len(),
        history
    );
}

#[test]
fn hidden_characters_of_older_records_are_shown_visibly() {
    use taizhang::domain::validate::validate_record;
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    let mut valid = validate_record(RecordKind::HighTech, &values(XINDA)).unwrap();
    // As a ledger from before the text policy may hold it (or an older bundle brought in).
    let name = "旧\u{2028}台账\u{E000}记录\u{E0041}\u{FDD0}末";
    valid.fields.insert("name".into(), name.into());
    valid.index.name = name.into();
    ledger.insert(&valid, ACTOR).unwrap();
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('2'));
    let list = fx.screen(&app);
    press(&mut app, KeyCode::Enter);
    let detail = fx.screen(&app);
    for screen in [&list, &detail] {
        for c in ['\u{2028}', '\u{E000}', '\u{E0041}', '\u{FDD0}'] {
            assert!(!screen.contains(c), "U+{:04X} raw: {screen}", c as u32);
        }
        assert!(screen.contains("旧<U+2028>台账"), "{screen}");
    }
    assert!(
        detail.contains("旧<U+2028>台账<U+E000>记录<U+E0041><U+FDD0>末"),
        "{detail}"
    );
}
