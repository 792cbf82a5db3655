//! The cultivation pool page (培育库): one unit's entries grouped by stage, the selection,
//! whether closed entries show, and the form or question open over it. At the city the same
//! page lists a unit's entries read-only. No drawing.

use ratatui::crossterm::event::Event;
use tui_input::Input;
use uuid::Uuid;

use super::form::edit_input;
use crate::domain::pool::{
    CREDIT_CODE, NAME, NOTES, OVERRIDE_REASON, PoolDraft, PoolEntry, PoolStage, PoolStatus, STAGE,
    TARGET_ON,
};
use crate::domain::{FieldIssue, Problem};
use crate::store::{Ledger, PoolQuery, StoreError};

/// The fields of the pool form, in the order they are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolField {
    CreditCode,
    Name,
    Stage,
    TargetOn,
    Notes,
    OverrideReason,
}

impl PoolField {
    pub const ALL: [PoolField; 6] = [
        PoolField::CreditCode,
        PoolField::Name,
        PoolField::Stage,
        PoolField::TargetOn,
        PoolField::Notes,
        PoolField::OverrideReason,
    ];

    /// The key problems and labels name the field by.
    pub fn key(self) -> &'static str {
        match self {
            PoolField::CreditCode => CREDIT_CODE,
            PoolField::Name => NAME,
            PoolField::Stage => STAGE,
            PoolField::TargetOn => TARGET_ON,
            PoolField::Notes => NOTES,
            PoolField::OverrideReason => OVERRIDE_REASON,
        }
    }

    fn index(self) -> usize {
        PoolField::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }
}

/// A new entry, or a change to an open one (whose firm stays as it is).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolFormMode {
    New,
    Edit { id: Uuid, base_revision: i64 },
}

/// The form putting a firm into the pool or changing an entry.
#[derive(Clone, Debug)]
pub struct PoolForm {
    pub mode: PoolFormMode,
    /// The typed text of each text field, by [`PoolField::ALL`] index (the stage's is unused).
    pub inputs: [Input; 6],
    pub stage: Option<PoolStage>,
    pub focus: PoolField,
    /// What the last save attempt found wrong, by field.
    pub issues: Vec<FieldIssue>,
    /// Warnings shown at the last save attempt: saving again with no others keeps them.
    pub warnings: Vec<FieldIssue>,
    /// Asking whether to throw away what was typed.
    pub confirm_cancel: bool,
    initial: PoolDraft,
}

impl PoolForm {
    /// An empty form for a new entry.
    pub fn new_entry() -> PoolForm {
        PoolForm::with(PoolFormMode::New, &PoolDraft::default(), None)
    }

    /// A form changing `entry`'s stage, target date and notes.
    pub fn edit(entry: &PoolEntry) -> PoolForm {
        let draft = PoolDraft {
            credit_code: entry.credit_code.clone(),
            name: entry.name.clone(),
            stage: entry.stage.key().to_owned(),
            target_on: entry.target_on.to_string(),
            notes: entry.notes.clone(),
            override_reason: entry.override_reason.clone().unwrap_or_default(),
        };
        let mode = PoolFormMode::Edit {
            id: entry.id,
            base_revision: entry.revision,
        };
        let mut form = PoolForm::with(mode, &draft, Some(entry.stage));
        form.focus = PoolField::Stage;
        form
    }

    fn with(mode: PoolFormMode, draft: &PoolDraft, stage: Option<PoolStage>) -> PoolForm {
        let texts = [
            &draft.credit_code,
            &draft.name,
            &String::new(),
            &draft.target_on,
            &draft.notes,
            &draft.override_reason,
        ];
        let mut form = PoolForm {
            mode,
            inputs: texts.map(|text| Input::new(text.clone())),
            stage,
            focus: PoolField::CreditCode,
            issues: Vec::new(),
            warnings: Vec::new(),
            confirm_cancel: false,
            initial: PoolDraft::default(),
        };
        form.initial = form.draft();
        form
    }

