//! The signed file container (bundle and receipt): header, signature and the two reading
//! passes. Format version 2 is written, version 3 when award events travel too, version 4
//! when a unit's cultivation pool entries travel (bundles only); version 1 is still read.
//!
//! Layout (big-endian integers), documented in `docs/bundle-format.md`:
//! `TZBUNDLE` · version u16 · file type u8 · signer public key [32] · manifest length u32 ·
//! payload length u64 · manifest · payload · Ed25519 signature [64]. Version 2 signs the
//! 83-byte message `taizhang-v2-sha512:` ‖ SHA-512(everything before the signature), so a
//! file of any size is written and checked in bounded memory; version 1 signed all the bytes.
//!
//! Reading is two passes over the file. [`verify_stream`] (pass 1) checks the header, the
//! exact length, the signer and the signature while hashing, and parses nothing; only then
//! are the manifest ([`bundle_manifest`]) and the records ([`RecordReader`], pass 2) parsed,
//! pass 2 hashing again so that a file changed in between is refused.

mod award_line;
mod manifest;
mod payload;
mod pool_line;
mod stream;

use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;

use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256, Sha512};

pub use award_line::{EventLine, EventSource, MAX_AWARD_EVENTS, check_line, sorted_events};
pub use manifest::{BundleManifest, ReceiptManifest};
pub use payload::{canonical_line, check_record};
pub use pool_line::{MAX_POOL_ENTRIES, PoolLine, check_pool_line};
pub use stream::{RecordReader, RecordSource, Written, write_bundle};

use super::error::{BundleError, FilePart};
use super::keys::fingerprint;
use super::progress::{OnProgress, Progress, Stage};
use crate::domain::awards::AwardEvent;
use crate::domain::pool::PoolEntry;
use crate::domain::{Record, RecordKind};

pub const MAGIC: [u8; 8] = *b"TZBUNDLE";
/// The version this program writes for a file without award events.
pub const FORMAT_VERSION: u16 = 2;
/// The version this program writes for a file carrying award events (format 2 otherwise).
pub const FORMAT_V3: u16 = 3;
/// The version this program writes for a bundle carrying cultivation pool entries (after
/// any award events); never for a receipt.
pub const FORMAT_V4: u16 = 4;
/// The first version, still read.
pub const FORMAT_V1: u16 = 1;
/// Bytes before the manifest.
pub const HEADER_LEN: usize = 55;
pub const SIGNATURE_LEN: usize = 64;
pub const MAX_MANIFEST_LEN: u64 = 65_536;
/// 64 GiB (version 2).
pub const MAX_PAYLOAD_LEN: u64 = 1 << 36;
/// 256 MiB (version 1).
pub const MAX_PAYLOAD_LEN_V1: u64 = 268_435_456;
/// The longest payload line, without its `\n`.
pub const MAX_LINE_LEN: usize = 65_536;
/// Records per bundle (version 2).
pub const MAX_RECORDS: u64 = 16_777_216;
/// Records per bundle (version 1).
pub const MAX_RECORDS_V1: u64 = 1_000_000;
/// What a version 2 signature signs before the 64-byte SHA-512.
pub const SIGNED_PREFIX: &[u8; 19] = b"taizhang-v2-sha512:";

/// The largest payload a file of this version may carry.
pub fn max_payload_len(version: u16) -> u64 {
    if version == FORMAT_V1 {
        MAX_PAYLOAD_LEN_V1
    } else {
        MAX_PAYLOAD_LEN
    }
}

