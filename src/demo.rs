//! Synthetic, valid and plausible records (Chinese names, real-format identifiers, dates
//! spread over the plan years) for trying the program and for benchmarks. Firms come back
//! the way real ones do: tech SMEs register again the next year, some grow into high-tech
//! enterprises, certificates (some from before the plan) are renewed or left to lapse, and
//! high-tech firms host institutions, run incubators, lead alliances and receive
//! achievements. Pure: the same seed gives the same records.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::domain::credit_code::{ALPHABET, check_char};
use crate::domain::{FieldValues, RecordKind, TAX_LEVEL};

const SYLLABLES: &[&str] = &[
    "华", "鑫", "兴", "达", "源", "泰", "恒", "瑞", "龙", "宏", "盛", "誉", "金", "北", "丰", "昊",
    "嘉", "汇", "远", "德", "安", "信", "博", "正", "通", "和", "益", "新", "明", "峰",
];
const TRADES: &[&str] = &[
    "煤化工",
    "石墨新材料",
    "绿色食品",
    "农业科技",
    "生物",
    "智能装备",
    "大豆",
    "水稻",
    "数字",
    "新能源",
    "环保",
    "医药",
];
const FIRM_SUFFIXES: &[&str] = &["科技有限公司", "有限责任公司", "股份有限公司"];
const INSTITUTION_TYPES: &[&str] = &[
    "工程技术研究中心",
    "重点实验室",
    "企业技术中心",
    "中试基地",
    "新型研发机构",
];
const INCUBATOR_NAMES: &[&str] = &["科技企业孵化器", "众创空间", "创业孵化基地"];
const ALLIANCE_NAMES: &[&str] = &["产业技术创新战略联盟", "成果转化基地"];
const TOPICS: &[&str] = &[
    "煤矸石综合利用技术",
    "石墨烯导热膜制备工艺",
    "寒地水稻节水栽培技术",
    "大豆深加工工艺",
    "矿井瓦斯监测系统",
    "秸秆还田装备",
    "黑木耳菌种选育",
    "光伏储能控制器",
];
const OWNERS: &[&str] = &[
    "黑龙江能源职业学院",
    "东北农业大学",
    "黑龙江八一农垦大学",
    "哈尔滨工业大学",
    "黑龙江省农业科学院",
];
const CITY_REGION: &str = "230500";
const COUNTY_REGIONS: &[&str] = &[
    "230521", "230522", "230523", "230524", "230502", "230503", "230505", "230506",
];

/// Shares of each kind among generated records, in percent, in RecordKind::ALL order.
const KIND_SHARES: [u32; 6] = [35, 20, 12, 8, 10, 15];

/// What a known firm is to a record that names it.
#[derive(Clone, Copy, Debug)]
enum Partner {
    /// Hosts an institution or runs an incubator (one each, so names never repeat).
    Host,
    /// Leads an alliance (one each).
    Lead,
    /// Receives an achievement.
    Recipient,
}

/// How many firms of each sort the generator remembers to bring back.
const KNOWN_MAX: usize = 512;

/// A firm met earlier that may come back: its name, code and latest registration or
/// certificate, and whether it already hosts or leads something.
#[derive(Clone, Debug)]
struct KnownFirm {
    name: String,
    code: String,
    last: Date,
    hosts: bool,
    leads: bool,
}

/// Makes plausible records for a unit from a seed.
pub struct DemoRecords {
    rng: fastrand::Rng,
    next: u64,
    start: Date,
    days: i64,
    /// The number of the first entity, from which firm names are counted.
    first: u64,
    /// The GB/T 2260 region firms are registered in; any of the counties' when unset.
    region: Option<String>,
    /// The place firm names start with (the unit's county or district); any of the city's
    /// when unset.
    place: Option<&'static str>,
    /// Registered tech SMEs, by their latest registration.
    smes: Vec<KnownFirm>,
    /// High-tech enterprises, by their latest certificate.
    certified: Vec<KnownFirm>,
}

