//! The embedded 2021-2023 plan, and plan files the ledger must refuse with the right line.

use std::path::{Path, PathBuf};

use jiff::civil::date;
use taizhang::domain::RecordKind;
use taizhang::i18n::{Lang, Localized};
use taizhang::plan::{CountingRule, EMBEDDED_PLAN, Milestone, Plan, PlanError, PlanProblem};

const ANNEX_2_ORDER: [&str; 9] = [
    "230521", "230522", "230523", "230524", "230502", "230503", "230505", "230506", "jkq",
];

#[test]
fn the_embedded_plan_is_the_2021_2023_plan() {
    let plan = Plan::embedded();
    assert_eq!(plan.id, "sys-2021-2023");
    assert_eq!(
        plan.title_zh,
        "双鸭山市落实科技强市战略三年行动计划（2021—2023年）"
    );
    assert_eq!(
        (plan.start, plan.end),
        (date(2021, 1, 1), date(2023, 12, 31))
    );
    assert_eq!(
        (plan.city.code.as_str(), plan.city.name_zh.as_str()),
        ("230500", "双鸭山市")
    );
    let codes: Vec<&str> = plan.units.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(codes, ANNEX_2_ORDER);
    let names: Vec<&str> = plan.units.iter().map(|u| u.name_zh.as_str()).collect();
    assert_eq!(names[0], "集贤县");
    assert_eq!(names[8], "市经开区管委会");
    let kinds: Vec<RecordKind> = plan.indicators.iter().map(|i| i.kind).collect();
    assert_eq!(kinds, RecordKind::ALL);
}

#[test]
fn quotas_add_up_to_the_annex_2_totals() {
    let plan = Plan::embedded();
    let totals = [80, 36, 24, 15, 30, 80];
    for (kind, total) in RecordKind::ALL.into_iter().zip(totals) {
        let sum: u32 = ANNEX_2_ORDER.iter().map(|u| plan.quota(u, kind)).sum();
        assert_eq!(sum, total, "{kind:?}");
        assert_eq!(plan.indicator(kind).map(|i| i.city_total), Some(total));
    }
}

#[test]
fn unit_quotas_match_the_annex_2_table() {
    let plan = Plan::embedded();
    let rows = [
        ("230521", [10, 5, 2, 3, 3, 8]),
        ("230523", [10, 4, 3, 2, 4, 14]),
        ("230502", [27, 10, 7, 3, 4, 14]),
        ("230506", [3, 1, 1, 1, 2, 5]),
        ("jkq", [8, 5, 2, 2, 3, 5]),
    ];
    for (unit, quotas) in rows {
        let got: Vec<u32> = RecordKind::ALL
            .iter()
            .map(|k| plan.quota(unit, *k))
            .collect();
        assert_eq!(got, quotas, "{unit}");
    }
}