/// The most records a bundle of this version may carry.
pub fn max_records(version: u16) -> u64 {
    if version == FORMAT_V1 {
        MAX_RECORDS_V1
    } else {
        MAX_RECORDS
    }
}

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
        self.signed_len() + SIGNATURE_LEN as u64
    }

    /// The length of what the signature covers: header, manifest and payload.
    pub fn signed_len(&self) -> u64 {
        HEADER_LEN as u64 + u64::from(self.manifest_len) + self.payload_len
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

/// Reads and checks the header of a whole file held in memory and its exact length.
pub fn read_header(bytes: &[u8]) -> Result<Header, BundleError> {
    header_of(bytes, bytes.len() as u64)
}

/// Reads and checks a header from the first bytes of a file (`head`, up to 55 of them) and
/// the file's length `actual`. Looks at no JSON.
pub fn header_of(head: &[u8], actual: u64) -> Result<Header, BundleError> {
    let magic_seen = &head[..head.len().min(MAGIC.len())];
    if magic_seen != &MAGIC[..magic_seen.len()] {
        return Err(BundleError::NotABundle);
    }
    let minimum = (HEADER_LEN + 1 + SIGNATURE_LEN) as u64;
    let Some(head) = head.first_chunk::<HEADER_LEN>() else {
        return Err(BundleError::Truncated {
            actual,
            expected: minimum,
        });
    };
    let version = u16::from_be_bytes([head[8], head[9]]);
    if !(FORMAT_V1..=FORMAT_V4).contains(&version) {
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
    if payload_len > max_payload_len(version) {
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

/// The 83 bytes a version 2 signature signs: the prefix, then the SHA-512 of the file up to
/// the signature.
pub fn signed_message(sha512: &[u8; 64]) -> [u8; 83] {
    let mut message = [0u8; 83];
    message[..SIGNED_PREFIX.len()].copy_from_slice(SIGNED_PREFIX);
    message[SIGNED_PREFIX.len()..].copy_from_slice(sha512);
    message
}

/// A signed file whose header, length and signature checked out (pass 1), by a key the
/// reader has pinned, with what pass 1 learnt of its bytes. Nothing in it has been parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub header: Header,
    /// What the reader's lookup said the key belongs to (a unit code, or the city).
    pub signer_of: String,
    /// The manifest bytes, as signed (at most 64 KiB).
    pub manifest: Vec<u8>,
    /// Lower-case hex SHA-256 of the whole file.
    pub file_sha256: String,
    signature: [u8; SIGNATURE_LEN],
    signed_sha512: [u8; 64],
    payload_sha256: String,
    payload_lines: u64,
    payload_last: Option<u8>,
}

/// Bytes hashed per read in pass 1.
const CHUNK: usize = 1 << 16;

/// Pass 1: checks a signed file as raw bytes, start to end, in bounded memory. The header
/// and exact length first, that it is of the `expected` type, that `lookup` knows the
/// signer's key (it returns what the key is pinned to), then — having hashed every byte —
/// the Ed25519 signature (strict verification). A version 1 file is held in memory while it
/// is checked (it is at most 256 MiB). Nothing is parsed as JSON. `path` names the file in
/// read errors.
pub fn verify_stream<R: Read + Seek>(
    input: &mut R,
    path: &Path,
    expected: FileType,
    lookup: impl Fn(&[u8; 32]) -> Option<String>,
    progress: OnProgress<'_>,
) -> Result<Verified, BundleError> {
    let io = |source| BundleError::Read {
        path: path.to_path_buf(),
        source,
    };
    let actual = input.seek(SeekFrom::End(0)).map_err(io)?;
    input.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut head = [0u8; HEADER_LEN];
    let got = read_up_to(input, &mut head).map_err(io)?;
    let header = header_of(&head[..got], actual)?;
    expect_type(&header, expected)?;
    let signer_of = lookup(&header.signer).ok_or_else(|| BundleError::UnknownKey {
        fingerprint: fingerprint(&header.signer),
    })?;
    let key = VerifyingKey::from_bytes(&header.signer).map_err(|_| BundleError::BadSignature)?;

    let total = header.file_len();
    let mut filler = Filler {
        input,
        path,
        at: 0,
        total,
    };
    let mut signed = Sha512::new();
    let mut file = Sha256::new();
    let mut whole_v1 = (header.version == FORMAT_V1).then(Vec::new);
    let mut take = |bytes: &[u8], signed: &mut Sha512, whole: &mut Option<Vec<u8>>| {
        signed.update(bytes);
        file.update(bytes);
        if let Some(whole) = whole.as_mut() {
            whole.extend_from_slice(bytes);
        }
    };
    filler.at = HEADER_LEN as u64;
    take(&head, &mut signed, &mut whole_v1);
    let mut manifest = vec![0u8; header.manifest_len as usize];
    filler.fill(&mut manifest)?;
    take(&manifest, &mut signed, &mut whole_v1);

    let mut payload_sha = Sha256::new();
    let mut lines = 0u64;
    let mut last = None;
    let mut left = header.payload_len;
    let mut chunk = vec![0u8; CHUNK];
    let mut done = 0u64;
    while left > 0 {
        let n = usize::try_from(left).map_or(CHUNK, |l| l.min(CHUNK));
        let part = &mut chunk[..n];
        filler.fill(part)?;
        take(part, &mut signed, &mut whole_v1);
        payload_sha.update(&*part);
        lines += part.iter().filter(|b| **b == b'\n').count() as u64;
        last = part.last().copied();
        left -= n as u64;
        done += n as u64;
        if done.is_multiple_of(64 * CHUNK as u64) {
            progress(Progress {
                stage: Stage::Verifying,
                done,
                total: header.payload_len,
            });
        }
    }
    let mut signature = [0u8; SIGNATURE_LEN];
    filler.fill(&mut signature)?;
    file.update(signature);
    let signed_sha512: [u8; 64] = signed.finalize().into();
    let sig = Signature::from_bytes(&signature);
    let good = match whole_v1 {
        Some(whole) => key.verify_strict(&whole, &sig),
        None => key.verify_strict(&signed_message(&signed_sha512), &sig),
    };
    good.map_err(|_| BundleError::BadSignature)?;
    progress(Progress {
        stage: Stage::Verifying,
        done: header.payload_len,
        total: header.payload_len,
    });
    Ok(Verified {
        header,
        signer_of,
        manifest,
        file_sha256: hex::encode(file.finalize()),
        signature,
        signed_sha512,
        payload_sha256: hex::encode(payload_sha.finalize()),
        payload_lines: lines,
        payload_last: last,
    })
}

/// Reads exact pieces of a file whose length was checked, refusing it as truncated when it
/// ends early (it was cut while being read).
struct Filler<'a, R> {
    input: &'a mut R,
    path: &'a Path,
    at: u64,
    total: u64,
}

impl<R: Read> Filler<'_, R> {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), BundleError> {
        let got = read_up_to(self.input, buf).map_err(|source| BundleError::Read {
            path: self.path.to_path_buf(),
            source,
        })?;
        self.at += got as u64;
        if got < buf.len() {
            return Err(BundleError::Truncated {
                actual: self.at,
                expected: self.total,
            });
        }
        Ok(())
    }
}