/// The place a unit's firms are named after: 宝清 for 宝清县 (the development zone's firms
/// carry the city's name).
fn unit_place(unit: &str) -> &'static str {
    match unit {
        "230521" => "集贤",
        "230522" => "友谊",
        "230523" => "宝清",
        "230524" => "饶河",
        "230502" => "尖山",
        "230503" => "岭东",
        "230505" => "四方台",
        "230506" => "宝山",
        _ => "双鸭山",
    }
}

impl DemoRecords {
    /// Records dated between `start` and `end` (the plan period).
    pub fn new(seed: u64, start: Date, end: Date) -> DemoRecords {
        DemoRecords::numbered_from(seed, start, end, 0)
    }

    /// Like [`DemoRecords::new`], numbering entities from `first`: generators given disjoint
    /// ranges make different firms (one per unit of a city demonstration).
    pub fn numbered_from(seed: u64, start: Date, end: Date, first: u64) -> DemoRecords {
        let days = (end - start).get_days() as i64;
        DemoRecords {
            rng: fastrand::Rng::with_seed(seed),
            next: first,
            start,
            days: days.max(0),
            first,
            region: None,
            place: None,
            smes: Vec::new(),
            certified: Vec::new(),
        }
    }

    /// Firms registered in `unit`'s region, as a unit's own firms are (the development
    /// zone, which has no code, registers at the city's, 230500).
    pub fn in_unit(mut self, unit: &str) -> DemoRecords {
        let region = if unit.len() == 6 && unit.bytes().all(|b| b.is_ascii_digit()) {
            unit.to_string()
        } else {
            CITY_REGION.to_string()
        };
        self.region = Some(region);
        self.place = Some(unit_place(unit));
        self
    }

    /// The region of the next firm.
    fn region(&mut self) -> String {
        match &self.region {
            Some(region) => region.clone(),
            None => self.pick(COUNTY_REGIONS).to_string(),
        }
    }

