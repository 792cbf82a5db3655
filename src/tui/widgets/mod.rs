//! Small drawing helpers shared by the screens: text boxes with a cursor, gauges, wrapped
//! and width-fitted text, popups.

pub mod gauge;
pub mod text_field;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use unicode_width::UnicodeWidthChar;

use super::theme::Theme;
use crate::display;

/// A rectangle of `width` × `height` centred in `area` (shrunk to fit).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// Splits `text` into lines of at most `width` columns, never inside a character; a line
/// that would split a Latin word breaks at its last space when there is one in its second
/// half.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            // Break at a space only inside a run of Latin text; Chinese breaks anywhere.
            let mid_word = c.is_ascii_graphic() && line.ends_with(|p: char| p.is_ascii_graphic());
            let cut = line
                .rfind(' ')
                .filter(|i| mid_word && display::width(&line[..*i]) >= width / 2);
            match cut {
                Some(i) => {
                    let rest = line[i + 1..].to_string();
                    line.truncate(i);
                    lines.push(std::mem::take(&mut line));
                    line = rest;
                }
                None => {
                    let full = std::mem::take(&mut line);
                    lines.push(full.trim_end_matches(' ').to_string());
                }
            }
            used = display::width(&line);
            if c == ' ' && line.is_empty() {
                continue;
            }
        }
        line.push(c);
        used += w;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Text from a record made harmless and cut to `cols` columns.
pub fn cell(text: &str, cols: usize) -> String {
    display::truncate(&display::safe(text), cols).into_owned()
}

/// The start of `text` made harmless that fits `cols` columns, a cut marked with `…` (`~`
/// with ASCII glyphs, since `…` is two columns wide on some terminals).
pub fn start_of(text: &str, cols: usize, theme: &Theme) -> String {
    let safe = display::safe(text);
    if display::width(&safe) <= cols {
        return safe.into_owned();
    }
    let cut = display::truncate(&safe, cols);
    let kept = cut.strip_suffix('~').unwrap_or(&cut);
    format!("{kept}{}", if theme.ascii { "~" } else { "…" })
}

/// Text from a record made harmless, cut and padded to exactly `cols` columns.
pub fn padded(text: &str, cols: usize) -> String {
    display::fit(&display::safe(text), cols)
}

/// Right-aligns `text` in `cols` columns.
pub fn right(text: &str, cols: usize) -> String {
    let cut = display::truncate(text, cols);
    let pad = cols.saturating_sub(display::width(&cut));
    format!("{}{}", " ".repeat(pad), cut)
}

/// Clears `area` and draws a bordered popup titled `title`; returns the inner area.
pub fn popup(frame: &mut Frame, theme: &Theme, area: Rect, title: &str) -> Rect {
    frame.render_widget(Clear, area);
    // A wide character just left of the popup would spill into its border: blank it.
    if area.x > 0 {
        let buf = frame.buffer_mut();
        for y in area.top()..area.bottom() {
            let cell = &mut buf[(area.x - 1, y)];
            if display::width(cell.symbol()) > 1 {
                cell.reset();
            }
        }
    }
    let block = theme
        .block()
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// The popup asking for a file or folder: two lines of `question`, then the text box with
/// the cursor in it (where the clerk's input method shows its candidates), and under it
/// `hint` (how to edit the offered folder) when there is one.
pub fn path_question(
    frame: &mut Frame,
    theme: &Theme,
    body: Rect,
    title: &str,
    question: &str,
    input: &tui_input::Input,
    hint: Option<&str>,
) {
    let area = centered(body, 70, 7);
    let inner = popup(frame, theme, area, title);
    let text: Vec<Line> = wrap(question, inner.width as usize)
        .into_iter()
        .take(2)
        .map(Line::from)
        .collect();
    lines(frame, Rect::new(inner.x, inner.y, inner.width, 2), text);
    frame.render_widget(Paragraph::new(">"), Rect::new(inner.x, inner.y + 3, 1, 1));
    let field = Rect::new(inner.x + 2, inner.y + 3, inner.width.saturating_sub(3), 1);
    let cursor = text_field::render(input, field, frame.buffer_mut(), theme.input());
    frame.set_cursor_position(cursor);
    if let Some(hint) = hint {
        frame.render_widget(
            Paragraph::new(text_line(hint, inner.width, theme.muted())),
            Rect::new(inner.x, inner.y + 4, inner.width, 1),
        );
    }
}

/// Draws `head` fixed at the top of `area` and `foot` fixed at its bottom, and between them
/// `body` from line `scroll` on (never scrolled past its end).
pub fn head_body_foot(
    frame: &mut Frame,
    area: Rect,
    head: Vec<Line<'_>>,
    body: Vec<Line<'_>>,
    foot: Vec<Line<'_>>,
    scroll: usize,
) {
    let top = (head.len() as u16).min(area.height);
    let bottom = (foot.len() as u16).min(area.height - top);
    let middle = Rect::new(area.x, area.y + top, area.width, area.height - top - bottom);
    frame.render_widget(
        Paragraph::new(head),
        Rect::new(area.x, area.y, area.width, top),
    );
    frame.render_widget(
        Paragraph::new(foot),
        Rect::new(area.x, middle.bottom(), area.width, bottom),
    );
    let visible = middle.height as usize;
    let skip = scroll.min(body.len().saturating_sub(visible));
    let shown: Vec<Line> = body.into_iter().skip(skip).take(visible).collect();
    frame.render_widget(Paragraph::new(shown), middle);
}

/// The ASCII character drawn for a symbol that terminals of Chinese Windows and PuTTY may
/// draw two columns wide (East Asian ambiguous width), or that `TERM=linux`/`vt100` lack.
fn ascii_for(symbol: &str) -> Option<&'static str> {
    Some(match symbol {
        "·" | "•" | "●" => ".",
        "→" => ">",
        "←" => "<",
        "↑" => "^",
        "↓" => "v",
        "“" | "”" | "″" => "\"",
        "‘" | "’" | "′" => "'",
        "…" => "~",
        "—" | "–" | "─" | "━" => "-",
        "│" | "┃" => "|",
        "┌" | "┐" | "└" | "┘" | "├" | "┤" | "┬" | "┴" | "┼" => "+",
        "×" => "x",
        "÷" => "/",
        "■" | "█" => "#",
        "▄" | "▀" => "o",
        "□" | "░" => " ",
        "★" | "☆" => "*",
        "①" => "1",
        "②" => "2",
        "③" => "3",
        "④" => "4",
        "⑤" => "5",
        "⑥" => "6",
        "⑦" => "7",
        "⑧" => "8",
        "⑨" => "9",
        _ => return None,
    })
}

