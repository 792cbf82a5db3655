//! The city's merge as the city office relies on it: bundles from several units, taken in
//! any order and more than once, give one and the same ledger, holding exactly what each unit
//! last exported; a dry run tells per record what an import would do and writes nothing.

mod bundle_common;

use std::path::Path;

use bundle_common::*;
use proptest::prelude::*;
use taizhang::bundle::{self, BundleError, ImportOutcome, format};
use taizhang::domain::validate::validate_record;
use taizhang::domain::{Record, RecordKind, RecordStatus};
use taizhang::store::{ImportAction, Ledger, ListQuery, StoreError};

const UNITS: [&str; 3] = ["230521", "230522", "jkq"];

/// What a clerk does between exports. Indexes pick among the unit's records.
#[derive(Clone, Debug)]
enum Step {
    Add,
    Edit(usize),
    Void(usize),
    Restore(usize),
    Export,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => Just(Step::Add),
        3 => any::<usize>().prop_map(Step::Edit),
        1 => any::<usize>().prop_map(Step::Void),
        1 => any::<usize>().prop_map(Step::Restore),
        2 => Just(Step::Export),
    ]
}

/// A bundle as it leaves a unit.
struct Exported {
    unit: String,
    sequence: u64,
    bytes: Vec<u8>,
}

/// Plays one unit's history, exporting at each `Export` and at the end.
fn play(unit: &str, key: u8, steps: &[Step], fs: &mut MemFs) -> Vec<Exported> {
    let mut ledger = unit_ledger(unit, key);
    let mut ids = Vec::new();
    let mut bundles = Vec::new();
    let mut clock = 0;
    let mut export = |ledger: &mut Ledger, bundles: &mut Vec<Exported>| {
        clock += 1;
        let now = ts("2023-06-01T00:00:00Z") + jiff::SignedDuration::from_hours(clock);
        let done = bundle::export_with(ledger, Path::new("/stick"), now, fs).unwrap();
        bundles.push(Exported {
            unit: unit.to_string(),
            sequence: done.sequence,
            bytes: fs.files[&done.path].clone(),
        });
    };
    for (k, step) in steps.iter().chain([&Step::Export]).enumerate() {
        let pick = |i: &usize| (!ids.is_empty()).then(|| ids[i % ids.len()]);
        match step {
            Step::Add => {
                // The same numbers at every unit: the same firms, claimed by several units.
                let n = ids.len() as u32 + 1;
                let kind = RecordKind::ALL[n as usize % RecordKind::ALL.len()];
                ids.push(ledger.insert(&valid(kind, n), CLERK).unwrap().id);
            }
            Step::Edit(i) => {
                let Some(id) = pick(i) else { continue };
                let record = ledger.get(id).unwrap();
                if record.status == RecordStatus::Active {
                    let mut fields = record.fields.clone();
                    fields.insert("notes".into(), format!("第{k}次修改"));
                    let changed = validate_record(record.kind, &fields).unwrap();
                    ledger
                        .update(id, Some(record.revision), &changed, CLERK)
                        .unwrap();
                }
            }
            Step::Void(i) => {
                let Some(id) = pick(i) else { continue };
                if ledger.get(id).unwrap().status == RecordStatus::Active {
                    ledger.void(id, "重复录入", None, CLERK).unwrap();
                }
            }
            Step::Restore(i) => {
                let Some(id) = pick(i) else { continue };
                if ledger.get(id).unwrap().status == RecordStatus::Voided {
                    ledger.restore(id, None, CLERK).unwrap();
                }
            }
            Step::Export => export(&mut ledger, &mut bundles),
        }
    }
    bundles
}

/// The city's records of one unit, by id.
fn held_records(city: &Ledger, unit: &str) -> Vec<Record> {
    let query = ListQuery {
        include_voided: true,
        ..ListQuery::default()
    };
    let mut records: Vec<Record> = city
        .list(&query)
        .unwrap()
        .records
        .into_iter()
        .filter(|r| r.unit == unit)
        .collect();
    records.sort_by_key(|r| r.id);
    records
}