/// Reads until `buf` is full or the input ends; returns how many bytes were read.
fn read_up_to(input: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// The manifest a file's first bytes (`head`) claim for a bundle, read without checking the
/// file's length or signature: what a refused file said it was, never trusted. `None` when
/// `head` does not hold a bundle's header and a whole manifest in canonical form.
pub fn claimed_manifest(head: &[u8]) -> Option<BundleManifest> {
    let header = head.first_chunk::<HEADER_LEN>()?;
    if header[..MAGIC.len()] != MAGIC || FileType::from_code(header[10]) != Some(FileType::Bundle) {
        return None;
    }
    let version = u16::from_be_bytes([header[8], header[9]]);
    let len = u32::from_be_bytes([header[43], header[44], header[45], header[46]]);
    let end = HEADER_LEN.checked_add(usize::try_from(len).ok()?)?;
    BundleManifest::parse(head.get(HEADER_LEN..end)?, version).ok()
}

/// Parses and checks the manifest of a verified bundle against what pass 1 saw: its fields,
/// that its unit is the one the key is pinned to, the record limit, the payload's length and
/// hash, and that the payload is whole lines, as many as the manifest says (records, then
/// award events in formats 3 and 4, then pool entries in format 4).
pub fn bundle_manifest(verified: &Verified) -> Result<BundleManifest, BundleError> {
    let version = verified.header.version;
    let manifest = BundleManifest::parse(&verified.manifest, version)?;
    if manifest.unit != verified.signer_of {
        return Err(BundleError::WrongUnit {
            key_unit: verified.signer_of.clone(),
            claimed_unit: manifest.unit,
        });
    }
    if manifest.record_count > max_records(version) {
        return Err(BundleError::TooManyRecords {
            count: manifest.record_count,
        });
    }
    if manifest.payload_length != verified.header.payload_len
        || manifest.payload_sha256 != verified.payload_sha256
    {
        return Err(BundleError::PayloadMismatch);
    }
    if verified.payload_last.is_some_and(|b| b != b'\n') {
        return Err(malformed(
            FilePart::Line(verified.payload_lines as usize + 1),
            "line not terminated",
        ));
    }
    let declared = manifest
        .record_count
        .saturating_add(manifest.award_event_count.unwrap_or(0))
        .saturating_add(manifest.pool_entry_count.unwrap_or(0));
    if verified.payload_lines != declared {
        return Err(BundleError::CountMismatch {
            declared,
            found: verified.payload_lines,
        });
    }
    Ok(manifest)
}

/// Builds a signed file (format version 2) in memory: header, manifest, payload, signature by
/// the key made from `seed`. For receipts and small files; bundles are written with
/// [`write_bundle`].
pub fn seal(
    seed: &[u8; 32],
    file_type: FileType,
    manifest: &[u8],
    payload: &[u8],
) -> Result<Vec<u8>, BundleError> {
    seal_version(seed, FORMAT_VERSION, file_type, manifest, payload)
}

/// [`seal`] with the header's version given (2 or 3: both sign the same way).
pub fn seal_version(
    seed: &[u8; 32],
    version: u16,
    file_type: FileType,
    manifest: &[u8],
    payload: &[u8],
) -> Result<Vec<u8>, BundleError> {
    let header = header_for(
        seed,
        version,
        file_type,
        manifest.len(),
        payload.len() as u64,
    )?;
    let mut out = Vec::with_capacity(usize::try_from(header.file_len()).unwrap_or(0));
    out.extend_from_slice(&header.to_bytes());
    out.extend_from_slice(manifest);
    out.extend_from_slice(payload);
    let digest: [u8; 64] = Sha512::digest(&out).into();
    out.extend_from_slice(&sign_digest(seed, &digest));
    Ok(out)
}

/// The header (version 2 or 3) for a file of these lengths, refusing lengths out of range.
fn header_for(
    seed: &[u8; 32],
    version: u16,
    file_type: FileType,
    manifest_len: usize,
    payload_len: u64,
) -> Result<Header, BundleError> {
    let manifest_len = u32::try_from(manifest_len)
        .ok()
        .filter(|len| *len > 0 && u64::from(*len) <= MAX_MANIFEST_LEN)
        .ok_or(BundleError::ManifestLength {
            len: manifest_len as u64,
        })?;
    if payload_len > MAX_PAYLOAD_LEN {
        return Err(BundleError::PayloadLength { len: payload_len });
    }
    Ok(Header {
        version,
        file_type,
        signer: SigningKey::from_bytes(seed).verifying_key().to_bytes(),
        manifest_len,
        payload_len,
    })
}

/// The version 2 (and 3) signature over a file whose bytes before the signature hash to `sha512`.
fn sign_digest(seed: &[u8; 32], sha512: &[u8; 64]) -> [u8; SIGNATURE_LEN] {
    use ed25519_dalek::Signer;
    SigningKey::from_bytes(seed)
        .sign(&signed_message(sha512))
        .to_bytes()
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

/// Makes a bundle in memory: the records (sorted by id here) as canonical JSON lines, the
/// manifest describing them, signed with `seed`. Refuses records a reader would refuse. For
/// tests and small bundles; an export streams through [`write_bundle`].
pub fn encode_bundle(
    seed: &[u8; 32],
    info: &BundleInfo,
    records: &[Record],
) -> Result<Vec<u8>, BundleError> {
    encode_bundle_with_awards(seed, info, records, &[])
}

/// [`encode_bundle`] with the unit's own award events: format 3 when there are any (sorted
/// here), format 2 otherwise.
pub fn encode_bundle_with_awards(
    seed: &[u8; 32],
    info: &BundleInfo,
    records: &[Record],
    events: &[AwardEvent],
) -> Result<Vec<u8>, BundleError> {
    encode_bundle_with_pool(seed, info, records, events, &[])
}

/// [`encode_bundle_with_awards`] with the unit's cultivation pool entries: format 4 when
/// there are any (sorted here), as before otherwise.
pub fn encode_bundle_with_pool(
    seed: &[u8; 32],
    info: &BundleInfo,
    records: &[Record],
    events: &[AwardEvent],
    pool: &[PoolEntry],
) -> Result<Vec<u8>, BundleError> {
    let mut sorted: Vec<&Record> = records.iter().collect();
    sorted.sort_by_key(|r| r.id);
    let mut out = Vec::new();
    write_bundle(
        seed,
        info,
        &mut stream::SliceSource(&sorted),
        events,
        pool,
        &mut |bytes| {
            out.extend_from_slice(bytes);
            Ok(())
        },
        &mut |_| {},
    )?;
    Ok(out)
}

/// A bundle that verified and whose every record passed the checks.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedBundle {
    pub signer: [u8; 32],
    pub manifest: BundleManifest,
    /// In id order.
    pub records: Vec<Record>,
    /// The unit's own approvals and payments (formats 3 and 4), in line order; empty before.
    pub award_events: Vec<AwardEvent>,
    /// The unit's cultivation pool entries (format 4), in id order; empty before.
    pub pool_entries: Vec<PoolEntry>,
    /// Lower-case hex SHA-256 of the whole file.
    pub file_sha256: String,
}

/// Reads a whole bundle held in memory: both passes (see the module notes) and every check a
/// reader makes, including that no two active records are the same entry, that every
/// award event is for a record of the bundle and that every achieved pool entry naming its
/// record names a high-tech record of the bundle. For tests and small bundles; the city's import
/// streams.
pub fn decode_bundle(
    bytes: &[u8],
    lookup: impl Fn(&[u8; 32]) -> Option<String>,
) -> Result<DecodedBundle, BundleError> {
    let path = Path::new("");
    let verified = verify_stream(
        &mut Cursor::new(bytes),
        path,
        FileType::Bundle,
        lookup,
        &mut |_| {},
    )?;
    let manifest = bundle_manifest(&verified)?;
    let mut reader = RecordReader::open(Cursor::new(bytes), path, &verified, &manifest)?;
    let mut entries = payload::Entries::default();
    let mut records = Vec::new();
    while let Some((record, valid)) = reader.next_record()? {
        entries.admit(&record, &valid)?;
        records.push(record);
    }
    let (award_events, pool_entries) = reader.finish_with_extras()?;
    for event in &award_events {
        if records
            .binary_search_by_key(&event.key.record, |r| r.id)
            .is_err()
        {
            return Err(BundleError::AwardForUnknownRecord {
                file_type: FileType::Bundle,
                record: event.key.record,
            });
        }
    }
    for entry in &pool_entries {
        let Some(record) = entry.achieved_by else {
            continue;
        };
        let high_tech = records
            .binary_search_by_key(&record, |r| r.id)
            .ok()
            .and_then(|at| records.get(at))
            .is_some_and(|r| r.kind == RecordKind::HighTech);
        if !high_tech {
            return Err(BundleError::PoolAchievedByUnknownRecord {
                unit: manifest.unit.clone(),
                entry: entry.id,
                record,
            });
        }
    }
    Ok(DecodedBundle {
        signer: verified.header.signer,
        manifest,
        records,
        award_events,
        pool_entries,
        file_sha256: verified.file_sha256,
    })
}

/// Makes a receipt: the manifest, an empty payload, signed with the city's `seed` (format 2,
/// `award_event_count` absent).
pub fn encode_receipt(seed: &[u8; 32], manifest: &ReceiptManifest) -> Result<Vec<u8>, BundleError> {
    seal(seed, FileType::Receipt, &manifest.to_bytes()?, &[])
}

/// Makes a receipt carrying the city's award events for the unit: format 3 with one line per
/// event (sorted and checked here) when there are any, else exactly [`encode_receipt`]. The
/// manifest's `format` and `award_event_count` are set here.
pub fn encode_receipt_with_awards(
    seed: &[u8; 32],
    manifest: &ReceiptManifest,
    events: &[AwardEvent],
) -> Result<Vec<u8>, BundleError> {
    let mut manifest = manifest.clone();
    if events.is_empty() {
        manifest.format = FORMAT_VERSION;
        manifest.award_event_count = None;
        return encode_receipt(seed, &manifest);
    }
    let source = EventSource::receipt(&manifest.city, &manifest.unit);
    let mut payload = Vec::new();
    for line in award_line::event_lines(&source, events, 1)? {
        payload.extend_from_slice(line.as_bytes());
        payload.push(b'\n');
    }
    manifest.format = FORMAT_V3;
    manifest.award_event_count = Some(events.len() as u64);
    seal_version(
        seed,
        FORMAT_V3,
        FileType::Receipt,
        &manifest.to_bytes()?,
        &payload,
    )
}

/// A receipt that verified and parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedReceipt {
    pub signer: [u8; 32],
    pub manifest: ReceiptManifest,
    /// The city's approvals and payments for the unit (format 3), in line order.
    pub award_events: Vec<AwardEvent>,
    pub file_sha256: String,
}

