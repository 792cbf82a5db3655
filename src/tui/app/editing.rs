//! The form's actions: moving between fields, picking choices, saving (with the override
//! reason, duplicate and conflict questions a save can raise) and cancelling.

use ratatui::crossterm::event::KeyEvent;
use tui_input::Input;

use super::{App, Bilingual, Note, View};
use crate::domain::validate::{context_warnings, validate_record};
use crate::domain::{Record, SUPERSEDES, ValidRecord, credit_code};
use crate::plan::CountingRule;
use crate::store::StoreError;
use crate::tui::keys::{self, Action};
use crate::tui::state::form::{Form, FormDialog};

/// What a save attempt came to.
enum SaveOutcome {
    Saved(Record, usize),
    Refused(Note),
    Asked,
}

impl App {
    fn top_form(&mut self) -> Option<&mut Form> {
        match self.stack.last_mut() {
            Some(View::Form(form)) => Some(form),
            _ => None,
        }
    }

    pub(super) fn form_action(&mut self, action: Action, key: &KeyEvent) {
        let Some(form) = self.top_form() else {
            return;
        };
        if let Some(dialog) = form.dialog.take() {
            self.form_dialog_action(dialog, action);
            return;
        }
        match action {
            Action::NextField => {
                form.move_focus(true);
                self.refresh_upgrade_candidates();
            }
            Action::PrevField => {
                form.move_focus(false);
                self.refresh_upgrade_candidates();
            }
            Action::ChoiceNext => form.step_choice(true),
            Action::ChoicePrev => form.step_choice(false),
            Action::ClearChoice => form.clear_choice(),
            Action::PickOption => {
                if let Some(n) = keys::digit(key) {
                    form.pick_option(n as usize);
                }
            }
            Action::Save => self.save_form(),
            Action::HowToLeave => self.note = Some(Note::HowToLeaveForm),
            Action::CancelForm => {
                form.leave_field();
                if form.is_dirty() {
                    form.dialog = Some(FormDialog::ConfirmCancel);
                } else {
                    self.close_form();
                    self.note = Some(Note::NothingChanged);
                }
            }
            _ => {}
        }
    }

    /// On the `supersedes` field, the unit's earlier records of the same host (by the credit
    /// code typed above it) that this recognition may upgrade; elsewhere none.
    fn refresh_upgrade_candidates(&mut self) {
        let (Some(View::Form(form)), Some(ledger)) = (self.stack.last_mut(), self.ledger.as_ref())
        else {
            return;
        };
        form.upgrade_candidates.clear();
        if form.focus_key() != SUPERSEDES {
            return;
        }
        let code = form
            .values()
            .get(form.kind.credit_code_field())
            .map(|c| credit_code::normalize(c))
            .unwrap_or_default();
        if code.is_empty() {
            return;
        }
        let except = form.edited().map(|(id, _)| id);
        if let Ok(found) = ledger.upgrade_candidates(form.kind, &code, except, 3) {
            form.upgrade_candidates = found;
        }
    }

    fn form_dialog_action(&mut self, dialog: FormDialog, action: Action) {
        let Some(form) = self.top_form() else {
            return;
        };
        match (dialog, action) {
            (FormDialog::ConfirmCancel, Action::Yes) => {
                self.close_form();
                self.note = Some(Note::Cancelled);
            }
            (
                FormDialog::OverrideReason {
                    input,
                    field,
                    value,
                    expected,
                },
                Action::Yes,
            ) => {
                let reason = input.value().trim().to_string();
                if reason.is_empty() {
                    form.dialog = Some(FormDialog::OverrideReason {
                        input,
                        field,
                        value,
                        expected,
                    });
                    self.note = Some(Note::ReasonRequired);
                } else {
                    form.set_override_reason(&reason);
                    self.save_form();
                }
            }
            (FormDialog::Duplicate { existing_id, .. }, Action::OpenExisting) => {
                self.open_detail(existing_id);
            }
            (FormDialog::Conflict { theirs }, Action::KeepMine) => {
                form.rebase(theirs.revision);
                self.save_form();
            }
            (FormDialog::Conflict { theirs }, Action::EditAgain) => {
                form.rebase(theirs.revision);
            }
            (FormDialog::Conflict { theirs }, Action::TakeTheirs) => {
                self.close_form();
                self.show_record(theirs.id);
                self.note = Some(Note::Cancelled);
            }
            (_, Action::No | Action::Back) => {}
            (dialog, _) => form.dialog = Some(dialog),
        }
    }

