//! What can go wrong reading, writing, importing or answering a sync bundle. Every variant has
//! a message a clerk understands in `crate::i18n` (zh and en); text taken from a file is only
//! ever shown through `crate::display::safe`.

use std::path::PathBuf;

use uuid::Uuid;

use crate::display::safe;
use crate::domain::FieldIssue;
use crate::store::StoreError;

use super::format::FileType;

/// Which part of a signed file a parse problem is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilePart {
    Manifest,
    /// A payload line, counted from 1.
    Line(usize),
}

/// Why a record inside a bundle is refused although the bundle's signature is good.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordFault {
    /// Its field values fail validation.
    Fields(Vec<FieldIssue>),
    /// Its field values are not in the normalised form the ledger stores.
    NotNormalised,
    /// Revision below 1.
    Revision(i64),
    /// Active with a void reason, or voided without one.
    StatusReason,
    /// A system-kept text (`created_by`, `updated_by`, `void_reason`) longer than allowed.
    TextTooLong { field: &'static str, max: usize },
}

/// Why an award event line (format 3) is refused although the file's signature is good.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AwardEventFault {
    /// It names another unit than the one the file is for.
    OtherUnit { unit: String },
    /// It was recorded by another ledger than the one that signed the file.
    OtherRecorder { recorded_by: String },
    /// Not the fiscal level the signer pays (`county` in a bundle, `city` in a receipt), or
    /// no level at all.
    Level { level: String },
    /// Neither `approve` nor `pay`.
    Action { action: String },
    /// A payment without its voucher, an approval with one, or a voucher that is too long or
    /// not in the form the ledger keeps.
    Voucher,
    /// The entitlement's year, or the event's day, outside 1949–2100.
    Year { year: i16 },
    /// The rule key is empty, too long or not `[a-z0-9_]`.
    Rule,
    /// The actor's account is too long or not in the form the ledger keeps.
    Actor,
    /// An amount no ledger can hold.
    Amount,
    /// The same approval or payment twice.
    Twice,
    /// Not in (record, rule, year, action) order.
    OutOfOrder,
}

/// Why a cultivation pool entry line (format 4) is refused although the bundle's signature
/// is good.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PoolLineFault {
    /// It names another unit than the bundle's.
    OtherUnit { unit: String },
    /// Not one of the pool's stages.
    Stage { stage: String },
    /// Not one of the pool's statuses.
    Status { status: String },
    /// Not a credit code in the form the ledger keeps (a failed check digit included).
    CreditCode,
    /// A text (`name`, `notes`, `close_reason`, an account) empty where required, too long,
    /// or not in the form the ledger keeps.
    Text { field: &'static str },
    /// A date outside 1949–2100, or a closing day on an open entry (or none on a closed one).
    Dates,
    /// An achieving record on an entry that is not achieved, a withdrawal without a reason,
    /// or a reason on an open entry.
    Closing,
    /// Revision below 1.
    Revision,
    /// A second open entry for the same firm.
    OpenTwice,
    /// The same id twice.
    Twice,
    /// Not in id order.
    OutOfOrder,
}

/// Why a public key that decodes is still refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyFlaw {
    /// The bytes are not the one canonical encoding of their point.
    NonCanonical,
    /// The identity point: every signature check against it is meaningless.
    Identity,
    /// A point of small order (a weak key).
    SmallOrder,
}

/// What differs between a receipt and the unit's own export log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReceiptMismatch {
    /// This ledger never exported a bundle with the receipt's sequence.
    UnknownSequence,
    /// The city holds a different file under this ledger's sequence: a substituted bundle?
    HashDiffers { logged: String, receipt: String },
    /// The record count differs from what this ledger exported under the sequence.
    CountDiffers { logged: u64, receipt: u64 },
    /// The receipt was written by another city than the plan's.
    OtherCity { receipt: String, plan: String },
}

/// A step of writing a bundle to the stick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportStep {
    Create,
    Write,
    SyncFile,
    Rename,
    SyncDir,
    ReadBack,
}

/// What a failed write to the stick most likely means, from the OS error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskProblem {
    /// ENOSPC, EDQUOT.
    Full,
    /// EROFS, EACCES, EPERM.
    ReadOnly,
    /// ENOENT, EIO, ENODEV, ENXIO: the stick was pulled out or the folder is gone.
    Gone,
    Other,
}

impl DiskProblem {
    /// Classifies an OS error.
    pub fn of(err: &std::io::Error) -> DiskProblem {
        use std::io::ErrorKind as K;
        match err.kind() {
            K::StorageFull | K::QuotaExceeded => return DiskProblem::Full,
            K::ReadOnlyFilesystem | K::PermissionDenied => return DiskProblem::ReadOnly,
            K::NotFound => return DiskProblem::Gone,
            _ => {}
        }
        // Raw codes for kinds std does not name (Linux values).
        match err.raw_os_error() {
            Some(28 | 122) => DiskProblem::Full,
            Some(30 | 13 | 1) => DiskProblem::ReadOnly,
            Some(2 | 5 | 6 | 19) => DiskProblem::Gone,
            _ => DiskProblem::Other,
        }
    }
}

