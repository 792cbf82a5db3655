//! The awards page (奖补资金) at 80x24: a unit's lines in every state with their totals, a
//! line in full, approving and paying through the prompts, the year filter, who pays a line
//! this ledger does not, and the city's page over two units narrowed to one of them.

mod tui_common;

use jiff::civil::date;
use ratatui::crossterm::event::KeyCode;
use taizhang::bundle::export;
use taizhang::bundle::import::import_paths;
use taizhang::bundle::keys::{create_city_ledger, create_unit_ledger, ledger_public_key};
use taizhang::domain::RecordKind;
use taizhang::domain::awards::{AwardAction, AwardStatus, EntitlementKey, FiscalLevel};
use taizhang::domain::credit_code::check_char;
use taizhang::i18n::Lang;
use taizhang::plan::Plan;
use taizhang::store::{AwardQuery, AwardRequest, Ledger};
use taizhang::tui::keys::Ctx;
use taizhang::tui::state::awards::AwardsScreen;
use taizhang::tui::{App, View};
use tui_common::city::at;
use tui_common::*;

/// A valid credit code of Jixian county ending in `n`.
fn code(n: u32) -> String {
    let first17 = format!("91230521MA1B2C{n:03}");
    let check = check_char(&first17).expect("a check character");
    format!("{first17}{check}")
}

const XINDA_NAME: &str = "双鸭山鑫达石墨新材料科技有限公司";
const HUAXIN_NAME: &str = "集贤县华鑫碳材料有限公司";
const LONGYUAN_NAME: &str = "集贤县龙源科技有限公司";

fn high_tech(
    ledger: &mut Ledger,
    name: &str,
    n: u32,
    certified_on: &str,
    size: &str,
    tax_level: Option<&str>,
) -> taizhang::domain::Record {
    let code = code(n);
    let cert_no = format!("GR{}23000{n:03}", &certified_on[..4]);
    let mut pairs = vec![
        ("name", name),
        ("credit_code", code.as_str()),
        ("cert_no", cert_no.as_str()),
        ("certified_on", certified_on),
        ("recognition", "first"),
        ("size", size),
    ];
    if let Some(level) = tax_level {
        pairs.push(("tax_level", level));
    }
    add(ledger, RecordKind::HighTech, &pairs, ACTOR)
}

/// The entitlement of `record` under its only rule for `year`.
fn key_of(ledger: &Ledger, record: uuid::Uuid) -> EntitlementKey {
    ledger
        .award_lines(&Plan::embedded(), &AwardQuery::default())
        .expect("award lines")
        .into_iter()
        .find(|l| l.key.record == record)
        .expect("a line for the record")
        .key
}

fn record(ledger: &mut Ledger, key: &EntitlementKey, action: AwardAction, on: &str) {
    let voucher = (action == AwardAction::Pay).then(|| "JX-2023-0158".to_string());
    ledger
        .record_award(
            &Plan::embedded(),
            &AwardRequest {
                key: key.clone(),
                action,
                on: on.parse().expect("a date"),
                voucher,
            },
            "finance-li",
        )
        .expect("recorded");
}

/// A unit's ledger with a paid, an approved, a city-paid, a levelless, an awaiting and a
/// shared line.
fn unit_with_awards(fx: &Fixture) {
    let mut ledger = fx.create_ledger();
    let paid = high_tech(
        &mut ledger,
        XINDA_NAME,
        1,
        "2022-03-15",
        "above",
        Some("county"),
    );
    let approved = high_tech(
        &mut ledger,
        HUAXIN_NAME,
        2,
        "2023-05-20",
        "below",
        Some("county"),
    );
    high_tech(
        &mut ledger,
        LONGYUAN_NAME,
        3,
        "2021-10-15",
        "above",
        Some("city"),
    );
    add(
        &mut ledger,
        RecordKind::TechSme,
        &[
            ("name", "集贤县东方农业科技有限公司"),
            ("credit_code", &code(4)),
            ("reg_no", "2022230521A8020396"),
            ("registered_on", "2022-04-01"),
        ],
        ACTOR,
    );
    add(
        &mut ledger,
        RecordKind::Incubator,
        &[
            ("name", "集贤县创业孵化基地"),
            ("operator", "集贤县创新发展有限公司"),
            ("type", "incubator"),
            ("level", "city"),
            ("recognized_on", "2023-03-01"),
            ("tax_level", "county"),
        ],
        ACTOR,
    );
    add(
        &mut ledger,
        RecordKind::Achievement,
        &[
            ("title", "高纯石墨提纯技术"),
            ("owner", "黑龙江科技大学"),
            ("recipient", XINDA_NAME),
            ("mode", "transfer"),
            ("amount_yuan", "123456.78"),
            ("contract_no", "2023230500000123"),
            ("transferred_on", "2023-02-10"),
            ("tax_level", "county"),
        ],
        ACTOR,
    );
    let paid = key_of(&ledger, paid.id);
    record(&mut ledger, &paid, AwardAction::Approve, "2023-05-10");
    record(&mut ledger, &paid, AwardAction::Pay, "2023-06-01");
    let approved = key_of(&ledger, approved.id);
    record(&mut ledger, &approved, AwardAction::Approve, "2023-06-20");
}

