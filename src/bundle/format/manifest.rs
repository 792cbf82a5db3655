//! The JSON manifests of bundles and receipts: exact fields, canonical bytes, and limits.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::award_line::MAX_AWARD_EVENTS;
use super::pool_line::MAX_POOL_ENTRIES;
use super::{FORMAT_V3, FORMAT_V4, FileType, malformed, max_records};
use crate::bundle::error::{BundleError, FilePart};
use crate::domain::validate::TEXT_MAX;

/// The longest unit or city code a manifest may name.
const MAX_CODE_LEN: usize = 16;

/// A bundle's manifest. Serialised compactly in this field order; a reader refuses any other
/// bytes (unknown fields, other order, whitespace).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleManifest {
    pub format: u16,
    #[serde(rename = "type")]
    pub file_type: String,
    pub unit: String,
    pub sequence: u64,
    pub created_at: Timestamp,
    pub plan_id: String,
    pub record_count: u64,
    /// Award event lines after the records: present in formats 3 (at least one) and 4
    /// (perhaps none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub award_event_count: Option<u64>,
    /// Cultivation pool entry lines after the award events: present in format 4 only (at
    /// least one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool_entry_count: Option<u64>,
    pub payload_sha256: String,
    pub payload_length: u64,
}

impl BundleManifest {
    pub(crate) fn to_bytes(&self) -> Result<Vec<u8>, BundleError> {
        serde_json::to_vec(self).map_err(|e| malformed(FilePart::Manifest, e))
    }

    /// Parses and checks manifest bytes that were signed by a pinned key, in a file of format
    /// `version`.
    pub(crate) fn parse(bytes: &[u8], version: u16) -> Result<BundleManifest, BundleError> {
        let manifest: BundleManifest = parse_canonical(bytes)?;
        check_header_fields(
            manifest.format,
            version,
            &manifest.file_type,
            FileType::Bundle,
        )?;
        check_code("unit", &manifest.unit)?;
        check_sequence(manifest.sequence)?;
        if manifest.plan_id.is_empty() || manifest.plan_id.chars().count() > TEXT_MAX {
            return Err(malformed(FilePart::Manifest, "plan_id length"));
        }
        check_sha("payload_sha256", &manifest.payload_sha256)?;
        check_award_event_count(manifest.award_event_count, version)?;
        check_pool_entry_count(manifest.pool_entry_count, version)?;
        Ok(manifest)
    }
}

/// A receipt's manifest: what the city holds of one unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptManifest {
    pub format: u16,
    #[serde(rename = "type")]
    pub file_type: String,
    pub city: String,
    pub unit: String,
    pub sequence: u64,
    pub bundle_sha256: String,
    pub record_count: u64,
    /// The city's award event lines, the receipt's payload: present in format 3 only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub award_event_count: Option<u64>,
    pub imported_at: Timestamp,
    pub created_at: Timestamp,
}

impl ReceiptManifest {
    pub(crate) fn to_bytes(&self) -> Result<Vec<u8>, BundleError> {
        serde_json::to_vec(self).map_err(|e| malformed(FilePart::Manifest, e))
    }

    pub(crate) fn parse(bytes: &[u8], version: u16) -> Result<ReceiptManifest, BundleError> {
        if version == FORMAT_V4 {
            // Format 4 adds pool entries, which only bundles carry.
            return Err(BundleError::UnsupportedVersion { version });
        }
        let manifest: ReceiptManifest = parse_canonical(bytes)?;
        check_header_fields(
            manifest.format,
            version,
            &manifest.file_type,
            FileType::Receipt,
        )?;
        check_code("city", &manifest.city)?;
        check_code("unit", &manifest.unit)?;
        check_sequence(manifest.sequence)?;
        check_sha("bundle_sha256", &manifest.bundle_sha256)?;
        if manifest.record_count > max_records(version) {
            return Err(BundleError::TooManyRecords {
                count: manifest.record_count,
            });
        }
        check_award_event_count(manifest.award_event_count, version)?;
        Ok(manifest)
    }
}

