//! Record ids: time-ordered UUIDs (version 7) made without a system call per id. The
//! milliseconds come from the clock, a counter keeps ids of one millisecond in order, and the
//! random bits come from a generator seeded once per process from the operating system.

use std::cell::RefCell;
use std::time::{SystemTime, UNIX_EPOCH};

use uuid::{Builder, Uuid};

/// The last id's millisecond and counter, and the generator of random bits.
struct IdSource {
    millis: u64,
    counter: u16,
    rng: fastrand::Rng,
}

thread_local! {
    static SOURCE: RefCell<IdSource> = RefCell::new(IdSource {
        millis: 0,
        counter: 0,
        rng: fastrand::Rng::with_seed(seed()),
    });
}

/// 64 bits from the operating system (once per thread); the clock if it has none to give.
fn seed() -> u64 {
    let mut bytes = [0u8; 8];
    match getrandom::fill(&mut bytes) {
        Ok(()) => u64::from_le_bytes(bytes),
        Err(_) => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64),
    }
}

/// The largest value of the 12-bit counter (RFC 9562, version 7, method 1).
const COUNTER_MAX: u16 = 0x0FFF;

/// A new id, later than every id this thread made before.
pub(crate) fn new_id() -> Uuid {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    SOURCE.with(|cell| {
        let mut source = cell.borrow_mut();
        if now > source.millis {
            source.millis = now;
            // Start low in the counter's range, leaving room to count up.
            source.counter = source.rng.u16(..0x0400);
        } else if source.counter < COUNTER_MAX {
            source.counter += 1;
        } else {
            // More than the counter holds in one millisecond: borrow the next one.
            source.millis += 1;
            source.counter = source.rng.u16(..0x0400);
        }
        let mut random = [0u8; 10];
        random[..2].copy_from_slice(&source.counter.to_be_bytes());
        let tail = source.rng.u64(..).to_be_bytes();
        random[2..].copy_from_slice(&tail);
        Builder::from_unix_timestamp_millis(source.millis, &random).into_uuid()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_7_distinct_and_in_order() {
        let ids: Vec<Uuid> = (0..20_000).map(|_| new_id()).collect();
        for pair in ids.windows(2) {
            assert!(pair[0] < pair[1], "{} then {}", pair[0], pair[1]);
        }
        assert!(ids.iter().all(|id| id.get_version_num() == 7));
        assert!(
            ids.iter()
                .all(|id| id.get_variant() == uuid::Variant::RFC4122)
        );
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        let (secs, _) = ids[0].get_timestamp().unwrap().to_unix();
        assert!(secs.abs_diff(now / 1000) < 60);
    }
}