/// Reads a receipt: verifies it (see [`verify_stream`]), then parses its manifest; a format 1
/// or 2 receipt's payload must be empty, a format 3 receipt's is its award event lines, read
/// again (pass 2) and checked: for the receipt's unit, recorded by its city, at city level, in
/// order, as many as the manifest says. `input` must be positioned anywhere; it is read from
/// its start twice.
pub fn read_receipt<R: Read + Seek>(
    input: &mut R,
    path: &Path,
    lookup: impl Fn(&[u8; 32]) -> Option<String>,
) -> Result<DecodedReceipt, BundleError> {
    let verified = verify_stream(input, path, FileType::Receipt, lookup, &mut |_| {})?;
    let manifest = ReceiptManifest::parse(&verified.manifest, verified.header.version)?;
    let events = manifest.award_event_count.unwrap_or(0);
    if verified.header.payload_len == 0 && events == 0 {
        return Ok(DecodedReceipt {
            signer: verified.header.signer,
            manifest,
            award_events: Vec::new(),
            file_sha256: verified.file_sha256,
        });
    }
    if verified.header.payload_len == 0 || events == 0 {
        return Err(BundleError::PayloadMismatch);
    }
    if verified.payload_last.is_some_and(|b| b != b'\n') || verified.payload_lines != events {
        return Err(BundleError::CountMismatch {
            declared: events,
            found: verified.payload_lines,
        });
    }
    input
        .seek(SeekFrom::Start(0))
        .map_err(|source| BundleError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    let source = EventSource::receipt(&manifest.city, &manifest.unit);
    let mut lines = stream::LineReader::open(std::io::BufReader::new(input), path, &verified)?;
    let mut check = award_line::EventCheck::new(source);
    let mut award_events = Vec::new();
    while let Some((line_no, line)) = lines.next_line()? {
        award_events.push(check.admit_bytes(line_no, line)?);
    }
    lines.finish()?;
    Ok(DecodedReceipt {
        signer: verified.header.signer,
        manifest,
        award_events,
        file_sha256: verified.file_sha256,
    })
}

/// [`read_receipt`] on bytes held in memory.
pub fn decode_receipt(
    bytes: &[u8],
    lookup: impl Fn(&[u8; 32]) -> Option<String>,
) -> Result<DecodedReceipt, BundleError> {
    read_receipt(&mut Cursor::new(bytes), Path::new(""), lookup)
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

/// Parses payload line `line_no` (counted from 1 over the whole payload) as `T` and refuses
/// it unless `canonical` writes it back byte for byte.
fn parse_canonical_line<T: serde::de::DeserializeOwned>(
    line_no: usize,
    line: &[u8],
    canonical: impl Fn(&T) -> Result<String, BundleError>,
) -> Result<T, BundleError> {
    let parsed: T =
        serde_json::from_slice(line).map_err(|e| malformed(FilePart::Line(line_no), e))?;
    if canonical(&parsed)?.as_bytes() != line {
        return Err(malformed(FilePart::Line(line_no), "not in canonical form"));
    }
    Ok(parsed)
}

fn malformed(part: FilePart, detail: impl ToString) -> BundleError {
    BundleError::Malformed {
        part,
        detail: detail.to_string(),
    }
}
