//! How the city stands against its city-wide targets in a year: each target's yearly value
//! beside the figure the ledger holds or the city office entered.

use serde::Serialize;

use crate::plan::{CityTarget, GDP_YUAN, RND_SPENDING_YUAN, TargetSource};

/// One city-wide target in the measured year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CityTargetProgress {
    pub key: String,
    /// The year the figure is of.
    pub year: i16,
    /// The year whose target is shown: the measured year's, or the next one the plan sets
    /// (R&D intensity is set for 2023 only).
    pub target_year: i16,
    pub target: f64,
    /// The figure of the year; `None` while an entered figure it needs is missing.
    pub actual: Option<f64>,
    /// The figures it still needs the city office to enter.
    pub missing: Vec<String>,
    /// `actual >= target`, once there is an actual.
    pub met: Option<bool>,
}

/// Each target of the plan in `year`: `entered(key, year)` reads a figure the city office
/// entered, `turnover(year)` sums the year's technology contract amounts. Targets with no
/// value for `year` or later are left out.
pub fn city_target_progress(
    targets: &[CityTarget],
    year: i16,
    entered: impl Fn(&str, i16) -> Option<f64>,
    turnover: impl Fn(i16) -> f64,
) -> Vec<CityTargetProgress> {
    let mut rows = Vec::with_capacity(targets.len());
    for target in targets {
        let Some(goal) = target.yearly.iter().find(|t| t.year >= year) else {
            continue;
        };
        let needs = target.source.inputs(&target.key);
        let missing: Vec<String> = needs
            .iter()
            .filter(|key| entered(key, year).is_none())
            .cloned()
            .collect();
        let share = |part: f64| {
            entered(GDP_YUAN, year)
                .filter(|gdp| *gdp > 0.0)
                .map(|gdp| part / gdp * 100.0)
        };
        let actual = match target.source {
            TargetSource::Entered => entered(&target.key, year),
            TargetSource::ContractTurnover => Some(turnover(year)),
            TargetSource::ContractTurnoverShareOfGdp => share(turnover(year)),
            TargetSource::RndSpendingShareOfGdp => entered(RND_SPENDING_YUAN, year).and_then(share),
        };
        rows.push(CityTargetProgress {
            key: target.key.clone(),
            year,
            target_year: goal.year,
            target: goal.value,
            met: actual.map(|a| a >= goal.value),
            actual,
            missing,
        });
    }
    rows
}

/// A figure as the city office types it: digits with optional thousands separators and
/// decimals, full-width or not, optionally followed by 万 (10^4), 亿 (10^8), 元 or %.
pub fn parse_figure(text: &str) -> Option<f64> {
    let half = crate::domain::validate::text::to_half_width(text);
    let mut s = half.trim();
    let mut scale = 1.0;
    for (suffix, factor) in [("%", 1.0), ("元", 1.0), ("亿", 1e8), ("万", 1e4)] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.trim_end();
            scale *= factor;
        }
    }
    let digits: String = s.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let value: f64 = digits.parse().ok()?;
    let scaled = value * scale;
    scaled.is_finite().then_some(scaled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Plan;

    fn figures(pairs: &'static [(&'static str, i16, f64)]) -> impl Fn(&str, i16) -> Option<f64> {
        move |key, year| {
            pairs
                .iter()
                .find(|(k, y, _)| *k == key && *y == year)
                .map(|(_, _, v)| *v)
        }
    }

    fn row<'a>(rows: &'a [CityTargetProgress], key: &str) -> &'a CityTargetProgress {
        rows.iter().find(|r| r.key == key).expect(key)
    }

    #[test]
    fn each_target_is_measured_from_its_source() {
        let plan = Plan::embedded();
        let rows = city_target_progress(
            &plan.city_targets,
            2022,
            figures(&[
                ("tech_transfer_institutions", 2022, 5.0),
                ("gdp_yuan", 2022, 50_000_000_000.0),
                ("rnd_spending_yuan", 2022, 600_000_000.0),
            ]),
            |year| if year == 2022 { 210_000_000.0 } else { 0.0 },
        );
        let institutions = row(&rows, "tech_transfer_institutions");
        assert_eq!((institutions.target, institutions.actual), (5.0, Some(5.0)));
        assert_eq!(institutions.met, Some(true), "5 of 5 meets the target");
        let turnover = row(&rows, "tech_contract_turnover");
        assert_eq!(turnover.actual, Some(210_000_000.0));
        assert_eq!(turnover.met, Some(false), "2.1 of 2.3 亿元");
        let share = row(&rows, "tech_contract_share_of_gdp");
        assert_eq!(share.actual, Some(0.42));
        assert_eq!(share.met, Some(true), "0.42% of GDP against 0.4%");
        let intensity = row(&rows, "rnd_intensity");
        assert_eq!((intensity.target_year, intensity.target), (2023, 1.5));
        assert_eq!(intensity.actual, Some(1.2));
        assert_eq!(intensity.met, Some(false));
        let firms = row(&rows, "above_size_firms_doing_rnd");
        assert_eq!(firms.actual, None);
        assert_eq!(firms.met, None, "nothing entered: no verdict");
        assert_eq!(firms.missing, ["above_size_firms_doing_rnd"]);
    }

    #[test]
    fn a_missing_gdp_leaves_the_shares_open() {
        let plan = Plan::embedded();
        let rows = city_target_progress(&plan.city_targets, 2021, figures(&[]), |_| 1.0);
        let share = row(&rows, "tech_contract_share_of_gdp");
        assert_eq!((share.actual, share.met), (None, None));
        assert_eq!(share.missing, ["gdp_yuan"]);
        assert_eq!(
            row(&rows, "rnd_intensity").missing,
            ["rnd_spending_yuan", "gdp_yuan"]
        );
        assert_eq!(row(&rows, "tech_contract_turnover").actual, Some(1.0));
    }

    #[test]
    fn figures_are_read_as_the_office_writes_them() {
        let cases = [
            ("520亿", Some(52_000_000_000.0)),
            ("1.56亿元", Some(156_000_000.0)),
            ("3,000万", Some(30_000_000.0)),
            ("１２", Some(12.0)),
            ("0.4%", Some(0.4)),
            ("8", Some(8.0)),
            ("-1", None),
            ("", None),
            ("十二", None),
            ("1e9", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_figure(text), want, "{text:?}");
        }
    }

    #[test]
    fn a_gdp_of_zero_gives_no_share_rather_than_infinity() {
        let plan = Plan::embedded();
        let rows = city_target_progress(
            &plan.city_targets,
            2022,
            figures(&[("gdp_yuan", 2022, 0.0), ("rnd_spending_yuan", 2022, 1.0)]),
            |_| 1.0,
        );
        assert_eq!(row(&rows, "tech_contract_share_of_gdp").actual, None);
        assert_eq!(row(&rows, "rnd_intensity").actual, None);
    }

    #[test]
    fn a_year_after_the_last_target_shows_nothing() {
        let plan = Plan::embedded();
        assert!(city_target_progress(&plan.city_targets, 2024, figures(&[]), |_| 0.0).is_empty());
    }
}
