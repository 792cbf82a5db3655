//! The plan's city-wide targets that no unit shares (technology-transfer institutions,
//! technology contract turnover and its share of GDP, R&D intensity, above-size industrial
//! firms doing R&D): what each year asks for, and where its figure comes from.

use serde::Serialize;

/// One city-wide target and its yearly values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CityTarget {
    /// A stable identifier, unique in the plan.
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub measure: TargetMeasure,
    pub source: TargetSource,
    /// At least this much by the end of each year, in year order.
    pub yearly: Vec<YearTarget>,
}

/// What a target is measured in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetMeasure {
    /// A number of things (institutions).
    Count,
    /// An amount of money in yuan.
    Yuan,
    /// A percentage.
    Percent,
}

impl TargetMeasure {
    pub const KEYS: [(&'static str, TargetMeasure); 3] = [
        ("count", TargetMeasure::Count),
        ("yuan", TargetMeasure::Yuan),
        ("percent", TargetMeasure::Percent),
    ];
}

/// Where a target's yearly figure comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetSource {
    /// The city office enters the year's figure under the target's own key.
    Entered,
    /// The ledger sums the amounts of the achievements transferred in the year (each
    /// achievement once, however many units record it).
    ContractTurnover,
    /// That sum as a percentage of the year's GDP, which the city office enters.
    ContractTurnoverShareOfGdp,
    /// The year's R&D spending as a percentage of its GDP, both entered by the city office.
    RndSpendingShareOfGdp,
}

/// The figure key under which the city office enters a year's GDP, in yuan.
pub const GDP_YUAN: &str = "gdp_yuan";
/// The figure key under which the city office enters a year's R&D spending, in yuan.
pub const RND_SPENDING_YUAN: &str = "rnd_spending_yuan";

impl TargetSource {
    pub const KEYS: [(&'static str, TargetSource); 4] = [
        ("entered", TargetSource::Entered),
        ("contract_turnover", TargetSource::ContractTurnover),
        (
            "contract_turnover_share_of_gdp",
            TargetSource::ContractTurnoverShareOfGdp,
        ),
        (
            "rnd_spending_share_of_gdp",
            TargetSource::RndSpendingShareOfGdp,
        ),
    ];

    /// The figures the city office must enter for a target of this source named `key`.
    pub fn inputs(self, key: &str) -> Vec<String> {
        match self {
            TargetSource::Entered => vec![key.to_string()],
            TargetSource::ContractTurnover => Vec::new(),
            TargetSource::ContractTurnoverShareOfGdp => vec![GDP_YUAN.to_string()],
            TargetSource::RndSpendingShareOfGdp => {
                vec![RND_SPENDING_YUAN.to_string(), GDP_YUAN.to_string()]
            }
        }
    }
}

/// What a target asks for by the end of one year.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct YearTarget {
    pub year: i16,
    pub value: f64,
}