/// Replaces, in a drawn screen, every symbol of [`ascii_for`] by its ASCII stand-in (for
/// `--ascii`): the words of the screens keep their columns on any terminal.
pub fn ascii_only(buf: &mut ratatui::buffer::Buffer) {
    for cell in &mut buf.content {
        if let Some(plain) = ascii_for(cell.symbol()) {
            cell.set_symbol(plain);
        }
    }
}

/// Draws lines of text in `area`, each cut to the width.
pub fn lines(frame: &mut Frame, area: Rect, lines: Vec<Line<'_>>) {
    frame.render_widget(Paragraph::new(lines), area);
}

/// One line of plain text in a style, cut to fit.
pub fn text_line(text: &str, width: u16, style: Style) -> Line<'static> {
    Line::from(Span::styled(cell(text, width as usize), style))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_only_leaves_no_ambiguous_symbol_and_keeps_chinese() {
        let mut buf = ratatui::buffer::Buffer::with_lines(["台账 · 集贤县 “规上” → 规下… ①─│"]);
        ascii_only(&mut buf);
        let text: String = buf.content.iter().map(|c| c.symbol()).collect();
        assert!(text.starts_with("台"), "{text}");
        for gone in ["·", "“", "”", "→", "…", "①", "─", "│"] {
            assert!(!text.contains(gone), "{gone} in {text}");
        }
        assert!(
            text.contains(". ") && text.contains("\"规 上 \"") && text.contains("> "),
            "{text:?}"
        );
        assert!(text.contains("~") && text.contains("1-|"), "{text}");
    }

    #[test]
    fn wrap_never_exceeds_the_width_and_keeps_every_character() {
        let cases = [
            ("统一社会信用代码的校验位不对，应为 3。请核对营业执照。", 20),
            (
                "the check character is wrong: it should be 3. Compare it",
                16,
            ),
            ("短", 10),
            ("", 10),
        ];
        for (text, width) in cases {
            let lines = wrap(text, width);
            assert!(
                lines.iter().all(|l| display::width(l) <= width),
                "{lines:?}"
            );
            let joined: String = lines.concat().chars().filter(|c| *c != ' ').collect();
            let want: String = text.chars().filter(|c| *c != ' ').collect();
            assert_eq!(joined, want);
        }
        assert_eq!(wrap("aaaa bbbb cccc", 10), vec!["aaaa bbbb", "cccc"]);
    }

    #[test]
    fn cells_are_safe_and_fit() {
        assert_eq!(cell("华鑫\u{1b}[31m科技", 8), "华鑫[31~");
        assert_eq!(display::width(&padded("双鸭山鑫达", 7)), 7);
        assert_eq!(right("12", 5), "   12");
    }
}
