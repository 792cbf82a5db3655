//! The one fixed key table: it decides what a key does in each context and it is what the
//! help screen and the hint bar print. Every action has a binding that is not an F-key.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where the clerk is, which decides what a key means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ctx {
    /// First run: picking the unit.
    Setup,
    Dashboard,
    /// A records list with the selection in the list.
    List,
    /// A records list with the search box taking the typing.
    Search,
    /// One record and its history.
    Detail,
    /// A form, focus on a text field (letters are typed, not commands).
    FormText,
    /// A form, focus on a choice field.
    FormChoice,
    Help,
    /// A yes/no question about something that loses nothing (Enter also says yes).
    Confirm,
    /// A yes/no question about throwing typing away: only `y` says yes.
    ConfirmDiscard,
    /// A question that takes a line of text (void reason, override reason, date).
    Prompt,
    /// Saving over someone else's newer save.
    Conflict,
    /// Saving a record the ledger already holds.
    Duplicate,
    /// An unsaved form found at start.
    DraftOffer,
    /// Choosing which kind of record to add.
    PickKind,
    /// The unit's sync screen: export a bundle to the USB stick, import the city's receipt.
    Sync,
    /// The city ledger's view: Annex 2 table, ranking, firms claimed twice, freshness and
    /// the import log.
    City,
    /// One unit's records at the city (read-only).
    UnitRecords,
    /// One record at the city (read-only).
    CityDetail,
    /// What importing the bundles would do, per record, waiting for a yes.
    ImportReview,
    /// What an import did.
    ImportDone,
    /// The awards page at a unit's ledger.
    Awards,
    /// The awards page at the city ledger (the list can be narrowed to one unit).
    CityAwards,
    /// One award line's detail box.
    AwardDetail,
    /// Taking in a sheet: picking the file of a folder, or the kind its rows are.
    SheetPick,
    /// The worklist (待办): certificates running out, firms not registered again.
    Worklist,
    /// One firm's page: its records across kinds and years.
    Firm,
    /// An indicator's path month by month.
    Trend,
    /// A unit's cultivation pool (培育库) at its own ledger.
    Pool,
    /// A unit's cultivation pool at the city (read-only).
    CityPool,
}

/// What a key asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    ToggleLang,
    Redraw,
    NextTab,
    PrevTab,
    /// `0` for the dashboard, `1`-`6` for the kinds (the digit is read from the key).
    GoTab,
    NewRecord,
    Up,
    Down,
    PageUp,
    PageDown,
    FirstPage,
    Open,
    Back,
    StartSearch,
    FinishSearch,
    ToggleVoided,
    SetAsOf,
    ResetAsOf,
    Edit,
    Void,
    Restore,
    NextField,
    PrevField,
    ChoiceNext,
    ChoicePrev,
    /// `1`-`9` on a choice field picks that option (the digit is read from the key).
    PickOption,
    /// Empties a choice field.
    ClearChoice,
    Save,
    CancelForm,
    /// Ctrl+C in a form: says how to leave it (it neither quits nor throws the form away).
    HowToLeave,
    Yes,
    No,
    KeepMine,
    TakeTheirs,
    EditAgain,
    OpenExisting,
    RestoreDraft,
    DiscardDraft,
    /// The sync screen at a unit; importing bundles at the city.
    Sync,
    /// Writes the unit's next bundle to a folder.
    Export,
    /// Reads the city's receipt from a file or folder.
    ImportReceipt,
    /// Writes the printable workbook (the unit's ledger, or the city's report) to a folder.
    WriteReport,
    /// Takes in a sheet the unit already keeps (xlsx, xls, ods, csv).
    ImportSheet,
    /// Imports the bundles just reviewed.
    ConfirmImport,
    /// `0`-`4` on the city view (the digit is read from the key).
    GoCityPage,
    /// `1`-`6` in one unit's records at the city (the digit is read from the key).
    GoKind,
    /// Cycles the Annex 2 table: achieved/target, percent, expected and status.
    ToggleColumns,
    /// An editing key at the city: says that corrections come from the unit.
    ReadOnly,
    /// The awards page (奖补资金).
    Awards,
    /// The awards page's year filter, forwards (all years, then each year of the plan).
    NextYear,
    PrevYear,
    /// The city's awards page: all units, then each unit in turn.
    NextUnit,
    /// Approves the selected award line.
    ApproveAward,
    /// Records the payment of the selected award line.
    PayAward,
    /// The worklist page (待办).
    Worklist,
    /// The page of the firm behind the record or item.
    OpenFirm,
    /// The path of an indicator month by month (进度曲线).
    Trend,
    /// The next indicator's path.
    NextIndicator,
    /// The previous indicator's path.
    PrevIndicator,
    /// The unit's cultivation pool page (培育库).
    PoolPage,
    /// Puts a firm into the pool.
    AddToPool,
    /// Opens the selected closed pool entry again.
    ReopenPool,
    /// Lists achieved and withdrawn entries too.
    ToggleClosedPool,
    /// Closes the selected pool entry as achieved.
    AchievePool,
    /// Takes the selected pool entry out of the pool, for a reason.
    WithdrawPool,
}