#[test]
#[rustfmt::skip]
fn counting_rules_and_milestones_are_the_plans() {
    use CountingRule as R;
    use RecordKind as K;
    let plan = Plan::embedded();
    // (indicator, rule, city-wide cumulative value at the end of each year)
    type Case = (RecordKind, CountingRule, &'static [(i16, u32)]);
    let cases: [Case; 6] = [
        (K::TechSme,        R::RegisteredInYear,             &[(2023, 80)]),
        (K::HighTech,       R::ValidForYears { years: 3 },   &[(2023, 36)]),
        (K::RndInstitution, R::RecognisedNotRevoked,         &[(2021, 12), (2022, 18), (2023, 24)]),
        (K::Incubator,      R::RecognisedNotRevoked,         &[(2021, 9), (2022, 12), (2023, 15)]),
        (K::Alliance,       R::RecognisedNotRevoked,         &[(2021, 24), (2022, 27), (2023, 30)]),
        (K::Achievement,    R::TransferredInPeriod,          &[(2021, 20), (2022, 50), (2023, 80)]),
    ];
    for (kind, rule, milestones) in cases {
        let Some(indicator) = plan.indicator(kind) else {
            panic!("{kind:?} missing");
        };
        assert_eq!(indicator.rule, rule, "{kind:?}");
        let want: Vec<Milestone> = milestones
            .iter()
            .map(|&(year, city_value)| Milestone {
                on: date(year, 12, 31),
                city_value,
            })
            .collect();
        assert_eq!(indicator.milestones, want, "{kind:?}");
    }
}

#[test]
#[rustfmt::skip]
fn award_rules_carry_the_plans_amounts() {
    use RecordKind as K;
    let plan = Plan::embedded();
    let award = |key: &str| {
        plan.awards.iter().find(|a| a.key == key).map(|a| (a.kind, a.amount_yuan, a.cap_yuan))
    };
    let cases = [
        ("tech_sme_subsidy",                        K::TechSme,        10_000,    None),
        ("high_tech_first_above_size",              K::HighTech,       300_000,   None),
        ("high_tech_first_below_size",              K::HighTech,       100_000,   None),
        ("high_tech_renewal_above_size",            K::HighTech,       150_000,   None),
        ("high_tech_renewal_below_size",            K::HighTech,       50_000,    None),
        ("rnd_new_national_or_provincial_new_type", K::RndInstitution, 1_000_000, None),
        ("rnd_new_provincial",                      K::RndInstitution, 500_000,   None),
        ("rnd_new_city",                            K::RndInstitution, 100_000,   None),
        ("rnd_upgrade_provincial_to_national",      K::RndInstitution, 500_000,   None),
        ("rnd_upgrade_city_to_provincial",          K::RndInstitution, 400_000,   None),
        ("incubator_new_national",                  K::Incubator,      1_000_000, None),
        ("maker_space_new_national",                K::Incubator,      500_000,   None),
        ("incubator_provincial_match",              K::Incubator,      0,         Some(1_000_000)),
        ("incubator_city_recognised",               K::Incubator,      200_000,   Some(500_000)),
        ("alliance_provincial_or_higher",           K::Alliance,       100_000,   None),
        ("alliance_city",                           K::Alliance,       50_000,    None),
        ("alliance_national_lead",                  K::Alliance,       0,         Some(1_000_000)),
        ("technology_contract_post_subsidy",        K::Achievement,    0,         Some(500_000)),
    ];
    for (key, kind, yuan, cap) in cases {
        assert_eq!(award(key), Some((kind, yuan, cap)), "{key}");
    }
    assert_eq!(plan.awards.len(), cases.len());
}

/// The 1-based line of the `nth` (from 1) occurrence of `marker` in `text`.
fn line_of(text: &str, marker: &str, nth: usize) -> usize {
    let Some((offset, _)) = text.match_indices(marker).nth(nth - 1) else {
        panic!("`{marker}` does not occur {nth} times");
    };
    text[..offset].matches('\n').count() + 1
}

/// The embedded plan with one edit, written to a file in `dir`.
fn write_variant(dir: &Path, from: &str, to: &str) -> (PathBuf, String) {
    assert!(EMBEDDED_PLAN.contains(from), "`{from}` not in the plan");
    let text = EMBEDDED_PLAN.replacen(from, to, 1);
    let path = dir.join("my.toml");
    if let Err(e) = std::fs::write(&path, &text) {
        panic!("cannot write {}: {e}", path.display());
    }
    (path, text)
}

fn load_error(path: &Path) -> PlanError {
    match Plan::load(path) {
        Ok(_) => panic!("{} was accepted", path.display()),
        Err(e) => e,
    }
}

/// One edit of the embedded plan, the problem it must cause, and where: the line holding
/// the `nth` occurrence of `marker`.
struct Broken {
    from: &'static str,
    to: &'static str,
    marker: &'static str,
    nth: usize,
    problem: PlanProblem,
}

#[rustfmt::skip]
fn broken_files() -> Vec<Broken> {
    use PlanProblem as P;
    use RecordKind as K;
    let s = |s: &str| s.to_string();
    let b = |from, to, marker, nth, problem| Broken { from, to, marker, nth, problem };
    vec![
        b("key = \"alliance\"", "key = \"alliances\"", "key = \"alliances\"", 1,
          P::UnknownIndicator { key: s("alliances") }),
        b("jkq = { tech_sme = 8,", "jkq = { tech_smes = 8,", "jkq = {", 1,
          P::UnknownIndicator { key: s("tech_smes") }),
        b("alliance = 3, achievement = 7 }", "alliance = 3 }", "230522 = {", 1,
          P::MissingQuota { unit: s("230522"), kind: K::Achievement }),
        b("230506 = {", "230507 = {", "230507 = {", 1,
          P::UnknownUnit { code: s("230507") }),
        b("230506 = {", "# 230506 = {", "code = \"230506\"", 1,
          P::NoQuotas { unit: s("230506") }),
        b("code = \"230522\"", "code = \"230521\"", "code = \"230521\"", 2,
          P::DuplicateUnit { code: s("230521") }),
        b("230521 = { tech_sme = 10,", "230521 = { tech_sme = 11,", "city_total = 80", 1,
          P::QuotaSumMismatch { kind: K::TechSme, sum: 81, total: 80 }),
        b("{ on = 2022-12-31, city_value = 18 }", "{ on = 2021-06-30, city_value = 18 }", "on = 2021-06-30", 1,
          P::MilestoneOutOfOrder { kind: K::RndInstitution, on: date(2021, 6, 30) }),
        b("{ on = 2021-12-31, city_value = 9 }", "{ on = 2020-12-31, city_value = 9 }", "{ on = 2020-12-31", 1,
          P::MilestoneOutsidePeriod { kind: K::Incubator, on: date(2020, 12, 31) }),
        b("{ on = 2022-12-31, city_value = 27 }", "{ on = 2022-12-31, city_value = 23 }", "city_value = 23", 1,
          P::MilestoneDecreasing { kind: K::Alliance, on: date(2022, 12, 31), value: 23, previous: 24 }),
        b("{ on = 2023-12-31, city_value = 15 }", "{ on = 2023-12-31, city_value = 14 }", "city_value = 14", 1,
          P::LastMilestoneNotTotal { kind: K::Incubator, value: 14, total: 15 }),
        b("start = 2021-01-01", "start = 2024-01-01", "start = 2024-01-01", 1,
          P::StartAfterEnd { start: date(2024, 1, 1), end: date(2023, 12, 31) }),
        b("start = 2021-01-01", "start = 2021-01-01T08:00:00", "start = 2021", 1,
          P::NotADate { key: s("start") }),
        b("end = 2023-12-31", "end = \"2023-12\"", "end = ", 1,
          P::NotADate { key: s("end") }),
        b("{ on = 2022-12-31, city_value = 12 }", "{ on = 12, city_value = 12 }", "on = 12", 1,
          P::NotADate { key: s("on") }),
        b("years = 3", "years = 0", "years = 0", 1,
          P::ZeroYears { kind: K::HighTech }),
        b("rule = \"valid_for_years\"\nyears = 3", "rule = \"valid_for_years\"", "rule = \"valid_for_years\"", 1,
          P::MissingYears { kind: K::HighTech }),
        b("rule = \"transferred_in_period\"", "rule = \"transferred_in_period\"\nyears = 3", "years = 3", 2,
          P::YearsNotApplicable { kind: K::Achievement }),
        b("rule = \"registered_in_year\"", "rule = \"registered_each_year\"", "registered_each_year", 1,
          P::UnknownRule { rule: s("registered_each_year") }),
        b("key = \"alliance\"", "key = \"incubator\"", "key = \"incubator\"", 2,
          P::DuplicateIndicator { kind: K::Incubator }),
        b("[[indicators]]\nkey = \"achievement\"", "[[ignored]]\nkey = \"achievement\"", "[[ignored]]", 1,
          P::UnknownKey { key: s("ignored") }),
        b("name_en = \"Jixian County\"", "name_en = \"Jixian County\"\ncolour = \"red\"", "colour", 1,
          P::UnknownKey { key: s("colour") }),
        b("name_zh = \"友谊县\"", "name_zh = \"  \"", "name_zh = \"  \"", 1,
          P::EmptyValue { key: s("name_zh") }),
        b("city_total = 36", "city_total = \"36\"", "city_total = \"36\"", 1,
          P::Syntax { message: s("invalid type: string \"36\", expected u32") }),
        b("key = \"maker_space_new_national\"", "key = \"incubator_new_national\"", "key = \"incubator_new_national\"", 2,
          P::DuplicateAward { key: s("incubator_new_national") }),
        b("share_percent = 20", "share_percent = 120", "key = \"technology_contract_post_subsidy\"", 1,
          P::AwardShare { key: s("technology_contract_post_subsidy"), percent: 120 }),
        b("share_percent = 20", "share_percent = 0", "key = \"technology_contract_post_subsidy\"", 1,
          P::AwardShare { key: s("technology_contract_post_subsidy"), percent: 0 }),
        b("amount_yuan = 200000\ncap_yuan = 500000", "amount_yuan = 200000\ncap_yuan = 199999", "key = \"incubator_city_recognised\"", 1,
          P::AwardCapBelowAmount { key: s("incubator_city_recognised"), amount: 200_000, cap: 199_999 }),
        b("kind = \"alliance\"", "kind = \"league\"", "kind = \"league\"", 1,
          P::UnknownIndicator { key: s("league") }),
        b("score = \"completion_against_expected\"", "score = \"completion\"", "score = ", 1,
          P::UnknownRankingScore { score: s("completion") }),
        b("ties = [\"indicators_at_expected\", \"entities_achieved\"]",
          "ties = [\"indicators_at_expected\", \"entities\"]", "ties = ", 1,
          P::UnknownRankingTie { tie: s("entities") }),
        b("ties = [\"indicators_at_expected\", \"entities_achieved\"]",
          "ties = [\"entities_achieved\", \"entities_achieved\"]", "ties = ", 1,
          P::DuplicateRankingTie { tie: s("entities_achieved") }),
        b("title_en = \"Annual assessment ranking\"", "title_en = \"Annual assessment ranking\"\nweights = [1, 2]", "weights", 1,
          P::UnknownKey { key: s("weights") }),
        b("title_zh = \"年度考核排名\"", "title_zh = \"\"", "title_zh = \"\"", 1,
          P::EmptyValue { key: s("title_zh") }),
        b("floor = 30", "floor = 37", "floor = 37", 1,
          P::FloorAboveTotal { kind: K::HighTech, floor: 37, total: 36 }),
        b("baseline_on = 2020-12-31\n", "", "first_year_growth_percent = 50", 1,
          P::GrowthIncomplete { kind: K::HighTech }),
        b("baseline_on = 2020-12-31", "baseline_on = 2021-01-01", "baseline_on = 2021", 1,
          P::BaselineNotBeforeStart { kind: K::HighTech, on: date(2021, 1, 1) }),
    ]
}

#[test]
fn a_plan_without_a_ranking_rule_is_refused() {
    let Ok(dir) = tempfile::tempdir() else {
        panic!("no temporary directory");
    };
    let (path, _) = write_variant(dir.path(), "\n[ranking]\n", "\n[ranking_rule]\n");
    let error = load_error(&path);
    assert_eq!(
        error.problem,
        PlanProblem::UnknownKey {
            key: "ranking_rule".to_string()
        }
    );
}

#[test]
fn the_ranking_rule_and_high_tech_rules_are_in_the_plan() {
    use taizhang::plan::{Growth, RankingScore, RankingTie};
    let plan = Plan::embedded();
    assert_eq!(plan.ranking.score, RankingScore::CompletionAgainstExpected);
    assert_eq!(
        plan.ranking.ties,
        vec![
            RankingTie::IndicatorsAtExpected,
            RankingTie::EntitiesAchieved
        ]
    );
    let Some(high_tech) = plan.indicator(RecordKind::HighTech) else {
        panic!("no high_tech");
    };
    assert_eq!((high_tech.floor, high_tech.city_total), (Some(30), 36));
    assert_eq!(
        high_tech.growth,
        Some(Growth {
            baseline_on: date(2020, 12, 31),
            first_year_percent: 50
        })
    );
}

#[test]
fn a_broken_plan_file_is_refused_with_its_line() {
    let Ok(dir) = tempfile::tempdir() else {
        panic!("no temporary directory");
    };
    for case in broken_files() {
        let (path, text) = write_variant(dir.path(), case.from, case.to);
        let error = load_error(&path);
        let file = path.display().to_string();
        let line = line_of(&text, case.marker, case.nth);
        let want = PlanError {
            file: file.clone(),
            line,
            problem: case.problem,
        };
        assert_eq!(error, want, "editing `{}` to `{}`", case.from, case.to);
        let zh = error.localize(Lang::Zh);
        assert!(
            zh.starts_with(&format!("计划文件 {file} 第 {line} 行：")),
            "{zh}"
        );
        let en = error.localize(Lang::En);
        assert!(
            en.starts_with(&format!("Plan file {file}, line {line}: ")),
            "{en}"
        );
    }
}

#[test]
fn the_quota_sum_message_names_indicator_sum_and_target() {
    let text = EMBEDDED_PLAN.replacen("230521 = { tech_sme = 10,", "230521 = { tech_sme = 11,", 1);
    let Err(error) = Plan::parse(&text, "my.toml") else {
        panic!("a plan whose quotas do not add up was accepted");
    };
    let line = line_of(&text, "city_total = 80", 1);
    assert_eq!(
        error.localize(Lang::Zh),
        format!("计划文件 my.toml 第 {line} 行：入库科企各单位任务数合计 81，与全市目标 80 不符。")
    );
    assert_eq!(
        error.localize(Lang::En),
        format!(
            "Plan file my.toml, line {line}: the unit quotas for Tech SME add up to 81, not the city target 80."
        )
    );
}

#[test]
fn a_missing_indicator_is_named_for_the_whole_file() {
    let Some(start) = EMBEDDED_PLAN.find("[[indicators]]\nkey = \"achievement\"") else {
        panic!("no achievement indicator");
    };
    let Some(end) = EMBEDDED_PLAN.find("# Annex 2:") else {
        panic!("no quota table");
    };
    let text = format!("{}{}", &EMBEDDED_PLAN[..start], &EMBEDDED_PLAN[end..]);
    let Err(error) = Plan::parse(&text, "next.toml") else {
        panic!("a plan without achievements was accepted");
    };
    assert_eq!(error.line, 0);
    assert_eq!(
        error.problem,
        PlanProblem::MissingIndicator {
            kind: RecordKind::Achievement
        }
    );
    assert_eq!(
        error.localize(Lang::Zh),
        "计划文件 next.toml：缺少指标转化科技成果（achievement）。"
    );
}

#[test]
fn a_missing_required_key_is_named() {
    let text = EMBEDDED_PLAN.replacen("city_total = 36\n", "", 1);
    let Err(error) = Plan::parse(&text, "my.toml") else {
        panic!("an indicator without a city total was accepted");
    };
    assert_eq!(
        error.problem,
        PlanProblem::MissingKey {
            key: "city_total".to_string()
        }
    );
    // The high-tech indicator's table, the second one in the file.
    assert_eq!(error.line, line_of(&text, "[[indicators]]", 2));
    assert!(error.localize(Lang::En).contains("`city_total` is missing"));
}

#[test]
fn not_toml_at_all_is_a_syntax_problem_on_its_line() {
    let text = EMBEDDED_PLAN.replacen("[city]", "[city", 1);
    let Err(error) = Plan::parse(&text, "my.toml") else {
        panic!("broken TOML was accepted");
    };
    assert!(
        matches!(error.problem, PlanProblem::Syntax { .. }),
        "{error:?}"
    );
    assert_eq!(error.line, line_of(&text, "[city", 1));
}

#[test]
fn an_unreadable_file_says_why() {
    let Ok(dir) = tempfile::tempdir() else {
        panic!("no temporary directory");
    };
    let missing = dir.path().join("absent.toml");
    let error = load_error(&missing);
    assert_eq!((error.line, &error.problem), (0, &PlanProblem::NotFound));
    let zh = error.localize(Lang::Zh);
    assert!(zh.contains(&missing.display().to_string()), "{zh}");
    assert!(zh.contains("文件不存在"), "{zh}");

    let binary = dir.path().join("plan.xlsx");
    if let Err(e) = std::fs::write(&binary, [0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0x00]) {
        panic!("cannot write {}: {e}", binary.display());
    }
    assert_eq!(load_error(&binary).problem, PlanProblem::NotText);

    let error = load_error(dir.path());
    assert!(
        matches!(error.problem, PlanProblem::Unreadable { .. }),
        "{error:?}"
    );
    assert!(error.localize(Lang::En).starts_with("Plan file "));
}

#[test]
fn a_quoted_date_reads_like_a_toml_date() {
    let text = EMBEDDED_PLAN.replacen("start = 2021-01-01", "start = \"2021-01-01\"", 1);
    assert_eq!(Plan::parse(&text, "my.toml"), Ok(Plan::embedded()));
}

#[test]
fn the_embedded_plan_loads_from_its_file_too() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/plan-2021-2023.toml");
    assert_eq!(Plan::load(&path), Ok(Plan::embedded()));
}

