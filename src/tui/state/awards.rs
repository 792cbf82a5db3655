//! The awards page's data: the award lines read from the ledger for the chosen year, their
//! totals per year and fiscal level (all units summed), the unit the city narrows the list
//! to, the selected line, its detail box, and the approval or payment being typed. No
//! drawing.

use jiff::civil::Date;
use tui_input::Input;

use crate::domain::awards::{AwardLine, AwardTotals, FiscalLevel, award_totals_all_units};
use crate::plan::Plan;
use crate::store::{AwardQuery, Ledger, StoreError};

/// Which of a payment's two questions is being asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayStage {
    Date,
    Voucher,
}

/// The question the awards page is asking about the selected line.
#[derive(Clone, Debug)]
pub enum AwardPrompt {
    /// The day of the approval (today prefilled).
    Approve { date: Input },
    /// The day of the payment, then the voucher's number.
    Pay {
        date: Input,
        voucher: Input,
        stage: PayStage,
    },
}

impl AwardPrompt {
    /// The text box taking the typing.
    pub fn input_mut(&mut self) -> &mut Input {
        match self {
            AwardPrompt::Approve { date } => date,
            AwardPrompt::Pay {
                date,
                stage: PayStage::Date,
                ..
            } => date,
            AwardPrompt::Pay { voucher, .. } => voucher,
        }
    }
}

/// The awards page.
#[derive(Clone, Debug)]
pub struct AwardsScreen {
    /// At the city ledger: every unit's lines, the list narrowable to one unit.
    pub city: bool,
    /// The lines of the chosen year (all units), newest year first.
    pub lines: Vec<AwardLine>,
    /// The lines summed per year and fiscal level over all units, newest year first.
    pub totals: Vec<AwardTotals>,
    /// `None`: every year.
    pub year: Option<i16>,
    /// The years of the plan, oldest first.
    pub years: Vec<i16>,
    /// At the city, the unit the list is narrowed to.
    pub unit: Option<String>,
    /// The units the city can narrow to, in the plan's order.
    pub units: Vec<String>,
    /// The selected row of the (narrowed) list.
    pub selected: usize,
    /// The selected line's detail box is open, scrolled this far.
    pub detail: Option<u16>,
    pub prompt: Option<AwardPrompt>,
    pub stale: bool,
}

impl AwardsScreen {
    pub fn new(plan: &Plan, city: bool) -> AwardsScreen {
        AwardsScreen {
            city,
            lines: Vec::new(),
            totals: Vec::new(),
            year: None,
            years: (plan.start.year()..=plan.end.year()).collect(),
            unit: None,
            units: if city {
                plan.units.iter().map(|u| u.code.clone()).collect()
            } else {
                Vec::new()
            },
            selected: 0,
            detail: None,
            prompt: None,
            stale: true,
        }
    }

    /// Reads the lines again, keeping the same line selected when it is still there.
    pub fn reload(&mut self, plan: &Plan, ledger: &Ledger) -> Result<(), StoreError> {
        let kept = self.selected_line().map(|l| l.key.clone());
        let unit = (!self.city).then(|| ledger.unit().to_owned());
        let mut lines = ledger.award_lines(
            plan,
            &AwardQuery {
                unit,
                year: self.year,
            },
        )?;
        lines.sort_by(|a, b| {
            (
                b.key.year,
                &a.unit,
                a.basis_date,
                &a.beneficiary,
                &a.key.rule,
            )
                .cmp(&(
                    a.key.year,
                    &b.unit,
                    b.basis_date,
                    &b.beneficiary,
                    &b.key.rule,
                ))
        });
        self.totals = totals_by_year_and_level(&lines);
        self.lines = lines;
        self.stale = false;
        let shown = self.shown();
        self.selected = kept
            .and_then(|key| shown.iter().position(|l| l.key == key))
            .unwrap_or(self.selected)
            .min(shown.len().saturating_sub(1));
        Ok(())
    }

    /// The lines the list shows: at the city, those of the unit it is narrowed to.
    pub fn shown(&self) -> Vec<&AwardLine> {
        self.lines
            .iter()
            .filter(|l| self.unit.as_ref().is_none_or(|u| &l.unit == u))
            .collect()
    }

    pub fn selected_line(&self) -> Option<&AwardLine> {
        self.shown().get(self.selected).copied()
    }

    /// Moves the selection by `delta` rows, staying inside the list.
    pub fn move_selection(&mut self, delta: isize) {
        let rows = self.shown().len();
        self.selected = self
            .selected
            .saturating_add_signed(delta)
            .min(rows.saturating_sub(1));
    }

    /// The next (or previous) year filter: all years, then each year of the plan.
    pub fn cycle_year(&mut self, forward: bool) {
        self.year = cycle(&self.years, self.year, forward);
        self.selected = 0;
        self.stale = true;
    }

    /// At the city: all units, then each unit.
    pub fn cycle_unit(&mut self) {
        self.unit = cycle(&self.units, self.unit.clone(), true);
        self.selected = 0;
    }
}

/// The step after `current` in `None, all[0], all[1], …` (or before it), wrapping round.
fn cycle<T: Clone + PartialEq>(all: &[T], current: Option<T>, forward: bool) -> Option<T> {
    let steps = all.len() + 1;
    let here = current
        .and_then(|c| all.iter().position(|x| *x == c))
        .map_or(0, |i| i + 1);
    let next = if forward {
        (here + 1) % steps
    } else {
        (here + steps - 1) % steps
    };
    next.checked_sub(1).and_then(|i| all.get(i).cloned())
}

/// The lines summed per year and fiscal level over every unit: newest year first, then the
/// county, the city, and lines whose record names no level.
pub fn totals_by_year_and_level(lines: &[AwardLine]) -> Vec<AwardTotals> {
    let mut totals = award_totals_all_units(lines);
    totals.sort_by_key(|t| (std::cmp::Reverse(t.year), level_order(t.level)));
    totals
}

fn level_order(level: Option<FiscalLevel>) -> u8 {
    match level {
        Some(FiscalLevel::County) => 0,
        Some(FiscalLevel::City) => 1,
        None => 2,
    }
}

/// Whether this ledger may approve and pay the line: the line's level is the one it pays.
pub fn pays_here(line: &AwardLine, paying: FiscalLevel) -> bool {
    line.level == Some(paying)
}

/// The day typed, for the prompt's default.
pub fn date_input(day: Date) -> Input {
    Input::new(day.to_string())
}
