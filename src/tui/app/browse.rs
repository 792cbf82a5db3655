//! Moving around: tabs, the dashboard's date, the records lists and the detail screen with
//! its void and restore.

use ratatui::crossterm::event::KeyEvent;
use tui_input::Input;

use super::{App, Bilingual, Modal, Note, Tab, View};
use crate::domain::dates::parse_date;
use crate::domain::{RecordKind, RecordStatus};
use crate::store::StoreError;
use crate::tui::keys::{self, Action};
use crate::tui::state::detail::{Detail, DetailPrompt};
use crate::tui::state::form::Form;

impl App {
    /// Tab switching and the pool page, shared by the dashboard and the lists.
    fn tab_action(&mut self, action: Action, key: &KeyEvent) -> bool {
        let tabs = Tab::all();
        let here = self.tab.index();
        match action {
            Action::NextTab => self.tab = tabs[(here + 1) % tabs.len()],
            Action::PrevTab => self.tab = tabs[(here + tabs.len() - 1) % tabs.len()],
            Action::GoTab => match keys::digit(key).and_then(|d| tabs.get(d as usize)) {
                Some(tab) => self.tab = *tab,
                None => return false,
            },
            Action::Quit => self.quit = true,
            Action::PoolPage => match self.ledger.as_ref().map(|l| l.unit().to_owned()) {
                Some(unit) => self.open_pool(&unit),
                None => return false,
            },
            _ => return false,
        }
        true
    }

    pub(super) fn dashboard_action(&mut self, action: Action, key: &KeyEvent) {
        if let Some((input, _)) = self.dashboard.date_prompt.take() {
            match action {
                Action::Yes => match parse_date(input.value()) {
                    Ok(date) => self.dashboard.set_as_of(date),
                    Err(_) => {
                        self.note = Some(Note::BadDate {
                            given: input.value().to_string(),
                        });
                        self.dashboard.date_prompt = Some((input, true));
                    }
                },
                Action::No => {}
                _ => self.dashboard.date_prompt = Some((input, false)),
            }
            return;
        }
        if self.tab_action(action, key) {
            return;
        }
        match action {
            Action::NewRecord => self.modal = Some(Modal::PickKind { selected: 0 }),
            Action::SetAsOf => {
                self.dashboard.date_prompt =
                    Some((Input::new(self.dashboard.as_of.to_string()), false))
            }
            Action::ResetAsOf => self.dashboard.reset_as_of(&self.plan, self.today),
            Action::Sync => self.open_sync(),
            Action::Awards => self.open_awards(),
            Action::Worklist => self.open_worklist(),
            Action::Trend => {
                let unit = self.ledger.as_ref().map(|l| l.unit().to_owned());
                if let Some(unit) = unit {
                    let (as_of, until) = (self.dashboard.as_of, self.dashboard.until());
                    self.open_trend(&unit, as_of, until);
                }
            }
            _ => {}
        }
    }

    pub(super) fn list_action(&mut self, action: Action, key: &KeyEvent) {
        let Tab::Kind(kind) = self.tab else {
            return;
        };
        if self.tab_action(action, key) {
            return;
        }
        if action == Action::Sync {
            self.open_sync();
            return;
        }
        let Some(ledger) = self.ledger.as_ref() else {
            return;
        };
        let list = &mut self.lists[super::kind_index(kind)];
        let result = match list.navigate(ledger, action) {
            Some(result) => result,
            None => {
                if action == Action::NewRecord {
                    self.open_new_form(kind);
                }
                Ok(None)
            }
        };
        self.after_list_action(result);
    }

    /// Opens the record a list asked for, or says why the list could not move.
    pub(super) fn after_list_action(&mut self, result: Result<Option<uuid::Uuid>, StoreError>) {
        match result {
            Ok(Some(id)) => self.open_detail(id),
            Ok(None) => {}
            Err(e) => self.note = Some(Note::Failed(Bilingual::of(&e))),
        }
    }

    /// Opens a record with its history.
    pub(crate) fn open_detail(&mut self, id: uuid::Uuid) {
        let Some(ledger) = self.ledger.as_ref() else {
            return;
        };
        match Detail::load(ledger, id) {
            Ok(detail) => self.stack.push(View::Detail(Box::new(detail))),
            Err(e) => self.note = Some(Note::Failed(Bilingual::of(&e))),
        }
    }

    /// Opens an empty form, unless one is open already (one form, one draft at a time).
    pub(crate) fn open_new_form(&mut self, kind: RecordKind) {
        if self.form().is_some() {
            self.note = Some(Note::FormAlreadyOpen);
            return;
        }
        self.stack
            .push(View::Form(Box::new(Form::new_record(kind))));
        self.draft_generation = None;
    }

