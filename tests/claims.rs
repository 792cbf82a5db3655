//! Entities claimed by two units, as the city office relies on them: the claims page and the
//! city total agree on every date, each claimed entity is credited to exactly one unit by
//! the published rule (in the ranking too), and what is not a claim is not listed.

use jiff::Timestamp;
use jiff::civil::{Date, date};
use taizhang::domain::RecordKind;
use taizhang::domain::credit_code::check_char;
use taizhang::domain::progress::AsOfSource;
use taizhang::domain::validate::validate_record;
use taizhang::domain::{FieldValues, Record};
use taizhang::i18n::Lang;
use taizhang::plan::Plan;
use taizhang::report::{CityReport, city_report};
use taizhang::store::{ImportEntry, Ledger, ListQuery};

const JIXIAN: &str = "230521";
const BAOQING: &str = "230523";
const JIANSHAN: &str = "230502";
const CLERK: &str = "zhangsan";

/// A valid credit code registered in `region`, numbered `n`.
fn code_in(region: &str, n: u32) -> String {
    let first17 = format!("91{region}MA1B{n:05}");
    let check = check_char(&first17).unwrap();
    format!("{first17}{check}")
}

fn add(ledger: &mut Ledger, kind: RecordKind, pairs: &[(&str, &str)]) {
    let fields: FieldValues = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let valid = validate_record(kind, &fields).unwrap();
    ledger.insert(&valid, CLERK).unwrap();
}

fn high_tech(ledger: &mut Ledger, code: &str, cert: &str, on: &str) {
    add(
        ledger,
        RecordKind::HighTech,
        &[
            ("name", "双鸭山宝清石墨科技有限公司"),
            ("credit_code", code),
            ("cert_no", cert),
            ("certified_on", on),
            ("recognition", "first"),
            ("size", "above"),
        ],
    );
}

fn rnd(ledger: &mut Ledger, name: &str, host_code: &str, on: &str) {
    add(
        ledger,
        RecordKind::RndInstitution,
        &[
            ("name", name),
            ("host", "双鸭山建龙钢铁有限公司"),
            ("host_credit_code", host_code),
            ("level", "city"),
            ("category", "工程技术研究中心"),
            ("recognized_on", on),
        ],
    );
}

fn incubator(ledger: &mut Ledger, name: &str, on: &str) {
    add(
        ledger,
        RecordKind::Incubator,
        &[
            ("name", name),
            ("operator", "双鸭山市科技局"),
            ("type", "incubator"),
            ("level", "city"),
            ("recognized_on", on),
        ],
    );
}

fn tech_sme(ledger: &mut Ledger, code: &str, reg_no: &str, on: &str) {
    add(
        ledger,
        RecordKind::TechSme,
        &[
            ("name", "双鸭山华兴农业科技有限公司"),
            ("credit_code", code),
            ("reg_no", reg_no),
            ("registered_on", on),
        ],
    );
}

fn snapshot(unit: &Ledger) -> Vec<Record> {
    let mut records = unit
        .list(&ListQuery {
            include_voided: true,
            ..ListQuery::default()
        })
        .unwrap()
        .records;
    records.sort_by_key(|r| r.id);
    records
}

fn import(city: &mut Ledger, unit: &Ledger) {
    let records = snapshot(unit);
    let at: Timestamp = "2023-12-01T08:00:00Z".parse().unwrap();
    let entry = ImportEntry {
        unit: unit.unit().to_owned(),
        sequence: 1,
        bundle_sha256: format!("{:0>64}", unit.unit()),
        created_at: at,
        imported_at: at,
        records: records.len() as u64,
    };
    city.apply_import(&entry, &records).unwrap();
}

/// A city holding the three units' ledgers with every case of the issue in them.
fn city_with_claims() -> Ledger {
    let plan = Plan::embedded();
    let mut jixian = Ledger::create_in_memory(JIXIAN, &plan.id).unwrap();
    let mut baoqing = Ledger::create_in_memory(BAOQING, &plan.id).unwrap();
    let mut jianshan = Ledger::create_in_memory(JIANSHAN, &plan.id).unwrap();

    // A Baoqing firm's certificate claimed by Jixian first, then by Baoqing.
    let baoqing_firm = code_in(BAOQING, 1);
    high_tech(&mut jixian, &baoqing_firm, "GR202123000001", "2021-03-01");
    high_tech(&mut baoqing, &baoqing_firm, "GR202123000001", "2021-06-01");
    // Two different institutions of one host: not a claim.
    let host = code_in("230500", 2);
    rnd(
        &mut jixian,
        "双鸭山市煤化工工程技术研究中心",
        &host,
        "2021-05-01",
    );
    rnd(
        &mut jianshan,
        "双鸭山市钢铁材料工程技术研究中心",
        &host,
        "2021-05-01",
    );
    // The same incubator, written differently and with no credit code, in two units.
    incubator(
        &mut jianshan,
        "双鸭山市科技企业孵化器（尖山）",
        "2022-03-01",
    );
    incubator(&mut jixian, "双鸭山市科技企业孵化器 (尖山)", "2022-05-01");
    // One firm in the library in 2022 for Jixian and in 2023 for Jianshan: never the same year.
    let sme = code_in("230500", 3);
    tech_sme(&mut jixian, &sme, "2022230521A0000003", "2022-04-01");
    tech_sme(&mut jianshan, &sme, "2023230502A0000003", "2023-04-01");

    let mut city = Ledger::create_city_in_memory("230500", &plan.id).unwrap();
    for unit in [&jixian, &baoqing, &jianshan] {
        import(&mut city, unit);
    }
    city
}

