//! The application state and how events change it. Keys become [`Action`]s through the key
//! table; each action is a small named method. Drawing only reads `&App`.

mod awards;
mod browse;
mod city;
mod editing;
mod import;
mod model;
mod outlook;
mod pool;
mod session;
mod sheet_import;
mod sync;

pub use model::{Bilingual, HelpView, Modal, Note, Setup, Tab, View};

use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::civil::Date;
use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};

use super::keys::{self, Action, Ctx};
use super::state::city::CityView;
use super::state::dashboard::Dashboard;
use super::state::detail::{Detail, DetailPrompt};
use super::state::form::{Form, FormDialog};
use super::state::import::ImportStage;
use super::state::list::RecordList;
use super::state::pool::{PoolField, PoolPrompt, PoolScreen};
use super::state::sheet_import::SheetImportStage;
use super::theme::Theme;
use crate::domain::RecordKind;
use crate::i18n::Lang;
use crate::plan::Plan;
use crate::store::drafts::DraftStore;
use crate::store::{AccountError, Ledger, LedgerRole, UNKNOWN_ACCOUNT};

/// How long typing in the search box must pause before the list is fetched again.
pub const SEARCH_SETTLE: Duration = Duration::from_millis(150);

/// What the app needs to start.
pub struct AppConfig {
    pub lang: Lang,
    pub plan: Plan,
    pub theme: Theme,
    /// The date the dashboard measures on by default.
    pub today: Date,
    /// The OS account recorded as the author of changes, or why the environment's cannot be
    /// (then nothing can be saved, but the ledger can be read).
    pub actor: Result<String, AccountError>,
    /// The ledger file (created there on first run); drafts are kept beside it.
    pub db_path: Option<PathBuf>,
}

/// The whole state of the interface.
pub struct App {
    pub(crate) lang: Lang,
    pub(crate) plan: Plan,
    pub(crate) theme: Theme,
    pub(crate) today: Date,
    pub(crate) actor: Result<String, AccountError>,
    pub(crate) db_path: Option<PathBuf>,
    pub(crate) ledger: Option<Ledger>,
    pub(crate) drafts: Option<DraftStore>,
    pub(crate) size: (u16, u16),
    pub(crate) setup: Option<Setup>,
    pub(crate) tab: Tab,
    pub(crate) dashboard: Dashboard,
    /// The city view, when the ledger is the city's (it replaces the unit's tabs).
    pub(crate) city: Option<CityView>,
    pub(crate) lists: Vec<RecordList>,
    pub(crate) stack: Vec<View>,
    pub(crate) modal: Option<Modal>,
    pub(crate) note: Option<Note>,
    pub(crate) quit: bool,
    pub(crate) redraw_all: bool,
    pub(crate) changed: bool,
    /// The ledger's data version when last read, to notice other sessions' saves.
    pub(crate) seen_version: Option<i64>,
    pub(crate) last_poll: Option<Instant>,
    /// The form generation last written as a draft, and when.
    pub(crate) draft_generation: Option<u64>,
    pub(crate) last_draft_write: Option<Instant>,
    /// The draft file holds the open form (not an older draft kept for later).
    pub(crate) draft_owned: bool,
    /// The open prompt still holds the text it offered (a date, a folder): the first
    /// character typed replaces it, while a cursor key or Backspace keeps it for editing.
    pub(crate) offered: bool,
    /// The terminal or the locale is not UTF-8: the message line says how to fix it
    /// whenever it has nothing else to say.
    pub not_utf8: Option<crate::tui::encoding::NotUtf8>,
    /// The folder last typed for syncing in this session, offered before the one the
    /// ledger remembers (which is only written when something was written anyway).
    pub(crate) sync_folder: Option<String>,
    /// Where the progress bar of a long export or import is drawn (the terminal's bottom
    /// row in a session; none in tests).
    pub(crate) progress_out: Option<crate::tui::progress::ProgressOut>,
}

