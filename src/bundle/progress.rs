//! How far a long export or import has got, for a progress bar (TUI) or line (CLI).

/// What a long bundle operation is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Export: reading the ledger and checking every record as the city will.
    Checking,
    /// Export: writing the bundle to the stick.
    Writing,
    /// Export: reading the written file back and checking every record.
    ReadingBack,
    /// Import: checking the file's signature over its bytes (counted in bytes).
    Verifying,
    /// Import: reading, checking and applying the records.
    Importing,
    /// Dry run: reading and checking the records, nothing kept.
    TryingImport,
}

/// `done` of `total` units of work (records or bytes) of one stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub stage: Stage,
    pub done: u64,
    pub total: u64,
}

impl Progress {
    /// The share done, 0.0 to 1.0 (1.0 when there is nothing to do).
    pub fn ratio(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            (self.done.min(self.total) as f64) / (self.total as f64)
        }
    }
}

/// Where progress goes. `&mut |_| {}` when nobody is watching.
pub type OnProgress<'a> = &'a mut dyn FnMut(Progress);

/// Whether to report progress after `done` steps: every 4096th, so that reporting costs
/// nothing measurable when done once per record.
pub(crate) fn every_4096(done: u64) -> bool {
    done.is_multiple_of(4096)
}