/// One key, as the table writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn ch(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

const fn k(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

/// A line of the key table.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    pub action: Action,
    pub contexts: &'static [Ctx],
    pub keys: &'static [Key],
    /// How the keys are written when listing each one would be too long (`0-6`).
    pub keys_label: Option<&'static str>,
    /// Shown in the hint bar at the bottom of the screen.
    pub hint: bool,
}

const fn bind(
    action: Action,
    contexts: &'static [Ctx],
    keys: &'static [Key],
    hint: bool,
) -> Binding {
    Binding {
        action,
        contexts,
        keys,
        keys_label: None,
        hint,
    }
}

use Ctx::*;

const BROWSE: &[Ctx] = &[Dashboard, List, Detail];
/// The awards page and its detail box, at a unit and at the city.
const AWARDS: &[Ctx] = &[Awards, CityAwards, AwardDetail];
const TABS: &[Ctx] = &[Dashboard, List];
const FORM: &[Ctx] = &[FormText, FormChoice];
const NOT_TYPING: &[Ctx] = &[
    Setup,
    Dashboard,
    List,
    Detail,
    FormChoice,
    Sync,
    City,
    UnitRecords,
    CityDetail,
    ImportReview,
    ImportDone,
    Awards,
    CityAwards,
    AwardDetail,
    SheetPick,
    Conflict,
    Duplicate,
    Worklist,
    Firm,
    Trend,
    Pool,
    CityPool,
];
const EVERYWHERE: &[Ctx] = &[
    Setup,
    Dashboard,
    List,
    Search,
    Detail,
    FormText,
    FormChoice,
    Help,
    Confirm,
    ConfirmDiscard,
    Prompt,
    Conflict,
    Duplicate,
    DraftOffer,
    PickKind,
    Sync,
    City,
    UnitRecords,
    CityDetail,
    ImportReview,
    ImportDone,
    Awards,
    CityAwards,
    AwardDetail,
    SheetPick,
    Worklist,
    Firm,
    Trend,
    Pool,
    CityPool,
];
const MOVING: &[Ctx] = &[
    Setup,
    List,
    Detail,
    Help,
    PickKind,
    City,
    UnitRecords,
    CityDetail,
    ImportReview,
    ImportDone,
    Awards,
    CityAwards,
    AwardDetail,
    SheetPick,
    Worklist,
    Firm,
    Pool,
    CityPool,
];
/// Screens that go back with Esc, Backspace, `b` or `q`.
const GOES_BACK: &[Ctx] = &[
    Detail,
    CityDetail,
    Sync,
    UnitRecords,
    ImportDone,
    Awards,
    CityAwards,
    AwardDetail,
    SheetPick,
    Worklist,
    Firm,
    Trend,
    Pool,
    CityPool,
];

