//! The awards page's keys: opening it, the year and unit filters, the detail box, and
//! approving or paying the selected line through the ledger (only the level that pays it).

use tui_input::Input;

use super::{App, Bilingual, Note, View};
use crate::domain::awards::{AwardAction, AwardLine, AwardRefusal};
use crate::domain::dates::parse_date;
use crate::i18n::tui as t;
use crate::store::{AwardRequest, StoreError};
use crate::tui::keys::Action;
use crate::tui::state::awards::{AwardPrompt, AwardsScreen, PayStage, date_input, pays_here};

impl App {
    /// Opens the awards page; its lines are read by the next flush.
    pub(super) fn open_awards(&mut self) {
        let city = self.city.is_some();
        self.stack
            .push(View::Awards(Box::new(AwardsScreen::new(&self.plan, city))));
    }

    pub(super) fn awards_action(&mut self, action: Action) {
        let Some(View::Awards(screen)) = self.stack.last_mut() else {
            return;
        };
        if let Some(prompt) = screen.prompt.take() {
            self.award_prompt_action(prompt, action);
            return;
        }
        if let Some(scroll) = screen.detail.as_mut() {
            match action {
                Action::Up => *scroll = scroll.saturating_sub(1),
                Action::Down => *scroll = scroll.saturating_add(1).min(40),
                Action::PageUp => *scroll = scroll.saturating_sub(10),
                Action::PageDown => *scroll = scroll.saturating_add(10).min(40),
                Action::Back => screen.detail = None,
                Action::ApproveAward => self.ask_award(AwardAction::Approve),
                Action::PayAward => self.ask_award(AwardAction::Pay),
                _ => {}
            }
            return;
        }
        match action {
            Action::Up => screen.move_selection(-1),
            Action::Down => screen.move_selection(1),
            Action::PageUp => screen.move_selection(-10),
            Action::PageDown => screen.move_selection(10),
            Action::NextYear => screen.cycle_year(true),
            Action::PrevYear => screen.cycle_year(false),
            Action::NextUnit => screen.cycle_unit(),
            Action::Open if screen.selected_line().is_some() => screen.detail = Some(0),
            Action::Back => {
                self.stack.pop();
            }
            Action::ApproveAward => self.ask_award(AwardAction::Approve),
            Action::PayAward => self.ask_award(AwardAction::Pay),
            _ => {}
        }
    }

    /// Asks for the date (and voucher) of an approval or payment of the selected line, when
    /// this ledger is the one that records it; otherwise says who does.
    fn ask_award(&mut self, action: AwardAction) {
        let (Some(View::Awards(screen)), Some(ledger)) =
            (self.stack.last_mut(), self.ledger.as_ref())
        else {
            return;
        };
        let Some(line) = screen.selected_line() else {
            return;
        };
        let paying = ledger.paying_level();
        if !pays_here(line, paying) {
            let (plan, level, unit) = (&self.plan, line.level, line.unit.clone());
            self.note = Some(Note::AwardNotHere(Bilingual::from_fn(|lang| {
                t::award_paid_elsewhere(lang, plan, level, &unit)
            })));
            return;
        }
        if action == AwardAction::Pay && line.approved.is_none() && line.payments.is_empty() {
            self.note = Some(Note::AwardNotHere(Bilingual::from_fn(
                t::award_approve_first,
            )));
            return;
        }
        let today = date_input(self.today);
        screen.prompt = Some(match action {
            AwardAction::Approve => AwardPrompt::Approve { date: today },
            AwardAction::Pay => AwardPrompt::Pay {
                date: today,
                voucher: Default::default(),
                stage: PayStage::Date,
            },
        });
    }

    fn award_prompt_action(&mut self, prompt: AwardPrompt, action: Action) {
        let Some(View::Awards(screen)) = self.stack.last_mut() else {
            return;
        };
        match action {
            Action::Yes => {}
            Action::No => return,
            _ => {
                screen.prompt = Some(prompt);
                return;
            }
        }
        let (date, voucher, award_action) = match prompt {
            AwardPrompt::Approve { date } => (date, None, AwardAction::Approve),
            AwardPrompt::Pay {
                date,
                voucher,
                stage: PayStage::Date,
            } => {
                // The date first: a date that cannot be read is asked again.
                let (date, stage) = match parse_date(date.value()) {
                    // Shown as the ledger keeps it while the voucher is typed.
                    Ok(on) => (Input::new(on.to_string()), PayStage::Voucher),
                    Err(_) => {
                        self.note = Some(Note::BadDate {
                            given: date.value().to_string(),
                        });
                        (date, PayStage::Date)
                    }
                };
                screen.prompt = Some(AwardPrompt::Pay {
                    date,
                    voucher,
                    stage,
                });
                return;
            }
            AwardPrompt::Pay { date, voucher, .. } => (date, Some(voucher), AwardAction::Pay),
        };
        let on = match parse_date(date.value()) {
            Ok(on) => on,
            Err(_) => {
                self.note = Some(Note::BadDate {
                    given: date.value().to_string(),
                });
                screen.prompt = Some(rebuild(date, voucher, PayStage::Date));
                return;
            }
        };
        if voucher
            .as_ref()
            .is_some_and(|v| v.value().trim().is_empty())
        {
            self.note = Some(Note::VoucherRequired);
            screen.prompt = Some(rebuild(date, voucher, PayStage::Voucher));
            return;
        }
        let actor = match &self.actor {
            Ok(actor) => actor.clone(),
            Err(e) => {
                // Nothing can be recorded under this account; what was typed stays.
                self.note = Some(Note::Failed(Bilingual::of(e)));
                screen.prompt = Some(rebuild(date, voucher, PayStage::Voucher));
                return;
            }
        };
        let (Some(line), Some(ledger)) = (screen.selected_line().cloned(), self.ledger.as_mut())
        else {
            return;
        };
        let request = AwardRequest {
            key: line.key.clone(),
            action: award_action,
            on,
            voucher: voucher.as_ref().map(|v| v.value().trim().to_string()),
        };
        match ledger.record_award(&self.plan, &request, &actor) {
            Ok(_) => {
                self.note = Some(Note::AwardRecorded(recorded_note(&line, &request)));
                self.seen_version = ledger.data_version().ok();
                self.mark_stale();
            }
            Err(e) => {
                // What was typed stays, to be corrected or cancelled with Esc.
                let stage = match &e {
                    StoreError::AwardRefused(refused)
                        if matches!(refused.refusal, AwardRefusal::PaidBeforeApproval { .. }) =>
                    {
                        PayStage::Date
                    }
                    _ => PayStage::Voucher,
                };
                self.note = Some(Note::Failed(Bilingual::of(&e)));
                screen.prompt = Some(rebuild(date, voucher, stage));
            }
        }
    }
}

/// The question again, as it was typed: an approval's date, or a payment's date and voucher
/// with the cursor in `stage`.
fn rebuild(date: Input, voucher: Option<Input>, stage: PayStage) -> AwardPrompt {
    match voucher {
        None => AwardPrompt::Approve { date },
        Some(voucher) => AwardPrompt::Pay {
            date,
            voucher,
            stage,
        },
    }
}

/// What the message line says after an approval or a payment.
fn recorded_note(line: &AwardLine, request: &AwardRequest) -> Bilingual {
    Bilingual::from_fn(|lang| {
        t::award_recorded(
            lang,
            &line.beneficiary,
            request.action,
            request.on,
            request.voucher.as_deref(),
        )
    })
}
