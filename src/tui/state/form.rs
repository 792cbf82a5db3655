//! A record form's state: one field per `RecordKind::fields()` entry, the focus, what each
//! field's check said, and the question the form is asking, if any. No drawing, no I/O.

use ratatui::crossterm::event::Event;
use tui_input::backend::crossterm::EventHandler;
use tui_input::{Input, InputRequest};
use uuid::Uuid;

use crate::domain::validate::{check_field, choice_key};
use crate::domain::{
    FieldIssue, FieldSpec, FieldType, FieldValues, OVERRIDE_REASON, Problem, Record, RecordKind,
};

/// A new record, or an edit of an existing one starting from a revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormMode {
    New,
    Edit { id: Uuid, base_revision: i64 },
}

/// One field: its spec, what is typed (or picked), and what the last check said.
#[derive(Clone, Debug)]
pub struct FieldState {
    pub spec: &'static FieldSpec,
    /// Text fields: the typed text.
    pub input: Input,
    /// Choice and yes/no fields: the index into [`FieldState::options`], `None` when empty.
    pub choice: Option<usize>,
    /// The clerk changed the field since the form opened.
    pub touched: bool,
    pub error: Option<Problem>,
    pub warning: Option<Problem>,
}

impl FieldState {
    fn new(spec: &'static FieldSpec, value: &str) -> FieldState {
        let mut field = FieldState {
            spec,
            input: Input::default(),
            choice: None,
            touched: false,
            error: None,
            warning: None,
        };
        field.set_value(value);
        field
    }

    /// Whether the field picks from options rather than taking text.
    pub fn is_choice(&self) -> bool {
        matches!(self.spec.ty, FieldType::Choice(_) | FieldType::Bool)
    }

    /// The stored keys a choice field picks from (`true`/`false` for yes/no fields).
    pub fn options(&self) -> &'static [&'static str] {
        match self.spec.ty {
            FieldType::Choice(set) => set.options(),
            FieldType::Bool => &["true", "false"],
            _ => &[],
        }
    }

    /// The value as it would be saved (choices as their keys); empty when nothing is set.
    pub fn value(&self) -> String {
        if self.is_choice() {
            self.choice
                .and_then(|i| self.options().get(i))
                .map(|s| s.to_string())
                .unwrap_or_default()
        } else {
            self.input.value().to_string()
        }
    }

    /// Sets the value from a stored or drafted text; a choice that matches no option is shown
    /// empty, so the save asks for it again.
    pub fn set_value(&mut self, value: &str) {
        match self.spec.ty {
            FieldType::Choice(set) => {
                let key = choice_key(set, value).unwrap_or(value);
                self.choice = set.options().iter().position(|o| *o == key);
            }
            FieldType::Bool => {
                // Stored yes/no values are normalised to `true`/`false` by the domain.
                self.choice = self.options().iter().position(|o| *o == value.trim());
            }
            _ => self.input = Input::new(value.to_string()),
        }
    }

    /// Steps a choice forwards or backwards; an optional field passes through empty.
    pub fn step_choice(&mut self, forward: bool) {
        let n = self.options().len();
        if n == 0 {
            return;
        }
        let optional = !self.spec.required;
        self.choice = match (self.choice, forward) {
            (None, true) => Some(0),
            (None, false) => Some(n - 1),
            (Some(i), true) if i + 1 < n => Some(i + 1),
            (Some(_), true) => (!optional).then_some(0),
            (Some(0), false) => (!optional).then_some(n - 1),
            (Some(i), false) => Some(i - 1),
        };
        self.touched = true;
        self.error = None;
    }
}

/// A question the form is asking; while one is open it takes the keys.
#[derive(Clone, Debug)]
pub enum FormDialog {
    /// Throw away what was typed?
    ConfirmCancel,
    /// A credit code failed its check: why keep it?
    OverrideReason {
        input: Input,
        field: String,
        value: String,
        expected: char,
    },
    /// The ledger already holds this entity.
    Duplicate {
        existing_id: Uuid,
        existing_name: String,
    },
    /// Someone else saved the record after this edit began.
    Conflict { theirs: Box<Record> },
}

