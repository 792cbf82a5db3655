//! Award approvals and payments through the real program: the unit's travel in its exported
//! bundle and the city's import (and dry run) says how many; the city's travel back in its
//! receipt and the unit's ledger then shows them paid.

mod bundle_common;
mod cli_common;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use cli_common::{ok, run, stdout};
use jiff::civil::Date;
use taizhang::domain::awards::{AwardAction, AwardStatus};
use taizhang::plan::Plan;
use taizhang::store::{AwardQuery, AwardRequest, Ledger};

const UNIT: &str = "230523";

fn public_key(db: &Path) -> String {
    ok(db, &["--lang", "en", "key"])
        .lines()
        .find_map(|l| l.strip_prefix("Public key: "))
        .unwrap()
        .to_string()
}

/// Adds a first-certified high-tech firm paying its taxes at `level`; returns its id.
fn add_high_tech(db: &Path, n: u32, level: &str) -> uuid::Uuid {
    let name = format!("name=宝清县第{n}高新技术有限公司");
    let cert = format!("cert_no=GR2022230000{n:02}");
    let code = format!("credit_code={}", bundle_common::credit_code(n));
    let tax = format!("tax_level={level}");
    ok(
        db,
        &[
            "add",
            "high_tech",
            "--set",
            &name,
            "--set",
            &code,
            "--set",
            &cert,
            "--set",
            "certified_on=2022-12-01",
            "--set",
            "recognition=first",
            "--set",
            "size=below",
            "--set",
            &tax,
        ],
    );
    let ledger = Ledger::open(db).unwrap();
    let lines = ledger
        .award_lines(&Plan::embedded(), &AwardQuery::default())
        .unwrap();
    lines
        .iter()
        .find(|l| l.entity.contains(&format!("第{n}高新")))
        .map(|l| l.key.record)
        .unwrap()
}

/// Approves and pays the record's entitlement in the ledger file, as the awards command will.
fn approve_and_pay(db: &Path, record: uuid::Uuid, voucher: &str) {
    let plan = Plan::embedded();
    let mut ledger = Ledger::open(db).unwrap();
    let key = status_of(&ledger, record).0;
    for (action, on, voucher) in [
        (AwardAction::Approve, "2023-03-01", None),
        (AwardAction::Pay, "2023-04-01", Some(voucher.to_owned())),
    ] {
        let request = AwardRequest {
            key: key.clone(),
            action,
            on: Date::from_str(on).unwrap(),
            voucher,
        };
        ledger.record_award(&plan, &request, "clerk").unwrap();
    }
}

fn status_of(
    ledger: &Ledger,
    record: uuid::Uuid,
) -> (taizhang::domain::awards::EntitlementKey, AwardStatus) {
    let lines = ledger
        .award_lines(&Plan::embedded(), &AwardQuery::default())
        .unwrap();
    let line = lines.iter().find(|l| l.key.record == record).unwrap();
    (line.key.clone(), line.status)
}

fn exported(unit: &Path, usb: &Path) -> PathBuf {
    let text = ok(
        unit,
        &["--lang", "en", "export", "--out", usb.to_str().unwrap()],
    );
    PathBuf::from(
        text.lines()
            .find_map(|l| l.strip_prefix("Bundle written and verified: "))
            .unwrap(),
    )
}

#[test]
fn approvals_and_payments_travel_both_ways_through_the_program() {
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("unit.sqlite");
    let city = dir.path().join("city.sqlite");
    let usb = dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    ok(&unit, &["init", "--unit", UNIT]);
    ok(&city, &["init", "--city"]);
    ok(
        &city,
        &["enroll", "--unit", UNIT, "--key", &public_key(&unit)],
    );
    ok(&unit, &["enroll", "--city", "--key", &public_key(&city)]);

    let county_paid = add_high_tech(&unit, 1, "county");
    let city_paid = add_high_tech(&unit, 2, "city");
    approve_and_pay(&unit, county_paid, "BQ-2023-001");
    let bundle = exported(&unit, &usb);

    let dry = ok(&city, &["import", "--dry-run", bundle.to_str().unwrap()]);
    assert!(dry.contains("奖补批准和拨付记录 2 条"), "{dry}");
    let dry_en = ok(
        &city,
        &[
            "--lang",
            "en",
            "import",
            "--dry-run",
            bundle.to_str().unwrap(),
        ],
    );
    assert!(
        dry_en.contains("2 award approvals and payments"),
        "{dry_en}"
    );
    let imported = ok(&city, &["import", bundle.to_str().unwrap()]);
    assert!(imported.contains("奖补批准和拨付记录 2 条"), "{imported}");
    assert_eq!(
        status_of(&Ledger::open(&city).unwrap(), county_paid).1,
        AwardStatus::Paid
    );

    approve_and_pay(&city, city_paid, "SYS-2023-009");
    let written = ok(
        &city,
        &["receipt", "--unit", UNIT, "--out", usb.to_str().unwrap()],
    );
    assert!(written.contains("奖补批准和拨付记录 2 条"), "{written}");
    std::fs::remove_file(&bundle).unwrap();
    let said = ok(&unit, &["import", usb.to_str().unwrap()]);
    assert!(said.contains("第 1 号"), "{said}");
    let ledger = Ledger::open(&unit).unwrap();
    assert_eq!(status_of(&ledger, city_paid).1, AwardStatus::Paid);
    assert_eq!(status_of(&ledger, county_paid).1, AwardStatus::Paid);

    // A receipt changed in its award events is refused, keeping nothing.
    let receipt = std::fs::read_dir(&usb)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "tzr"))
        .unwrap();
    let mut bytes = std::fs::read(&receipt).unwrap();
    let at = bytes.len() - 100;
    bytes[at] ^= 0x01;
    std::fs::write(&receipt, &bytes).unwrap();
    let out = run(&unit, &["import", receipt.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("未导入"), "{}", stdout(&out));
    let ledger = Ledger::open(&unit).unwrap();
    assert_eq!(status_of(&ledger, city_paid).1, AwardStatus::Paid);
}
