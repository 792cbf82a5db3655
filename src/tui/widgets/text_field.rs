//! A one-line text box: the part of the typed text that fits, scrolled so the cursor shows,
//! and where the terminal cursor must go (the input method's window follows it).

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use tui_input::Input;
use unicode_width::UnicodeWidthChar;

use crate::display;

/// Draws `input` into one row of `area` and returns the cursor position in it.
pub fn render(input: &Input, area: Rect, buf: &mut Buffer, style: Style) -> Position {
    let width = area.width as usize;
    // Keep one column free at the end for the cursor.
    let scroll = input.visual_scroll(width.saturating_sub(1));
    let shown = visible_part(input.value(), scroll, width);
    buf.set_stringn(area.x, area.y, &shown, width, style);
    let cursor = input
        .visual_cursor()
        .saturating_sub(scroll)
        .min(width.saturating_sub(1));
    Position::new(area.x + cursor as u16, area.y)
}

/// The characters from column `skip` on that fit in `width` columns, made harmless.
fn visible_part(value: &str, skip: usize, width: usize) -> String {
    let mut out = String::new();
    let mut col = 0;
    let mut used = 0;
    for c in value.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if col < skip {
            col += w;
            continue;
        }
        if used + w > width {
            break;
        }
        out.push(c);
        used += w;
    }
    display::safe(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_follows_wide_characters() {
        let input = Input::new("双鸭山ab".into());
        let mut buf = Buffer::empty(Rect::new(0, 0, 20, 1));
        let at = render(&input, Rect::new(2, 0, 10, 1), &mut buf, Style::new());
        assert_eq!(at, Position::new(2 + 8, 0));
    }

    #[test]
    fn long_text_scrolls_to_keep_the_cursor_visible() {
        let input = Input::new("双鸭山市鑫达石墨新材料科技有限公司".into());
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        let at = render(&input, Rect::new(0, 0, 10, 1), &mut buf, Style::new());
        assert!(at.x <= 9);
        let row: String = (0..10)
            .map(|x| buf[(x, 0)].symbol().to_string())
            .filter(|s| s != " ")
            .collect();
        assert!(row.ends_with("有限公司"), "{row:?}");
        assert_eq!(at.x, 8, "the cursor sits just after the last character");
    }
}