/// A refused or failed bundle, receipt, key or export. Refusals change nothing.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// Shorter than its header says (or than any bundle can be): cut off while copying.
    #[error("file truncated: {actual} bytes, expected {expected}")]
    Truncated { actual: u64, expected: u64 },
    /// Longer than its header says.
    #[error("file has {actual} bytes, expected {expected}")]
    ExtraBytes { actual: u64, expected: u64 },
    /// Does not start with `TZBUNDLE`.
    #[error("not a taizhang bundle")]
    NotABundle,
    #[error("unsupported bundle format version {version}")]
    UnsupportedVersion { version: u16 },
    /// The file-type byte is not one this program knows.
    #[error("unknown file type {code}")]
    UnknownFileType { code: u8 },
    /// A receipt where a bundle was expected, or the other way round.
    #[error("expected a {expected:?}, found a {found:?}")]
    WrongFileType { expected: FileType, found: FileType },
    /// The manifest length in the header is 0 or above the limit.
    #[error("manifest length {len} out of range")]
    ManifestLength { len: u64 },
    /// The payload length in the header is above the limit.
    #[error("payload length {len} out of range")]
    PayloadLength { len: u64 },
    /// Signed by a key this ledger has not pinned.
    #[error("signed by an unknown key {fingerprint}")]
    UnknownKey { fingerprint: String },
    /// The signature does not match the bytes: altered or damaged.
    #[error("bad signature")]
    BadSignature,
    /// Not valid JSON of the expected shape, or not in canonical form.
    #[error("malformed {part:?}: {}", safe(.detail))]
    Malformed { part: FilePart, detail: String },
    /// The file changed between the pass that verified its signature and the pass that read
    /// its records (someone wrote to it meanwhile).
    #[error("the file changed while it was being read")]
    ChangedWhileReading,
    /// The payload's length or SHA-256 differs from the manifest.
    #[error("payload does not match its manifest")]
    PayloadMismatch,
    /// The manifest's record count differs from the payload's lines.
    #[error("record count {declared} but {found} lines")]
    CountMismatch { declared: u64, found: u64 },
    /// More records than a bundle may carry.
    #[error("{count} records exceed the limit")]
    TooManyRecords { count: u64 },
    #[error("payload line {line} is {len} bytes long")]
    LineTooLong { line: usize, len: usize },
    /// A record that fails the ledger's rules.
    #[error("record {id} on line {line} is invalid: {fault:?}")]
    InvalidRecord {
        line: usize,
        id: Uuid,
        name: String,
        fault: RecordFault,
    },
    /// An award event line (format 3) that breaks the rules for the file it is in.
    #[error("award event of record {record} on line {line} is invalid: {fault:?}")]
    InvalidAwardEvent {
        file_type: FileType,
        line: usize,
        record: Uuid,
        fault: AwardEventFault,
    },
    /// A cultivation pool entry line (format 4) that breaks the rules for the bundle.
    #[error("pool entry {id} on line {line} is invalid: {fault:?}")]
    InvalidPoolEntry {
        line: usize,
        id: Uuid,
        fault: PoolLineFault,
    },
    /// More pool entries than a bundle may carry.
    #[error("{count} pool entries exceed the limit")]
    TooManyPoolEntries { count: u64 },
    /// A pool entry id the city holds under another unit.
    #[error("pool entry {id} of unit {} is held under unit {}", safe(.unit), safe(.held_unit))]
    PoolEntryOfOtherUnit {
        id: Uuid,
        unit: String,
        held_unit: String,
    },
    /// An achieved pool entry naming, as the record that achieved it, a record that is not
    /// one of the bundle's high-tech records.
    #[error("pool entry {entry} of unit {} names record {record}, not a high-tech record of the bundle", safe(.unit))]
    PoolAchievedByUnknownRecord {
        unit: String,
        entry: Uuid,
        record: Uuid,
    },
    /// More award events than a file may carry.
    #[error("{count} award events exceed the limit")]
    TooManyAwardEvents { count: u64 },
    /// An award event for a record the bundle does not carry (at the city), or that the unit
    /// ledger does not hold (a receipt at the unit).
    #[error("award event for record {record}, which is not in the {file_type:?}'s ledger")]
    AwardForUnknownRecord { file_type: FileType, record: Uuid },
    /// At export: a record this ledger holds that a reader would refuse (saved before a rule
    /// applied, e.g. a void reason longer than the limit); no bundle was written.
    #[error("record {id} cannot be exported: {fault:?}")]
    Unexportable {
        id: Uuid,
        name: String,
        fault: RecordFault,
    },
    /// One unit's key signed a bundle claiming another unit, or carrying its records.
    #[error("key of unit {} signed records of unit {}", safe(.key_unit), safe(.claimed_unit))]
    WrongUnit {
        key_unit: String,
        claimed_unit: String,
    },
    #[error("record {id} appears twice")]
    DuplicateId { id: Uuid },
    /// Two active records of the same entity.
    #[error("records {first} and {second} are the same entry")]
    DuplicateEntry { first: Uuid, second: Uuid },
    /// Records are not in id order.
    #[error("record {id} is out of order")]
    OutOfOrder { id: Uuid },
    /// The bundle was made for another plan than the ledger's.
    #[error("bundle plan {} differs from ledger plan {}", safe(.bundle_plan), safe(.ledger_plan))]
    PlanMismatch {
        bundle_plan: String,
        ledger_plan: String,
    },
    /// The command needs a city ledger.
    #[error("not a city ledger")]
    NotCity,
    /// The command needs a unit ledger.
    #[error("not a unit ledger")]
    NotUnit,
    /// The ledger has no signing key (made before keys existed).
    #[error("the ledger has no signing key")]
    NoSigningKey,
    /// Two active records of the unit are one entity under the text policy (both saved
    /// before it); the city would refuse the bundle, so none is written.
    #[error("records {earlier} and {later} are one entity; void one before exporting")]
    LookAlikesHeld { earlier: Uuid, later: Uuid },
    /// The unit has not pinned the city's key, so a receipt cannot be checked.
    #[error("no city key pinned")]
    NoCityKey,
    /// A receipt signed by another key than the city key pinned at this unit.
    #[error("receipt not signed by the pinned city key ({fingerprint})")]
    NotFromCity { fingerprint: String },
    /// A receipt addressed to another unit.
    #[error("receipt for unit {}, not {}", safe(.receipt_unit), safe(.ledger_unit))]
    ReceiptForOtherUnit {
        receipt_unit: String,
        ledger_unit: String,
    },
    /// A receipt, signed by the pinned city key, that does not agree with this ledger's own
    /// export log (or names another city): nothing is kept.
    #[error("receipt for bundle {sequence} does not match the export log: {mismatch:?}")]
    ReceiptMismatch {
        sequence: u64,
        mismatch: ReceiptMismatch,
    },
    /// A key that decodes but is weak or non-canonical.
    #[error("weak public key: {flaw:?}")]
    WeakKey { flaw: KeyFlaw },
    /// The key given is this ledger's own public key, not the other side's.
    #[error("this is the ledger's own key")]
    OwnKey { role: crate::store::LedgerRole },
    /// A bundle signed by a key that was the unit's before it was replaced.
    #[error("signed by unit {}'s former key {fingerprint}", safe(.unit))]
    FormerKey {
        unit: String,
        fingerprint: String,
        replaced_at: jiff::Timestamp,
    },
    /// The city holds no bundle of the unit, so there is nothing to confirm.
    #[error("nothing imported from unit {}", safe(.unit))]
    NothingImported { unit: String },
    /// Text given as a public key is not one.
    #[error("not a public key: {}", safe(.text))]
    BadKey { text: String },
    /// The system random source failed.
    #[error("no random source: {reason}")]
    NoRandom { reason: String },
    /// A step of writing to the stick failed; nothing was left behind.
    #[error("{step:?} of {} failed: {source}", shown(.path))]
    Disk {
        file_type: FileType,
        step: ExportStep,
        problem: DiskProblem,
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file read back from the stick differs from what was written.
    #[error("{} read back differently", shown(.path))]
    ReadBackMismatch { file_type: FileType, path: PathBuf },
    /// A bundle or receipt file (or folder) could not be read.
    #[error("cannot read {}: {source}", shown(.path))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A path given to import names a FIFO, socket or device, not a regular file: refused
    /// before it is opened (a FIFO would wait for a writer for ever).
    #[error("{} is not a regular file", shown(.path))]
    NotAFile { path: PathBuf },
    /// A folder given to import holds no file of the expected type.
    #[error("no {} file in {}", .file_type.extension(), shown(.path))]
    NoFiles { path: PathBuf, file_type: FileType },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl BundleError {
    /// A refused file or request, as opposed to a failure of the disk or the ledger file.
    pub fn is_refusal(&self) -> bool {
        match self {
            // A folder typed that does not exist: nothing was attempted.
            BundleError::Disk { .. } if self.is_missing_folder() => true,
            BundleError::Disk { .. }
            | BundleError::ReadBackMismatch { .. }
            | BundleError::Read { .. }
            | BundleError::NoRandom { .. } => false,
            BundleError::Store(e) => e.is_user_error(),
            _ => true,
        }
    }
}

impl BundleError {
    /// The folder to write into does not exist (the temp file could not even be created
    /// there): a wrong path, or a stick not plugged in.
    pub fn is_missing_folder(&self) -> bool {
        matches!(
            self,
            BundleError::Disk {
                step: ExportStep::Create,
                source,
                ..
            } if source.kind() == std::io::ErrorKind::NotFound
        )
    }
}

/// A path as it may appear in a message: printable.
fn shown(path: &std::path::Path) -> String {
    crate::display::path(path)
}