/// The key table. The first binding that matches a key in the current context wins.
pub static BINDINGS: &[Binding] = &[
    // Dialogs first, so that a modal question takes its keys before anything beneath.
    bind(Action::Yes, &[Confirm], &[ch('y'), k(KeyCode::Enter)], true),
    bind(Action::Yes, &[ConfirmDiscard], &[ch('y')], true),
    // Importing writes to the city ledger: only `y` says yes, never a stray Enter.
    bind(Action::ConfirmImport, &[ImportReview], &[ch('y')], true),
    bind(
        Action::No,
        &[Confirm, ConfirmDiscard, ImportReview],
        &[ch('n'), k(KeyCode::Esc)],
        true,
    ),
    bind(Action::Yes, &[Prompt], &[k(KeyCode::Enter)], true),
    bind(Action::No, &[Prompt], &[k(KeyCode::Esc)], true),
    bind(Action::KeepMine, &[Conflict], &[ch('m')], true),
    bind(Action::TakeTheirs, &[Conflict], &[ch('t')], true),
    bind(Action::EditAgain, &[Conflict], &[ch('e')], true),
    bind(
        Action::Back,
        &[Conflict, Duplicate],
        &[k(KeyCode::Esc), ch('b')],
        true,
    ),
    bind(
        Action::OpenExisting,
        &[Duplicate],
        &[ch('o'), k(KeyCode::Enter)],
        true,
    ),
    bind(
        Action::RestoreDraft,
        &[DraftOffer],
        &[ch('y'), k(KeyCode::Enter)],
        true,
    ),
    bind(Action::DiscardDraft, &[DraftOffer], &[ch('d')], true),
    bind(Action::No, &[DraftOffer], &[ch('n'), k(KeyCode::Esc)], true),
    bind(Action::Back, &[PickKind], &[k(KeyCode::Esc), ch('q')], true),
    // Forms.
    bind(Action::Save, FORM, &[ctrl('s'), k(KeyCode::F(2))], true),
    bind(
        Action::NextField,
        FORM,
        &[k(KeyCode::Tab), k(KeyCode::Enter), k(KeyCode::Down)],
        true,
    ),
    bind(
        Action::PrevField,
        FORM,
        &[k(KeyCode::BackTab), k(KeyCode::Up)],
        true,
    ),
    bind(
        Action::ChoiceNext,
        &[FormChoice],
        &[k(KeyCode::Right), ch(' ')],
        true,
    ),
    bind(
        Action::ChoicePrev,
        &[FormChoice],
        &[k(KeyCode::Left)],
        false,
    ),
    bind(
        Action::ClearChoice,
        &[FormChoice],
        &[k(KeyCode::Backspace), k(KeyCode::Delete)],
        false,
    ),
    Binding {
        action: Action::PickOption,
        contexts: &[FormChoice, PickKind, SheetPick],
        keys: &[
            ch('1'),
            ch('2'),
            ch('3'),
            ch('4'),
            ch('5'),
            ch('6'),
            ch('7'),
            ch('8'),
            ch('9'),
        ],
        keys_label: Some("1-9"),
        hint: false,
    },
    bind(
        Action::CancelForm,
        FORM,
        &[k(KeyCode::Esc), ctrl('q')],
        true,
    ),
    bind(Action::HowToLeave, FORM, &[ctrl('c')], false),
    // Searching.
    bind(
        Action::FinishSearch,
        &[Search],
        &[k(KeyCode::Enter), k(KeyCode::Esc), k(KeyCode::Down)],
        true,
    ),
    // Help: `?` where letters are commands, Ctrl+G where they are typed; F1 everywhere.
    bind(Action::Help, NOT_TYPING, &[ch('?'), k(KeyCode::F(1))], true),
    bind(
        Action::Help,
        &[FormText, FormChoice, Search],
        &[ctrl('g'), k(KeyCode::F(1))],
        true,
    ),
    bind(
        Action::Back,
        &[Help],
        &[k(KeyCode::Esc), ch('q'), k(KeyCode::Enter)],
        true,
    ),
    bind(
        Action::ToggleLang,
        &[
            Setup,
            Dashboard,
            List,
            Detail,
            FormChoice,
            Help,
            Sync,
            City,
            UnitRecords,
            CityDetail,
            ImportReview,
            ImportDone,
            Awards,
            CityAwards,
            AwardDetail,
            SheetPick,
            Worklist,
            Firm,
            Trend,
            Pool,
            CityPool,
        ],
        &[ch('L')],
        false,
    ),
    bind(Action::ToggleLang, EVERYWHERE, &[ctrl('t')], false),
    bind(Action::Redraw, EVERYWHERE, &[ctrl('l')], false),
    bind(
        Action::Quit,
        &[Setup, Dashboard, List, City],
        &[ch('q'), ctrl('c')],
        true,
    ),
    // Browsing.
    bind(Action::NewRecord, BROWSE, &[ch('n')], true),
    // The pool page: `n` puts a firm in, `e` changes its entry, `a` achieved (达成),
    // `c` takes it out (出库), `r` opens it again.
    bind(Action::AddToPool, &[Pool], &[ch('n')], true),
    bind(Action::Edit, &[Pool], &[ch('e')], true),
    bind(Action::AchievePool, &[Pool], &[ch('a')], true),
    bind(Action::WithdrawPool, &[Pool], &[ch('c')], true),
    bind(Action::ReopenPool, &[Pool], &[ch('r')], true),
    // The city's records are read-only: the editing keys explain why instead.
    bind(Action::ReadOnly, &[City, UnitRecords], &[ch('n')], false),
    bind(
        Action::ReadOnly,
        &[CityPool],
        &[ch('n'), ch('e'), ch('a'), ch('c'), ch('r')],
        false,
    ),
    bind(
        Action::ReadOnly,
        &[CityDetail],
        &[ch('e'), ch('v'), ch('r'), ch('n')],
        false,
    ),
    bind(
        Action::NextTab,
        &[Dashboard, List, Search, City, UnitRecords],
        &[k(KeyCode::Tab)],
        false,
    ),
    bind(
        Action::PrevTab,
        &[Dashboard, List, Search, City, UnitRecords],
        &[k(KeyCode::BackTab)],
        false,
    ),
    Binding {
        action: Action::GoTab,
        contexts: TABS,
        keys: &[
            ch('0'),
            ch('1'),
            ch('2'),
            ch('3'),
            ch('4'),
            ch('5'),
            ch('6'),
        ],
        keys_label: Some("0-6"),
        hint: true,
    },
    Binding {
        action: Action::GoCityPage,
        contexts: &[City],
        keys: &[
            ch('0'),
            ch('1'),
            ch('2'),
            ch('3'),
            ch('4'),
            ch('5'),
            ch('6'),
        ],
        keys_label: Some("0-6"),
        hint: true,
    },
    Binding {
        action: Action::GoKind,
        contexts: &[UnitRecords],
        keys: &[ch('1'), ch('2'), ch('3'), ch('4'), ch('5'), ch('6')],
        keys_label: Some("1-6"),
        hint: true,
    },
    bind(Action::SetAsOf, &[Dashboard, City], &[ch('d')], true),
    bind(Action::ResetAsOf, &[Dashboard, City], &[ch('t')], false),
    bind(Action::ToggleColumns, &[City], &[ch('p')], true),
    // `u` for the USB stick (U盘).
    bind(Action::Sync, &[Dashboard, City], &[ch('u')], true),
    bind(Action::Sync, &[List], &[ch('u')], false),
    // `f` for the award funds (奖补资金); `j` already moves down at the city.
    bind(Action::Awards, &[Dashboard, City], &[ch('f')], true),
    // `w` for the worklist (待办), `g` for the graph of an indicator's path.
    bind(Action::Worklist, &[Dashboard], &[ch('w')], true),
    bind(Action::Trend, &[Dashboard], &[ch('g')], true),
    // `p` for the cultivation pool (培育库).
    bind(Action::PoolPage, &[Dashboard], &[ch('p')], true),
    bind(Action::PoolPage, &[List], &[ch('p')], false),
    // `f` for the firm (企业) behind a record or an item of the worklist.
    bind(
        Action::OpenFirm,
        &[Detail, CityDetail, Worklist, Pool, CityPool],
        &[ch('f')],
        true,
    ),
    bind(
        Action::NextIndicator,
        &[Trend],
        &[k(KeyCode::Right), k(KeyCode::Tab), ch('l')],
        true,
    ),
    bind(
        Action::PrevIndicator,
        &[Trend],
        &[k(KeyCode::Left), k(KeyCode::BackTab), ch('h')],
        false,
    ),
    bind(Action::ApproveAward, AWARDS, &[ch('a')], true),
    bind(Action::PayAward, AWARDS, &[ch('p')], true),
    bind(
        Action::NextYear,
        &[Awards, CityAwards],
        &[ch('y'), k(KeyCode::Right)],
        true,
    ),
    bind(
        Action::PrevYear,
        &[Awards, CityAwards],
        &[k(KeyCode::Left)],
        false,
    ),
    bind(Action::NextUnit, &[CityAwards], &[ch('u')], true),
    bind(Action::Export, &[Sync], &[ch('e')], true),
    bind(Action::ImportReceipt, &[Sync], &[ch('r')], true),
    // `w` for writing the workbook (`p` already cycles the Annex 2 cells at the city).
    bind(Action::WriteReport, &[Sync], &[ch('w')], true),
    // `t` for a table (表格) the unit already keeps.
    bind(Action::ImportSheet, &[Sync], &[ch('t')], true),
    bind(Action::Up, MOVING, &[k(KeyCode::Up), ch('k')], false),
    bind(Action::Down, MOVING, &[k(KeyCode::Down), ch('j')], false),
    bind(
        Action::PageUp,
        MOVING,
        &[k(KeyCode::PageUp), ctrl('b')],
        false,
    ),
    bind(
        Action::PageDown,
        MOVING,
        &[k(KeyCode::PageDown), ctrl('f')],
        false,
    ),
    bind(
        Action::FirstPage,
        &[List, UnitRecords],
        &[k(KeyCode::Home), ch('g')],
        false,
    ),
    bind(
        Action::Open,
        &[
            Setup,
            List,
            PickKind,
            City,
            UnitRecords,
            Awards,
            CityAwards,
            SheetPick,
            Worklist,
            Firm,
            Pool,
            CityPool,
        ],
        &[k(KeyCode::Enter)],
        true,
    ),
    // At the city after Enter, so that the hint bar keeps Enter when both do not fit.
    bind(Action::WriteReport, &[City], &[ch('w')], true),
    bind(Action::Trend, &[City], &[ch('g')], true),
    bind(
        Action::StartSearch,
        &[List, UnitRecords],
        &[ch('/'), ch('s')],
        true,
    ),
    bind(Action::ToggleVoided, &[List, UnitRecords], &[ch('x')], true),
    bind(
        Action::ToggleClosedPool,
        &[Pool, CityPool],
        &[ch('x')],
        true,
    ),
    bind(Action::Edit, &[Detail], &[ch('e')], true),
    bind(Action::Void, &[Detail], &[ch('v')], true),
    bind(Action::Restore, &[Detail], &[ch('r')], true),
    bind(
        Action::Back,
        GOES_BACK,
        &[k(KeyCode::Esc), k(KeyCode::Backspace), ch('b'), ch('q')],
        true,
    ),
];

