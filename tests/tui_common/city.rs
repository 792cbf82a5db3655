//! A small city to test the city screens on: three unit ledgers with signing keys, each
//! side's key pinned at the other, two units' bundles imported into the city ledger (one of
//! them long ago, so it is silent), the same firm claimed by both, and a third unit's bundle
//! waiting in its own folder to be imported from the screen. The first and third units have
//! a firm each in their cultivation pools.

use std::path::PathBuf;

use jiff::Timestamp;
use taizhang::bundle::import::import_paths;
use taizhang::bundle::keys::{create_city_ledger, create_unit_ledger, ledger_public_key};
use taizhang::bundle::{export, receipt};
use taizhang::domain::RecordKind;
use taizhang::plan::Plan;
use taizhang::store::Ledger;

use super::{ACTOR, Fixture, XINDA, add, add_to_pool, demo_records_seeded};

/// The units of the small city, and when each wrote its bundle.
pub const UNITS: [(&str, &str); 3] = [
    ("230521", "2023-06-20T02:00:00Z"),
    ("230522", "2023-04-01T02:00:00Z"),
    ("230523", "2023-06-25T02:00:00Z"),
];

/// A city ledger at the fixture's ledger path, with its units beside it.
pub struct City {
    pub fx: Fixture,
    /// The bundles of the first two units (imported).
    pub usb: PathBuf,
    /// The third unit's bundle (not imported yet).
    pub waiting: PathBuf,
    /// Each unit's ledger file.
    pub unit_paths: Vec<PathBuf>,
}

pub fn at(text: &str) -> Timestamp {
    text.parse().expect("a timestamp")
}

impl City {
    pub fn build() -> City {
        let fx = Fixture::new();
        let plan = Plan::embedded();
        let dir = fx.dir.path().to_path_buf();
        let usb = dir.join("usb");
        let waiting = dir.join("waiting");
        std::fs::create_dir_all(&usb).expect("usb folder");
        std::fs::create_dir_all(&waiting).expect("waiting folder");
        let mut city =
            create_city_ledger(&fx.db_path(), &plan.city.code, &plan.id).expect("city ledger");
        let city_key = ledger_public_key(&city).expect("city key");
        let mut unit_paths = Vec::new();
        for (i, (code, made)) in UNITS.iter().enumerate() {
            let path = dir.join(format!("unit-{code}.sqlite"));
            let mut unit = create_unit_ledger(&path, code, &plan.id).expect("unit ledger");
            match i {
                0 => {
                    add(&mut unit, RecordKind::HighTech, XINDA, ACTOR);
                    demo_records_seeded(&mut unit, RecordKind::TechSme, 3, 31);
                    add_to_pool(
                        &mut unit,
                        "91230521MA1B2C3D8P",
                        "双鸭山鑫达石墨新材料科技有限公司",
                        "gazelle_candidate",
                        "2024-06-30",
                    );
                }
                1 => {
                    add(&mut unit, RecordKind::HighTech, XINDA, ACTOR);
                    demo_records_seeded(&mut unit, RecordKind::Achievement, 2, 32);
                }
                _ => {
                    demo_records_seeded(&mut unit, RecordKind::TechSme, 2, 33);
                    add_to_pool(
                        &mut unit,
                        "91230523MA1B2C3D48",
                        "宝清县金禾农业科技有限公司",
                        "tech_sme",
                        "2023-12-31",
                    );
                    let record = add(
                        &mut unit,
                        RecordKind::Alliance,
                        &[
                            ("name", "宝清县\u{AD}石墨\u{200B}[31m产业联盟"),
                            ("lead", "宝清县石墨新材料有限公司"),
                            ("level", "city"),
                            ("established_on", "2023-05-10"),
                        ],
                        ACTOR,
                    );
                    unit.void(record.id, "重复录入", Some(record.revision), ACTOR)
                        .expect("void");
                }
            }
            unit.pin_city_key(&city_key, false, ACTOR)
                .expect("pin city");
            city.pin_unit_key(code, &ledger_public_key(&unit).expect("key"), false, ACTOR)
                .expect("pin unit");
            let out = if i < 2 { &usb } else { &waiting };
            export::export(&mut unit, out, at(made)).expect("export");
            unit_paths.push(path);
        }
        for outcome in import_paths(
            &mut city,
            std::slice::from_ref(&usb),
            at("2023-06-21T01:00:00Z"),
        )
        .expect("import")
        {
            outcome.result.expect("imported");
        }
        City {
            fx,
            usb,
            waiting,
            unit_paths,
        }
    }

    /// A unit's ledger, opened again.
    pub fn unit(&self, i: usize) -> Ledger {
        Ledger::open(&self.unit_paths[i]).expect("unit ledger")
    }

    /// Flips a bit in the middle of the waiting unit's bundle, so that its signature no
    /// longer holds; returns the file's path.
    pub fn tamper_waiting(&self) -> PathBuf {
        let file = std::fs::read_dir(&self.waiting)
            .expect("the waiting folder")
            .next()
            .expect("a bundle waits")
            .expect("a folder entry")
            .path();
        let mut bytes = std::fs::read(&file).expect("read the bundle");
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x01;
        std::fs::write(&file, &bytes).expect("write the bundle");
        file
    }

    /// Writes the city's receipt for unit `code` into `dir`; returns its path.
    pub fn receipt_for(&self, code: &str, dir: &std::path::Path) -> PathBuf {
        let city = Ledger::open(&self.fx.db_path()).expect("city ledger");
        receipt::write_receipt(&city, code, dir, at("2023-06-22T01:00:00Z"))
            .expect("receipt")
            .path
    }
}
