//! The ledger's calendar: today's date in China Standard Time (UTC+8), which needs no time
//! zone database on the machine.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};

/// Today's date in Shuangyashan.
pub fn today() -> Date {
    Timestamp::now()
        .to_zoned_datetime(TimeZone::fixed(Offset::constant(8)))
        .date()
}
