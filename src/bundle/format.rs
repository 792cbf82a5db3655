//! The signed file container (bundle and receipt, format version 1): pure bytes in and out.
//!
//! Layout (big-endian integers), documented in `docs/bundle-format.md`:
//! `TZBUNDLE` · version u16 · file type u8 · signer public key [32] · manifest length u32 ·
//! payload length u64 · manifest · payload · Ed25519 signature [64] over everything before it.
//! [`verify`] checks lengths, the signer and the signature on the raw bytes before any JSON is
//! parsed; [`decode_bundle`] and [`decode_receipt`] then parse and check the contents.

mod manifest;
mod payload;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

pub use manifest::{BundleManifest, ReceiptManifest};
pub use payload::{canonical_line, check_record};

use super::error::{BundleError, FilePart};
use super::keys::fingerprint;
use crate::domain::Record;

pub const MAGIC: [u8; 8] = *b"TZBUNDLE";
pub const FORMAT_VERSION: u16 = 1;
/// Bytes before the manifest.
pub const HEADER_LEN: usize = 55;
pub const SIGNATURE_LEN: usize = 64;
pub const MAX_MANIFEST_LEN: u64 = 65_536;
/// 256 MiB.
pub const MAX_PAYLOAD_LEN: u64 = 268_435_456;
/// The longest payload line, without its `\n`.
pub const MAX_LINE_LEN: usize = 65_536;
pub const MAX_RECORDS: u64 = 1_000_000;

/// What a signed file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    /// A unit's snapshot of its records.
    Bundle,
    /// The city's answer telling a unit what it holds.
    Receipt,
}

impl FileType {
    /// The byte at offset 10.
    pub fn code(self) -> u8 {
        match self {
            FileType::Bundle => 1,
            FileType::Receipt => 2,
        }
    }

    pub fn from_code(code: u8) -> Option<FileType> {
        match code {
            1 => Some(FileType::Bundle),
            2 => Some(FileType::Receipt),
            _ => None,
        }
    }

    /// The manifest's `type` value.
    pub fn key(self) -> &'static str {
        match self {
            FileType::Bundle => "bundle",
            FileType::Receipt => "receipt",
        }
    }

    /// The file name extension: `tzb` for bundles, `tzr` for receipts.
    pub fn extension(self) -> &'static str {
        match self {
            FileType::Bundle => "tzb",
            FileType::Receipt => "tzr",
        }
    }
}

/// The fixed header at the start of a signed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    pub version: u16,
    pub file_type: FileType,
    pub signer: [u8; 32],
    pub manifest_len: u32,
    pub payload_len: u64,
}

impl Header {
    /// The exact length of the whole file this header announces.
    pub fn file_len(&self) -> u64 {
        HEADER_LEN as u64 + u64::from(self.manifest_len) + self.payload_len + SIGNATURE_LEN as u64
    }

    fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        out[0..8].copy_from_slice(&MAGIC);
        out[8..10].copy_from_slice(&self.version.to_be_bytes());
        out[10] = self.file_type.code();
        out[11..43].copy_from_slice(&self.signer);
        out[43..47].copy_from_slice(&self.manifest_len.to_be_bytes());
        out[47..55].copy_from_slice(&self.payload_len.to_be_bytes());
        out
    }
}