    /// Closes the form on top and drops its draft.
    fn close_form(&mut self) {
        if matches!(self.stack.last(), Some(View::Form(_))) {
            self.stack.pop();
        }
        self.drop_draft();
    }

    /// Shows a record's detail on top: refreshes it if it is already there, else opens it.
    fn show_record(&mut self, id: uuid::Uuid) {
        match (self.stack.last_mut(), self.ledger.as_ref()) {
            (Some(View::Detail(detail)), Some(ledger)) if detail.record.id == id => {
                if let Err(e) = detail.refresh(ledger) {
                    self.note = Some(Note::Failed(Bilingual::of(&e)));
                }
            }
            _ => self.open_detail(id),
        }
    }

    /// Checks the whole form and saves it; a problem is shown on the form instead.
    pub(crate) fn save_form(&mut self) {
        match self.try_save() {
            SaveOutcome::Saved(record, warnings) => {
                let edited = self.form().and_then(|f| f.edited()).is_some();
                self.close_form();
                self.mark_stale();
                if edited {
                    self.show_record(record.id);
                }
                self.note = Some(Note::Saved {
                    name: record.name().to_string(),
                    warnings,
                    counts_in: self.counted_in_another_year(&record),
                });
            }
            SaveOutcome::Refused(note) => self.note = Some(note),
            SaveOutcome::Asked => {}
        }
    }

    /// (the record's year, the dashboard's year) when the record's indicator counts only
    /// the registrations of the year measured and the record's date lies in another year:
    /// a tech SME saved with last year's date does not move this year's count.
    fn counted_in_another_year(&self, record: &Record) -> Option<(i16, i16)> {
        let rule = self.plan.indicator(record.kind)?.rule;
        let year = record
            .fields
            .get(record.kind.key_date_field())
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())?
            .year();
        let measured = self.dashboard.as_of.year();
        (rule == CountingRule::RegisteredInYear && year != measured).then_some((year, measured))
    }

    fn try_save(&mut self) -> SaveOutcome {
        let actor = match &self.actor {
            Ok(actor) => actor.clone(),
            Err(e) => return SaveOutcome::Refused(Note::Failed(Bilingual::of(e))),
        };
        let (Some(View::Form(form)), Some(ledger)) = (self.stack.last_mut(), self.ledger.as_mut())
        else {
            return SaveOutcome::Asked;
        };
        form.leave_field();
        let mut values = form.values();
        if let Err(e) = ledger.resolve_references(&mut values) {
            return SaveOutcome::Refused(Note::Failed(Bilingual::of(&e)));
        }
        let valid: ValidRecord = match validate_record(form.kind, &values) {
            Ok(valid) => valid,
            Err(issues) => {
                if let Some((field, value, expected)) = Form::override_needed(&issues) {
                    form.show_issues(&issues);
                    form.dialog = Some(FormDialog::OverrideReason {
                        input: Input::default(),
                        field,
                        value,
                        expected,
                    });
                    return SaveOutcome::Asked;
                }
                form.show_issues(&issues);
                return SaveOutcome::Refused(Note::NotSaved {
                    problems: issues.len(),
                });
            }
        };
        form.show_issues(&[]);
        let mut warnings = valid.warnings.clone();
        warnings.extend(context_warnings(
            form.kind,
            &valid.fields,
            ledger.unit(),
            self.today,
        ));
        form.show_warnings(&warnings);
        if warnings.iter().any(|w| !form.seen_warnings.contains(w)) {
            form.seen_warnings = warnings;
            return SaveOutcome::Refused(Note::ConfirmWarnings {
                warnings: form.seen_warnings.len(),
            });
        }
        let saved = match form.edited() {
            None => ledger.insert(&valid, &actor),
            Some((id, base)) => ledger.update(id, Some(base), &valid, &actor),
        };
        match saved {
            Ok(record) => SaveOutcome::Saved(record, warnings.len()),
            Err(StoreError::Duplicate {
                existing_id,
                existing_name,
                ..
            }) => {
                form.dialog = Some(FormDialog::Duplicate {
                    existing_id,
                    existing_name,
                });
                SaveOutcome::Asked
            }
            Err(StoreError::Conflict { id, .. }) => match ledger.get(id) {
                Ok(theirs) => {
                    form.dialog = Some(FormDialog::Conflict {
                        theirs: Box::new(theirs),
                    });
                    SaveOutcome::Asked
                }
                Err(e) => SaveOutcome::Refused(Note::Failed(Bilingual::of(&e))),
            },
            Err(e) => SaveOutcome::Refused(Note::Failed(Bilingual::of(&e))),
        }
    }
}
