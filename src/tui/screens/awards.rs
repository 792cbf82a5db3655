//! The awards page (奖补资金): the year (and, at the city, unit) filter, the totals per year
//! and fiscal level, the list of award lines, the selected line's detail box, and the
//! approval and payment prompts.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Chrome;
use crate::display;
use crate::domain::awards::{AwardLine, AwardStatus, AwardTotals, Fen};
use crate::i18n::Lang;
use crate::i18n::awards::{due_text, level_label, rule_label, status_label, working_text, yuan};
use crate::i18n::labels::{field_label, kind_label};
use crate::i18n::tui as t;
use crate::tui::app::App;
use crate::tui::state::awards::{AwardPrompt, AwardsScreen, PayStage};
use crate::tui::theme::Theme;
use crate::tui::widgets::{self, text_field};

const YEAR_COLS: usize = 4;
/// Amounts up to 9,999,999.99 yuan; wider sums drop the fen in the totals.
const AMOUNT_COLS: usize = 12;
const UNIT_COLS: usize = 8;
const RULE_COLS: usize = 14;
/// The most rows the totals take, so the list keeps some.
const MOST_TOTAL_ROWS: usize = 9;

pub fn draw(frame: &mut Frame, app: &App, screen: &AwardsScreen, chrome: &Chrome) {
    let lang = app.lang;
    let ledger_unit = app.ledger.as_ref().map_or("", |l| l.unit());
    chrome.draw_title(frame, app, &t::awards_title(lang, &app.plan, ledger_unit));
    let body = chrome.body;
    draw_filters(frame, app, screen, Rect::new(body.x, body.y, body.width, 1));
    let total_rows = screen.totals.len().clamp(1, MOST_TOTAL_ROWS) as u16;
    let totals_area = Rect::new(body.x, body.y + 1, body.width, total_rows + 1);
    draw_totals(frame, app, &screen.totals, totals_area);
    let list_y = totals_area.y + totals_area.height;
    let list_area = Rect::new(
        body.x,
        list_y,
        body.width,
        (body.y + body.height).saturating_sub(list_y),
    );
    draw_list(frame, app, screen, list_area);
    if screen.detail.is_some()
        && let Some(line) = screen.selected_line()
    {
        draw_detail(frame, app, line, screen.detail.unwrap_or(0), body);
    }
    if let (Some(prompt), Some(line)) = (&screen.prompt, screen.selected_line()) {
        draw_prompt(frame, app, prompt, line, body);
    }
}

