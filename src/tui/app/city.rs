//! The city ledger's view: pages, the date of the Annex 2 table, opening a unit's records
//! (read-only) from any page that lists units, a claimed firm's record from the claims, and
//! the city's printable workbook written into a folder.

use ratatui::crossterm::event::KeyEvent;
use tui_input::Input;

use std::path::Path;

use super::{App, Bilingual, Note, View};
use crate::domain::RecordKind;
use crate::domain::dates::parse_date;
use crate::domain::worklist::default_horizon;
use crate::sheet::book::city_report_path;
use crate::sheet::city_report::write_city_report;
use crate::tui::keys::{self, Action};
use crate::tui::state::city::{CityPage, UnitRecords};
use crate::tui::state::sync::{SyncPrompt, remembered_folder};

impl App {
    pub(super) fn city_action(&mut self, action: Action, key: &KeyEvent) {
        let Some(city) = self.city.as_mut() else {
            return;
        };
        if let Some(prompt) = city.report_prompt.take() {
            match action {
                Action::Yes => self.write_city_workbook(prompt),
                Action::No => {}
                _ => city.report_prompt = Some(prompt),
            }
            return;
        }
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
                } else if city.page == CityPage::Pool
                    && let Some(unit) = city.selected_unit().map(str::to_string)
                {
                    self.open_pool(&unit);
                } else if let Some(unit) = city.selected_unit().map(str::to_string) {
                    self.open_unit_records(&unit);
                }
            }
            Action::WriteReport => {
                let folder = match (&self.sync_folder, self.ledger.as_ref()) {
                    (Some(folder), _) => folder.clone(),
                    (None, Some(ledger)) => remembered_folder(ledger),
                    (None, None) => return,
                };
                city.report_prompt = Some(SyncPrompt::ReportTo(Input::new(folder)));
            }
            Action::Sync => self.open_import(),
            Action::Awards => self.open_awards(),
            Action::Trend => match city.selected_unit().map(str::to_string) {
                Some(unit) => {
                    let (as_of, until) = (city.as_of, default_horizon(city.as_of));
                    self.open_trend(&unit, as_of, until);
                }
                None => self.note = Some(Note::PickUnitForTrend),
            },
            Action::ReadOnly => self.note = Some(Note::ReadOnlyAtCity),
            _ => {}
        }
    }

    /// Writes the city's workbook on the view's date into the folder typed; the message
    /// line says where it went, or why it could not be written.
    fn write_city_workbook(&mut self, prompt: SyncPrompt) {
        let (Some(city), Some(ledger)) = (self.city.as_mut(), self.ledger.as_ref()) else {
            return;
        };
        let typed = prompt.input().value().trim().to_string();
        if typed.is_empty() {
            city.report_prompt = Some(prompt);
            self.note = Some(Note::PathRequired);
            return;
        }
        let path = city_report_path(&self.plan, Path::new(&typed), city.as_of);
        self.note = Some(
            match write_city_report(ledger, &self.plan, city.as_of, self.lang, &path) {
                Ok(()) => Note::ReportWritten {
                    path: crate::display::path(&path),
                },
                Err(e) => Note::Failed(Bilingual::of(&e)),
            },
        );
        self.sync_folder = Some(typed);
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