/// Imports the bundles in the order given; an older bundle arriving after a newer one is
/// refused as a rollback, a repeated one is already held. Anything else fails the test.
fn city_after(units: usize, order: &[&Exported]) -> Ledger {
    let pins: Vec<(&str, u8)> = UNITS.iter().take(units).copied().zip(1..).collect();
    let mut city = city_ledger(&pins);
    for (i, bundle) in order.iter().enumerate() {
        let verified = bundle::inspect(&city, &bundle.bytes).unwrap();
        let now = ts("2023-07-01T00:00:00Z") + jiff::SignedDuration::from_mins(i as i64);
        match bundle::import(&mut city, &verified, now) {
            Ok(ImportOutcome::Imported { .. } | ImportOutcome::AlreadyHeld { .. }) => {}
            Err(BundleError::Store(StoreError::Rollback { .. })) => {}
            Err(e) => panic!("bundle {} of {}: {e:?}", bundle.sequence, bundle.unit),
        }
    }
    city
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn bundles_in_any_order_and_repeated_converge_to_one_ledger(
        histories in prop::collection::vec(prop::collection::vec(step(), 0..14), 2..=3),
        shuffles in prop::collection::vec(any::<u64>(), 3),
        repeats in prop::collection::vec(any::<prop::sample::Index>(), 0..5),
    ) {
        let mut fs = MemFs::default();
        let bundles: Vec<Exported> = histories
            .iter()
            .zip(UNITS)
            .zip(1..)
            .flat_map(|((steps, unit), key)| play(unit, key, steps, &mut fs))
            .collect();

        // In the order written, every bundle is taken, and the city holds exactly what each
        // unit last exported.
        let in_order: Vec<&Exported> = bundles.iter().collect();
        let reference = city_after(histories.len(), &in_order);
        for unit in UNITS.iter().take(histories.len()) {
            let last = bundles.iter().rfind(|b| b.unit == *unit).unwrap();
            let decoded = format::decode_bundle(&last.bytes, |_| Some(unit.to_string())).unwrap();
            prop_assert_eq!(held_records(&reference, unit), decoded.records);
            prop_assert_eq!(
                reference.last_import(unit).unwrap().map(|e| e.sequence),
                Some(last.sequence)
            );
        }
        let want = reference.records_digest().unwrap();

        for seed in shuffles {
            let mut order = in_order.clone();
            order.extend(repeats.iter().map(|i| in_order[i.index(in_order.len())]));
            fastrand::Rng::with_seed(seed).shuffle(&mut order);
            let city = city_after(histories.len(), &order);
            prop_assert_eq!(city.records_digest().unwrap(), want.clone());
        }
    }
}

#[test]
fn a_dry_run_names_each_records_fate_and_writes_nothing() {
    let mut unit = unit_ledger("230521", 1);
    let records = add_records(&mut unit, 1, 5);
    unit.void(records[4].id, "录错", None, CLERK).unwrap();
    let mut fs = MemFs::default();
    let mut bytes_of = |unit: &mut Ledger| {
        let done = bundle::export_with(
            unit,
            Path::new("/stick"),
            ts("2023-06-01T00:00:00Z"),
            &mut fs,
        )
        .unwrap();
        fs.files[&done.path].clone()
    };
    let first = bytes_of(&mut unit);
    let mut city = city_ledger(&[("230521", 1)]);
    let verified = bundle::inspect(&city, &first).unwrap();
    bundle::import(&mut city, &verified, ts("2023-06-02T00:00:00Z")).unwrap();

    // Edit one, void one, restore the voided one, add one.
    let edited = unit.get(records[0].id).unwrap();
    let mut fields = edited.fields.clone();
    fields.insert("notes".into(), "补充说明".into());
    let changed = validate_record(edited.kind, &fields).unwrap();
    unit.update(edited.id, None, &changed, CLERK).unwrap();
    unit.void(records[1].id, "重复录入", None, CLERK).unwrap();
    unit.restore(records[4].id, None, CLERK).unwrap();
    let added = add_records(&mut unit, 6, 1).remove(0);
    let second = bytes_of(&mut unit);

    let before = city.content_digest().unwrap();
    let verified = bundle::inspect(&city, &second).unwrap();
    let plan = bundle::dry_run(&city, &verified).unwrap();
    assert_eq!(
        city.content_digest().unwrap(),
        before,
        "a dry run writes nothing"
    );

    let fate = |id| {
        plan.iter()
            .find(|p| p.id == id)
            .map(|p| p.action.clone())
            .unwrap()
    };
    assert_eq!(plan.len(), 6);
    assert_eq!(fate(records[0].id), ImportAction::Changed);
    assert_eq!(fate(records[1].id), ImportAction::Voided);
    assert_eq!(fate(records[2].id), ImportAction::Unchanged);
    assert_eq!(fate(records[3].id), ImportAction::Unchanged);
    assert_eq!(fate(records[4].id), ImportAction::Changed);
    assert_eq!(fate(added.id), ImportAction::New);
    let named = plan.iter().find(|p| p.id == added.id).unwrap();
    assert_eq!(named.name, added.name());
    // A change names the fields it touches; a restore touches none; the rest name nothing.
    let touched = |id| {
        plan.iter()
            .find(|p| p.id == id)
            .map(|p| p.changed_fields.clone())
            .unwrap()
    };
    assert_eq!(touched(records[0].id), vec!["notes".to_string()]);
    assert!(touched(records[4].id).is_empty());
    assert!(touched(added.id).is_empty() && touched(records[2].id).is_empty());

    // The import does what the dry run said; a dry run of it afterwards changes nothing.
    let ImportOutcome::Imported { report } =
        bundle::import(&mut city, &verified, ts("2023-06-03T00:00:00Z")).unwrap()
    else {
        panic!("not imported");
    };
    assert_eq!(
        (
            report.counts.new,
            report.counts.changed,
            report.counts.voided,
            report.counts.unchanged
        ),
        (1, 2, 1, 2)
    );
    let again = bundle::dry_run(&city, &verified).unwrap();
    assert!(again.iter().all(|p| p.action == ImportAction::Unchanged));
}

