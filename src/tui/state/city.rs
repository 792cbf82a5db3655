//! The city ledger's view: which page is shown, the date the Annex 2 table is measured on,
//! the report for that date (built by [`crate::report`]), the import log and the bundles
//! refused that still need attention, each unit's pool by stage, and the selection on each
//! page; and one unit's records opened from it, read-only. No drawing.

use jiff::civil::Date;
use tui_input::Input;
use uuid::Uuid;

use crate::domain::RecordKind;
use crate::domain::pool::{PoolCounts, counts_by_unit};
use crate::domain::progress::{AsOfSource, default_as_of};
use crate::i18n::Lang;
use crate::outlook::{RefusedBundle, refused_bundles};
use crate::plan::Plan;
use crate::report::{CityReport, city_report};
use crate::store::{ImportReport, Ledger, StoreError};
use crate::tui::state::list::RecordList;
use crate::tui::state::sync::SyncPrompt;

/// The pages of the city view, `0`-`6`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CityPage {
    /// The Annex 2 table of the nine units and the city total.
    Annex,
    Ranking,
    /// Firms claimed by more than one unit.
    Claims,
    /// Each unit's latest bundle.
    Freshness,
    Imports,
    /// The city-wide targets no unit shares.
    Targets,
    /// Each unit's cultivation pool by stage.
    Pool,
}

impl CityPage {
    pub const ALL: [CityPage; 7] = [
        CityPage::Annex,
        CityPage::Ranking,
        CityPage::Claims,
        CityPage::Freshness,
        CityPage::Imports,
        CityPage::Targets,
        CityPage::Pool,
    ];

    pub fn index(self) -> usize {
        CityPage::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// What the cells of the Annex 2 table show (80 columns hold one of these at a time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnnexColumns {
    /// `achieved/target`.
    Achieved,
    Percent,
    /// What was expected by the date, and the status.
    Expected,
}

impl AnnexColumns {
    pub fn next(self) -> AnnexColumns {
        match self {
            AnnexColumns::Achieved => AnnexColumns::Percent,
            AnnexColumns::Percent => AnnexColumns::Expected,
            AnnexColumns::Expected => AnnexColumns::Achieved,
        }
    }
}

/// The city view.
#[derive(Clone, Debug)]
pub struct CityView {
    pub page: CityPage,
    pub as_of: Date,
    pub source: AsOfSource,
    pub columns: AnnexColumns,
    pub report: Option<CityReport>,
    /// The import log, newest first.
    pub imports: Vec<ImportReport>,
    /// Bundles refused at import that still need attention, newest first.
    pub refused: Vec<RefusedBundle>,
    /// Each unit's pool in numbers, in the plan's order, and the city's total.
    pub pools: Vec<PoolCounts>,
    pub pool_total: PoolCounts,
    /// The selected row of each page.
    pub selected: [usize; CityPage::ALL.len()],
    /// The as-of date being typed, and whether the last attempt was unreadable.
    pub date_prompt: Option<(Input, bool)>,
    /// The folder the city's workbook is to be written into, being typed.
    pub report_prompt: Option<SyncPrompt>,
    pub stale: bool,
}

impl CityView {
    pub fn new(plan: &Plan, today: Date) -> CityView {
        let (as_of, source) = default_as_of(plan, today);
        CityView {
            page: CityPage::Annex,
            as_of,
            source,
            columns: AnnexColumns::Achieved,
            report: None,
            imports: Vec::new(),
            refused: Vec::new(),
            pools: Vec::new(),
            pool_total: PoolCounts::default(),
            selected: [0; CityPage::ALL.len()],
            date_prompt: None,
            report_prompt: None,
            stale: true,
        }
    }

    /// Builds the report and reads the import log again.
    pub fn reload(
        &mut self,
        plan: &Plan,
        lang: Lang,
        ledger: &Ledger,
        today: Date,
    ) -> Result<(), StoreError> {
        self.report = Some(city_report(
            plan,
            lang,
            ledger,
            self.as_of,
            self.source,
            today,
        )?);
        self.imports = ledger.import_log()?;
        self.refused = refused_bundles(ledger, lang, today)?;
        let units: Vec<&str> = plan.units.iter().map(|u| u.code.as_str()).collect();
        let total = crate::i18n::tui::city_total_short(lang);
        (self.pools, self.pool_total) = counts_by_unit(&units, &ledger.pool_counts()?, &total);
        self.stale = false;
        for page in CityPage::ALL {
            let rows = self.rows(page);
            let selected = &mut self.selected[page.index()];
            *selected = (*selected).min(rows.saturating_sub(1));
        }
        Ok(())
    }

