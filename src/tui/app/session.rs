//! The session around the screens: first run, drafts (written as the clerk types, offered
//! back at start), noticing other sessions' saves, and leaving on a hang-up.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyEvent;

use super::{App, Bilingual, Modal, Note, Tab, View};
use crate::domain::RecordKind;
use crate::store::drafts::Draft;
use crate::tui::keys::{self, Action};
use crate::tui::state::city::CityView;
use crate::tui::state::detail::Detail;
use crate::tui::state::form::{Form, FormMode};
use crate::tui::state::outlook::FirmScreen;

/// How often the ledger is asked whether another session saved something.
pub const POLL_EVERY: Duration = Duration::from_secs(1);
/// How long typing must pause before the form is written as a draft again.
pub const DRAFT_EVERY: Duration = Duration::from_secs(1);

impl App {
    /// The ledger is open: count, remember its version, and offer back a draft.
    pub(crate) fn started(&mut self) {
        self.city = self
            .is_city()
            .then(|| CityView::new(&self.plan, self.today));
        self.seen_version = self.ledger.as_ref().and_then(|l| l.data_version().ok());
        self.mark_stale();
        self.flush();
        let Some(drafts) = &self.drafts else {
            return;
        };
        match drafts.load() {
            Ok(Some(draft)) if self.ledger.as_ref().is_some_and(|l| l.unit() == draft.unit) => {
                self.modal = Some(Modal::DraftOffer(Box::new(draft)));
            }
            Ok(_) => {}
            Err(e) => self.note = Some(Note::Failed(Bilingual::of(&e))),
        }
    }

    pub(super) fn setup_action(&mut self, action: Action) {
        let units = self.plan.units.len();
        let Some(setup) = self.setup.as_mut() else {
            return;
        };
        match (setup.confirming, action) {
            (false, Action::Up) => setup.selected = setup.selected.saturating_sub(1),
            (false, Action::Down) => {
                setup.selected = (setup.selected + 1).min(units.saturating_sub(1))
            }
            (false, Action::Open) => setup.confirming = true,
            (false, Action::Quit) => self.quit = true,
            (true, Action::Yes) => self.create_ledger(),
            (true, Action::No) => setup.confirming = false,
            _ => {}
        }
    }

    fn create_ledger(&mut self) {
        let (Some(setup), Some(path)) = (self.setup, self.db_path.clone()) else {
            return;
        };
        let Some(unit) = self.plan.units.get(setup.selected) else {
            return;
        };
        match crate::bundle::keys::create_unit_ledger(&path, &unit.code, &self.plan.id) {
            Ok(ledger) => {
                self.ledger = Some(ledger);
                self.setup = None;
                self.note = Some(Note::LedgerCreated);
                self.started();
            }
            Err(e) => {
                self.note = Some(Note::Failed(Bilingual::of(&e)));
                if let Some(s) = self.setup.as_mut() {
                    s.confirming = false;
                }
            }
        }
    }

    pub(super) fn modal_action(&mut self, action: Action, key: &KeyEvent) {
        let Some(modal) = self.modal.take() else {
            return;
        };
        match (modal, action) {
            (Modal::DraftOffer(draft), Action::RestoreDraft) => self.restore_draft(*draft),
            (Modal::DraftOffer(draft), Action::DiscardDraft) => {
                self.modal = Some(Modal::ConfirmDiscardDraft(draft));
            }
            (Modal::DraftOffer(_), Action::No) => self.note = Some(Note::DraftKept),
            (Modal::ConfirmDiscardDraft(_), Action::Yes) => {
                if let Some(drafts) = &self.drafts
                    && let Err(e) = drafts.discard()
                {
                    self.note = Some(Note::Failed(Bilingual::of(&e)));
                    return;
                }
                self.note = Some(Note::DraftDiscarded);
            }
            (Modal::ConfirmDiscardDraft(draft), Action::No) => {
                self.modal = Some(Modal::DraftOffer(draft));
            }
            (Modal::PickKind { selected }, action) => self.pick_kind_action(selected, action, key),
            (modal, _) => self.modal = Some(modal),
        }
    }

    fn pick_kind_action(&mut self, selected: usize, action: Action, key: &KeyEvent) {
        let last = RecordKind::ALL.len() - 1;
        let chosen = match action {
            Action::Up => {
                self.modal = Some(Modal::PickKind {
                    selected: selected.saturating_sub(1),
                });
                None
            }
            Action::Down => {
                self.modal = Some(Modal::PickKind {
                    selected: (selected + 1).min(last),
                });
                None
            }
            Action::Open => Some(selected),
            Action::PickOption => keys::digit(key)
                .map(|d| d as usize)
                .filter(|d| (1..=last + 1).contains(d))
                .map(|d| d - 1),
            Action::Back => None,
            _ => {
                self.modal = Some(Modal::PickKind { selected });
                None
            }
        };
        if let Some(i) = chosen {
            self.open_new_form(RecordKind::ALL[i]);
        }
    }

