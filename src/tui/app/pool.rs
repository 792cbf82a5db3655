//! The cultivation pool page's keys: moving through the entries, opening a firm, showing
//! closed entries, and at a unit's ledger putting a firm in, changing, closing and reopening
//! an entry through the page's form and questions.

use ratatui::crossterm::event::{Event, KeyEvent};
use uuid::Uuid;

use super::{App, Bilingual, Note, View};
use crate::domain::pool::{PoolStatus, validate_close, validate_draft, validate_edit};
use crate::domain::{FieldIssue, Problem};
use crate::i18n::tui::pool as words;
use crate::tui::keys::{self, Action};
use crate::tui::state::pool::{PoolForm, PoolFormMode, PoolPrompt, PoolScreen};

/// What a change to the pool came to.
enum PoolOutcome {
    /// The entry's id, and what the message line says.
    Saved(Uuid, Bilingual),
    /// Shown in the form (its problems) or in the message line; nothing was written.
    Refused(Note),
}

impl App {
    /// Opens `unit`'s pool page (read-only at the city).
    pub(super) fn open_pool(&mut self, unit: &str) {
        let read_only = self.city.is_some();
        self.stack
            .push(View::Pool(Box::new(PoolScreen::new(unit, read_only))));
    }

    /// Opens `unit`'s pool page with entry `id` selected (from the worklist).
    pub(super) fn open_pool_at(&mut self, unit: &str, id: Uuid) {
        self.open_pool(unit);
        if let Some(View::Pool(screen)) = self.stack.last_mut() {
            screen.select_when_read(id);
        }
    }

    pub(super) fn pool_action(&mut self, action: Action, key: &KeyEvent) {
        let Some(View::Pool(screen)) = self.stack.last_mut() else {
            return;
        };
        if let Some(form) = screen.form.as_mut() {
            if form.confirm_cancel {
                match action {
                    Action::Yes => {
                        screen.form = None;
                        self.note = Some(Note::Cancelled);
                    }
                    Action::No => form.confirm_cancel = false,
                    _ => {}
                }
                return;
            }
            match action {
                Action::NextField => form.move_focus(true),
                Action::PrevField => form.move_focus(false),
                Action::ChoiceNext => form.step_stage(true),
                Action::ChoicePrev => form.step_stage(false),
                Action::PickOption => {
                    if let Some(n) = keys::digit(key) {
                        form.pick_stage(n as usize);
                    }
                }
                Action::CancelForm if form.is_dirty() => form.confirm_cancel = true,
                Action::CancelForm => screen.form = None,
                Action::HowToLeave => self.note = Some(Note::HowToLeaveForm),
                Action::Save => self.save_pool_form(),
                _ => {}
            }
            return;
        }
        if screen.prompt.is_some() {
            match action {
                Action::Yes => self.answer_pool_prompt(),
                Action::No => screen.prompt = None,
                _ => {}
            }
            return;
        }
        let open = screen
            .selected_entry()
            .map(|e| e.status == PoolStatus::Open);
        match action {
            Action::Up => screen.move_selection(-1),
            Action::Down => screen.move_selection(1),
            Action::PageUp => screen.move_selection(-10),
            Action::PageDown => screen.move_selection(10),
            Action::ToggleClosedPool => screen.toggle_closed(),
            Action::Open | Action::OpenFirm => {
                if let Some(code) = screen.selected_entry().map(|e| e.credit_code.clone()) {
                    self.open_firm(&code);
                }
            }
            Action::Back => {
                self.stack.pop();
            }
            // At the city the editing keys say why they do nothing.
            Action::ReadOnly => self.note = Some(Note::ReadOnlyAtCity),
            _ if screen.read_only => {}
            Action::AddToPool => screen.form = Some(PoolForm::new_entry()),
            Action::Edit => match (screen.selected_entry(), open) {
                (Some(entry), Some(true)) => screen.form = Some(PoolForm::edit(entry)),
                (Some(_), _) => self.note = Some(Note::PoolRefused(words::not_open_note())),
                (None, _) => {}
            },
            Action::AchievePool | Action::WithdrawPool => match open {
                Some(true) => {
                    screen.prompt = Some(PoolPrompt::Close {
                        achieved: action == Action::AchievePool,
                        reason: Default::default(),
                    })
                }
                Some(false) => self.note = Some(Note::PoolRefused(words::not_open_note())),
                None => {}
            },
            Action::ReopenPool => match open {
                Some(false) => screen.prompt = Some(PoolPrompt::ConfirmReopen),
                Some(true) => self.note = Some(Note::PoolRefused(words::already_open_note())),
                None => {}
            },
            _ => {}
        }
    }

    /// Typing on the pool page goes to the open question's box or the form's focused field.
    pub(super) fn pool_typed(&mut self, event: &Event) {
        let Some(View::Pool(screen)) = self.stack.last_mut() else {
            return;
        };
        if let Some(input) = screen.prompt_input_mut() {
            super::type_into(input, event);
        } else if let Some(form) = screen.form.as_mut()
            && !form.confirm_cancel
        {
            form.type_into(event);
        }
    }