#[test]
fn a_folder_is_imported_per_unit_in_sequence_order() {
    let stick = tempfile::tempdir().unwrap();
    let mut a = unit_ledger("230521", 1);
    let mut b = unit_ledger("230522", 2);
    let mut names = Vec::new();
    for round in 0..3 {
        add_records(&mut a, round * 10 + 1, 2);
        let done = bundle::export(&mut a, stick.path(), ts("2023-06-01T00:00:00Z")).unwrap();
        names.push(done.path);
    }
    add_records(&mut b, 1, 2);
    names.push(
        bundle::export(&mut b, stick.path(), ts("2023-06-01T00:00:00Z"))
            .unwrap()
            .path,
    );
    // Names that sort against the sequence, a damaged bundle, and a file that is no bundle.
    for (path, new_name) in names.iter().zip(["d.tzb", "c.tzb", "a.tzb", "b.tzb"]) {
        std::fs::rename(path, stick.path().join(new_name)).unwrap();
    }
    std::fs::write(stick.path().join("e.tzb"), b"TZBUNDLE").unwrap();
    std::fs::write(stick.path().join("notes.txt"), "备忘").unwrap();

    let mut city = city_ledger(&[("230521", 1), ("230522", 2)]);
    let outcomes = bundle::import_paths(
        &mut city,
        &[stick.path().to_path_buf()],
        ts("2023-06-02T00:00:00Z"),
    )
    .unwrap();
    let summary: Vec<(String, bool)> = outcomes
        .iter()
        .map(|o| {
            let name = o.path.file_name().unwrap().to_string_lossy().into_owned();
            (name, matches!(o.result, Ok(ImportOutcome::Imported { .. })))
        })
        .collect();
    let expect = [
        ("e.tzb", false),
        ("d.tzb", true),
        ("c.tzb", true),
        ("a.tzb", true),
        ("b.tzb", true),
    ];
    let expect: Vec<(String, bool)> = expect.iter().map(|(n, ok)| (n.to_string(), *ok)).collect();
    assert_eq!(summary, expect);
    assert!(matches!(
        outcomes[0].result,
        Err(BundleError::Truncated { .. })
    ));
    assert_eq!(city.last_import("230521").unwrap().unwrap().sequence, 3);
    assert_eq!(held_records(&city, "230521").len(), 6);
    assert_eq!(held_records(&city, "230522").len(), 2);

    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(
        bundle::import_paths(
            &mut city,
            &[empty.path().to_path_buf()],
            ts("2023-06-02T00:00:00Z")
        ),
        Err(BundleError::NoFiles { .. })
    ));
}