fn awards(app: &App) -> &AwardsScreen {
    match app.top_view() {
        Some(View::Awards(screen)) => screen,
        _ => panic!("the awards page is not on top"),
    }
}

/// Moves the selection to the first line whose firm is `firm` (and rule, if given).
fn select(app: &mut App, firm: &str, rule: Option<&str>) {
    let at = awards(app)
        .shown()
        .iter()
        .position(|l| l.beneficiary == firm && rule.is_none_or(|r| l.key.rule == r))
        .expect("the line is listed");
    press(app, KeyCode::Home);
    for _ in 0..awards(app).selected {
        press(app, KeyCode::Up);
    }
    for _ in 0..at {
        press(app, KeyCode::Down);
    }
    assert_eq!(awards(app).selected, at);
}

#[test]
fn a_units_awards_page_lists_its_lines_with_totals() {
    let fx = Fixture::new();
    unit_with_awards(&fx);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('f'));
    assert_eq!(app.context(), Ctx::Awards);
    let statuses: Vec<AwardStatus> = awards(&app).lines.iter().map(|l| l.status).collect();
    for status in [
        AwardStatus::Paid,
        AwardStatus::Approved,
        AwardStatus::Entitled,
        AwardStatus::NoFiscalLevel,
        AwardStatus::AwaitingInput,
    ] {
        assert!(statuses.contains(&status), "{status:?} in {statuses:?}");
    }
    let years: Vec<i16> = awards(&app).lines.iter().map(|l| l.key.year).collect();
    assert!(years.is_sorted_by(|a, b| a >= b), "newest first: {years:?}");
    insta::assert_snapshot!("awards_unit_zh", fx.screen(&app));

    select(&mut app, XINDA_NAME, Some("high_tech_first_above_size"));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Ctx::AwardDetail);
    let screen = fx.screen(&app);
    for text in [
        "JX-2023-0158",
        "finance-li",
        "新认定国家高新技术企业（规上企业）奖励",
    ] {
        assert!(screen.contains(text), "{text} missing:\n{screen}");
    }
    insta::assert_snapshot!("awards_unit_detail_zh", screen);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Ctx::Awards);

    // The year filter: all, 2021, 2022.
    press(&mut app, KeyCode::Char('y'));
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(awards(&app).year, Some(2022));
    assert!(awards(&app).lines.iter().all(|l| l.key.year == 2022));
    insta::assert_snapshot!("awards_unit_2022_zh", fx.screen(&app));
    press(&mut app, KeyCode::Left);
    assert_eq!(awards(&app).year, Some(2021));

    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Ctx::Dashboard);
}

#[test]
fn the_page_reads_well_in_english() {
    let fx = Fixture::new();
    unit_with_awards(&fx);
    let mut app = fx.app(Lang::En);
    press(&mut app, KeyCode::Char('f'));
    insta::assert_snapshot!("awards_unit_en", fx.screen(&app));
}

#[test]
fn approving_and_paying_go_through_prompts_and_are_kept() {
    let fx = Fixture::new();
    unit_with_awards(&fx);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('f'));
    select(
        &mut app,
        XINDA_NAME,
        Some("technology_contract_post_subsidy"),
    );
    press(&mut app, KeyCode::Char('p'));
    assert!(
        fx.screen(&app).contains("请先按 a 批准"),
        "no payment before approval"
    );
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(app.context(), Ctx::Prompt);
    insta::assert_snapshot!("awards_approve_prompt_zh", fx.screen(&app));
    press(&mut app, KeyCode::Enter);
    assert!(fx.screen(&app).contains("已批准：双鸭山鑫达"));

    press(&mut app, KeyCode::Char('p'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "2023年5月1日");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "JX-2023-0199");
    insta::assert_snapshot!("awards_pay_prompt_zh", fx.screen(&app));
    // Paid before it was approved (2023-06-30): refused, and what was typed stays.
    press(&mut app, KeyCode::Enter);
    let screen = fx.screen(&app);
    assert!(screen.contains("拨付日期早于批准日期"), "{screen}");
    assert_eq!(app.context(), Ctx::Prompt);
    ctrl(&mut app, 'u');
    type_text(&mut app, "2023-06-30");
    press(&mut app, KeyCode::Enter);
    let screen = fx.screen(&app);
    assert!(
        screen.contains("JX-2023-0199"),
        "the voucher was kept:\n{screen}"
    );
    press(&mut app, KeyCode::Enter);
    let screen = fx.screen(&app);
    assert!(
        screen.contains("已拨付：双鸭山鑫达石墨新材料科技有限公司，凭证号 JX-2023-0199"),
        "{screen}"
    );

    let ledger = fx.other_session();
    let line = ledger
        .award_lines(&Plan::embedded(), &AwardQuery::default())
        .unwrap()
        .into_iter()
        .find(|l| l.key.rule == "technology_contract_post_subsidy")
        .unwrap();
    assert_eq!(line.status, AwardStatus::Paid);
    let approved = line.approved.as_ref().unwrap();
    assert_eq!(
        (approved.on, approved.actor.as_str()),
        (date(2023, 6, 30), ACTOR)
    );
    assert_eq!(line.payments[0].voucher.as_deref(), Some("JX-2023-0199"));
    assert_eq!(line.payments[0].fen, 2_469_136);
}

