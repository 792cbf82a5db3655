//! The ledger's calendar: today's date in China Standard Time (UTC+8), which needs no time
//! zone database on the machine.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};

fn china_standard_time() -> TimeZone {
    TimeZone::fixed(Offset::constant(8))
}

/// Today's date in Shuangyashan.
pub fn today() -> Date {
    date_of(Timestamp::now())
}

/// The date of an instant in Shuangyashan.
pub fn date_of(at: Timestamp) -> Date {
    civil(at).date()
}

/// The day and time of an instant on a Shuangyashan clock.
pub fn civil(at: Timestamp) -> DateTime {
    at.to_zoned_datetime(china_standard_time()).datetime()
}

/// An instant as people there read it, to the minute: `2023-04-01 14:05`.
pub fn minute(at: Timestamp) -> String {
    at.to_zoned_datetime(china_standard_time())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// An instant as a file-name stamp, to the second: `20230401-140502`.
pub fn stamp(at: Timestamp) -> String {
    at.to_zoned_datetime(china_standard_time())
        .strftime("%Y%m%d-%H%M%S")
        .to_string()
}

/// The instant a day begins in Shuangyashan.
pub fn start_of(day: Date) -> Timestamp {
    day.to_zoned_datetime(china_standard_time())
        .map_or(Timestamp::MIN, |zoned| zoned.timestamp())
}
