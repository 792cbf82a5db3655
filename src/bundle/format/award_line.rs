//! Award event lines (format 3): one approval or payment per payload line after the records,
//! in canonical JSON with a fixed field order, ordered by entitlement and action, each checked
//! against the file it travels in (its unit, the ledger that recorded it, the fiscal level).

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::malformed;
use crate::bundle::error::{AwardEventFault, BundleError, FilePart};
use crate::domain::awards::{AwardAction, AwardEvent, EntitlementKey, FiscalLevel};
use crate::domain::validate::{ACCOUNT_MAX, kept_text};
use crate::store::VOUCHER_MAX;

/// The most award events one bundle or receipt may carry. A reader holds them in memory
/// (each at most one line of 64 KiB, in practice a few hundred bytes).
pub const MAX_AWARD_EVENTS: u64 = 1_000_000;

/// The longest rule key, in ASCII characters.
pub const MAX_RULE_LEN: usize = 64;

/// The years an event's entitlement (and its day) may fall in.
pub const YEARS: std::ops::RangeInclusive<i16> = 1949..=2100;

/// One award event as a payload line carries it: compact JSON, keys in this order, no other
/// keys, `voucher` null for an approval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventLine {
    /// The record that earned the entitlement.
    pub record: Uuid,
    pub rule: String,
    pub year: i16,
    /// The unit whose record it is.
    pub unit: String,
    /// `county` or `city`: the budget that pays.
    pub level: String,
    /// `approve` or `pay`.
    pub action: String,
    /// The amount approved or paid, in fen.
    pub fen: u64,
    pub on: Date,
    pub voucher: Option<String>,
    /// The code of the ledger that recorded it.
    pub recorded_by: String,
    pub actor: String,
    pub at: Timestamp,
}

impl EventLine {
    pub fn of(event: &AwardEvent) -> EventLine {
        EventLine {
            record: event.key.record,
            rule: event.key.rule.clone(),
            year: event.key.year,
            unit: event.unit.clone(),
            level: event.level.key().to_owned(),
            action: event.action.key().to_owned(),
            fen: event.fen,
            on: event.on,
            voucher: event.voucher.clone(),
            recorded_by: event.recorded_by.clone(),
            actor: event.actor.clone(),
            at: event.at,
        }
    }

    /// The line's bytes without the newline.
    pub fn to_line(&self) -> Result<String, BundleError> {
        serde_json::to_string(self).map_err(|e| malformed(FilePart::Manifest, e))
    }

    /// What orders the lines: entitlement (record, rule, year), then action.
    fn order_key(&self) -> (Uuid, &str, i16, &str) {
        (self.record, &self.rule, self.year, &self.action)
    }
}

/// Whose events a file may carry: a bundle carries its unit's own county-level events, a
/// receipt the city's city-level events for the unit it is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventSource {
    pub file_type: super::FileType,
    /// The unit whose records the events are for.
    pub unit: String,
    /// The ledger that recorded them (the unit itself, or the city).
    pub recorded_by: String,
    pub level: FiscalLevel,
}

impl EventSource {
    /// A unit's bundle.
    pub fn bundle(unit: &str) -> EventSource {
        EventSource {
            file_type: super::FileType::Bundle,
            unit: unit.to_owned(),
            recorded_by: unit.to_owned(),
            level: FiscalLevel::County,
        }
    }

    /// The city's receipt for `unit`.
    pub fn receipt(city: &str, unit: &str) -> EventSource {
        EventSource {
            file_type: super::FileType::Receipt,
            unit: unit.to_owned(),
            recorded_by: city.to_owned(),
            level: FiscalLevel::City,
        }
    }
}

/// The rules between event lines, in constant memory: each line valid for its file, and the
/// lines strictly ascending by (record, rule, year, action), so none twice.
pub(crate) struct EventCheck {
    source: EventSource,
    last: Option<EventLine>,
}

impl EventCheck {
    pub(crate) fn new(source: EventSource) -> EventCheck {
        EventCheck { source, last: None }
    }

    /// Parses and checks the event on payload line `line_no` (counted from 1 over the whole
    /// payload) and returns it.
    pub(crate) fn admit_bytes(
        &mut self,
        line_no: usize,
        line: &[u8],
    ) -> Result<AwardEvent, BundleError> {
        let parsed = super::parse_canonical_line(line_no, line, EventLine::to_line)?;
        self.admit(line_no, parsed)
    }