/// Modifiers that do not change a key's meaning: Shift is already in the character.
fn normalized(ev: &KeyEvent) -> (KeyCode, KeyModifiers) {
    let mut mods = ev.modifiers;
    let mut code = ev.code;
    match code {
        KeyCode::Char(c) => {
            mods.remove(KeyModifiers::SHIFT);
            if mods.contains(KeyModifiers::CONTROL) {
                code = KeyCode::Char(c.to_ascii_lowercase());
            }
        }
        KeyCode::BackTab => mods.remove(KeyModifiers::SHIFT),
        _ => {}
    }
    (code, mods & (KeyModifiers::CONTROL | KeyModifiers::ALT))
}

/// What the key does in this context, if anything.
pub fn action_for(ctx: Ctx, ev: &KeyEvent) -> Option<Action> {
    let (code, mods) = normalized(ev);
    BINDINGS
        .iter()
        .filter(|b| b.contexts.contains(&ctx))
        .find(|b| {
            b.keys
                .iter()
                .any(|key| key.code == code && key.mods == mods)
        })
        .map(|b| b.action)
}

/// The bindings of a context, in table order, without repeating an action.
pub fn bindings_for(ctx: Ctx) -> Vec<&'static Binding> {
    let mut seen: Vec<Action> = Vec::new();
    let mut out = Vec::new();
    for b in BINDINGS.iter().filter(|b| b.contexts.contains(&ctx)) {
        if !seen.contains(&b.action) {
            seen.push(b.action);
            out.push(b);
        }
    }
    out
}