/// Reads and checks the header and the file's exact length. Looks at no JSON.
pub fn read_header(bytes: &[u8]) -> Result<Header, BundleError> {
    let actual = bytes.len() as u64;
    let magic_seen = &bytes[..bytes.len().min(MAGIC.len())];
    if magic_seen != &MAGIC[..magic_seen.len()] {
        return Err(BundleError::NotABundle);
    }
    let minimum = (HEADER_LEN + 1 + SIGNATURE_LEN) as u64;
    let Some(head) = bytes.first_chunk::<HEADER_LEN>() else {
        return Err(BundleError::Truncated {
            actual,
            expected: minimum,
        });
    };
    let version = u16::from_be_bytes([head[8], head[9]]);
    if version != FORMAT_VERSION {
        return Err(BundleError::UnsupportedVersion { version });
    }
    let file_type =
        FileType::from_code(head[10]).ok_or(BundleError::UnknownFileType { code: head[10] })?;
    let mut signer = [0u8; 32];
    signer.copy_from_slice(&head[11..43]);
    let manifest_len = u32::from_be_bytes([head[43], head[44], head[45], head[46]]);
    let mut payload_be = [0u8; 8];
    payload_be.copy_from_slice(&head[47..55]);
    let payload_len = u64::from_be_bytes(payload_be);
    if manifest_len == 0 || u64::from(manifest_len) > MAX_MANIFEST_LEN {
        return Err(BundleError::ManifestLength {
            len: u64::from(manifest_len),
        });
    }
    if payload_len > MAX_PAYLOAD_LEN {
        return Err(BundleError::PayloadLength { len: payload_len });
    }
    let header = Header {
        version,
        file_type,
        signer,
        manifest_len,
        payload_len,
    };
    let expected = header.file_len();
    if actual < expected {
        return Err(BundleError::Truncated { actual, expected });
    }
    if actual > expected {
        return Err(BundleError::ExtraBytes { actual, expected });
    }
    Ok(header)
}

/// A signed file whose lengths and signature checked out, by a key the reader has pinned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified<'a> {
    pub header: Header,
    /// What the reader's lookup said the key belongs to (a unit code, or the city).
    pub signer_of: String,
    pub manifest: &'a [u8],
    pub payload: &'a [u8],
}

/// Checks a signed file on its raw bytes: header and exact length, then that `lookup` knows
/// the signer's key (it returns what the key is pinned to), then the Ed25519 signature
/// (strict verification). Nothing is parsed as JSON.
pub fn verify(
    bytes: &[u8],
    lookup: impl Fn(&[u8; 32]) -> Option<String>,
) -> Result<Verified<'_>, BundleError> {
    let header = read_header(bytes)?;
    let signer_of = lookup(&header.signer).ok_or_else(|| BundleError::UnknownKey {
        fingerprint: fingerprint(&header.signer),
    })?;
    let key = VerifyingKey::from_bytes(&header.signer).map_err(|_| BundleError::BadSignature)?;
    let manifest_end = HEADER_LEN + header.manifest_len as usize;
    let signed_end = bytes.len() - SIGNATURE_LEN;
    let (signed, signature) = bytes.split_at(signed_end);
    let signature = Signature::from_slice(signature).map_err(|_| BundleError::BadSignature)?;
    key.verify_strict(signed, &signature)
        .map_err(|_| BundleError::BadSignature)?;
    Ok(Verified {
        header,
        signer_of,
        manifest: &bytes[HEADER_LEN..manifest_end],
        payload: &bytes[manifest_end..signed_end],
    })
}

/// Builds a signed file: header, manifest, payload, signature by the key made from `seed`.
pub fn seal(
    seed: &[u8; 32],
    file_type: FileType,
    manifest: &[u8],
    payload: &[u8],
) -> Result<Vec<u8>, BundleError> {
    let manifest_len = u32::try_from(manifest.len())
        .ok()
        .filter(|len| *len > 0 && u64::from(*len) <= MAX_MANIFEST_LEN)
        .ok_or(BundleError::ManifestLength {
            len: manifest.len() as u64,
        })?;
    let payload_len = payload.len() as u64;
    if payload_len > MAX_PAYLOAD_LEN {
        return Err(BundleError::PayloadLength { len: payload_len });
    }
    let key = SigningKey::from_bytes(seed);
    let header = Header {
        version: FORMAT_VERSION,
        file_type,
        signer: key.verifying_key().to_bytes(),
        manifest_len,
        payload_len,
    };
    let mut out = Vec::with_capacity(usize::try_from(header.file_len()).unwrap_or(0));
    out.extend_from_slice(&header.to_bytes());
    out.extend_from_slice(manifest);
    out.extend_from_slice(payload);
    let signature = key.sign(&out);
    out.extend_from_slice(&signature.to_bytes());
    Ok(out)
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// What a bundle says about itself, before the records are added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleInfo {
    pub unit: String,
    pub sequence: u64,
    pub created_at: jiff::Timestamp,
    pub plan_id: String,
}