    /// The next record: its kind and raw field values (all of which validate).
    pub fn next_record(&mut self) -> (RecordKind, FieldValues) {
        let n = self.next;
        self.next += 1;
        let roll = self.rng.u32(0..100);
        let mut acc = 0;
        let kind = RecordKind::ALL
            .into_iter()
            .zip(KIND_SHARES)
            .find(|(_, share)| {
                acc += share;
                roll < acc
            })
            .map(|(k, _)| k)
            .unwrap_or(RecordKind::Achievement);
        let values = self.values(kind, n);
        (kind, values)
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.rng.usize(0..list.len())]
    }

    fn date(&mut self) -> Date {
        let offset = self.rng.i64(0..=self.days);
        self.start.checked_add(offset.days()).unwrap_or(self.start)
    }

    /// The last day records may carry.
    fn end(&self) -> Date {
        self.start
            .checked_add(self.days.days())
            .unwrap_or(self.start)
    }

    /// A day in the three years before the plan (a certificate still valid at its start).
    fn date_before_plan(&mut self) -> Date {
        let offset = self.rng.i64(1..=1095);
        self.start.checked_sub(offset.days()).unwrap_or(self.start)
    }

    /// Remembers a firm, in place of a random one once enough are known.
    fn remember(list: &mut Vec<KnownFirm>, rng: &mut fastrand::Rng, firm: KnownFirm) {
        if list.len() < KNOWN_MAX {
            list.push(firm);
        } else {
            let at = rng.usize(0..list.len());
            list[at] = firm;
        }
    }

    /// A tech SME registered last year, registering again in the same month of the next
    /// year (if that is in the plan): its name, code and new date.
    fn registration_again(&mut self) -> Option<(String, String, Date)> {
        if self.smes.is_empty() || self.rng.u32(0..100) >= 40 {
            return None;
        }
        let at = self.rng.usize(0..self.smes.len());
        let last = self.smes[at].last;
        let next = Date::new(last.year().checked_add(1)?, last.month(), 1)
            .ok()?
            .checked_add(self.rng.i64(0..28).days())
            .ok()?;
        if next > self.end() {
            return None;
        }
        let firm = &mut self.smes[at];
        firm.last = next;
        Some((firm.name.clone(), firm.code.clone(), next))
    }

    /// A high-tech enterprise renewing its certificate shortly before it runs out, or a tech
    /// SME certified for the first time, within the plan: name, code, date and whether it is
    /// a renewal.
    fn certification_again(&mut self) -> Option<(String, String, Date, bool)> {
        let roll = self.rng.u32(0..100);
        if roll < 30 && !self.certified.is_empty() {
            let at = self.rng.usize(0..self.certified.len());
            let last = self.certified[at].last;
            let renewed = last
                .checked_add(3.years())
                .ok()?
                .checked_sub(self.rng.i64(5..120).days())
                .ok()?;
            if renewed > self.end() || renewed < self.start {
                return None;
            }
            let firm = &mut self.certified[at];
            firm.last = renewed;
            return Some((firm.name.clone(), firm.code.clone(), renewed, true));
        }
        if roll < 55 && !self.smes.is_empty() {
            let at = self.rng.usize(0..self.smes.len());
            let (name, code, registered) = {
                let firm = &self.smes[at];
                (firm.name.clone(), firm.code.clone(), firm.last)
            };
            let certified = registered.checked_add(self.rng.i64(90..720).days()).ok()?;
            if certified > self.end() {
                return None;
            }
            let firm = KnownFirm {
                name: name.clone(),
                code: code.clone(),
                last: certified,
                hosts: false,
                leads: false,
            };
            Self::remember(&mut self.certified, &mut self.rng, firm);
            return Some((name, code, certified, false));
        }
        None
    }

    /// A known high-tech enterprise (else tech SME) for a record that names a firm: one that
    /// hosts nothing yet, or leads nothing yet (then marked), or any for a recipient.
    fn known_partner(&mut self, role: Partner) -> Option<(String, String)> {
        if self.rng.u32(0..100) >= 35 {
            return None;
        }
        let list = if self.certified.is_empty() {
            &mut self.smes
        } else {
            &mut self.certified
        };
        if list.is_empty() {
            return None;
        }
        let at = self.rng.usize(0..list.len());
        let firm = &mut list[at];
        let taken = match role {
            Partner::Host => &mut firm.hosts,
            Partner::Lead => &mut firm.leads,
            Partner::Recipient => return Some((firm.name.clone(), firm.code.clone())),
        };
        if *taken {
            return None;
        }
        *taken = true;
        Some((firm.name.clone(), firm.code.clone()))
    }

    /// A firm name unique per `n`: two syllables, a trade and a suffix, numbered past the
    /// number of combinations.
    fn firm_name(&mut self, n: u64) -> String {
        let combos = (SYLLABLES.len() * SYLLABLES.len() * TRADES.len()) as u64;
        // Counted from the generator's first entity: each unit's names start afresh.
        let n = n.saturating_sub(self.first);
        let i = n % combos;
        let a = SYLLABLES[(i % SYLLABLES.len() as u64) as usize];
        let b = SYLLABLES[((i / SYLLABLES.len() as u64) % SYLLABLES.len() as u64) as usize];
        let trade = TRADES[(i / (SYLLABLES.len() * SYLLABLES.len()) as u64) as usize];
        let suffix = self.pick(FIRM_SUFFIXES);
        // Drawn in any case, so a seed gives the same dates and choices as before names
        // followed the unit.
        let any_place = self.pick(&["双鸭山", "集贤", "宝清", "友谊", "饶河"]);
        let place = self.place.unwrap_or(any_place);
        if n < combos {
            format!("{place}{a}{b}{trade}{suffix}")
        } else {
            format!("{place}{a}{b}{trade}{}号{suffix}", n / combos)
        }
    }

    /// A credit code unique per `n`, with a correct organisation code (GB 11714) at
    /// positions 9–17 and a correct check character.
    fn credit_code(&mut self, n: u64) -> String {
        let region = self.region();
        let alphabet: Vec<char> = ALPHABET.chars().collect();
        let mut org = String::new();
        let mut rest = n;
        for _ in 0..6 {
            org.push(alphabet[(rest % 31) as usize]);
            rest /= 31;
        }
        for _ in 0..2 {
            org.push(alphabet[self.rng.usize(0..10)]);
        }
        org.push(org_check_char(&org));
        let first17 = format!("91{region}{org}");
        let check = check_char(&first17).unwrap_or('0');
        format!("{first17}{check}")
    }

    fn values(&mut self, kind: RecordKind, n: u64) -> FieldValues {
        let date = self.date();
        let year = date.year();
        let mut v = FieldValues::new();
        let mut set = |k: &str, val: String| {
            v.insert(k.to_string(), val);
        };
        match kind {
            RecordKind::TechSme => {
                let (name, code, date) = match self.registration_again() {
                    Some(again) => again,
                    None => {
                        let (name, code) = (self.firm_name(n), self.credit_code(n));
                        let firm = KnownFirm {
                            name: name.clone(),
                            code: code.clone(),
                            last: date,
                            hosts: false,
                            leads: false,
                        };
                        Self::remember(&mut self.smes, &mut self.rng, firm);
                        (name, code, date)
                    }
                };
                let year = date.year();
                set("name", name);
                set("credit_code", code);
                let region = self.region();
                set("reg_no", format!("{year}{region}A{:07}", n % 10_000_000));
                set("registered_on", date.to_string());
            }
            RecordKind::HighTech => {
                let (name, code, date, renewal) = match self.certification_again() {
                    Some(again) => again,
                    None => {
                        let (name, code) = (self.firm_name(n), self.credit_code(n));
                        // A quarter of new firms were certified in the three years before
                        // the plan: the 2020 baseline, and renewals due during the plan.
                        let date = if self.rng.u32(0..4) == 0 {
                            self.date_before_plan()
                        } else {
                            date
                        };
                        let firm = KnownFirm {
                            name: name.clone(),
                            code: code.clone(),
                            last: date,
                            hosts: false,
                            leads: false,
                        };
                        Self::remember(&mut self.certified, &mut self.rng, firm);
                        (name, code, date, self.rng.u32(0..4) == 0)
                    }
                };
                let year = date.year();
                set("name", name);
                set("credit_code", code);
                set("cert_no", format!("GR{year}23{:06}", n % 1_000_000));
                set("certified_on", date.to_string());
                set(
                    "recognition",
                    if renewal { "renewal" } else { "first" }.into(),
                );
                let above = self.rng.bool();
                set("size", if above { "above" } else { "below" }.into());
            }
            RecordKind::RndInstitution => {
                let (host, code) = match self.known_partner(Partner::Host) {
                    Some(known) => known,
                    None => (self.firm_name(n), self.credit_code(n)),
                };
                let kind_name = self.pick(INSTITUTION_TYPES);
                set("name", format!("{host}{kind_name}"));
                set("host_credit_code", code);
                set("host", host);
                set(
                    "level",
                    self.pick(&[
                        "national",
                        "provincial",
                        "provincial",
                        "city",
                        "city",
                        "city",
                    ])
                    .into(),
                );
                set("category", kind_name.to_string());
                set("new_type", (kind_name == "新型研发机构").to_string());
                set("recognized_on", date.to_string());
            }
            RecordKind::Incubator => {
                let (operator, code) = match self.known_partner(Partner::Host) {
                    Some(known) => known,
                    None => (self.firm_name(n), self.credit_code(n)),
                };
                let name = self.pick(INCUBATOR_NAMES);
                set("name", format!("{operator}{name}"));
                set("operator_credit_code", code);
                set("operator", operator);
                let ty = if name == "众创空间" {
                    "maker_space"
                } else {
                    "incubator"
                };
                set("type", ty.into());
                set(
                    "level",
                    self.pick(&["national", "provincial", "city", "city"])
                        .into(),
                );
                set("recognized_on", date.to_string());
                // The city chooses a grant of 20–50万元 for what it recognises; a provincial
                // carrier may bring a provincial post-subsidy to match.
                match v.get("level").map(String::as_str) {
                    Some("city") => {
                        v.insert(
                            "city_grant_yuan".into(),
                            (200_000 + (n % 4) * 100_000).to_string(),
                        );
                    }
                    Some("provincial") if n.is_multiple_of(2) => {
                        v.insert(
                            "provincial_subsidy_yuan".into(),
                            ((n % 5 + 1) * 100_000).to_string(),
                        );
                    }
                    _ => {}
                }
            }
            RecordKind::Alliance => {
                let (lead, code) = match self.known_partner(Partner::Lead) {
                    Some(known) => known,
                    None => (self.firm_name(n), self.credit_code(n)),
                };
                let trade = self.pick(TRADES);
                let name = self.pick(ALLIANCE_NAMES);
                set("name", format!("双鸭山{trade}{name}（{lead}牵头）"));
                set("lead_credit_code", code);
                set("lead", lead);
                set("level", self.pick(&["provincial", "city", "city"]).into());
                set("members", format!("{}家成员单位", self.rng.u32(3..30)));
                set("established_on", date.to_string());
            }
            RecordKind::Achievement => {
                let topic = self.pick(TOPICS);
                set("title", format!("{topic}（第{n}项）"));
                set("owner", self.pick(OWNERS).into());
                let (recipient, code) = match self.known_partner(Partner::Recipient) {
                    Some(known) => known,
                    None => (self.firm_name(n), self.credit_code(n)),
                };
                set("recipient_credit_code", code);
                set("recipient", recipient);
                set(
                    "mode",
                    self.pick(&["transfer", "license", "equity", "cooperation"])
                        .into(),
                );
                set("amount_yuan", (self.rng.u32(5..500) * 10_000).to_string());
                set("transferred_on", date.to_string());
                if !n.is_multiple_of(3) {
                    set("contract_no", format!("{year}230500{:06}", n % 1_000_000));
                }
            }
        }
        // Most firms pay their taxes to the county or district, some to the city.
        let level = if n.is_multiple_of(4) {
            "city"
        } else {
            "county"
        };
        v.insert(TAX_LEVEL.into(), level.into());
        v
    }
}
/// The GB 11714 check character of an eight-character organisation code body.
fn org_check_char(body: &str) -> char {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(36).unwrap_or(0) * w)
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).unwrap_or('0'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validate::{context_warnings, validate_record};
    use jiff::civil::date;

    /// A unit's demo firms are its own: registered in its region, named after its place,
    /// and numbered like real names even when the generator starts far into the numbers.
    #[test]
    fn a_units_demo_firms_look_like_its_own() {
        let generator =
            DemoRecords::numbered_from(3, date(2021, 1, 1), date(2023, 12, 31), 30_000_000);
        let mut generator = generator.in_unit("230523");
        for _ in 0..300 {
            let (_, values) = generator.next_record();
            for key in [
                "credit_code",
                "host_credit_code",
                "operator_credit_code",
                "lead_credit_code",
                "recipient_credit_code",
            ] {
                if let Some(code) = values.get(key) {
                    assert_eq!(&code[2..8], "230523", "{values:?}");
                }
            }
            if let Some(reg_no) = values.get("reg_no") {
                assert!(reg_no[4..].starts_with("230523"), "{reg_no}");
            }
            let firms = values.values().filter(|v| v.contains("公司"));
            for name in firms {
                assert!(name.contains("宝清"), "{name}");
                for other in ["集贤", "友谊", "饶河", "号"] {
                    assert!(!name.contains(other), "{name}");
                }
            }
        }
    }

    #[test]
    fn a_units_demo_records_are_valid_and_raise_no_warning() {
        for unit in ["230521", "jkq"] {
            let mut generator =
                DemoRecords::new(7, date(2021, 1, 1), date(2023, 12, 31)).in_unit(unit);
            for _ in 0..500 {
                let (kind, values) = generator.next_record();
                let valid = match validate_record(kind, &values) {
                    Ok(valid) => valid,
                    Err(issues) => panic!("{kind:?} {values:?}: {issues:?}"),
                };
                assert!(
                    valid.warnings.is_empty(),
                    "{values:?}: {:?}",
                    valid.warnings
                );
                let context = context_warnings(kind, &valid.fields, unit, date(2023, 12, 31));
                assert!(context.is_empty(), "{unit} {values:?}: {context:?}");
            }
        }
    }
}