/// An open form.
#[derive(Clone, Debug)]
pub struct Form {
    pub kind: RecordKind,
    pub mode: FormMode,
    pub fields: Vec<FieldState>,
    /// Index into `fields` of the focused field (always a visible one).
    pub focus: usize,
    /// Values when the form opened, to tell whether anything was typed.
    pub initial: FieldValues,
    pub dialog: Option<FormDialog>,
    /// A problem with the record as a whole, from the last save.
    pub record_problem: Option<Problem>,
    /// A newer revision of the edited record appeared while the form was open.
    pub newer_revision: Option<i64>,
    /// Bumped on every change, so drafts are written only when something changed.
    pub generation: u64,
    /// Earlier records of the same host this one may supersede, shown while the
    /// `supersedes` field has the focus.
    pub upgrade_candidates: Vec<Record>,
    /// The warnings the clerk was shown at the last save attempt: a save with no others
    /// goes ahead, so a warning is saved only after the clerk has seen it.
    pub seen_warnings: Vec<FieldIssue>,
}

impl Form {
    /// An empty form for a new record.
    pub fn new_record(kind: RecordKind) -> Form {
        Form::with_values(kind, FormMode::New, &FieldValues::new())
    }

    /// A form editing `record`, starting from its current revision.
    pub fn edit(record: &Record) -> Form {
        let mode = FormMode::Edit {
            id: record.id,
            base_revision: record.revision,
        };
        Form::with_values(record.kind, mode, &record.fields)
    }

    /// A form filled with `values` (from a record or a draft).
    pub fn with_values(kind: RecordKind, mode: FormMode, values: &FieldValues) -> Form {
        let fields: Vec<FieldState> = kind
            .fields()
            .iter()
            .map(|spec| FieldState::new(spec, values.get(spec.key).map_or("", String::as_str)))
            .collect();
        let mut form = Form {
            kind,
            mode,
            fields,
            focus: 0,
            initial: FieldValues::new(),
            dialog: None,
            record_problem: None,
            newer_revision: None,
            generation: 0,
            upgrade_candidates: Vec::new(),
            seen_warnings: Vec::new(),
        };
        form.initial = form.values();
        form
    }

    /// The values as they would be saved; empty fields are left out.
    pub fn values(&self) -> FieldValues {
        self.fields
            .iter()
            .map(|f| (f.spec.key.to_string(), f.value()))
            .filter(|(_, v)| !v.trim().is_empty())
            .collect()
    }

    /// Something was typed or picked since the form opened.
    pub fn is_dirty(&self) -> bool {
        self.values() != self.initial
    }

    pub fn focused(&self) -> &FieldState {
        &self.fields[self.focus]
    }

    fn focused_mut(&mut self) -> &mut FieldState {
        &mut self.fields[self.focus]
    }

