//! The cultivation pool page (培育库) as a clerk and the city office use it: `p` lists the
//! unit's firms under a heading per stage; the form puts a firm in (problems shown by the
//! fields, nothing saved until they are fixed), changes its stage or target date; `c` takes it
//! out for a reason, `x` shows it, `r` cultivates it again. At the city, page 6 counts each
//! unit's pool by stage and Enter lists a unit's entries, read-only.

mod tui_common;

use ratatui::crossterm::event::KeyCode;
use taizhang::domain::pool::{PoolStage, PoolStatus};
use taizhang::i18n::Lang;
use taizhang::store::{Ledger, PoolQuery};
use taizhang::tui::keys::Ctx;
use taizhang::tui::{App, Note, View};
use tui_common::city::City;
use tui_common::*;

const LANGS: [(Lang, &str); 2] = [(Lang::Zh, "zh"), (Lang::En, "en")];

fn snap(name: &str, lang: &str, app: &App) {
    insta::assert_snapshot!(format!("{name}_{lang}"), screen(app));
}

/// Every entry of the ledger's pool, closed ones too.
fn all_entries(ledger: &Ledger) -> Vec<taizhang::domain::pool::PoolEntry> {
    ledger.pool_list(&PoolQuery::default()).expect("pool list")
}

/// A unit with three firms in its pool at two stages, and one it took out.
fn unit_with_a_pool(fx: &Fixture) {
    let mut ledger = fx.create_ledger();
    add_to_pool(
        &mut ledger,
        &credit_code(1),
        "双鸭山市华鑫科技有限公司",
        "high_tech_candidate",
        "2023-12-31",
    );
    add_to_pool(
        &mut ledger,
        &credit_code(2),
        "集贤县北大荒石墨新材料有限公司",
        "high_tech_candidate",
        "2023-05-31",
    );
    add_to_pool(
        &mut ledger,
        &credit_code(3),
        "集贤县金沙粮食机械股份有限公司",
        "gazelle_candidate",
        "2024-06-30",
    );
    let gone = add_to_pool(
        &mut ledger,
        &credit_code(4),
        "集贤县迁出科技有限公司",
        "tech_sme",
        "2023-09-30",
    );
    let close = taizhang::domain::pool::validate_close(
        false,
        jiff::civil::date(2023, 6, 1),
        Some("企业迁出本市"),
    )
    .expect("a withdrawal");
    ledger
        .pool_close(gone.id, None, &close, ACTOR)
        .expect("withdraw");
}

#[test]
fn the_pool_page_lists_the_firms_by_stage() {
    for (lang, tag) in LANGS {
        let fx = Fixture::new();
        unit_with_a_pool(&fx);
        let mut app = fx.app(lang);
        press(&mut app, KeyCode::Char('p'));
        assert_eq!(app.context(), Ctx::Pool);
        snap("pool", tag, &app);
        let text = screen(&app);
        // By stage, soonest target first; the one past its target date says so.
        let at = |name: &str| text.find(name).expect(name);
        assert!(
            at("北大荒") < at("华鑫") && at("华鑫") < at("金沙"),
            "{text}"
        );
        assert!(
            !text.contains("迁出科技"),
            "closed entries wait for x: {text}"
        );
        press(&mut app, KeyCode::Char('x'));
        let text = screen(&app);
        assert!(text.contains("迁出科技"), "{text}");
        assert!(
            text.contains(if lang == Lang::Zh {
                "已退出 2023-06-01"
            } else {
                "Withdrawn 2023-06-01"
            }),
            "{text}"
        );
    }
}