impl App {
    /// The app on `ledger`, or on the first-run screen when there is none yet. A draft left
    /// by an earlier session is offered back.
    pub fn new(config: AppConfig, ledger: Option<Ledger>) -> App {
        let drafts = config
            .db_path
            .as_deref()
            .map(|p| DraftStore::beside(p, config.actor.as_deref().unwrap_or(UNKNOWN_ACCOUNT)));
        let dashboard = Dashboard::new(&config.plan, config.today);
        let mut app = App {
            lang: config.lang,
            theme: config.theme,
            today: config.today,
            actor: config.actor,
            db_path: config.db_path,
            setup: ledger.is_none().then_some(Setup {
                selected: 0,
                confirming: false,
            }),
            ledger,
            drafts,
            size: (80, 24),
            tab: Tab::Dashboard,
            dashboard,
            city: None,
            lists: RecordKind::ALL.into_iter().map(RecordList::new).collect(),
            stack: Vec::new(),
            modal: None,
            note: None,
            quit: false,
            redraw_all: false,
            changed: true,
            seen_version: None,
            last_poll: None,
            draft_generation: None,
            last_draft_write: None,
            draft_owned: false,
            offered: false,
            not_utf8: None,
            sync_folder: None,
            progress_out: None,
            plan: config.plan,
        };
        app.resize(80, 24);
        if app.ledger.is_some() {
            app.started();
        }
        app
    }

    /// Handles one event and brings what is on screen up to date.
    pub fn handle(&mut self, event: &Event) {
        self.handle_event(event);
        self.flush();
    }

    /// Handles one event; the runner calls [`App::flush`] once a burst of events is in.
    pub fn handle_event(&mut self, event: &Event) {
        match event {
            Event::Resize(w, h) => self.resize(*w, *h),
            // Nothing is drawn but the request to enlarge the window: nothing is typed.
            Event::Paste(_) if self.too_small() => return,
            Event::Paste(text) => self.typed(&Event::Paste(text.clone())),
            Event::Key(key) if key.kind == KeyEventKind::Press => self.key(key),
            _ => return,
        }
        self.changed = true;
    }

    fn key(&mut self, key: &KeyEvent) {
        if self.too_small() {
            self.key_while_too_small(key);
            return;
        }
        let ctx = self.context();
        self.note = None;
        match keys::action_for(ctx, key) {
            Some(Action::ToggleLang) => {
                self.lang = match self.lang {
                    Lang::Zh => Lang::En,
                    Lang::En => Lang::Zh,
                }
            }
            Some(Action::Redraw) => self.redraw_all = true,
            Some(Action::Help) => self.stack.push(View::Help(HelpView {
                context: ctx,
                scroll: 0,
            })),
            Some(action) => {
                self.act(action, key);
                // A prompt that opened now offers its text as a selected default.
                if ctx != Ctx::Prompt && self.context() == Ctx::Prompt {
                    self.offered = true;
                }
            }
            None => self.typed(&Event::Key(*key)),
        }
    }

    /// The text box of the open prompt, if one is open.
    fn prompt_input_mut(&mut self) -> Option<&mut tui_input::Input> {
        use super::state::form::FormDialog;
        match self.stack.last_mut() {
            Some(View::Form(form)) => match &mut form.dialog {
                Some(FormDialog::OverrideReason { input, .. }) => Some(input),
                _ => None,
            },
            Some(View::Detail(detail)) => match &mut detail.prompt {
                Some(DetailPrompt::VoidReason(input)) => Some(input),
                _ => None,
            },
            Some(View::Sync(screen)) => screen.prompt.as_mut().map(|p| p.input_mut()),
            Some(View::Import(screen)) => match &mut screen.stage {
                ImportStage::Path(input) => Some(input),
                _ => None,
            },
            Some(View::SheetImport(screen)) => match &mut screen.stage {
                SheetImportStage::Path(input) => Some(input),
                _ => None,
            },
            Some(View::Awards(screen)) => screen.prompt.as_mut().map(|p| p.input_mut()),
            Some(View::Pool(screen)) => screen.prompt_input_mut(),
            Some(_) => None,
            None => match &mut self.city {
                Some(city) => match (&mut city.report_prompt, &mut city.date_prompt) {
                    (Some(prompt), _) => Some(prompt.input_mut()),
                    (None, Some((input, _))) => Some(input),
                    (None, None) => None,
                },
                None => match self.tab {
                    Tab::Dashboard => self.dashboard.date_prompt.as_mut().map(|(input, _)| input),
                    Tab::Kind(_) => None,
                },
            },
        }
    }

    /// Whether the window is smaller than the screens are laid out for (only the request to
    /// enlarge it is drawn).
    pub fn too_small(&self) -> bool {
        self.size.0 < super::screens::MIN_WIDTH || self.size.1 < super::screens::MIN_HEIGHT
    }

