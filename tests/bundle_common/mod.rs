//! Shared helpers for the bundle tests: valid records of every kind, fixed keys and times,
//! and unit and city ledgers with their keys pinned.
#![allow(dead_code)]

use jiff::Timestamp;
use taizhang::bundle::keys;
use taizhang::domain::credit_code::check_char;
use taizhang::domain::validate::validate_record;
use taizhang::domain::{FieldValues, Record, RecordKind, RecordStatus, ValidRecord};
use taizhang::store::Ledger;
use uuid::Uuid;

pub const PLAN: &str = "shuangyashan-2021-2023";
pub const CITY: &str = "230500";
pub const CLERK: &str = "zhangsan";

/// A fixed seed per name, so keys are the same on every run.
pub fn seed(n: u8) -> [u8; 32] {
    std::array::from_fn(|i| n.wrapping_mul(31).wrapping_add(i as u8))
}

pub fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// A valid credit code distinct for each `n`.
pub fn credit_code(n: u32) -> String {
    let first = format!("91230500MA1B{:05}", n % 100_000);
    let check = check_char(&first).unwrap();
    format!("{first}{check}")
}

fn values(pairs: &[(&str, String)]) -> FieldValues {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// Values of a record of `kind` as a clerk would type them; `n` makes the entity distinct.
pub fn typed(kind: RecordKind, n: u32) -> FieldValues {
    let code = credit_code(n);
    match kind {
        RecordKind::TechSme => values(&[
            ("name", format!("双鸭山市第{n}科技有限公司")),
            ("credit_code", code),
            ("reg_no", format!("2023230521A{n:07}")),
            ("registered_on", "2023-04-01".into()),
        ]),
        RecordKind::HighTech => values(&[
            ("name", format!("宝清县第{n}生物有限公司")),
            ("credit_code", code),
            ("cert_no", format!("GR20212300{:04}", n % 10_000)),
            ("certified_on", "2021-12-01".into()),
            ("recognition", "first".into()),
            ("size", "below".into()),
        ]),
        RecordKind::RndInstitution => values(&[
            ("name", format!("第{n}工程技术研究中心")),
            ("host", "双鸭山市华鑫科技有限公司".into()),
            ("level", "provincial".into()),
            ("category", "工程技术研究中心".into()),
            ("recognized_on", "2022-06-30".into()),
        ]),
        RecordKind::Incubator => values(&[
            ("name", format!("第{n}众创空间")),
            ("operator", "集贤县科技局".into()),
            ("type", "maker_space".into()),
            ("level", "city".into()),
            ("recognized_on", "2022-03-15".into()),
        ]),
        RecordKind::Alliance => values(&[
            ("name", format!("第{n}产业技术创新战略联盟")),
            ("lead", "友谊县丰源农业科技有限公司".into()),
            ("level", "city".into()),
            ("established_on", "2022-08-01".into()),
        ]),
        RecordKind::Achievement => values(&[
            ("title", format!("第{n}项寒地水稻栽培技术")),
            ("owner", "东北农业大学".into()),
            ("recipient", "饶河县金峰农业有限公司".into()),
            ("mode", "license".into()),
            ("amount_yuan", "1200.5".into()),
            ("transferred_on", "2023-09-09".into()),
        ]),
    }
}

pub fn valid(kind: RecordKind, n: u32) -> ValidRecord {
    validate_record(kind, &typed(kind, n)).unwrap()
}

/// A record as a bundle carries it, with fixed times.
pub fn wire_record(unit: &str, kind: RecordKind, n: u32, id: Uuid) -> Record {
    Record {
        id,
        unit: unit.to_string(),
        kind,
        status: RecordStatus::Active,
        revision: 1,
        fields: valid(kind, n).fields,
        void_reason: None,
        created_by: CLERK.into(),
        created_at: ts("2023-05-01T02:00:00Z"),
        updated_by: CLERK.into(),
        updated_at: ts("2023-05-01T02:00:00Z"),
    }
}

/// An id from a number, in the order of the numbers.
pub fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0188_0000_0000_7000_8000_0000_0000_0000 | n)
}

/// A unit ledger in memory with the signing key made from `seed(key)`.
pub fn unit_ledger(unit: &str, key: u8) -> Ledger {
    let mut ledger = Ledger::create_in_memory(unit, PLAN).unwrap();
    ledger.set_signing_key(&seed(key)).unwrap();
    ledger
}

/// A city ledger in memory with its key, and each unit's key pinned.
pub fn city_ledger(units: &[(&str, u8)]) -> Ledger {
    let mut city = Ledger::create_city_in_memory(CITY, PLAN).unwrap();
    city.set_signing_key(&seed(200)).unwrap();
    for (unit, key) in units {
        city.pin_unit_key(unit, &keys::public_key(&seed(*key)), false, "admin")
            .unwrap();
    }
    city
}

/// Saves `count` records of varied kinds in the unit ledger, numbered from `first`.
pub fn add_records(ledger: &mut Ledger, first: u32, count: u32) -> Vec<Record> {
    (first..first + count)
        .map(|n| {
            let kind = RecordKind::ALL[n as usize % RecordKind::ALL.len()];
            ledger.insert(&valid(kind, n), CLERK).unwrap()
        })
        .collect()
}

/// Names of the files in `dir`, sorted.
pub fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A filesystem in memory: exports for the property tests without touching a disk.
#[derive(Default)]
pub struct MemFs {
    pub files: std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
}

impl taizhang::bundle::ExportFs for MemFs {
    type File = std::path::PathBuf;
    type Reader = std::io::Cursor<Vec<u8>>;

    fn create_new(&mut self, path: &std::path::Path) -> std::io::Result<std::path::PathBuf> {
        if self.files.contains_key(path) {
            return Err(std::io::ErrorKind::AlreadyExists.into());
        }
        self.files.insert(path.to_path_buf(), Vec::new());
        Ok(path.to_path_buf())
    }

    fn write_all(&mut self, file: &mut std::path::PathBuf, bytes: &[u8]) -> std::io::Result<()> {
        let content = self
            .files
            .get_mut(file.as_path())
            .ok_or(std::io::ErrorKind::NotFound)?;
        content.extend_from_slice(bytes);
        Ok(())
    }

    fn sync_file(&mut self, _file: &mut std::path::PathBuf) -> std::io::Result<()> {
        Ok(())
    }

    fn rename(&mut self, from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
        let content = self
            .files
            .remove(from)
            .ok_or(std::io::ErrorKind::NotFound)?;
        self.files.insert(to.to_path_buf(), content);
        Ok(())
    }

    fn sync_dir(&mut self, _dir: &std::path::Path) -> std::io::Result<()> {
        Ok(())
    }

    fn open_read(&mut self, path: &std::path::Path) -> std::io::Result<std::io::Cursor<Vec<u8>>> {
        let content = self.files.get(path).ok_or(std::io::ErrorKind::NotFound)?;
        Ok(std::io::Cursor::new(content.clone()))
    }

    fn remove(&mut self, path: &std::path::Path) -> std::io::Result<()> {
        self.files
            .remove(path)
            .map(|_| ())
            .ok_or(std::io::ErrorKind::NotFound.into())
    }
}