/// Makes a bundle: the records (sorted by id here) as canonical JSON lines, the manifest
/// describing them, signed with `seed`. Refuses records a reader would refuse.
pub fn encode_bundle(
    seed: &[u8; 32],
    info: &BundleInfo,
    records: &[Record],
) -> Result<Vec<u8>, BundleError> {
    let mut sorted: Vec<&Record> = records.iter().collect();
    sorted.sort_by_key(|r| r.id);
    let payload = payload::encode(&info.unit, &sorted)?;
    let manifest = BundleManifest {
        format: FORMAT_VERSION,
        file_type: FileType::Bundle.key().to_owned(),
        unit: info.unit.clone(),
        sequence: info.sequence,
        created_at: info.created_at,
        plan_id: info.plan_id.clone(),
        record_count: sorted.len() as u64,
        payload_sha256: sha256_hex(&payload),
        payload_length: payload.len() as u64,
    };
    seal(seed, FileType::Bundle, &manifest.to_bytes()?, &payload)
}

/// A bundle that verified and whose every record passed the checks.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedBundle {
    pub signer: [u8; 32],
    pub manifest: BundleManifest,
    /// In id order.
    pub records: Vec<Record>,
    /// Lower-case hex SHA-256 of the whole file.
    pub file_sha256: String,
}

/// Checks the header says "bundle", verifies it (see [`verify`]), then parses and checks it: manifest fields, that the
/// manifest's unit is the one the key is pinned to, payload length and hash, record count,
/// and every record (canonical form, its unit, validation, ids in order, no duplicates).
pub fn decode_bundle(
    bytes: &[u8],
    lookup: impl Fn(&[u8; 32]) -> Option<String>,
) -> Result<DecodedBundle, BundleError> {
    expect_type(&read_header(bytes)?, FileType::Bundle)?;
    let verified = verify(bytes, lookup)?;
    let manifest = BundleManifest::parse(verified.manifest)?;
    if manifest.unit != verified.signer_of {
        return Err(BundleError::WrongUnit {
            key_unit: verified.signer_of,
            claimed_unit: manifest.unit,
        });
    }
    if manifest.record_count > MAX_RECORDS {
        return Err(BundleError::TooManyRecords {
            count: manifest.record_count,
        });
    }
    if manifest.payload_length != verified.payload.len() as u64
        || manifest.payload_sha256 != sha256_hex(verified.payload)
    {
        return Err(BundleError::PayloadMismatch);
    }
    let records = payload::decode(&manifest, verified.payload)?;
    Ok(DecodedBundle {
        signer: verified.header.signer,
        manifest,
        records,
        file_sha256: sha256_hex(bytes),
    })
}

/// Makes a receipt: the manifest, an empty payload, signed with the city's `seed`.
pub fn encode_receipt(seed: &[u8; 32], manifest: &ReceiptManifest) -> Result<Vec<u8>, BundleError> {
    seal(seed, FileType::Receipt, &manifest.to_bytes()?, &[])
}

/// A receipt that verified and parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedReceipt {
    pub signer: [u8; 32],
    pub manifest: ReceiptManifest,
    pub file_sha256: String,
}

/// Checks the header says "receipt", verifies it (see [`verify`]), then parses its manifest; its payload must be empty.
pub fn decode_receipt(
    bytes: &[u8],
    lookup: impl Fn(&[u8; 32]) -> Option<String>,
) -> Result<DecodedReceipt, BundleError> {
    expect_type(&read_header(bytes)?, FileType::Receipt)?;
    let verified = verify(bytes, lookup)?;
    if !verified.payload.is_empty() {
        return Err(BundleError::PayloadMismatch);
    }
    let manifest = ReceiptManifest::parse(verified.manifest)?;
    Ok(DecodedReceipt {
        signer: verified.header.signer,
        manifest,
        file_sha256: sha256_hex(bytes),
    })
}

fn expect_type(header: &Header, expected: FileType) -> Result<(), BundleError> {
    if header.file_type == expected {
        Ok(())
    } else {
        Err(BundleError::WrongFileType {
            expected,
            found: header.file_type,
        })
    }
}

fn malformed(part: FilePart, detail: impl ToString) -> BundleError {
    BundleError::Malformed {
        part,
        detail: detail.to_string(),
    }
}