    /// What is typed, as the domain checks it.
    pub fn draft(&self) -> PoolDraft {
        let text = |field: PoolField| self.inputs[field.index()].value().to_owned();
        PoolDraft {
            credit_code: text(PoolField::CreditCode),
            name: text(PoolField::Name),
            stage: self.stage.map(|s| s.key().to_owned()).unwrap_or_default(),
            target_on: text(PoolField::TargetOn),
            notes: text(PoolField::Notes),
            override_reason: text(PoolField::OverrideReason),
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.draft() != self.initial
    }

    pub fn input(&self, field: PoolField) -> &Input {
        &self.inputs[field.index()]
    }

    /// Whether a field takes typing here: an edit keeps the firm, the stage is picked.
    pub fn is_editable(&self, field: PoolField) -> bool {
        match field {
            PoolField::Stage => false,
            PoolField::CreditCode | PoolField::Name | PoolField::OverrideReason => {
                self.mode == PoolFormMode::New
            }
            PoolField::TargetOn | PoolField::Notes => true,
        }
    }

    /// Whether a field is shown: the override reason only when the credit code failed its
    /// check or a reason is already there.
    pub fn is_visible(&self, field: PoolField) -> bool {
        field != PoolField::OverrideReason
            || !self.input(field).value().trim().is_empty()
            || self
                .issues
                .iter()
                .any(|i| matches!(i.problem, Problem::CreditCodeCheck { .. }))
    }

    /// The fields the focus moves through, in order.
    pub fn focusable(&self) -> Vec<PoolField> {
        PoolField::ALL
            .into_iter()
            .filter(|f| self.is_visible(*f) && (self.is_editable(*f) || *f == PoolField::Stage))
            .collect()
    }

    pub fn move_focus(&mut self, forward: bool) {
        let order = self.focusable();
        let n = order.len();
        let at = order.iter().position(|f| *f == self.focus).unwrap_or(0);
        let next = if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        };
        self.focus = order[next];
    }

    /// Feeds a key or a paste to the focused text field.
    pub fn type_into(&mut self, event: &Event) {
        if self.is_editable(self.focus) && edit_input(&mut self.inputs[self.focus.index()], event) {
            let key = self.focus.key();
            self.issues.retain(|i| i.field != key);
            self.warnings.clear();
        }
    }

    /// Steps the stage forwards or backwards (it is required: it never goes empty).
    pub fn step_stage(&mut self, forward: bool) {
        let n = PoolStage::ALL.len();
        let at = self
            .stage
            .and_then(|s| PoolStage::ALL.iter().position(|x| *x == s));
        let next = match (at, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
        };
        self.pick_stage(next + 1);
    }

    /// Picks stage `n` (1-based).
    pub fn pick_stage(&mut self, n: usize) {
        if let Some(stage) = n.checked_sub(1).and_then(|i| PoolStage::ALL.get(i)) {
            self.stage = Some(*stage);
            self.issues.retain(|i| i.field != STAGE);
            self.warnings.clear();
        }
    }

    /// Shows the problems a save found and focuses the first field with one.
    pub fn show_issues(&mut self, issues: Vec<FieldIssue>) {
        self.issues = issues;
        self.warnings.clear();
        if let Some(first) = PoolField::ALL
            .into_iter()
            .find(|f| self.issues.iter().any(|i| i.field == f.key()))
        {
            self.focus = first;
        }
    }

    /// The problem (or else the warning) shown under a field.
    pub fn message(&self, field: PoolField) -> Option<(&Problem, bool)> {
        let key = field.key();
        self.issues
            .iter()
            .find(|i| i.field == key)
            .map(|i| (&i.problem, true))
            .or_else(|| {
                self.warnings
                    .iter()
                    .find(|i| i.field == key)
                    .map(|i| (&i.problem, false))
            })
    }

    /// Problems that belong to no field of the form (shown atop it).
    pub fn other_issues(&self) -> Vec<&FieldIssue> {
        self.issues
            .iter()
            .filter(|i| PoolField::ALL.iter().all(|f| f.key() != i.field))
            .collect()
    }
}

/// A question asked over the page about the selected entry.
#[derive(Clone, Debug)]
pub enum PoolPrompt {
    /// Close the entry: achieved (the reason is optional) or withdrawn (a reason is needed).
    Close { achieved: bool, reason: Input },
    /// Open a closed entry again?
    ConfirmReopen,
}

/// Most entries the page reads (a unit's pool holds tens, not thousands).
pub const POOL_PAGE_MAX: usize = 5_000;

/// One unit's pool page.
#[derive(Clone, Debug)]
pub struct PoolScreen {
    pub unit: String,
    /// At the city: entries come from the unit's bundles and cannot be changed here.
    pub read_only: bool,
    /// Achieved and withdrawn entries are listed too.
    pub show_closed: bool,
    /// The entries shown, by stage (open before closed within a stage), then target date.
    pub entries: Vec<PoolEntry>,
    pub selected: usize,
    pub form: Option<PoolForm>,
    pub prompt: Option<PoolPrompt>,
    pub stale: bool,
    /// The entry to select once the entries are read.
    select: Option<Uuid>,
}