fn report(city: &Ledger, on: Date) -> CityReport {
    let plan = Plan::embedded();
    city_report(&plan, Lang::Zh, city, on, AsOfSource::Given, on).unwrap()
}

fn achieved(report: &CityReport, unit: &str, kind: RecordKind) -> u64 {
    let progress = if unit == "city" {
        &report.total
    } else {
        report.units.iter().find(|u| u.unit == unit).unwrap()
    };
    progress
        .indicators
        .iter()
        .find(|i| i.key == kind)
        .unwrap()
        .achieved
}

#[test]
fn the_units_add_up_to_the_city_total_on_every_date() {
    let city = city_with_claims();
    for on in [
        date(2021, 4, 1),
        date(2021, 12, 31),
        date(2022, 4, 1),
        date(2022, 12, 31),
        date(2023, 12, 31),
    ] {
        let report = report(&city, on);
        for kind in RecordKind::ALL {
            let units: u64 = report
                .units
                .iter()
                .map(|u| achieved(&report, &u.unit, kind))
                .sum();
            assert_eq!(
                units,
                achieved(&report, "city", kind),
                "{kind:?} on {on}: the units' figures must add up to the city total"
            );
        }
    }
}

#[test]
fn a_claimed_firm_is_credited_to_the_unit_its_credit_code_names() {
    let city = city_with_claims();
    let report = report(&city, date(2021, 12, 31));
    let claims: Vec<_> = report
        .claims
        .iter()
        .filter(|c| c.kind == RecordKind::HighTech)
        .collect();
    assert_eq!(claims.len(), 1, "{:?}", report.claims);
    assert_eq!(claims[0].credited_unit(), Some(BAOQING));
    assert_eq!(claims[0].claims.len(), 2, "both records shown");
    assert_eq!(achieved(&report, BAOQING, RecordKind::HighTech), 1);
    assert_eq!(achieved(&report, JIXIAN, RecordKind::HighTech), 0);
    assert_eq!(achieved(&report, "city", RecordKind::HighTech), 1);

    // Before Baoqing recorded it, only Jixian counts it: no claim, and Jixian keeps it.
    let early = self::report(&city, date(2021, 4, 1));
    assert!(
        !early.claims.iter().any(|c| c.kind == RecordKind::HighTech),
        "{:?}",
        early.claims
    );
    assert_eq!(achieved(&early, JIXIAN, RecordKind::HighTech), 1);
}

#[test]
fn the_same_incubator_without_a_credit_code_is_one_claim_credited_to_the_earlier_record() {
    let city = city_with_claims();
    let report = report(&city, date(2022, 12, 31));
    let claims: Vec<_> = report
        .claims
        .iter()
        .filter(|c| c.kind == RecordKind::Incubator)
        .collect();
    assert_eq!(claims.len(), 1, "{:?}", report.claims);
    assert_eq!(claims[0].credit_code, None);
    assert_eq!(claims[0].credited_unit(), Some(JIANSHAN));
    assert_eq!(achieved(&report, JIANSHAN, RecordKind::Incubator), 1);
    assert_eq!(achieved(&report, JIXIAN, RecordKind::Incubator), 0);
}

#[test]
fn what_never_counts_twice_on_one_date_is_not_a_claim() {
    let city = city_with_claims();
    for on in [date(2021, 12, 31), date(2022, 12, 31), date(2023, 12, 31)] {
        let report = report(&city, on);
        let kinds: Vec<RecordKind> = report.claims.iter().map(|c| c.kind).collect();
        assert!(
            !kinds.contains(&RecordKind::RndInstitution),
            "two institutions of one host on {on}: {kinds:?}"
        );
        assert!(
            !kinds.contains(&RecordKind::TechSme),
            "a 2022 and a 2023 registration on {on}: {kinds:?}"
        );
    }
    let report = report(&city, date(2021, 12, 31));
    assert_eq!(achieved(&report, "city", RecordKind::RndInstitution), 2);
    assert_eq!(achieved(&report, JIXIAN, RecordKind::RndInstitution), 1);
    assert_eq!(achieved(&report, JIANSHAN, RecordKind::RndInstitution), 1);
}