    /// While the window is too small, no screen is visible, so no key may open or change one:
    /// `q` and Ctrl+C leave (an open form is kept as a draft), Ctrl+L repaints.
    fn key_while_too_small(&mut self, key: &KeyEvent) {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('q') if !ctrl => self.hang_up(),
            KeyCode::Char('c' | 'C') if ctrl => self.hang_up(),
            KeyCode::Char('l' | 'L') if ctrl => self.redraw_all = true,
            _ => {}
        }
    }

    /// Sends an action to whatever is on top: a modal, the first-run screen, the top view,
    /// or the current tab.
    fn act(&mut self, action: Action, key: &KeyEvent) {
        if self.modal.is_some() {
            self.modal_action(action, key);
        } else if self.setup.is_some() && self.stack.is_empty() {
            self.setup_action(action);
        } else {
            match self.stack.last() {
                Some(View::Help(_)) => self.help_action(action),
                Some(View::Form(_)) => self.form_action(action, key),
                Some(View::Detail(_)) => self.detail_action(action),
                Some(View::Sync(_)) => self.sync_action(action),
                Some(View::UnitRecords(_)) => self.unit_records_action(action, key),
                Some(View::Import(_)) => self.import_action(action),
                Some(View::SheetImport(_)) => self.sheet_import_action(action, key),
                Some(View::Awards(_)) => self.awards_action(action),
                Some(View::Worklist(_) | View::Firm(_) | View::Trend(_)) => {
                    self.outlook_action(action)
                }
                Some(View::Pool(_)) => self.pool_action(action, key),
                None if self.city.is_some() => self.city_action(action, key),
                None => match self.tab {
                    Tab::Dashboard => self.dashboard_action(action, key),
                    Tab::Kind(_) => self.list_action(action, key),
                },
            }
        }
    }

    /// Text typed (or pasted) where text is taken.
    fn typed(&mut self, event: &Event) {
        if self.modal.is_some() || (self.setup.is_some() && self.stack.is_empty()) {
            return;
        }
        if std::mem::take(&mut self.offered)
            && self.context() == Ctx::Prompt
            && inserts_text(event)
            && let Some(input) = self.prompt_input_mut()
        {
            *input = tui_input::Input::default();
        }
        match self.stack.last_mut() {
            Some(View::Form(form)) => form.type_into_dialog_or_field(event),
            Some(View::Detail(detail)) => {
                if let Some(DetailPrompt::VoidReason(input)) = &mut detail.prompt {
                    let max = crate::domain::validate::VOID_REASON_MAX;
                    let before = input.clone();
                    if type_into(input, event) && input.value().chars().count() > max {
                        // Refused as it is typed, as a form's notes are, not after Enter.
                        *input = before;
                        self.note = Some(Note::TooLong { max });
                    }
                }
            }
            Some(View::Help(_) | View::Worklist(_) | View::Firm(_) | View::Trend(_)) => {}
            Some(View::Pool(_)) => self.pool_typed(event),
            Some(View::Sync(screen)) => {
                if let Some(prompt) = &mut screen.prompt {
                    type_into(prompt.input_mut(), event);
                }
            }
            Some(View::Import(screen)) => {
                if let ImportStage::Path(input) = &mut screen.stage {
                    type_into(input, event);
                }
            }
            Some(View::SheetImport(screen)) => {
                if let SheetImportStage::Path(input) = &mut screen.stage {
                    type_into(input, event);
                }
            }
            Some(View::Awards(screen)) => {
                if let Some(prompt) = &mut screen.prompt {
                    type_into(prompt.input_mut(), event);
                }
            }
            Some(View::UnitRecords(records)) => {
                let list = records.list_mut();
                if list.searching && type_into(&mut list.search, event) {
                    list.page_starts = vec![None];
                    list.selected = 0;
                    list.stale = true;
                    list.search_edited = Some(Instant::now());
                }
            }
            None if self.city.is_some() => {
                if let Some(city) = &mut self.city {
                    if let Some(prompt) = &mut city.report_prompt {
                        type_into(prompt.input_mut(), event);
                    } else if let Some((input, bad)) = &mut city.date_prompt
                        && type_into(input, event)
                    {
                        *bad = false;
                    }
                }
            }
            None => match self.tab {
                Tab::Dashboard => {
                    if let Some((input, bad)) = &mut self.dashboard.date_prompt
                        && type_into(input, event)
                    {
                        *bad = false;
                    }
                }
                Tab::Kind(kind) => {
                    let list = self.list_mut(kind);
                    if list.searching && type_into(&mut list.search, event) {
                        list.page_starts = vec![None];
                        list.selected = 0;
                        list.stale = true;
                        list.search_edited = Some(Instant::now());
                    }
                }
            },
        }
    }

    /// Where the keys go now, which decides what they mean.
    pub fn context(&self) -> Ctx {
        if let Some(modal) = &self.modal {
            return match modal {
                Modal::DraftOffer(_) => Ctx::DraftOffer,
                Modal::ConfirmDiscardDraft(_) => Ctx::ConfirmDiscard,
                Modal::PickKind { .. } => Ctx::PickKind,
            };
        }
        // The help opened from the first-run screen lies over it.
        if let Some(setup) = &self.setup
            && self.stack.is_empty()
        {
            return if setup.confirming {
                Ctx::Confirm
            } else {
                Ctx::Setup
            };
        }
        match self.stack.last() {
            Some(View::Help(_)) => Ctx::Help,
            Some(View::Form(form)) => match &form.dialog {
                Some(FormDialog::ConfirmCancel) => Ctx::ConfirmDiscard,
                Some(FormDialog::OverrideReason { .. }) => Ctx::Prompt,
                Some(FormDialog::Duplicate { .. }) => Ctx::Duplicate,
                Some(FormDialog::Conflict { .. }) => Ctx::Conflict,
                None if form.focused().is_choice() => Ctx::FormChoice,
                None => Ctx::FormText,
            },
            Some(View::Detail(_)) if self.city.is_some() => Ctx::CityDetail,
            Some(View::Detail(detail)) => match detail.prompt {
                Some(DetailPrompt::VoidReason(_)) => Ctx::Prompt,
                Some(DetailPrompt::ConfirmRestore) => Ctx::Confirm,
                None => Ctx::Detail,
            },
            Some(View::Sync(screen)) if screen.prompt.is_some() => Ctx::Prompt,
            Some(View::Sync(_)) => Ctx::Sync,
            Some(View::UnitRecords(records)) if records.list().searching => Ctx::Search,
            Some(View::UnitRecords(_)) => Ctx::UnitRecords,
            Some(View::Import(screen)) => match screen.stage {
                ImportStage::Path(_) => Ctx::Prompt,
                ImportStage::Review(_) => Ctx::ImportReview,
                ImportStage::Done(_) => Ctx::ImportDone,
            },
            Some(View::SheetImport(screen)) => match screen.stage {
                SheetImportStage::Path(_) => Ctx::Prompt,
                SheetImportStage::PickFile { .. } | SheetImportStage::PickKind { .. } => {
                    Ctx::SheetPick
                }
                SheetImportStage::Review(_) => Ctx::ImportReview,
                SheetImportStage::Done { .. } | SheetImportStage::Refused { .. } => Ctx::ImportDone,
            },
            Some(View::Worklist(_)) => Ctx::Worklist,
            Some(View::Firm(_)) => Ctx::Firm,
            Some(View::Trend(_)) => Ctx::Trend,
            Some(View::Pool(screen)) => pool_context(screen),
            Some(View::Awards(screen)) if screen.prompt.is_some() => Ctx::Prompt,
            Some(View::Awards(screen)) if screen.detail.is_some() => Ctx::AwardDetail,
            Some(View::Awards(screen)) if screen.city => Ctx::CityAwards,
            Some(View::Awards(_)) => Ctx::Awards,
            None if self
                .city
                .as_ref()
                .is_some_and(|c| c.date_prompt.is_some() || c.report_prompt.is_some()) =>
            {
                Ctx::Prompt
            }
            None if self.city.is_some() => Ctx::City,
            None => match self.tab {
                Tab::Dashboard if self.dashboard.date_prompt.is_some() => Ctx::Prompt,
                Tab::Dashboard => Ctx::Dashboard,
                Tab::Kind(kind) if self.list(kind).searching => Ctx::Search,
                Tab::Kind(_) => Ctx::List,
            },
        }
    }

    fn help_action(&mut self, action: Action) {
        let Some(View::Help(help)) = self.stack.last_mut() else {
            return;
        };
        let most = keys::BINDINGS.len() as u16;
        match action {
            Action::Up => help.scroll = help.scroll.saturating_sub(1),
            Action::Down => help.scroll = help.scroll.saturating_add(1).min(most),
            Action::PageUp => help.scroll = help.scroll.saturating_sub(10),
            Action::PageDown => help.scroll = help.scroll.saturating_add(10).min(most),
            Action::Back => {
                self.stack.pop();
            }
            _ => {}
        }
    }

    pub(crate) fn list(&self, kind: RecordKind) -> &RecordList {
        &self.lists[kind_index(kind)]
    }

    pub(crate) fn list_mut(&mut self, kind: RecordKind) -> &mut RecordList {
        &mut self.lists[kind_index(kind)]
    }

    /// The window changed size: lists page by the rows they now have.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        let rows = super::screens::records::list_rows(height);
        for list in &mut self.lists {
            list.set_page_size(rows);
        }
        for view in &mut self.stack {
            if let View::UnitRecords(records) = view {
                for list in &mut records.lists {
                    list.set_page_size(rows);
                }
            }
        }
        self.changed = true;
    }

    /// Fetches what the visible screen shows if it is out of date.
    pub fn flush(&mut self) {
        let Some(ledger) = self.ledger.as_ref() else {
            return;
        };
        if let Some(View::Trend(screen)) = self.stack.last_mut() {
            if screen.stale {
                self.changed = true;
                if let Err(e) = screen.reload(&self.plan, ledger) {
                    self.note = Some(Note::Failed(Bilingual::of(&e)));
                }
            }
            return;
        }
        if let Some(View::Pool(screen)) = self.stack.last_mut() {
            if screen.stale {
                self.changed = true;
                if let Err(e) = screen.reload(ledger) {
                    screen.stale = false;
                    self.note = Some(Note::Failed(Bilingual::of(&e)));
                }
            }
            return;
        }
        if let Some(View::Awards(screen)) = self.stack.last_mut() {
            if screen.stale {
                self.changed = true;
                if let Err(e) = screen.reload(&self.plan, ledger) {
                    screen.stale = false;
                    self.note = Some(Note::Failed(Bilingual::of(&e)));
                }
            }
            return;
        }
        if let Some(city) = self.city.as_mut() {
            let result = match self.stack.last_mut() {
                Some(View::UnitRecords(records)) if records.list().stale => {
                    let list = records.list_mut();
                    list.search_edited = None;
                    list.reload(ledger)
                }
                _ if city.stale => city.reload(&self.plan, self.lang, ledger, self.today),
                _ => return,
            };
            self.changed = true;
            if let Err(e) = result {
                self.note = Some(Note::Failed(Bilingual::of(&e)));
            }
            return;
        }
        let result = match self.tab {
            Tab::Dashboard if self.dashboard.stale => self.dashboard.reload(&self.plan, ledger),
            // At the next flush, so that the runner draws the figures first.
            Tab::Dashboard if self.dashboard.worklist_stale => {
                let whole = matches!(self.stack.last(), Some(View::Worklist(_)));
                self.dashboard.reload_worklist(&self.plan, ledger, whole)
            }
            // The worklist page needs the items a glance left out.
            Tab::Dashboard
                if self.dashboard.worklist_items_missing()
                    && matches!(self.stack.last(), Some(View::Worklist(_))) =>
            {
                self.dashboard.reload_worklist(&self.plan, ledger, true)
            }
            Tab::Kind(kind) if self.lists[kind_index(kind)].stale => {
                let list = &mut self.lists[kind_index(kind)];
                list.search_edited = None;
                list.reload(ledger)
            }
            _ => return,
        };
        self.changed = true;
        if let Err(e) = result {
            self.note = Some(Note::Failed(Bilingual::of(&e)));
        }
    }

    /// Like [`App::flush`], but a search still being typed waits until typing pauses
    /// ([`SEARCH_SETTLE`]), so a burst of keys costs one query. Returns how long until a
    /// waiting search is due.
    pub fn flush_settled(&mut self, now: Instant) -> Option<Duration> {
        let typing = match self.stack.last() {
            Some(View::UnitRecords(records)) => records.list().search_edited,
            _ => match self.tab {
                Tab::Kind(kind) if self.city.is_none() => self.list(kind).search_edited,
                _ => None,
            },
        };
        if let Some(edited) = typing {
            let waited = now.saturating_duration_since(edited);
            if waited < SEARCH_SETTLE {
                return Some(SEARCH_SETTLE - waited);
            }
        }
        self.flush();
        // The worklist waits for the figures to be drawn, then comes at once (unless a page
        // that reads its own data is on top: it waits until the dashboard shows again).
        let own_data_on_top = matches!(
            self.stack.last(),
            Some(View::Awards(_) | View::Trend(_) | View::Pool(_))
        );
        let worklist_waiting = self.ledger.is_some()
            && self.city.is_none()
            && self.tab == Tab::Dashboard
            && !own_data_on_top
            && self.dashboard.worklist_stale
            && !self.dashboard.stale;
        worklist_waiting.then_some(Duration::ZERO)
    }

    /// Marks every screen's data out of date (after a save here or elsewhere).
    pub(crate) fn mark_stale(&mut self) {
        self.dashboard.stale = true;
        for list in &mut self.lists {
            list.stale = true;
        }
        if let Some(city) = &mut self.city {
            city.stale = true;
        }
        for view in &mut self.stack {
            match view {
                View::UnitRecords(records) => {
                    for list in &mut records.lists {
                        list.stale = true;
                    }
                }
                View::Awards(screen) => screen.stale = true,
                View::Pool(screen) => screen.stale = true,
                _ => {}
            }
        }
    }

    /// The program should end.
    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Something changed since the last call: the screen needs drawing.
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    /// The clerk asked for the whole screen to be repainted.
    pub fn take_redraw_all(&mut self) -> bool {
        std::mem::take(&mut self.redraw_all)
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    /// The open form, if any (whether or not it is on top).
    pub fn form(&self) -> Option<&Form> {
        self.stack.iter().rev().find_map(|v| match v {
            View::Form(f) => Some(f.as_ref()),
            _ => None,
        })
    }

    /// The record shown on the detail screen, if that is on top.
    pub fn detail(&self) -> Option<&Detail> {
        match self.stack.last() {
            Some(View::Detail(d)) => Some(d),
            _ => None,
        }
    }

    /// What is on top: a view, or `None` for the tabs.
    pub fn top_view(&self) -> Option<&View> {
        self.stack.last()
    }

    pub fn modal(&self) -> Option<&Modal> {
        self.modal.as_ref()
    }

    pub fn note(&self) -> Option<&Note> {
        self.note.as_ref()
    }

    /// The records list of a kind as last fetched.
    pub fn records_list(&self, kind: RecordKind) -> &RecordList {
        self.list(kind)
    }

    pub fn dashboard(&self) -> &Dashboard {
        &self.dashboard
    }

    pub fn ledger(&self) -> Option<&Ledger> {
        self.ledger.as_ref()
    }

    pub fn is_first_run(&self) -> bool {
        self.setup.is_some()
    }

    /// The city view, when the ledger is the city's.
    pub fn city(&self) -> Option<&CityView> {
        self.city.as_ref()
    }

    /// Whether the ledger is the city's (its records are read-only here).
    pub fn is_city(&self) -> bool {
        self.ledger
            .as_ref()
            .is_some_and(|l| l.role() == LedgerRole::City)
    }
}

/// The key context of the pool page: its form, its question, or the list.
fn pool_context(screen: &PoolScreen) -> Ctx {
    match (&screen.form, &screen.prompt) {
        (Some(form), _) if form.confirm_cancel => Ctx::ConfirmDiscard,
        (Some(form), _) if form.focus == PoolField::Stage => Ctx::FormChoice,
        (Some(_), _) => Ctx::FormText,
        (None, Some(PoolPrompt::Close { .. })) => Ctx::Prompt,
        (None, Some(PoolPrompt::ConfirmReopen)) => Ctx::Confirm,
        (None, None) if screen.read_only => Ctx::CityPool,
        (None, None) => Ctx::Pool,
    }
}

/// Whether an event types text (a character or a paste) rather than moving or deleting.
fn inserts_text(event: &Event) -> bool {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    match event {
        Event::Paste(_) => true,
        Event::Key(key) => {
            matches!(key.code, KeyCode::Char(_))
                && !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        }
        _ => false,
    }
}

/// The position of a kind in [`RecordKind::ALL`].
pub(crate) fn kind_index(kind: RecordKind) -> usize {
    RecordKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

pub(crate) use super::state::form::edit_input as type_into;