impl PoolScreen {
    pub fn new(unit: &str, read_only: bool) -> PoolScreen {
        PoolScreen {
            unit: unit.to_owned(),
            read_only,
            show_closed: false,
            entries: Vec::new(),
            selected: 0,
            form: None,
            prompt: None,
            stale: true,
            select: None,
        }
    }

    /// Selects entry `id` when the entries are next read.
    pub fn select_when_read(&mut self, id: Uuid) {
        self.select = Some(id);
    }

    /// Reads the unit's entries again, keeping the selection on the same entry if it is
    /// still shown.
    pub fn reload(&mut self, ledger: &Ledger) -> Result<(), StoreError> {
        let keep = self
            .select
            .take()
            .or_else(|| self.selected_entry().map(|e| e.id));
        let query = PoolQuery {
            unit: Some(self.unit.clone()),
            status: (!self.show_closed).then_some(PoolStatus::Open),
            limit: POOL_PAGE_MAX,
        };
        let mut entries = ledger.pool_list(&query)?;
        entries.sort_by(|a, b| {
            (a.stage, a.status, a.target_on, &a.name).cmp(&(
                b.stage,
                b.status,
                b.target_on,
                &b.name,
            ))
        });
        self.entries = entries;
        self.stale = false;
        self.selected = keep
            .and_then(|id| self.entries.iter().position(|e| e.id == id))
            .unwrap_or(self.selected)
            .min(self.entries.len().saturating_sub(1));
        Ok(())
    }

    pub fn selected_entry(&self) -> Option<&PoolEntry> {
        self.entries.get(self.selected)
    }

    pub fn move_selection(&mut self, delta: isize) {
        let last = self.entries.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn toggle_closed(&mut self) {
        self.show_closed = !self.show_closed;
        self.stale = true;
    }

    /// The open entries shown, by stage.
    pub fn open_count(&self, stage: PoolStage) -> usize {
        self.entries
            .iter()
            .filter(|e| e.stage == stage && e.status == PoolStatus::Open)
            .count()
    }

    /// The text box a question types into, if it has one.
    pub fn prompt_input_mut(&mut self) -> Option<&mut Input> {
        match &mut self.prompt {
            Some(PoolPrompt::Close { reason, .. }) => Some(reason),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn typed(c: char) -> Event {
        Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
    }

    #[test]
    fn an_edit_moves_only_through_what_it_may_change() {
        let mut form = PoolForm::new_entry();
        assert_eq!(form.focusable().len(), 5, "no override reason until asked");
        form.mode = PoolFormMode::Edit {
            id: Uuid::nil(),
            base_revision: 1,
        };
        assert_eq!(
            form.focusable(),
            vec![PoolField::Stage, PoolField::TargetOn, PoolField::Notes]
        );
        form.focus = PoolField::Notes;
        form.move_focus(true);
        assert_eq!(form.focus, PoolField::Stage);
        form.type_into(&typed('x'));
        assert_eq!(form.draft().credit_code, "", "the firm stays as it is");
    }

    #[test]
    fn the_stage_cycles_and_never_goes_empty() {
        let mut form = PoolForm::new_entry();
        form.step_stage(false);
        assert_eq!(form.stage, Some(PoolStage::GazelleCandidate));
        form.step_stage(true);
        assert_eq!(form.stage, Some(PoolStage::TechSme));
        form.pick_stage(2);
        assert_eq!(form.stage, Some(PoolStage::HighTechCandidate));
        form.pick_stage(4);
        assert_eq!(form.stage, Some(PoolStage::HighTechCandidate));
        assert!(form.is_dirty());
    }

    #[test]
    fn a_failed_check_digit_shows_the_reason_field_and_typing_clears_the_problem() {
        let mut form = PoolForm::new_entry();
        form.show_issues(vec![FieldIssue::new(
            CREDIT_CODE,
            Problem::CreditCodeCheck {
                value: "x".into(),
                expected: '1',
            },
        )]);
        assert!(form.is_visible(PoolField::OverrideReason));
        assert_eq!(form.focus, PoolField::CreditCode);
        assert!(form.message(PoolField::CreditCode).is_some());
        form.type_into(&typed('9'));
        assert!(form.message(PoolField::CreditCode).is_none());
        assert_eq!(form.draft().credit_code, "9");
    }
}