    /// The key of the focused field.
    pub fn focus_key(&self) -> &'static str {
        self.fields[self.focus].spec.key
    }

    /// Whether a field is shown. The override reason appears only when a credit code fails its
    /// check or a reason is already there.
    pub fn is_visible(&self, index: usize) -> bool {
        let field = &self.fields[index];
        if field.spec.key != OVERRIDE_REASON {
            return true;
        }
        !field.input.value().trim().is_empty()
            || field.error.is_some()
            || self
                .fields
                .iter()
                .any(|f| matches!(f.error, Some(Problem::CreditCodeCheck { .. })))
    }

    /// Indices of the fields shown, in order.
    pub fn visible(&self) -> Vec<usize> {
        (0..self.fields.len())
            .filter(|i| self.is_visible(*i))
            .collect()
    }

    /// Moves the focus to the next (or previous) visible field, checking the field left.
    pub fn move_focus(&mut self, forward: bool) {
        self.leave_field();
        let visible = self.visible();
        let pos = visible.iter().position(|i| *i == self.focus).unwrap_or(0);
        let n = visible.len();
        let next = if forward {
            (pos + 1) % n
        } else {
            (pos + n - 1) % n
        };
        self.focus = visible[next];
    }

    /// Puts the focus on a field by key.
    pub fn focus_on(&mut self, key: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.spec.key == key) {
            self.focus = i;
        }
    }

    /// Checks the focused field as the clerk leaves it: the value is shown normalised, and
    /// an error or warning is put next to it.
    pub fn leave_field(&mut self) {
        let kind = self.kind;
        let field = self.focused_mut();
        if field.is_choice() || !field.touched {
            return;
        }
        let raw = field.input.value().to_string();
        match check_field(kind, field.spec.key, &raw) {
            Ok(check) => {
                if check.value != raw {
                    field.input = Input::new(check.value);
                }
                field.error = None;
                field.warning = check.warning;
            }
            Err(problem) => {
                field.error = Some(problem);
                field.warning = None;
            }
        }
    }

    /// Feeds a key or a paste to the focused text field. Returns whether the text changed.
    pub fn type_into(&mut self, event: &Event) -> bool {
        let field = self.focused_mut();
        if field.is_choice() {
            return false;
        }
        let changed = edit_input(&mut field.input, event);
        if changed {
            field.touched = true;
            field.error = None;
            field.warning = None;
            self.generation += 1;
        }
        changed
    }

    /// Feeds typing to the open dialog's text box, or else to the focused field.
    pub fn type_into_dialog_or_field(&mut self, event: &Event) {
        match &mut self.dialog {
            Some(FormDialog::OverrideReason { input, .. }) => {
                edit_input(input, event);
            }
            Some(_) => {}
            None => {
                self.type_into(event);
            }
        }
    }

    /// Steps the focused choice field.
    pub fn step_choice(&mut self, forward: bool) {
        self.focused_mut().step_choice(forward);
        self.generation += 1;
    }

    /// Empties the focused choice field.
    pub fn clear_choice(&mut self) {
        let field = self.focused_mut();
        if field.is_choice() && field.choice.is_some() {
            field.choice = None;
            field.touched = true;
            self.generation += 1;
        }
    }

    /// Picks option `n` (1-based) of the focused choice field.
    pub fn pick_option(&mut self, n: usize) {
        let field = self.focused_mut();
        if n >= 1 && n <= field.options().len() {
            field.choice = Some(n - 1);
            field.touched = true;
            field.error = None;
            self.generation += 1;
        }
    }

    /// Shows the problems a save found next to their fields, and focuses the first one.
    pub fn show_issues(&mut self, issues: &[FieldIssue]) {
        self.record_problem = None;
        for field in &mut self.fields {
            field.error = None;
        }
        for issue in issues {
            match self.fields.iter_mut().find(|f| f.spec.key == issue.field) {
                Some(field) => field.error = Some(issue.problem.clone()),
                None => self.record_problem = Some(issue.problem.clone()),
            }
        }
        if let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = first;
        }
    }

    /// Shows warnings a successful check produced next to their fields.
    pub fn show_warnings(&mut self, warnings: &[FieldIssue]) {
        for issue in warnings {
            if let Some(field) = self.fields.iter_mut().find(|f| f.spec.key == issue.field) {
                field.warning = Some(issue.problem.clone());
            }
        }
    }

    /// The only thing stopping a save is a credit code whose check character is wrong, and no
    /// reason was given: which field, the value, and the expected character.
    pub fn override_needed(issues: &[FieldIssue]) -> Option<(String, String, char)> {
        let mut found = None;
        for issue in issues {
            match &issue.problem {
                Problem::CreditCodeCheck { value, expected } if found.is_none() => {
                    found = Some((issue.field.clone(), value.clone(), *expected));
                }
                _ => return None,
            }
        }
        found
    }

    /// Records the reason for keeping a credit code that fails its check.
    pub fn set_override_reason(&mut self, reason: &str) {
        if let Some(field) = self
            .fields
            .iter_mut()
            .find(|f| f.spec.key == OVERRIDE_REASON)
        {
            field.input = Input::new(reason.to_string());
            field.touched = true;
            field.error = None;
        }
        self.generation += 1;
    }

    /// Takes a newer saved version as the base of this edit, keeping what was typed.
    pub fn rebase(&mut self, revision: i64) {
        if let FormMode::Edit { id, .. } = self.mode {
            self.mode = FormMode::Edit {
                id,
                base_revision: revision,
            };
        }
        self.newer_revision = None;
    }

    /// The record id and base revision of an edit.
    pub fn edited(&self) -> Option<(Uuid, i64)> {
        match self.mode {
            FormMode::Edit { id, base_revision } => Some((id, base_revision)),
            FormMode::New => None,
        }
    }
}