#[test]
fn a_clerk_puts_a_firm_in_fixing_what_the_form_says_then_changes_it() {
    let fx = Fixture::new();
    fx.create_ledger();
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('p'));
    assert!(
        screen(&app).contains("没有培育中的企业"),
        "{}",
        screen(&app)
    );
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.context(), Ctx::FormText);
    // A code whose check character is wrong, no stage, a date that does not exist.
    let mut wrong = credit_code(7);
    wrong.pop();
    wrong.push(if credit_code(7).ends_with('1') {
        '2'
    } else {
        '1'
    });
    type_text(&mut app, &wrong);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "双鸭山市华鑫科技有限公司");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.context(), Ctx::FormChoice, "the stage is picked");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2024-02-30");
    ctrl(&mut app, 's');
    snap("pool_form_errors", "zh", &app);
    assert!(matches!(app.note(), Some(Note::NotSaved { problems: 3 })));
    assert!(all_entries(&fx.other_session()).is_empty(), "nothing saved");

    // Fix each: the focus is on the first field with a problem.
    ctrl(&mut app, 'u');
    type_text(&mut app, &credit_code(7));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    type_text(&mut app, "2024年6月30日");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "已提交申报材料");
    ctrl(&mut app, 's');
    assert_eq!(app.context(), Ctx::Pool, "{}", screen(&app));
    let text = screen(&app);
    assert!(
        text.contains("已加入培育库：双鸭山市华鑫科技有限公司"),
        "{text}"
    );
    assert!(text.contains("2024-06-30"), "{text}");
    let entries = all_entries(&fx.other_session());
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry.credit_code, credit_code(7));
    assert_eq!(entry.stage, PoolStage::HighTechCandidate);
    assert_eq!(entry.target_on, jiff::civil::date(2024, 6, 30));
    assert_eq!(entry.notes, "已提交申报材料");
    assert_eq!(entry.created_by, ACTOR);

    // `e` changes the stage; the firm's code and name are not offered.
    press(&mut app, KeyCode::Char('e'));
    assert_eq!(app.context(), Ctx::FormChoice);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.context(), Ctx::FormChoice, "only stage, date, notes");
    ctrl(&mut app, 's');
    let entry = &all_entries(&fx.other_session())[0];
    assert_eq!(entry.stage, PoolStage::GazelleCandidate);
    assert_eq!(entry.revision, 2);
    assert!(screen(&app).contains("瞪羚企业后备（1 家培育中）"));

    // A form with typing asks before throwing it away.
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "9");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Ctx::ConfirmDiscard);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.context(), Ctx::FormText, "still typing");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(app.context(), Ctx::Pool);
    assert_eq!(all_entries(&fx.other_session()).len(), 1);
}

#[test]
fn taking_a_firm_out_needs_a_reason_and_it_can_come_back() {
    for (lang, tag) in LANGS {
        let fx = Fixture::new();
        let mut ledger = fx.create_ledger();
        add_to_pool(
            &mut ledger,
            &credit_code(1),
            "双鸭山市华鑫科技有限公司",
            "tech_sme",
            "2023-12-31",
        );
        drop(ledger);
        let mut app = fx.app(lang);
        press(&mut app, KeyCode::Char('p'));
        press(&mut app, KeyCode::Char('c'));
        assert_eq!(app.context(), Ctx::Prompt);
        snap("pool_withdraw_prompt", tag, &app);
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.note(), Some(&Note::ReasonRequired));
        assert_eq!(all_entries(&fx.other_session())[0].status, PoolStatus::Open);
        // The question stays open for the reason.
        assert_eq!(app.context(), Ctx::Prompt);
        type_text(&mut app, "企业迁出本市");
        press(&mut app, KeyCode::Enter);
        let entry = &all_entries(&fx.other_session())[0];
        assert_eq!(entry.status, PoolStatus::Withdrawn);
        assert_eq!(entry.close_reason.as_deref(), Some("企业迁出本市"));
        assert_eq!(entry.closed_on, Some(jiff::civil::date(2023, 6, 30)));
        // Gone from the list until `x`; `e` on a closed entry says why not.
        assert!(
            screen(&app).contains(if lang == Lang::Zh {
                "没有培育中的企业"
            } else {
                "No firm is being cultivated"
            }),
            "{}",
            screen(&app)
        );
        press(&mut app, KeyCode::Char('x'));
        assert!(screen(&app).contains("华鑫"));
        press(&mut app, KeyCode::Char('e'));
        assert!(matches!(app.note(), Some(Note::PoolRefused(_))));
        assert!(app.note().is_some_and(Note::is_problem));
        press(&mut app, KeyCode::Char('r'));
        assert_eq!(app.context(), Ctx::Confirm);
        press(&mut app, KeyCode::Char('y'));
        assert_eq!(all_entries(&fx.other_session())[0].status, PoolStatus::Open);
        // Reached: the reason may be left out.
        press(&mut app, KeyCode::Char('a'));
        press(&mut app, KeyCode::Enter);
        assert_eq!(
            all_entries(&fx.other_session())[0].status,
            PoolStatus::Achieved
        );
        assert!(matches!(app.note(), Some(Note::PoolChanged(_))));
    }
}