/// The keys that ask for `action` in this context (`?/F1`), if any does.
pub fn keys_for(ctx: Ctx, action: Action) -> Option<String> {
    bindings_for(ctx)
        .into_iter()
        .find(|b| b.action == action)
        .map(keys_label)
}

/// The bindings every context shares (the help screen lists them once, apart).
pub fn is_general(action: Action) -> bool {
    matches!(action, Action::ToggleLang | Action::Redraw | Action::Help)
}

/// How a key is written on screen: ASCII only, so no terminal draws it double-width.
pub fn key_name(key: &Key) -> String {
    let base = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) if key.mods.contains(KeyModifiers::CONTROL) => {
            c.to_ascii_uppercase().to_string()
        }
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift+Tab".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Up => "Up".into(),
        KeyCode::Down => "Down".into(),
        KeyCode::Left => "Left".into(),
        KeyCode::Right => "Right".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if key.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl+{base}")
    } else {
        base
    }
}

/// All the keys of a binding, e.g. `Ctrl+S/F2`.
pub fn keys_label(b: &Binding) -> String {
    match b.keys_label {
        Some(label) => label.to_string(),
        None => b.keys.iter().map(key_name).collect::<Vec<_>>().join("/"),
    }
}

/// The first key of a binding, for the short hint bar.
pub fn first_key_label(b: &Binding) -> String {
    match b.keys_label {
        Some(label) => label.to_string(),
        None => b.keys.first().map(key_name).unwrap_or_default(),
    }
}