/// `award_event_count` is in a format 3 manifest, from 1 to the limit, in a format 4 one
/// from 0 to the limit, and in no other: a file without award events or pool entries is
/// written as format 2, so each file has one encoding.
fn check_award_event_count(count: Option<u64>, version: u16) -> Result<(), BundleError> {
    if version == FORMAT_V4 {
        return match count {
            Some(count) if count > MAX_AWARD_EVENTS => {
                Err(BundleError::TooManyAwardEvents { count })
            }
            Some(_) => Ok(()),
            None => Err(malformed(
                FilePart::Manifest,
                "award_event_count missing in format 4",
            )),
        };
    }
    match (version == FORMAT_V3, count) {
        (true, Some(0)) => Err(malformed(
            FilePart::Manifest,
            "format 3 without award events",
        )),
        (true, Some(count)) if count > MAX_AWARD_EVENTS => {
            Err(BundleError::TooManyAwardEvents { count })
        }
        (true, Some(_)) | (false, None) => Ok(()),
        (true, None) => Err(malformed(
            FilePart::Manifest,
            "award_event_count missing in format 3",
        )),
        (false, Some(_)) => Err(malformed(
            FilePart::Manifest,
            "award_event_count before format 3",
        )),
    }
}

/// `pool_entry_count` is in a format 4 manifest, from 1 to the limit, and in no other: a
/// bundle without pool entries is written as before, so older programs still read it.
fn check_pool_entry_count(count: Option<u64>, version: u16) -> Result<(), BundleError> {
    match (version == FORMAT_V4, count) {
        (true, Some(0)) => Err(malformed(
            FilePart::Manifest,
            "format 4 without pool entries",
        )),
        (true, Some(count)) if count > MAX_POOL_ENTRIES => {
            Err(BundleError::TooManyPoolEntries { count })
        }
        (true, Some(_)) | (false, None) => Ok(()),
        (true, None) => Err(malformed(
            FilePart::Manifest,
            "pool_entry_count missing in format 4",
        )),
        (false, Some(_)) => Err(malformed(
            FilePart::Manifest,
            "pool_entry_count before format 4",
        )),
    }
}

/// Parses JSON and insists the bytes are exactly what this program writes for the value.
fn parse_canonical<T: Serialize + for<'de> Deserialize<'de>>(
    bytes: &[u8],
) -> Result<T, BundleError> {
    let value: T = serde_json::from_slice(bytes).map_err(|e| malformed(FilePart::Manifest, e))?;
    let again = serde_json::to_vec(&value).map_err(|e| malformed(FilePart::Manifest, e))?;
    if again != bytes {
        return Err(malformed(FilePart::Manifest, "not in canonical form"));
    }
    Ok(value)
}

/// The manifest's `format` must be the header's version, its `type` the header's file type.
fn check_header_fields(
    format: u16,
    version: u16,
    type_key: &str,
    expected: FileType,
) -> Result<(), BundleError> {
    if format != version {
        return Err(malformed(
            FilePart::Manifest,
            "format differs from the header",
        ));
    }
    if type_key != expected.key() {
        return Err(malformed(
            FilePart::Manifest,
            "type differs from the header",
        ));
    }
    Ok(())
}

/// Unit and city codes: 1 to 16 ASCII letters and digits (`230521`, `jkq`).
fn check_code(field: &str, code: &str) -> Result<(), BundleError> {
    if code.is_empty()
        || code.len() > MAX_CODE_LEN
        || !code.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(malformed(
            FilePart::Manifest,
            format!("{field} is not a code"),
        ));
    }
    Ok(())
}

fn check_sequence(sequence: u64) -> Result<(), BundleError> {
    if sequence == 0 || i64::try_from(sequence).is_err() {
        return Err(malformed(FilePart::Manifest, "sequence out of range"));
    }
    Ok(())
}

fn check_sha(field: &str, text: &str) -> Result<(), BundleError> {
    if text.len() != 64 || !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(malformed(
            FilePart::Manifest,
            format!("{field} is not a SHA-256"),
        ));
    }
    Ok(())
}
