//! A progress gauge as plain characters, so it reads the same with or without colour.

/// `width` characters: the achieved share filled, the rest empty; over 100% is full.
pub fn bar(percent: f64, width: usize, glyphs: (char, char)) -> String {
    let share = if percent.is_finite() {
        (percent / 100.0).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let filled = (share * width as f64).round() as usize;
    let mut out = String::with_capacity(width * 3);
    out.extend(std::iter::repeat_n(glyphs.0, filled));
    out.extend(std::iter::repeat_n(glyphs.1, width - filled));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauge_fills_in_proportion_and_caps() {
        let g = ('#', '.');
        assert_eq!(bar(0.0, 10, g), "..........");
        assert_eq!(bar(50.0, 10, g), "#####.....");
        assert_eq!(bar(250.0, 4, g), "####");
        assert_eq!(bar(f64::NAN, 4, g), "....");
    }
}