    /// Checks one event line (a writer's own, or one parsed by a reader).
    pub(crate) fn admit(
        &mut self,
        line_no: usize,
        line: EventLine,
    ) -> Result<AwardEvent, BundleError> {
        let (file_type, record) = (self.source.file_type, line.record);
        let refuse = |fault| BundleError::InvalidAwardEvent {
            file_type,
            line: line_no,
            record,
            fault,
        };
        if let Some(last) = &self.last {
            match last.order_key().cmp(&line.order_key()) {
                std::cmp::Ordering::Equal => return Err(refuse(AwardEventFault::Twice)),
                std::cmp::Ordering::Greater => return Err(refuse(AwardEventFault::OutOfOrder)),
                std::cmp::Ordering::Less => {}
            }
        }
        let event = check_line(&self.source, &line).map_err(refuse)?;
        self.last = Some(line);
        Ok(event)
    }
}

/// Checks one line on its own against the file it travels in, and makes it an event.
pub fn check_line(source: &EventSource, line: &EventLine) -> Result<AwardEvent, AwardEventFault> {
    if line.unit != source.unit {
        return Err(AwardEventFault::OtherUnit {
            unit: line.unit.clone(),
        });
    }
    if line.recorded_by != source.recorded_by {
        return Err(AwardEventFault::OtherRecorder {
            recorded_by: line.recorded_by.clone(),
        });
    }
    let level = FiscalLevel::from_key(&line.level)
        .filter(|level| *level == source.level)
        .ok_or_else(|| AwardEventFault::Level {
            level: line.level.clone(),
        })?;
    let action = AwardAction::from_key(&line.action).ok_or_else(|| AwardEventFault::Action {
        action: line.action.clone(),
    })?;
    if !valid_rule(&line.rule) {
        return Err(AwardEventFault::Rule);
    }
    if !YEARS.contains(&line.year) || !YEARS.contains(&line.on.year()) {
        return Err(AwardEventFault::Year { year: line.year });
    }
    if i64::try_from(line.fen).is_err() {
        return Err(AwardEventFault::Amount);
    }
    let voucher_ok = match (action, line.voucher.as_deref()) {
        (AwardAction::Approve, None) => true,
        (AwardAction::Pay, Some(voucher)) => !voucher.is_empty() && is_kept(voucher, VOUCHER_MAX),
        _ => false,
    };
    if !voucher_ok {
        return Err(AwardEventFault::Voucher);
    }
    if !is_kept(&line.actor, ACCOUNT_MAX) {
        return Err(AwardEventFault::Actor);
    }
    Ok(AwardEvent {
        key: EntitlementKey {
            record: line.record,
            rule: line.rule.clone(),
            year: line.year,
        },
        unit: line.unit.clone(),
        level,
        action,
        fen: line.fen,
        on: line.on,
        voucher: line.voucher.clone(),
        recorded_by: line.recorded_by.clone(),
        actor: line.actor.clone(),
        at: line.at,
    })
}

/// A rule key: 1 to 64 of `a`–`z`, `0`–`9` and `_`.
fn valid_rule(rule: &str) -> bool {
    !rule.is_empty()
        && rule.len() <= MAX_RULE_LEN
        && rule
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Whether `text` is already in the form the ledger keeps (the text policy) and within `max`
/// characters.
fn is_kept(text: &str, max: usize) -> bool {
    kept_text(text, max).is_ok_and(|kept| kept == text)
}

/// Events in the order a file carries them.
pub fn sorted_events(events: &[AwardEvent]) -> Vec<AwardEvent> {
    let mut sorted = events.to_vec();
    sorted.sort_by(|a, b| {
        (&a.key.record, &a.key.rule, a.key.year, a.action.key()).cmp(&(
            &b.key.record,
            &b.key.rule,
            b.key.year,
            b.action.key(),
        ))
    });
    sorted
}

/// Checks events a writer is about to put in a file as a reader will, and returns their
/// lines (without newlines) in order.
pub fn event_lines(
    source: &EventSource,
    events: &[AwardEvent],
    first_line: usize,
) -> Result<Vec<String>, BundleError> {
    if events.len() as u64 > MAX_AWARD_EVENTS {
        return Err(BundleError::TooManyAwardEvents {
            count: events.len() as u64,
        });
    }
    let mut check = EventCheck::new(source.clone());
    sorted_events(events)
        .iter()
        .enumerate()
        .map(|(i, event)| {
            let line = EventLine::of(event);
            let text = line.to_line()?;
            let line_no = first_line + i;
            if text.len() > super::MAX_LINE_LEN {
                return Err(BundleError::LineTooLong {
                    line: line_no,
                    len: text.len(),
                });
            }
            check.admit(line_no, line)?;
            Ok(text)
        })
        .collect()
}