    /// How many rows of a page can be selected.
    pub fn rows(&self, page: CityPage) -> usize {
        let Some(report) = &self.report else {
            return 0;
        };
        match page {
            CityPage::Annex => report.units.len(),
            CityPage::Ranking => report.ranking.len(),
            CityPage::Claims => claimants(report).len(),
            CityPage::Freshness => report.freshness.len(),
            CityPage::Imports => self.imports.len(),
            CityPage::Targets => 0,
            CityPage::Pool => self.pools.len(),
        }
    }

    pub fn selected(&self) -> usize {
        self.selected[self.page.index()]
    }

    /// Moves the selection on the current page by `delta` rows, staying inside it.
    pub fn move_selection(&mut self, delta: isize) {
        let rows = self.rows(self.page);
        let selected = &mut self.selected[self.page.index()];
        *selected = selected
            .saturating_add_signed(delta)
            .min(rows.saturating_sub(1));
    }

    /// The unit whose row is selected, on the pages that list units.
    pub fn selected_unit(&self) -> Option<&str> {
        let report = self.report.as_ref()?;
        let i = self.selected();
        match self.page {
            CityPage::Annex => report.units.get(i).map(|u| u.unit.as_str()),
            CityPage::Ranking => report.ranking.get(i).map(|r| r.unit.as_str()),
            CityPage::Freshness => report.freshness.get(i).map(|f| f.unit.as_str()),
            CityPage::Imports => self.imports.get(i).map(|r| r.entry.unit.as_str()),
            CityPage::Pool => self.pools.get(i).map(|c| c.unit.as_str()),
            CityPage::Claims | CityPage::Targets => None,
        }
    }

    /// The record of the selected claim, on the claims page.
    pub fn selected_claim(&self) -> Option<Uuid> {
        if self.page != CityPage::Claims {
            return None;
        }
        let report = self.report.as_ref()?;
        let (claim, by) = *claimants(report).get(self.selected())?;
        Some(report.claims.get(claim)?.claims.get(by)?.id)
    }

    pub fn set_as_of(&mut self, date: Date) {
        self.as_of = date;
        self.source = AsOfSource::Given;
        self.stale = true;
    }

    pub fn reset_as_of(&mut self, plan: &Plan, today: Date) {
        (self.as_of, self.source) = default_as_of(plan, today);
        self.stale = true;
    }
}

/// Every unit's claim of every firm claimed twice, in order: (claim, claimant) indices.
pub fn claimants(report: &CityReport) -> Vec<(usize, usize)> {
    report
        .claims
        .iter()
        .enumerate()
        .flat_map(|(c, claim)| (0..claim.claims.len()).map(move |b| (c, b)))
        .collect()
}

/// One unit's records at the city, by kind, read-only.
#[derive(Clone, Debug)]
pub struct UnitRecords {
    pub unit: String,
    /// One list per kind in [`RecordKind::ALL`] order, each filtered to the unit.
    pub lists: Vec<RecordList>,
    /// Index of the kind shown.
    pub kind: usize,
}

impl UnitRecords {
    pub fn new(unit: &str, page_size: usize) -> UnitRecords {
        let lists = RecordKind::ALL
            .into_iter()
            .map(|kind| {
                let mut list = RecordList::for_unit(kind, unit);
                list.set_page_size(page_size);
                list
            })
            .collect();
        UnitRecords {
            unit: unit.to_string(),
            lists,
            kind: 0,
        }
    }

    pub fn list(&self) -> &RecordList {
        &self.lists[self.kind.min(self.lists.len() - 1)]
    }

    pub fn list_mut(&mut self) -> &mut RecordList {
        let i = self.kind.min(self.lists.len() - 1);
        &mut self.lists[i]
    }
}