    pub(super) fn detail_action(&mut self, action: Action) {
        let city = self.city.is_some();
        let Some(View::Detail(detail)) = self.stack.last_mut() else {
            return;
        };
        if city
            && matches!(
                action,
                Action::ReadOnly
                    | Action::Edit
                    | Action::Void
                    | Action::Restore
                    | Action::NewRecord
            )
        {
            self.note = Some(Note::ReadOnlyAtCity);
            return;
        }
        if let Some(prompt) = detail.prompt.take() {
            self.detail_prompt_action(prompt, action);
            return;
        }
        let voided = detail.record.status == RecordStatus::Voided;
        // The body is the fields, a few lines about the record, and the history.
        let most = (detail.record.kind.fields().len() + detail.history.len() + 8) as u16;
        match action {
            Action::Up => detail.scroll = detail.scroll.saturating_sub(1),
            Action::Down => detail.scroll = detail.scroll.saturating_add(1).min(most),
            Action::PageUp => detail.scroll = detail.scroll.saturating_sub(10),
            Action::PageDown => detail.scroll = detail.scroll.saturating_add(10).min(most),
            Action::Back => {
                self.stack.pop();
            }
            Action::Void if voided => self.note = Some(Note::AlreadyVoided),
            Action::Void => detail.prompt = Some(DetailPrompt::VoidReason(Input::default())),
            Action::Restore if !voided => self.note = Some(Note::NotVoided),
            Action::Restore => detail.prompt = Some(DetailPrompt::ConfirmRestore),
            Action::Edit if voided => self.note = Some(Note::VoidedCannotEdit),
            Action::Edit => {
                let form = Form::edit(&detail.record);
                if self.form().is_some() {
                    self.note = Some(Note::FormAlreadyOpen);
                } else {
                    self.stack.push(View::Form(Box::new(form)));
                    self.draft_generation = None;
                }
            }
            Action::NewRecord => {
                let kind = detail.record.kind;
                self.open_new_form(kind);
            }
            Action::OpenFirm => {
                let record = detail.record.clone();
                self.open_firm_of(&record);
            }
            _ => {}
        }
    }

    fn detail_prompt_action(&mut self, prompt: DetailPrompt, action: Action) {
        let (Some(View::Detail(detail)), Some(ledger)) =
            (self.stack.last_mut(), self.ledger.as_mut())
        else {
            return;
        };
        let record = &detail.record;
        let actor = match (&self.actor, &action) {
            (Err(e), Action::Yes) => {
                // Nothing can be recorded under this account; what was typed stays.
                self.note = Some(Note::Failed(Bilingual::of(e)));
                detail.prompt = Some(prompt);
                return;
            }
            (Ok(actor), _) => actor.as_str(),
            // Only a confirmation writes; the account is not needed for anything else.
            (Err(_), _) => "",
        };
        let result = match (prompt, action) {
            (DetailPrompt::VoidReason(input), Action::Yes) => {
                let reason = input.value().trim().to_string();
                if reason.is_empty() {
                    detail.prompt = Some(DetailPrompt::VoidReason(input));
                    self.note = Some(Note::ReasonRequired);
                    return;
                }
                let result = ledger.void(record.id, &reason, Some(record.revision), actor);
                if let Err(e @ StoreError::BadText { .. }) = &result {
                    // A character the text policy refuses: the clerk corrects the reason.
                    self.note = Some(Note::Failed(Bilingual::of(e)));
                    detail.prompt = Some(DetailPrompt::VoidReason(input));
                    return;
                }
                result.map(|r| Note::Voided {
                    name: r.name().to_string(),
                })
            }
            (DetailPrompt::ConfirmRestore, Action::Yes) => ledger
                .restore(record.id, Some(record.revision), actor)
                .map(|r| Note::Restored {
                    name: r.name().to_string(),
                }),
            (_, Action::No) => return,
            (prompt, _) => {
                detail.prompt = Some(prompt);
                return;
            }
        };
        self.note = Some(match result {
            Ok(note) => note,
            Err(StoreError::Conflict { .. }) => Note::ChangedElsewhere,
            Err(e) => Note::Failed(Bilingual::of(&e)),
        });
        if let Err(e) = detail.refresh(ledger) {
            self.note = Some(Note::Failed(Bilingual::of(&e)));
        }
        self.seen_version = ledger.data_version().ok();
        self.mark_stale();
    }
}