#[test]
fn a_line_another_level_pays_says_who_pays_it() {
    let fx = Fixture::new();
    unit_with_awards(&fx);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('f'));
    select(&mut app, LONGYUAN_NAME, None);
    press(&mut app, KeyCode::Char('p'));
    assert_eq!(app.context(), Ctx::Awards, "no prompt");
    let screen = fx.screen(&app);
    assert!(screen.contains("由市级财政负担"), "{screen}");
    select(&mut app, "集贤县东方农业科技有限公司", None);
    press(&mut app, KeyCode::Char('a'));
    assert!(fx.screen(&app).contains("没有填写税收入库级次"));
}

#[test]
fn another_sessions_payment_shows_on_the_open_page() {
    let fx = Fixture::new();
    unit_with_awards(&fx);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('f'));
    let key = awards(&app)
        .lines
        .iter()
        .find(|l| l.beneficiary == HUAXIN_NAME)
        .unwrap()
        .key
        .clone();
    let mut other = fx.other_session();
    record(&mut other, &key, AwardAction::Pay, "2023-06-25");
    app.tick(std::time::Instant::now() + std::time::Duration::from_secs(5));
    let line = awards(&app).lines.iter().find(|l| l.key == key).unwrap();
    assert_eq!(line.status, AwardStatus::Paid);
}

/// A city ledger holding two units' bundles: a county-paid and a city-paid high-tech firm
/// in Jixian, and a city-paid one in Youyi.
fn city_with_awards() -> Fixture {
    let fx = Fixture::new();
    let plan = Plan::embedded();
    let dir = fx.dir.path().to_path_buf();
    let usb = dir.join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    let mut city = create_city_ledger(&fx.db_path(), &plan.city.code, &plan.id).unwrap();
    let city_key = ledger_public_key(&city).unwrap();
    for (i, code) in ["230521", "230522"].into_iter().enumerate() {
        let path = dir.join(format!("unit-{code}.sqlite"));
        let mut unit = create_unit_ledger(&path, code, &plan.id).unwrap();
        if i == 0 {
            high_tech(
                &mut unit,
                XINDA_NAME,
                1,
                "2022-03-15",
                "above",
                Some("county"),
            );
            high_tech(
                &mut unit,
                HUAXIN_NAME,
                2,
                "2023-05-20",
                "below",
                Some("city"),
            );
        } else {
            high_tech(
                &mut unit,
                LONGYUAN_NAME,
                3,
                "2021-10-15",
                "above",
                Some("city"),
            );
        }
        unit.pin_city_key(&city_key, false, ACTOR).unwrap();
        city.pin_unit_key(code, &ledger_public_key(&unit).unwrap(), false, ACTOR)
            .unwrap();
        export::export(&mut unit, &usb, at("2023-06-20T02:00:00Z")).unwrap();
    }
    for outcome in import_paths(
        &mut city,
        std::slice::from_ref(&usb),
        at("2023-06-21T01:00:00Z"),
    )
    .unwrap()
    {
        outcome.result.expect("imported");
    }
    fx
}

#[test]
fn the_city_sums_every_unit_and_narrows_the_list_to_one() {
    let fx = city_with_awards();
    let mut app = fx.app(Lang::Zh);
    assert_eq!(app.context(), Ctx::City);
    press(&mut app, KeyCode::Char('f'));
    assert_eq!(app.context(), Ctx::CityAwards);
    let units: Vec<&str> = awards(&app).lines.iter().map(|l| l.unit.as_str()).collect();
    assert!(
        units.contains(&"230521") && units.contains(&"230522"),
        "{units:?}"
    );

    // The city approves what it pays.
    select(&mut app, LONGYUAN_NAME, None);
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Enter);
    assert!(fx.screen(&app).contains("已批准：集贤县龙源科技"));
    insta::assert_snapshot!("awards_city_zh", fx.screen(&app));

    // A county's award is the unit's to pay.
    select(&mut app, XINDA_NAME, None);
    press(&mut app, KeyCode::Char('a'));
    let screen = fx.screen(&app);
    assert!(
        screen.contains("由集贤县（230521）在本单位台账上"),
        "{screen}"
    );

    press(&mut app, KeyCode::Char('u'));
    assert_eq!(awards(&app).unit.as_deref(), Some("230521"));
    assert!(awards(&app).shown().iter().all(|l| l.unit == "230521"));
    insta::assert_snapshot!("awards_city_one_unit_zh", fx.screen(&app));

    let city = Ledger::open(&fx.db_path()).unwrap();
    let line = city
        .award_lines(&Plan::embedded(), &AwardQuery::default())
        .unwrap()
        .into_iter()
        .find(|l| l.beneficiary == LONGYUAN_NAME)
        .unwrap();
    assert_eq!(line.status, AwardStatus::Approved);
    assert_eq!(line.approved.unwrap().level, FiscalLevel::City);
}