    fn save_pool_form(&mut self) {
        match self.try_save_pool_form() {
            PoolOutcome::Saved(id, note) => {
                if let Some(View::Pool(screen)) = self.stack.last_mut() {
                    screen.form = None;
                }
                self.note = Some(Note::PoolChanged(note));
                self.mark_stale();
                self.keep_selection_on(id);
            }
            PoolOutcome::Refused(note) => self.note = Some(note),
        }
    }

    fn try_save_pool_form(&mut self) -> PoolOutcome {
        let actor = match &self.actor {
            Ok(actor) => actor.clone(),
            Err(e) => return PoolOutcome::Refused(Note::Failed(Bilingual::of(e))),
        };
        let (Some(View::Pool(screen)), Some(ledger)) =
            (self.stack.last_mut(), self.ledger.as_mut())
        else {
            return PoolOutcome::Refused(Note::NothingChanged);
        };
        let Some(form) = screen.form.as_mut() else {
            return PoolOutcome::Refused(Note::NothingChanged);
        };
        let draft = form.draft();
        let saved = match form.mode {
            PoolFormMode::New => {
                let fields = match validate_draft(&draft) {
                    Ok(fields) => fields,
                    Err(issues) => return refused_in_form(form, issues),
                };
                if !fields.warnings.is_empty() && fields.warnings != form.warnings {
                    let warnings = fields.warnings.len();
                    form.warnings = fields.warnings;
                    return PoolOutcome::Refused(Note::ConfirmWarnings { warnings });
                }
                ledger
                    .pool_add(&fields, &actor)
                    .map(|e| (words::added_note(&e), e))
            }
            PoolFormMode::Edit { id, base_revision } => {
                if !form.is_dirty() {
                    screen.form = None;
                    return PoolOutcome::Refused(Note::NothingChanged);
                }
                let edit = match validate_edit(
                    Some(&draft.stage),
                    Some(&draft.target_on),
                    Some(&draft.notes),
                ) {
                    Ok(edit) => edit,
                    Err(issues) => return refused_in_form(form, issues),
                };
                ledger
                    .pool_edit(id, Some(base_revision), &edit, &actor)
                    .map(|e| (words::edited_note(&e), e))
            }
        };
        match saved {
            Ok((note, entry)) => PoolOutcome::Saved(entry.id, note),
            Err(e) => PoolOutcome::Refused(Note::Failed(Bilingual::of(&e))),
        }
    }

    fn answer_pool_prompt(&mut self) {
        let actor = match &self.actor {
            Ok(actor) => actor.clone(),
            Err(e) => {
                self.note = Some(Note::Failed(Bilingual::of(e)));
                return;
            }
        };
        let today = self.today;
        let (Some(View::Pool(screen)), Some(ledger)) =
            (self.stack.last_mut(), self.ledger.as_mut())
        else {
            return;
        };
        let (Some(prompt), Some((id, revision))) = (
            screen.prompt.as_ref(),
            screen.selected_entry().map(|e| (e.id, e.revision)),
        ) else {
            screen.prompt = None;
            return;
        };
        let result = match prompt {
            PoolPrompt::Close { achieved, reason } => {
                let typed = reason.value();
                let given = (!typed.trim().is_empty()).then_some(typed);
                let close = match validate_close(*achieved, today, given) {
                    Ok(close) => close,
                    Err(issue) => {
                        self.note = Some(close_problem_note(&issue));
                        return;
                    }
                };
                ledger
                    .pool_close(id, Some(revision), &close, &actor)
                    .map(|e| words::closed_note(&e))
            }
            PoolPrompt::ConfirmReopen => ledger
                .pool_reopen(id, Some(revision), &actor)
                .map(|e| words::reopened_note(&e)),
        };
        screen.prompt = None;
        self.note = Some(match result {
            Ok(note) => Note::PoolChanged(note),
            Err(e) => Note::Failed(Bilingual::of(&e)),
        });
        self.mark_stale();
        self.keep_selection_on(id);
    }

    /// After the page is read again, the selection stays on `id` if it is still shown.
    fn keep_selection_on(&mut self, id: Uuid) {
        let Some(View::Pool(screen)) = self.stack.last_mut() else {
            return;
        };
        if let Some(ledger) = self.ledger.as_ref()
            && let Err(e) = screen.reload(ledger)
        {
            self.note = Some(Note::Failed(Bilingual::of(&e)));
            return;
        }
        if let Some(at) = screen.entries.iter().position(|e| e.id == id) {
            screen.selected = at;
        }
    }
}

fn refused_in_form(form: &mut PoolForm, issues: Vec<FieldIssue>) -> PoolOutcome {
    let problems = issues.len();
    form.show_issues(issues);
    PoolOutcome::Refused(Note::NotSaved { problems })
}

fn close_problem_note(issue: &FieldIssue) -> Note {
    match &issue.problem {
        Problem::Required => Note::ReasonRequired,
        Problem::TooLong { max, .. } => Note::TooLong { max: *max },
        other => Note::Failed(Bilingual::of(other)),
    }
}