#[test]
fn the_city_counts_each_units_pool_and_reads_a_units_entries() {
    for (lang, tag) in LANGS {
        let city = City::build();
        let mut app = city.fx.app(lang);
        press(&mut app, KeyCode::Char('6'));
        insta::assert_snapshot!(format!("city_pool_{tag}"), city.fx.screen(&app));
        let text = city.fx.screen(&app);
        // 集贤县 sent one gazelle candidate; the total counts it.
        let row = text
            .lines()
            .find(|l| {
                l.contains(if lang == Lang::Zh {
                    "集贤县"
                } else {
                    "Jixian"
                })
            })
            .and_then(|l| l.split('"').nth(1))
            .expect("the unit's row");
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(
            &cells[cells.len() - 5..],
            ["0", "0", "1", "0", "0"],
            "{row}"
        );
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.context(), Ctx::CityPool);
        assert!(matches!(app.top_view(), Some(View::Pool(_))));
        let text = city.fx.screen(&app);
        assert!(text.contains("双鸭山鑫达石墨新材料科技"), "{text}");
        press(&mut app, KeyCode::Char('n'));
        assert_eq!(app.note(), Some(&Note::ReadOnlyAtCity));
        assert_eq!(app.context(), Ctx::CityPool, "no form opens at the city");
        // Enter opens the firm's page, with the unit's records of it.
        press(&mut app, KeyCode::Enter);
        assert!(matches!(app.top_view(), Some(View::Firm(_))));
    }
}

#[test]
fn a_pool_item_of_the_worklist_opens_the_pool_page_on_its_entry() {
    let fx = Fixture::new();
    unit_with_a_pool(&fx);
    let mut app = fx.app(Lang::Zh);
    // The figures first, the worklist at the next flush.
    app.flush();
    press(&mut app, KeyCode::Char('w'));
    let text = screen(&app);
    assert!(text.contains("华鑫"), "{text}");
    // Soonest target first: 北大荒 (overdue), then 华鑫.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Ctx::Pool);
    let Some(View::Pool(pool)) = app.top_view() else {
        panic!("the pool page: {}", screen(&app));
    };
    assert_eq!(
        pool.selected_entry().map(|e| e.name.as_str()),
        Some("双鸭山市华鑫科技有限公司")
    );
}

#[test]
fn the_dashboard_says_what_the_pool_could_add_where_a_figure_falls() {
    for (lang, expected) in [
        (Lang::Zh, "不续期降至 0/5；培育库 1 家（w 查看）"),
        (Lang::En, "1 lapse by 2024-06-30, then 0/5; 1 in pool (w)"),
    ] {
        let fx = Fixture::new();
        let mut ledger = fx.create_ledger();
        // A certificate that runs out within the look-ahead, and a candidate in the pool.
        add(
            &mut ledger,
            taizhang::domain::RecordKind::HighTech,
            XINDA,
            ACTOR,
        );
        add_to_pool(
            &mut ledger,
            &credit_code(1),
            "双鸭山市华鑫科技有限公司",
            "high_tech_candidate",
            "2024-12-31",
        );
        drop(ledger);
        let mut app = fx.app(lang);
        app.flush();
        let text = screen(&app);
        assert!(text.contains(expected), "{text}");
    }
}