    /// Reopens the drafted form as it was left.
    fn restore_draft(&mut self, draft: Draft) {
        let mode = match (draft.record_id, draft.base_revision) {
            (Some(id), Some(base_revision)) => FormMode::Edit { id, base_revision },
            _ => FormMode::New,
        };
        let mut form = Form::with_values(draft.kind, mode, &draft.values);
        if let FormMode::Edit { id, .. } = mode
            && let Some(ledger) = &self.ledger
        {
            // Dirty relative to the saved record, so cancelling asks before throwing it away.
            match ledger.get(id) {
                Ok(record) => {
                    form.initial = record.fields.clone();
                    if record.revision != draft.base_revision.unwrap_or(record.revision) {
                        form.newer_revision = Some(record.revision);
                    }
                    if let Ok(detail) = Detail::load(ledger, id) {
                        self.stack.push(View::Detail(Box::new(detail)));
                    }
                }
                Err(e) => self.note = Some(Note::Failed(Bilingual::of(&e))),
            }
        } else {
            form.initial.clear();
        }
        if let Some(focus) = &draft.focus {
            form.focus_on(focus);
        }
        for field in &mut form.fields {
            field.touched = !field.value().is_empty();
        }
        form.generation = 1;
        self.tab = Tab::Kind(draft.kind);
        self.stack.push(View::Form(Box::new(form)));
        self.draft_owned = true;
        self.draft_generation = Some(1);
        self.note = self.note.take().or(Some(Note::DraftRestored));
    }

    /// Periodic work: notice other sessions' saves and keep the draft current.
    pub fn tick(&mut self, now: Instant) {
        if self
            .last_poll
            .is_none_or(|t| now.duration_since(t) >= POLL_EVERY)
        {
            self.last_poll = Some(now);
            self.poll_ledger();
        }
        if self
            .last_draft_write
            .is_none_or(|t| now.duration_since(t) >= DRAFT_EVERY)
            && self.write_draft_if_changed()
        {
            self.last_draft_write = Some(now);
        }
        self.flush_settled(now);
    }

    /// Reloads what is shown if another session changed the ledger. An open form keeps what
    /// the clerk typed; it only notes that the record it edits has a newer revision.
    pub(crate) fn poll_ledger(&mut self) {
        let Some(ledger) = &self.ledger else {
            return;
        };
        let Ok(version) = ledger.data_version() else {
            return;
        };
        if self.seen_version == Some(version) {
            return;
        }
        self.seen_version = Some(version);
        self.mark_stale();
        self.changed = true;
        let Some(ledger) = &self.ledger else {
            return;
        };
        for view in &mut self.stack {
            match view {
                View::Detail(detail) => {
                    let _ = detail.refresh(ledger);
                }
                View::Form(form) => {
                    if let Some((id, base)) = form.edited()
                        && let Ok(record) = ledger.get(id)
                        && record.revision != base
                    {
                        form.newer_revision = Some(record.revision);
                    }
                }
                View::Sync(screen) => {
                    let _ = screen.refresh(ledger);
                }
                View::Help(_)
                | View::UnitRecords(_)
                | View::Import(_)
                | View::SheetImport(_)
                | View::Awards(_)
                | View::Worklist(_)
                | View::Pool(_) => {}
                View::Firm(screen) => {
                    let code = screen.page.path.credit_code.clone();
                    if let Ok(fresh) = FirmScreen::load(&self.plan, ledger, &code) {
                        let selected = screen.selected;
                        **screen = fresh;
                        screen.move_selection(selected as isize);
                    }
                }
                View::Trend(screen) => screen.stale = true,
            }
        }
    }

    /// Writes the open form as a draft if it changed since the last write. Returns whether
    /// a write happened.
    pub(crate) fn write_draft_if_changed(&mut self) -> bool {
        let (Some(form), Some(drafts), Some(ledger)) = (self.form(), &self.drafts, &self.ledger)
        else {
            return false;
        };
        if self.draft_generation == Some(form.generation) || !form.is_dirty() {
            return false;
        }
        let draft = Draft::new(
            ledger.unit(),
            form.kind,
            form.edited(),
            form.values(),
            Some(form.focus_key().to_string()),
        );
        let generation = form.generation;
        match drafts.save(&draft) {
            Ok(()) => {
                self.draft_generation = Some(generation);
                self.draft_owned = true;
                true
            }
            Err(e) => {
                self.note = Some(Note::Failed(Bilingual::of(&e)));
                false
            }
        }
    }

    /// Removes the draft of the form just saved or cancelled (not an older one kept).
    pub(crate) fn drop_draft(&mut self) {
        if self.draft_owned
            && let Some(drafts) = &self.drafts
            && let Err(e) = drafts.discard()
        {
            self.note = Some(Note::Failed(Bilingual::of(&e)));
        }
        self.draft_owned = false;
        self.draft_generation = None;
    }

    /// The connection dropped or the program is told to stop: keep the form, then leave.
    pub fn hang_up(&mut self) {
        self.write_draft_if_changed();
        self.quit = true;
    }
}
