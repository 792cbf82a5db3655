//! Dates as clerks write them (2023-04-01, 2023/4/1, 2023.4.1, 2023年4月1日, 2023年4月1号) → ISO
//! dates.

use jiff::civil::Date;

use super::validate::text::to_half_width;

/// The years a ledger date may fall in.
pub const YEARS: std::ops::RangeInclusive<i16> = 1949..=2100;

/// Why a date was not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not in any accepted form, or not a real day.
    Unreadable,
    /// Outside 1949..=2100.
    OutOfRange,
}

/// Parses a date in any accepted form (full-width digits and punctuation included).
///
/// Accepted: `2023-04-01`, `2023-4-1`, `2023/4/1`, `2023.4.1` (one separator throughout),
/// `2023年4月1日` (the 日 optional or written 号, as in speech; spaces around the parts allowed) and `20230401`.
pub fn parse_date(raw: &str) -> Result<Date, DateError> {
    let text = to_half_width(raw);
    let text = text.trim();
    let (year, month, day) = split_parts(text).ok_or(DateError::Unreadable)?;
    let year = number(year, 4, 4)?;
    let month = number(month, 1, 2)?;
    let day = number(day, 1, 2)?;
    let year = i16::try_from(year).map_err(|_| DateError::OutOfRange)?;
    if !YEARS.contains(&year) {
        return Err(DateError::OutOfRange);
    }
    let month = i8::try_from(month).map_err(|_| DateError::Unreadable)?;
    let day = i8::try_from(day).map_err(|_| DateError::Unreadable)?;
    Date::new(year, month, day).map_err(|_| DateError::Unreadable)
}

/// Splits a date into its year, month and day text, by the form it is written in.
fn split_parts(text: &str) -> Option<(&str, &str, &str)> {
    if let Some((year, rest)) = text.split_once('年') {
        let (month, rest) = rest.split_once('月')?;
        let day = rest
            .strip_suffix('日')
            .or_else(|| rest.strip_suffix('号'))
            .unwrap_or(rest);
        return Some((year.trim(), month.trim(), day.trim()));
    }
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some((&text[..4], &text[4..6], &text[6..]));
    }
    let separator = text.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let mut parts = text.split(separator);
    let year = parts.next()?;
    let month = parts.next()?;
    let day = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    Some((year, month, day))
}

/// The digits of one part as a number, if there are `min..=max` of them and nothing else.
fn number(part: &str, min: usize, max: usize) -> Result<u32, DateError> {
    if !(min..=max).contains(&part.len()) || !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError::Unreadable);
    }
    part.parse().map_err(|_| DateError::Unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn accepts_every_form_clerks_write() {
        let april_first = date(2023, 4, 1);
        let cases = [
            "2023-04-01",
            "2023-4-1",
            "2023/4/1",
            "2023/04/01",
            "2023.4.1",
            "2023年4月1日",
            "2023年04月01日",
            "2023年4月1",
            "2023年4月1号",
            "2023年04月01号",
            "2023 年 4 月 1 日",
            "２０２３年４月１日",
            "２０２３－０４－０１",
            "２０２３／４／１",
            "  2023-04-01  ",
            "\u{3000}2023.4.1\u{3000}",
            "20230401",
            "２０２３０４０１",
        ];
        for raw in cases {
            assert_eq!(parse_date(raw), Ok(april_first), "{raw:?}");
        }
    }

    #[test]
    fn boundary_days_that_exist() {
        let cases = [
            ("2024-02-29", date(2024, 2, 29)),
            ("1949-01-01", date(1949, 1, 1)),
            ("2100-12-31", date(2100, 12, 31)),
            ("2023年12月31日", date(2023, 12, 31)),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_date(raw), Ok(want), "{raw:?}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_day() {
        let cases = [
            "2023-02-29",
            "2023-13-01",
            "2023-00-10",
            "2023-04-31",
            "2023-04-00",
            "2023年2月30日",
            "20231301",
            "2023-4",
            "2023-04-01-01",
            "2023-04/01",
            "23-4-1",
            "2023-004-01",
            "2023-+4-1",
            "2023年4月",
            "2023年4",
            "四月一日",
            "2023 04 01",
            "2023040",
            "",
            "   ",
            "yesterday",
        ];
        for raw in cases {
            assert_eq!(parse_date(raw), Err(DateError::Unreadable), "{raw:?}");
        }
    }

    #[test]
    fn rejects_years_outside_the_range() {
        for raw in [
            "1948-12-31",
            "2101-01-01",
            "0000-01-01",
            "9999年1月1日",
            "19000101",
        ] {
            assert_eq!(parse_date(raw), Err(DateError::OutOfRange), "{raw:?}");
        }
    }
}