#[test]
fn the_successor_plan_fixture_loads_with_a_tenth_unit() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plan-2024-2026.toml");
    let plan = Plan::load(&path).unwrap_or_else(|e| panic!("{}", e.localize(Lang::En)));
    assert_eq!(plan.id, "sys-2024-2026");
    assert_eq!(
        (plan.start, plan.end),
        (date(2024, 1, 1), date(2026, 12, 31))
    );
    assert_eq!(plan.city.code, Plan::embedded().city.code);
    let codes: Vec<&str> = plan.units.iter().map(|u| u.code.as_str()).collect();
    let mut expected = ANNEX_2_ORDER.to_vec();
    expected.push("gxq");
    assert_eq!(codes, expected);
    assert_eq!(plan.quota("230521", RecordKind::HighTech), 7);
    assert_eq!(plan.quota("gxq", RecordKind::Incubator), 2);
    let high_tech = plan.indicator(RecordKind::HighTech).unwrap();
    assert_eq!((high_tech.city_total, high_tech.floor), (50, Some(42)));
    assert_eq!(
        high_tech
            .growth
            .map(|g| (g.baseline_on, g.first_year_percent)),
        Some((date(2023, 12, 31), 20))
    );
    assert_eq!(high_tech.rule, CountingRule::ValidForYears { years: 3 });
    assert_eq!(plan.ranking, Plan::embedded().ranking);
}
