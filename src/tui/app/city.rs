//! The city ledger's view: pages, the date of the Annex 2 table, opening a unit's records
//! (read-only) from any page that lists units, and a claimed firm's record from the claims.

use ratatui::crossterm::event::KeyEvent;
use tui_input::Input;

use super::{App, Note, View};
use crate::domain::RecordKind;
use crate::domain::dates::parse_date;
use crate::tui::keys::{self, Action};
use crate::tui::state::city::{CityPage, UnitRecords};

impl App {
    pub(super) fn city_action(&mut self, action: Action, key: &KeyEvent) {
        let Some(city) = self.city.as_mut() else {
            return;
        };
        if let Some((input, _)) = city.date_prompt.take() {
            match action {
                Action::Yes => match parse_date(input.value()) {
                    Ok(date) => city.set_as_of(date),
                    Err(_) => {
                        self.note = Some(Note::BadDate {
                            given: input.value().to_string(),
                        });
                        city.date_prompt = Some((input, true));
                    }
                },
                Action::No => {}
                _ => city.date_prompt = Some((input, false)),
            }
            return;
        }
        let pages = CityPage::ALL.len();
        let here = city.page.index();
        match action {
            Action::Quit => self.quit = true,
            Action::NextTab => city.page = CityPage::ALL[(here + 1) % pages],
            Action::PrevTab => city.page = CityPage::ALL[(here + pages - 1) % pages],
            Action::GoCityPage => {
                if let Some(page) = keys::digit(key).and_then(|d| CityPage::ALL.get(d as usize)) {
                    city.page = *page;
                }
            }
            Action::Up => city.move_selection(-1),
            Action::Down => city.move_selection(1),
            Action::PageUp => city.move_selection(-10),
            Action::PageDown => city.move_selection(10),
            Action::SetAsOf => {
                city.date_prompt = Some((Input::new(city.as_of.to_string()), false));
            }
            Action::ResetAsOf => city.reset_as_of(&self.plan, self.today),
            Action::ToggleColumns => {
                city.page = CityPage::Annex;
                city.columns = city.columns.next();
            }
            Action::Open => {
                if let Some(id) = city.selected_claim() {
                    self.open_detail(id);
                } else if let Some(unit) = city.selected_unit().map(str::to_string) {
                    self.open_unit_records(&unit);
                }
            }
            Action::Sync => self.open_import(),
            Action::Awards => self.open_awards(),
            Action::ReadOnly => self.note = Some(Note::ReadOnlyAtCity),
            _ => {}
        }
    }

    /// Opens one unit's records, read-only.
    fn open_unit_records(&mut self, unit: &str) {
        let rows = crate::tui::screens::records::list_rows(self.size.1);
        self.stack
            .push(View::UnitRecords(Box::new(UnitRecords::new(unit, rows))));
    }

    pub(super) fn unit_records_action(&mut self, action: Action, key: &KeyEvent) {
        let (Some(View::UnitRecords(records)), Some(ledger)) =
            (self.stack.last_mut(), self.ledger.as_ref())
        else {
            return;
        };
        let kinds = RecordKind::ALL.len();
        let list = records.list_mut();
        let result = match action {
            Action::Back => {
                self.stack.pop();
                return;
            }
            Action::NextTab => {
                records.kind = (records.kind + 1) % kinds;
                Ok(None)
            }
            Action::PrevTab => {
                records.kind = (records.kind + kinds - 1) % kinds;
                Ok(None)
            }
            Action::GoKind => {
                if let Some(d) = keys::digit(key).filter(|d| (1..=kinds as u32).contains(d)) {
                    records.kind = d as usize - 1;
                }
                Ok(None)
            }
            Action::ReadOnly => {
                self.note = Some(Note::ReadOnlyAtCity);
                Ok(None)
            }
            _ => list.navigate(ledger, action).unwrap_or(Ok(None)),
        };
        self.after_list_action(result);
    }
}