#[test]
fn the_ranking_uses_the_credited_figures() {
    let city = city_with_claims();
    let report = report(&city, date(2021, 12, 31));
    let rank = |unit: &str| report.ranking.iter().find(|r| r.unit == unit).unwrap();
    let credited: u64 = RecordKind::ALL
        .into_iter()
        .map(|k| achieved(&report, JIXIAN, k))
        .sum();
    assert_eq!(rank(JIXIAN).achieved, credited);
    assert_eq!(
        rank(BAOQING).achieved,
        1,
        "the claimed certificate is Baoqing's"
    );
}

#[test]
fn claims_read_the_counting_index_and_never_scan_the_table() {
    let city = city_with_claims();
    let plan = Plan::embedded();
    for indicator in &plan.indicators {
        let window = taizhang::domain::progress::count_window(
            indicator.rule,
            plan.start,
            plan.end,
            date(2022, 12, 31),
        );
        let lines = city.claims_in_window_plan(indicator.kind, window).unwrap();
        assert!(
            lines.iter().all(|l| !l.starts_with("SCAN records")
                || l.contains("COVERING INDEX")
                || l.contains("USING INDEX")),
            "{lines:?}"
        );
    }
}

#[test]
fn an_institution_upgraded_at_the_unit_counts_once_at_the_city() {
    let plan = Plan::embedded();
    let mut jixian = Ledger::create_in_memory(JIXIAN, &plan.id).unwrap();
    let host = code_in(JIXIAN, 9);
    rnd(
        &mut jixian,
        "双鸭山市石墨工程技术研究中心",
        &host,
        "2021-05-01",
    );
    let earlier = snapshot(&jixian)[0].id.to_string();
    add(
        &mut jixian,
        RecordKind::RndInstitution,
        &[
            ("name", "黑龙江省石墨工程技术研究中心"),
            ("host", "双鸭山建龙钢铁有限公司"),
            ("host_credit_code", &host),
            ("level", "provincial"),
            ("category", "工程技术研究中心"),
            ("recognized_on", "2022-06-30"),
            ("upgraded_from", "city"),
            ("supersedes", &earlier),
        ],
    );
    let mut city = Ledger::create_city_in_memory("230500", &plan.id).unwrap();
    import(&mut city, &jixian);
    let report = report(&city, date(2022, 12, 31));
    assert_eq!(achieved(&report, JIXIAN, RecordKind::RndInstitution), 1);
    assert_eq!(achieved(&report, "city", RecordKind::RndInstitution), 1);
    assert!(report.claims.is_empty(), "{:?}", report.claims);
}

#[test]
fn contract_turnover_counts_an_achievement_two_units_record_once() {
    let plan = Plan::embedded();
    let achievement = |amount: &str| {
        vec![
            ("title", "寒地水稻节水栽培技术"),
            ("owner", "东北农业大学"),
            ("recipient", "饶河县金峰农业有限公司"),
            ("mode", "transfer"),
            ("amount_yuan", amount),
            ("transferred_on", "2022-09-09"),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect::<Vec<_>>()
    };
    let mut city = Ledger::create_city_in_memory("230500", &plan.id).unwrap();
    for (unit, amount) in [(JIXIAN, "1,000,000"), (BAOQING, "1,000,000")] {
        let mut ledger = Ledger::create_in_memory(unit, &plan.id).unwrap();
        let pairs = achievement(amount);
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        add(&mut ledger, RecordKind::Achievement, &pairs);
        import(&mut city, &ledger);
    }
    let mut other = Ledger::create_in_memory(JIANSHAN, &plan.id).unwrap();
    add(
        &mut other,
        RecordKind::Achievement,
        &[
            ("title", "大豆深加工工艺"),
            ("owner", "东北农业大学"),
            ("recipient", "尖山区某公司"),
            ("mode", "license"),
            ("amount_yuan", "500000"),
            ("transferred_on", "2022-03-01"),
        ],
    );
    import(&mut city, &other);
    let in_2022 = city
        .contract_turnover(date(2022, 1, 1), date(2022, 12, 31))
        .unwrap();
    assert_eq!(
        in_2022, 1_500_000.0,
        "the shared transfer once, plus the other"
    );
    let before_september = city
        .contract_turnover(date(2022, 1, 1), date(2022, 9, 8))
        .unwrap();
    assert_eq!(before_september, 500_000.0);
}