fn draw_filters(frame: &mut Frame, app: &App, screen: &AwardsScreen, area: Rect) {
    let lang = app.lang;
    let mut spans = vec![Span::raw(format!(" {} ", t::year_filter_label(lang)))];
    let choices = std::iter::once(None).chain(screen.years.iter().copied().map(Some));
    for year in choices {
        let label = year.map_or_else(|| t::every_year(lang), |y| y.to_string());
        if year == screen.year {
            spans.push(Span::styled(format!("[{label}]"), app.theme.selected()));
        } else {
            spans.push(Span::raw(format!(" {label} ")));
        }
    }
    spans.push(Span::styled(t::year_filter_hint(lang), app.theme.muted()));
    if screen.city {
        spans.push(Span::raw(format!(
            "   {}",
            t::unit_filter(lang, &app.plan, screen.unit.as_deref())
        )));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// An amount for the totals: with fen when `whole` is false, else rounded down to the yuan.
fn money(fen: Fen, whole: bool) -> String {
    let text = yuan(fen);
    match (whole, text.rsplit_once('.')) {
        (true, Some((whole_yuan, _))) => whole_yuan.to_string(),
        _ => text,
    }
}

fn amounts(total: &AwardTotals) -> [Fen; 5] {
    [
        total.entitled_fen,
        total.approved_fen,
        total.paid_fen,
        total.outstanding_fen,
        total.to_recover_fen,
    ]
}

fn draw_totals(frame: &mut Frame, app: &App, totals: &[AwardTotals], area: Rect) {
    let lang = app.lang;
    let level_cols = level_cols(lang);
    let cols = t::totals_columns(lang);
    // The fen are dropped only when a sum would not fit its column.
    let whole = totals
        .iter()
        .flat_map(amounts)
        .any(|fen| yuan(fen).len() > AMOUNT_COLS);
    let mut head = format!(
        " {} {}",
        widgets::padded(&cols[0], YEAR_COLS),
        widgets::padded(&cols[1], level_cols)
    );
    for col in &cols[2..] {
        head.push(' ');
        head.push_str(&widgets::right(col, AMOUNT_COLS));
    }
    let mut lines = vec![widgets::text_line(&head, area.width, app.theme.heading())];
    if totals.is_empty() {
        lines.push(widgets::text_line(
            &format!(" {}", t::no_totals(lang)),
            area.width,
            app.theme.muted(),
        ));
    }
    for total in totals.iter().take(MOST_TOTAL_ROWS) {
        let mut row = format!(
            " {} {}",
            widgets::padded(&total.year.to_string(), YEAR_COLS),
            widgets::padded(&t::level_short(lang, total.level), level_cols)
        );
        for fen in amounts(total) {
            row.push(' ');
            row.push_str(&widgets::right(&money(fen, whole), AMOUNT_COLS));
        }
        let style = if total.to_recover_fen > 0 {
            app.theme.warning()
        } else {
            Style::new()
        };
        lines.push(widgets::text_line(&row, area.width, style));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The columns of the level: the widest short name in the language.
fn level_cols(lang: Lang) -> usize {
    [None, Some(crate::domain::awards::FiscalLevel::County)]
        .into_iter()
        .chain([Some(crate::domain::awards::FiscalLevel::City)])
        .map(|level| display::width(&t::level_short(lang, level)))
        .max()
        .unwrap_or(4)
}

fn status_cols(lang: Lang) -> usize {
    match lang {
        Lang::Zh => 12,
        Lang::En => 15,
    }
}

fn status_style(theme: &Theme, status: AwardStatus) -> Style {
    match status {
        AwardStatus::Paid => theme.good(),
        AwardStatus::Recover
        | AwardStatus::PaidTwice
        | AwardStatus::PaidDiffers
        | AwardStatus::OutOfRange
        | AwardStatus::NoFiscalLevel
        | AwardStatus::Lapsed => theme.warning(),
        AwardStatus::AwaitingInput => theme.muted(),
        AwardStatus::Entitled | AwardStatus::Approved => Style::new(),
    }
}

/// The amount column: the amount owed, what was paid when nothing is owed any more, or
/// that it is not settled.
fn line_amount(lang: Lang, line: &AwardLine) -> String {
    match (line.owed_fen(), &line.entitlement) {
        (Some(fen), _) => yuan(fen),
        (None, None) => yuan(line.paid_fen()),
        (None, Some(_)) => t::amount_unsettled(lang),
    }
}

fn draw_list(frame: &mut Frame, app: &App, screen: &AwardsScreen, area: Rect) {
    let lang = app.lang;
    let shown = screen.shown();
    let block = app.theme.block().title(Span::styled(
        format!(" {} ", t::award_list_title(lang)),
        app.theme.title(),
    ));
    let inner = block.inner(area);
    let rows = (inner.height as usize).saturating_sub(1).max(1);
    let first = (screen.selected + 1).saturating_sub(rows);
    let count = shown.len().saturating_sub(first).min(rows);
    let range = t::list_range(lang, first, count, shown.len() as u64);
    let block = block.title_bottom(Line::from(format!(" {range} ")).right_aligned());
    frame.render_widget(block, area);

    let with_unit = screen.city && screen.unit.is_none();
    let (level_cols, status_cols) = (level_cols(lang), status_cols(lang));
    let fixed = 1
        + 1
        + YEAR_COLS
        + 1
        + if with_unit { UNIT_COLS + 1 } else { 0 }
        + RULE_COLS
        + 1
        + AMOUNT_COLS
        + 1
        + level_cols
        + 1
        + status_cols
        // A column of margin before the border.
        + 1;
    let firm_cols = (inner.width as usize).saturating_sub(fixed).max(4);
    let cols = t::award_list_columns(lang);
    let row_text = |marker: &str, cells: [&str; 7]| {
        let mut text = format!("{marker}{} ", widgets::padded(cells[0], YEAR_COLS));
        if with_unit {
            text.push_str(&widgets::padded(cells[1], UNIT_COLS));
            text.push(' ');
        }
        text.push_str(&format!(
            "{} {} {} {} {}",
            widgets::padded(cells[2], firm_cols),
            widgets::padded(cells[3], RULE_COLS),
            widgets::right(cells[4], AMOUNT_COLS),
            widgets::padded(cells[5], level_cols),
            widgets::padded(cells[6], status_cols),
        ));
        text
    };
    let heading = row_text(" ", [0, 1, 2, 3, 4, 5, 6].map(|i| cols[i].as_str()));
    let mut lines = vec![Line::from(Span::styled(heading, app.theme.heading()))];
    if shown.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                " {}",
                widgets::cell(
                    &t::no_award_lines(lang, screen.year),
                    inner.width.saturating_sub(1) as usize
                )
            ),
            app.theme.muted(),
        )));
    }
    for (i, line) in shown.iter().enumerate().skip(first).take(rows) {
        let selected = i == screen.selected;
        let year = line.key.year.to_string();
        let unit = t::unit_short(lang, &app.plan, &line.unit);
        let rule = t::rule_short(lang, &app.plan, &line.key.rule);
        let amount = line_amount(lang, line);
        let level = t::level_short(lang, line.level);
        let status = status_label(line.status, lang);
        let text = row_text(
            if selected { ">" } else { " " },
            [
                &year,
                &unit,
                &line.beneficiary,
                &rule,
                &amount,
                &level,
                status,
            ],
        );
        // The status keeps its colour; the selected row is reversed whole.
        let status_w = status_cols;
        let split = text
            .char_indices()
            .map(|(i, _)| i)
            .rev()
            .find(|i| display::width(&text[*i..]) >= status_w)
            .unwrap_or(0);
        let base = if selected {
            app.theme.selected()
        } else {
            Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(text[..split].to_string(), base),
            Span::styled(
                text[split..].to_string(),
                base.patch(status_style(&app.theme, line.status)),
            ),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The selected line in full: who, what earned it, the rule, the amount and how it was
/// worked out, the level, the approval and the payments.
fn draw_detail(frame: &mut Frame, app: &App, line: &AwardLine, scroll: u16, body: Rect) {
    let lang = app.lang;
    let width = 76.min(body.width);
    let labels = t::award_detail_labels(lang);
    let label_cols = [
        &labels.unit,
        &labels.beneficiary,
        &labels.entity,
        &labels.basis,
        &labels.rule,
        &labels.description,
        &labels.year,
        &labels.amount,
        &labels.working,
        &labels.level,
        &labels.status,
        &labels.approved,
        &labels.paid,
        &labels.balance,
    ]
    .iter()
    .map(|l| display::width(l))
    .max()
    .unwrap_or(10);
    // Inside the border: a space, the label, a space, the value.
    let value_cols = (width as usize).saturating_sub(label_cols + 4);
    let mut rows: Vec<Line> = Vec::new();
    let mut push = |label: &str, value: &str, style: Style| {
        for (i, part) in widgets::wrap(&display::safe(value), value_cols)
            .into_iter()
            .enumerate()
        {
            let label = if i == 0 { label } else { "" };
            rows.push(Line::from(vec![
                Span::styled(
                    format!(" {}", widgets::padded(label, label_cols)),
                    app.theme.heading(),
                ),
                Span::raw(" "),
                Span::styled(part, style),
            ]));
        }
    };
    let plain = Style::new();
    if app.city.is_some() {
        push(
            &labels.unit,
            &t::unit_name(lang, &app.plan, &line.unit),
            plain,
        );
    }
    let firm = match line
        .entitlement
        .as_ref()
        .and_then(|e| e.credit_code.as_ref())
    {
        Some(code) => format!("{}（{code}）", line.beneficiary),
        None => line.beneficiary.clone(),
    };
    push(&labels.beneficiary, &firm, plain);
    if let Some(kind) = line.kind {
        push(
            &labels.entity,
            &t::award_record(lang, kind_label(kind, lang), &line.entity),
            plain,
        );
        if let Some(date) = line.basis_date {
            let field = field_label(kind.key_date_field(), lang);
            push(&labels.basis, &format!("{date}（{field}）"), plain);
        }
    }
    push(
        &labels.rule,
        rule_label(&line.key.rule, Some(&app.plan), lang),
        plain,
    );
    if let Some(rule) = app.plan.awards.iter().find(|r| r.key == line.key.rule) {
        let description = match lang {
            Lang::Zh => &rule.description_zh,
            Lang::En => &rule.description_en,
        };
        push(&labels.description, description, plain);
    }
    push(&labels.year, &line.key.year.to_string(), plain);
    match &line.entitlement {
        Some(entitlement) => {
            push(&labels.amount, &due_text(&entitlement.due, lang), plain);
            if let Some(working) = &entitlement.working {
                push(&labels.working, &working_text(working, lang), plain);
            }
        }
        None => push(&labels.amount, &t::award_gone(lang), app.theme.warning()),
    }
    push(&labels.level, level_label(line.level, lang), plain);
    push(
        &labels.status,
        status_label(line.status, lang),
        status_style(&app.theme, line.status),
    );
    match &line.approved {
        Some(a) => push(
            &labels.approved,
            &t::approval_text(lang, a.on, &a.actor, &a.recorded_by),
            plain,
        ),
        None => push(&labels.approved, &t::not_approved(lang), app.theme.muted()),
    }
    if line.payments.is_empty() {
        push(&labels.paid, &t::not_paid(lang), app.theme.muted());
    }
    for p in &line.payments {
        let text = t::payment_text(
            lang,
            p.on,
            p.voucher.as_deref(),
            &yuan(p.fen),
            &p.actor,
            &p.recorded_by,
        );
        push(&labels.paid, &text, app.theme.good());
    }
    if !line.payments.is_empty() && line.balance_fen != 0 {
        let amount = yuan(line.balance_fen.unsigned_abs());
        push(
            &labels.balance,
            &t::balance_text(lang, line.balance_fen, &amount),
            app.theme.warning(),
        );
    }
    // The rows, a blank row and the keys, inside the border.
    let height = (rows.len() as u16 + 4).min(body.height);
    let area = widgets::centered(body, width, height);
    let inner = widgets::popup(frame, &app.theme, area, &t::award_detail_title(lang));
    let visible = inner.height.saturating_sub(2) as usize;
    let skip = (scroll as usize).min(rows.len().saturating_sub(visible));
    let shown: Vec<Line> = rows.into_iter().skip(skip).take(visible).collect();
    frame.render_widget(
        Paragraph::new(shown),
        Rect::new(inner.x, inner.y, inner.width, visible as u16),
    );
    frame.render_widget(
        Paragraph::new(widgets::text_line(
            &format!(" {}", t::award_detail_hint(lang)),
            inner.width,
            app.theme.muted(),
        )),
        Rect::new(
            inner.x,
            inner.y + inner.height.saturating_sub(1),
            inner.width,
            1,
        ),
    );
}

/// The approval's date, or the payment's date then voucher, over the page.
fn draw_prompt(frame: &mut Frame, app: &App, prompt: &AwardPrompt, line: &AwardLine, body: Rect) {
    let lang = app.lang;
    let title = match prompt {
        AwardPrompt::Approve { .. } => t::approve_prompt_title(lang),
        AwardPrompt::Pay { .. } => t::pay_prompt_title(lang),
    };
    let area = widgets::centered(body, 66, 9);
    let inner = widgets::popup(frame, &app.theme, area, &title);
    let row = |y: u16| Rect::new(inner.x, inner.y + y, inner.width, 1);
    let subject = t::prompt_subject(
        lang,
        &line.beneficiary,
        &t::rule_short(lang, &app.plan, &line.key.rule),
        &line_amount(lang, line),
    );
    let subject = widgets::wrap(&subject, inner.width as usize);
    let subject_rows = subject.len().min(2) as u16;
    for (y, part) in subject.into_iter().take(2).enumerate() {
        frame.render_widget(
            Paragraph::new(widgets::text_line(&part, inner.width, Style::new())),
            row(y as u16),
        );
    }
    let (question, input, done) = match prompt {
        AwardPrompt::Approve { date } => (t::approve_date_question(lang), date, None),
        AwardPrompt::Pay {
            date,
            stage: PayStage::Date,
            ..
        } => (t::pay_date_question(lang), date, None),
        AwardPrompt::Pay { date, voucher, .. } => (
            t::voucher_question(lang),
            voucher,
            Some(format!("{}{}", t::pay_date_question(lang), date.value())),
        ),
    };
    let mut y = subject_rows + 1;
    if let Some(done) = done {
        frame.render_widget(
            Paragraph::new(widgets::text_line(&done, inner.width, app.theme.muted())),
            row(y),
        );
        y += 1;
    }
    let question_w = display::width(&question) as u16;
    frame.render_widget(
        Paragraph::new(Span::styled(question, app.theme.heading())),
        Rect::new(inner.x, inner.y + y, question_w, 1),
    );
    let field = Rect::new(
        inner.x + question_w + 1,
        inner.y + y,
        inner.width.saturating_sub(question_w + 2),
        1,
    );
    let cursor = text_field::render(input, field, frame.buffer_mut(), app.theme.input());
    frame.set_cursor_position(cursor);
    frame.render_widget(
        Paragraph::new(widgets::text_line(
            &t::prompt_enter_hint(lang),
            inner.width,
            app.theme.muted(),
        )),
        row(inner.height.saturating_sub(1)),
    );
}