/// The digit on a key, for `GoTab` and `PickOption`.
pub fn digit(ev: &KeyEvent) -> Option<u32> {
    match ev.code {
        KeyCode::Char(c) => c.to_digit(10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn same_key_means_different_things_by_context() {
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(action_for(List, &q), Some(Action::Quit));
        assert_eq!(action_for(Detail, &q), Some(Action::Back));
        assert_eq!(action_for(FormText, &q), None, "q is typed in a text field");
        assert_eq!(action_for(Search, &q), None, "q is typed in the search box");
    }

    #[test]
    fn bare_escape_never_destroys() {
        let esc = press(KeyCode::Esc, KeyModifiers::NONE);
        for ctx in EVERYWHERE {
            let action = action_for(*ctx, &esc);
            assert!(
                !matches!(
                    action,
                    Some(Action::Quit | Action::DiscardDraft | Action::Void | Action::Save)
                ),
                "{ctx:?}: Esc → {action:?}"
            );
        }
    }

    #[test]
    fn every_action_has_a_key_that_is_not_an_f_key() {
        for b in BINDINGS {
            assert!(
                BINDINGS
                    .iter()
                    .filter(|o| o.action == b.action)
                    .flat_map(|o| o.keys)
                    .any(|key| !matches!(key.code, KeyCode::F(_))),
                "{:?} has only F-keys",
                b.action
            );
        }
    }

    #[test]
    fn ctrl_s_saves_with_or_without_shift_and_caps() {
        let upper = press(
            KeyCode::Char('S'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(action_for(FormText, &upper), Some(Action::Save));
        let back = press(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(action_for(FormText, &back), Some(Action::PrevField));
    }

    #[test]
    fn key_names_are_ascii() {
        for b in BINDINGS {
            assert!(keys_label(b).is_ascii(), "{}", keys_label(b));
        }
    }

    #[test]
    fn every_help_sentence_fits_its_column_at_80_columns() {
        use crate::i18n::{Lang, tui::action_long};
        // 78 inside the border, less the key column and its margins.
        let room = 78 - 22 - 4;
        let too_long: Vec<String> = BINDINGS
            .iter()
            .flat_map(|b| [Lang::Zh, Lang::En].map(|lang| action_long(lang, b.action)))
            .filter(|text| crate::display::width(text) > room)
            .collect();
        assert!(too_long.is_empty(), "{too_long:#?}");
    }

    #[test]
    fn u_syncs_from_the_unit_and_city_screens() {
        let u = press(KeyCode::Char('u'), KeyModifiers::NONE);
        for ctx in [Dashboard, List, City] {
            assert_eq!(action_for(ctx, &u), Some(Action::Sync), "{ctx:?}");
        }
        assert_eq!(action_for(Search, &u), None, "u is typed in the search box");
        assert_eq!(action_for(Prompt, &u), None, "u is typed in a path");
        let e = press(KeyCode::Char('e'), KeyModifiers::NONE);
        assert_eq!(action_for(Sync, &e), Some(Action::Export));
    }

    #[test]
    fn w_writes_the_workbook_from_the_sync_screen_and_the_city_view() {
        let w = press(KeyCode::Char('w'), KeyModifiers::NONE);
        for ctx in [Sync, City] {
            assert_eq!(action_for(ctx, &w), Some(Action::WriteReport), "{ctx:?}");
        }
        assert_eq!(action_for(Prompt, &w), None, "w is typed in a path");
        assert_eq!(action_for(Dashboard, &w), Some(Action::Worklist));
    }

    #[test]
    fn f_opens_the_firm_from_a_record_and_g_the_chart() {
        let f = press(KeyCode::Char('f'), KeyModifiers::NONE);
        for ctx in [Detail, CityDetail, Worklist] {
            assert_eq!(action_for(ctx, &f), Some(Action::OpenFirm), "{ctx:?}");
        }
        assert_eq!(action_for(Dashboard, &f), Some(Action::Awards));
        let g = press(KeyCode::Char('g'), KeyModifiers::NONE);
        for ctx in [Dashboard, City] {
            assert_eq!(action_for(ctx, &g), Some(Action::Trend), "{ctx:?}");
        }
        assert_eq!(action_for(List, &g), Some(Action::FirstPage));
        let right = press(KeyCode::Right, KeyModifiers::NONE);
        assert_eq!(action_for(Trend, &right), Some(Action::NextIndicator));
    }

    #[test]
    fn editing_keys_at_the_city_only_explain_that_records_are_read_only() {
        let key = |c| press(KeyCode::Char(c), KeyModifiers::NONE);
        for ctx in [City, UnitRecords, CityDetail] {
            assert_eq!(
                action_for(ctx, &key('n')),
                Some(Action::ReadOnly),
                "{ctx:?}"
            );
        }
        for c in ['e', 'v', 'r'] {
            assert_eq!(action_for(CityDetail, &key(c)), Some(Action::ReadOnly));
        }
    }

    #[test]
    fn only_y_imports_never_enter() {
        let enter = press(KeyCode::Enter, KeyModifiers::NONE);
        let y = press(KeyCode::Char('y'), KeyModifiers::NONE);
        assert_eq!(action_for(ImportReview, &enter), None);
        assert_eq!(action_for(ImportReview, &y), Some(Action::ConfirmImport));
    }
}