/// Feeds a key or a paste to a text input; returns whether its text changed.
pub fn edit_input(input: &mut Input, event: &Event) -> bool {
    match event {
        Event::Paste(text) => paste_into(input, text),
        _ => input.handle_event(event).is_some_and(|change| change.value),
    }
}

/// Inserts pasted text at the cursor; line breaks and tabs become spaces, other control
/// characters are dropped.
pub fn paste_into(input: &mut Input, text: &str) -> bool {
    let mut changed = false;
    for c in text.chars() {
        let c = match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => continue,
            c => c,
        };
        changed |= input
            .handle(InputRequest::InsertChar(c))
            .is_some_and(|s| s.value);
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn typed(form: &mut Form, text: &str) {
        for c in text.chars() {
            form.type_into(&Event::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
        }
    }

    #[test]
    fn focus_skips_the_hidden_override_reason_and_wraps() {
        let mut form = Form::new_record(RecordKind::TechSme);
        let keys: Vec<&str> = (0..7)
            .map(|_| {
                form.move_focus(true);
                form.focus_key()
            })
            .collect();
        assert_eq!(
            keys,
            [
                "credit_code",
                "reg_no",
                "registered_on",
                "tax_level",
                "revoked_on",
                "notes",
                "name"
            ]
        );
        form.move_focus(false);
        assert_eq!(form.focus_key(), "notes");
    }

    #[test]
    fn optional_choice_steps_through_empty_required_does_not() {
        let mut form = Form::new_record(RecordKind::RndInstitution);
        form.focus_on("upgraded_from");
        let seen: Vec<String> = (0..4)
            .map(|_| {
                form.step_choice(true);
                form.focused().value()
            })
            .collect();
        assert_eq!(seen, ["national", "provincial", "city", ""]);
        form.focus_on("level");
        let seen: Vec<String> = (0..4)
            .map(|_| {
                form.step_choice(true);
                form.focused().value()
            })
            .collect();
        assert_eq!(seen, ["national", "provincial", "city", "national"]);
    }

    #[test]
    fn leaving_a_field_normalises_it_or_shows_the_problem() {
        let mut form = Form::new_record(RecordKind::TechSme);
        form.focus_on("registered_on");
        typed(&mut form, "2023年4月1日");
        form.move_focus(true);
        assert_eq!(form.values()["registered_on"], "2023-04-01");
        form.focus_on("credit_code");
        typed(&mut form, "91350100M000100Y44");
        form.move_focus(true);
        assert!(matches!(
            form.fields[1].error,
            Some(Problem::CreditCodeCheck { expected: '3', .. })
        ));
        assert!(form.visible().contains(&6), "override reason now offered");
        assert!(form.is_dirty());
    }

    #[test]
    fn paste_flattens_lines_and_drops_controls() {
        let mut input = Input::default();
        assert!(paste_into(&mut input, "双鸭山\r\n华鑫\u{1b}[31m"));
        assert_eq!(input.value(), "双鸭山  华鑫[31m");
    }

    #[test]
    fn a_lone_check_failure_asks_for_an_override() {
        let check = FieldIssue::new(
            "credit_code",
            Problem::CreditCodeCheck {
                value: "91350100M000100Y4Z".into(),
                expected: '3',
            },
        );
        assert_eq!(
            Form::override_needed(std::slice::from_ref(&check)),
            Some(("credit_code".into(), "91350100M000100Y4Z".into(), '3'))
        );
        let required = FieldIssue::new("name", Problem::Required);
        assert_eq!(Form::override_needed(&[check, required]), None);
        assert_eq!(Form::override_needed(&[]), None);
    }
}
