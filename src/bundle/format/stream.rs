//! Streaming both ways in bounded memory: writing a bundle from records read twice (once to
//! describe them in the manifest, once to write them), and reading its records back one line
//! at a time after the file has verified (pass 2). Award events (formats 3 and 4) follow the
//! records, then the cultivation pool entries (format 4); both are few and are held in memory
//! (at most [`MAX_AWARD_EVENTS`] and [`MAX_POOL_ENTRIES`]).

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256, Sha512};

use super::award_line::{EventCheck, EventSource, MAX_AWARD_EVENTS, event_lines};
use super::payload::LineCheck;
use super::pool_line::{MAX_POOL_ENTRIES, PoolCheck, pool_lines};
use super::{
    BundleInfo, BundleManifest, FORMAT_V3, FORMAT_V4, FORMAT_VERSION, FileType, HEADER_LEN,
    MAX_LINE_LEN, MAX_PAYLOAD_LEN, MAX_RECORDS, SIGNATURE_LEN, Verified, canonical_line,
    header_for, malformed, read_up_to, sign_digest,
};
use crate::bundle::error::{BundleError, FilePart};
use crate::bundle::progress::{OnProgress, Progress, Stage, every_4096};
use crate::domain::awards::AwardEvent;
use crate::domain::pool::PoolEntry;
use crate::domain::{Record, ValidRecord};

/// Records to write into a bundle, in id order, that can be gone through more than once
/// with the same result (a ledger read inside one transaction, or a slice).
pub trait RecordSource {
    /// How many records there are, for progress (an estimate is fine).
    fn len_hint(&mut self) -> Result<u64, BundleError>;
    /// Calls `each` with every record, in id order.
    fn each_record(
        &mut self,
        each: &mut dyn FnMut(&Record) -> Result<(), BundleError>,
    ) -> Result<(), BundleError>;
}

/// Records held in memory, already in id order.
pub(super) struct SliceSource<'a>(pub(super) &'a [&'a Record]);

impl RecordSource for SliceSource<'_> {
    fn len_hint(&mut self) -> Result<u64, BundleError> {
        Ok(self.0.len() as u64)
    }

    fn each_record(
        &mut self,
        each: &mut dyn FnMut(&Record) -> Result<(), BundleError>,
    ) -> Result<(), BundleError> {
        self.0.iter().try_for_each(|record| each(record))
    }
}

/// What [`write_bundle`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// Lower-case hex SHA-256 of the whole file.
    pub sha256: String,
    /// The file's length in bytes.
    pub len: u64,
    pub records: u64,
}

/// Bytes handed to the sink at a time.
const OUT_CHUNK: usize = 1 << 20;

/// Writes a bundle of the records of `source`, the unit's own award `events` and its
/// cultivation `pool` entries to `sink` in bounded memory: format version 2, byte for byte as
/// before award events existed, when there are neither; format 3 (the event lines after the
/// records) when there are events but no pool entries; format 4 (the event lines, then the
/// pool lines) when there are pool entries.
/// Pass 1 checks every record as a reader would (unit, id order, validation, line length),
/// checks that every event is for one of the records, and hashes the payload for the
/// manifest; pass 2 writes header, manifest and payload while hashing them with SHA-512,
/// checks the payload came out as pass 1 described it, and appends the signature. Two active
/// records of one entry cannot be in a ledger (its unique index refuses them), so that rule
/// is left to the reader.
pub fn write_bundle(
    seed: &[u8; 32],
    info: &BundleInfo,
    source: &mut dyn RecordSource,
    events: &[AwardEvent],
    pool: &[PoolEntry],
    sink: &mut dyn FnMut(&[u8]) -> Result<(), BundleError>,
    progress: OnProgress<'_>,
) -> Result<Written, BundleError> {
    let total = source.len_hint()?;
    let events = super::sorted_events(events);
    let mut check = LineCheck::new(&info.unit);
    let mut payload_sha = Sha256::new();
    let mut count = 0u64;
    let mut len = 0u64;
    // The events are in record order, as the records are: each must meet its record.
    let mut next_event = 0usize;
    let unknown = |event: &AwardEvent| BundleError::AwardForUnknownRecord {
        file_type: FileType::Bundle,
        record: event.key.record,
    };
    source.each_record(&mut |record| {
        let line_no = count as usize + 1;
        check.admit(line_no, record)?;
        while let Some(event) = events.get(next_event) {
            match event.key.record.cmp(&record.id) {
                std::cmp::Ordering::Less => return Err(unknown(event)),
                std::cmp::Ordering::Equal => next_event += 1,
                std::cmp::Ordering::Greater => break,
            }
        }
        let line = canonical_line(record)?;
        if line.len() > MAX_LINE_LEN {
            return Err(BundleError::LineTooLong {
                line: line_no,
                len: line.len(),
            });
        }
        payload_sha.update(line.as_bytes());
        payload_sha.update(b"\n");
        count += 1;
        len += line.len() as u64 + 1;
        if count > MAX_RECORDS {
            return Err(BundleError::TooManyRecords { count });
        }
        if len > MAX_PAYLOAD_LEN {
            return Err(BundleError::PayloadLength { len });
        }
        if every_4096(count) {
            progress(Progress {
                stage: Stage::Checking,
                done: count,
                total,
            });
        }
        Ok(())
    })?;
    if let Some(event) = events.get(next_event) {
        return Err(unknown(event));
    }
    let event_lines = event_lines(
        &EventSource::bundle(&info.unit),
        &events,
        count as usize + 1,
    )?;
    let pool_lines = pool_lines(&info.unit, pool, count as usize + event_lines.len() + 1)?;
    let lines: Vec<String> = event_lines.iter().chain(&pool_lines).cloned().collect();
    for line in &lines {
        payload_sha.update(line.as_bytes());
        payload_sha.update(b"\n");
        len += line.len() as u64 + 1;
    }
    if len > MAX_PAYLOAD_LEN {
        return Err(BundleError::PayloadLength { len });
    }
    let (version, award_event_count, pool_entry_count) =
        match (event_lines.len() as u64, pool_lines.len() as u64) {
            (0, 0) => (FORMAT_VERSION, None, None),
            (events, 0) => (FORMAT_V3, Some(events), None),
            (events, entries) => (FORMAT_V4, Some(events), Some(entries)),
        };
    let payload_sha256 = hex::encode(payload_sha.finalize());
    let manifest = BundleManifest {
        format: version,
        file_type: FileType::Bundle.key().to_owned(),
        unit: info.unit.clone(),
        sequence: info.sequence,
        created_at: info.created_at,
        plan_id: info.plan_id.clone(),
        record_count: count,
        award_event_count,
        pool_entry_count,
        payload_sha256: payload_sha256.clone(),
        payload_length: len,
    }
    .to_bytes()?;
    let header = header_for(seed, version, FileType::Bundle, manifest.len(), len)?;

    let mut out = Out {
        buf: Vec::with_capacity(OUT_CHUNK),
        signed: Sha512::new(),
        file: Sha256::new(),
        len: 0,
        sink,
    };
    out.put(&header.to_bytes())?;
    out.put(&manifest)?;
    let mut again = Sha256::new();
    let mut written = 0u64;
    let mut payload_len = 0u64;
    source.each_record(&mut |record| {
        let mut line = canonical_line(record)?;
        line.push('\n');
        again.update(line.as_bytes());
        out.put(line.as_bytes())?;
        written += 1;
        payload_len += line.len() as u64;
        if every_4096(written) {
            progress(Progress {
                stage: Stage::Writing,
                done: written,
                total: count,
            });
        }
        Ok(())
    })?;
    for line in &lines {
        again.update(line.as_bytes());
        again.update(b"\n");
        out.put(line.as_bytes())?;
        out.put(b"\n")?;
        payload_len += line.len() as u64 + 1;
    }
    if written != count || payload_len != len || hex::encode(again.finalize()) != payload_sha256 {
        return Err(BundleError::PayloadMismatch);
    }
    let digest: [u8; 64] = out.signed.clone().finalize().into();
    let signature = sign_digest(seed, &digest);
    out.file.update(signature);
    out.buf.extend_from_slice(&signature);
    out.len += SIGNATURE_LEN as u64;
    out.flush()?;
    progress(Progress {
        stage: Stage::Writing,
        done: count,
        total: count,
    });
    Ok(Written {
        sha256: hex::encode(out.file.finalize()),
        len: out.len,
        records: count,
    })
}

/// The signed bytes on their way to the sink, hashed as they go.
struct Out<'s> {
    buf: Vec<u8>,
    signed: Sha512,
    file: Sha256,
    len: u64,
    sink: &'s mut dyn FnMut(&[u8]) -> Result<(), BundleError>,
}

impl Out<'_> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), BundleError> {
        self.signed.update(bytes);
        self.file.update(bytes);
        self.len += bytes.len() as u64;
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= OUT_CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), BundleError> {
        if !self.buf.is_empty() {
            (self.sink)(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }
}

/// Pass 2 over any signed file that passed pass 1 ([`super::verify_stream`]): its payload
/// read again from the start of the file, one line at a time, every byte hashed again;
/// [`LineReader::finish`] refuses the file if it is not the one pass 1 verified.
pub(crate) struct LineReader<R> {
    input: R,
    path: PathBuf,
    signed: Sha512,
    remaining: u64,
    line_no: usize,
    expect_sha512: [u8; 64],
    expect_signature: [u8; SIGNATURE_LEN],
    line: Vec<u8>,
}

impl<R: BufRead> LineReader<R> {
    /// Starts pass 2 on `input`, positioned at the start of the file.
    pub(crate) fn open(
        mut input: R,
        path: &Path,
        verified: &Verified,
    ) -> Result<LineReader<R>, BundleError> {
        let mut head = vec![0u8; HEADER_LEN + verified.manifest.len()];
        let got = read_up_to(&mut input, &mut head).map_err(|source| BundleError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        if got < head.len()
            || head[..HEADER_LEN] != verified.header.to_bytes()
            || head[HEADER_LEN..] != verified.manifest[..]
        {
            return Err(BundleError::ChangedWhileReading);
        }
        let mut signed = Sha512::new();
        signed.update(&head);
        Ok(LineReader {
            input,
            path: path.to_path_buf(),
            signed,
            remaining: verified.header.payload_len,
            line_no: 0,
            expect_sha512: verified.signed_sha512,
            expect_signature: verified.signature,
            line: Vec::new(),
        })
    }

    /// The next payload line without its newline, with its number (from 1); `None` after the
    /// last.
    pub(crate) fn next_line(&mut self) -> Result<Option<(usize, &[u8])>, BundleError> {
        if self.remaining == 0 {
            return Ok(None);
        }
        self.line_no += 1;
        let line_no = self.line_no;
        let limit = self.remaining.min(MAX_LINE_LEN as u64 + 1);
        self.line.clear();
        let got = (&mut self.input)
            .take(limit)
            .read_until(b'\n', &mut self.line)
            .map_err(|source| BundleError::Read {
                path: self.path.clone(),
                source,
            })?;
        self.signed.update(&self.line);
        self.remaining -= got as u64;
        let Some((b'\n', line)) = self.line.split_last() else {
            if got as u64 == MAX_LINE_LEN as u64 + 1 {
                return Err(BundleError::LineTooLong {
                    line: line_no,
                    len: got,
                });
            }
            // Pass 1 saw whole lines: the file changed since.
            return Err(BundleError::ChangedWhileReading);
        };
        Ok(Some((line_no, line)))
    }

    /// After the last line: the file must have been exactly the one pass 1 verified (same
    /// SHA-512 up to the signature, same signature, nothing after it), else it is refused.
    pub(crate) fn finish(mut self) -> Result<(), BundleError> {
        if self.remaining != 0 {
            return Err(BundleError::ChangedWhileReading);
        }
        let mut signature = [0u8; SIGNATURE_LEN];
        let got =
            read_up_to(&mut self.input, &mut signature).map_err(|source| BundleError::Read {
                path: self.path.clone(),
                source,
            })?;
        // The file ends there, as it did when it verified.
        let mut after = [0u8; 1];
        let more = read_up_to(&mut self.input, &mut after).map_err(|source| BundleError::Read {
            path: self.path.clone(),
            source,
        })?;
        let digest: [u8; 64] = self.signed.finalize().into();
        if got != SIGNATURE_LEN
            || more != 0
            || signature != self.expect_signature
            || digest != self.expect_sha512
        {
            return Err(BundleError::ChangedWhileReading);
        }
        Ok(())
    }
}

/// Pass 2: the records of a bundle that passed pass 1 ([`super::verify_stream`]) and whose
/// manifest checked out ([`super::bundle_manifest`]), read one line at a time from the
/// start of the file again, then its award events (format 3). Every byte is hashed again;
/// [`RecordReader::finish`] refuses the file if it is not the one pass 1 verified.
pub struct RecordReader<R> {
    lines: LineReader<R>,
    records: u64,
    /// Award event lines after the records (none before format 3).
    award_events: u64,
    check: LineCheck,
    events: EventCheck,
    pool: PoolCheck,
}

impl<R: BufRead> RecordReader<R> {
    /// Starts pass 2 on `input`, positioned at the start of the file.
    pub fn open(
        input: R,
        path: &Path,
        verified: &Verified,
        manifest: &BundleManifest,
    ) -> Result<RecordReader<R>, BundleError> {
        Ok(RecordReader {
            lines: LineReader::open(input, path, verified)?,
            records: manifest.record_count,
            award_events: manifest.award_event_count.unwrap_or(0),
            check: LineCheck::new(&manifest.unit),
            events: EventCheck::new(EventSource::bundle(&manifest.unit)),
            pool: PoolCheck::new(&manifest.unit),
        })
    }

    /// Lines read so far.
    pub fn lines_read(&self) -> u64 {
        self.lines.line_no as u64
    }

    /// The next record, checked as pass 1 could not (canonical form, unit, id order,
    /// validation), with its validated form; `None` after the last record.
    pub fn next_record(&mut self) -> Result<Option<(Record, ValidRecord)>, BundleError> {
        if self.lines_read() >= self.records {
            return Ok(None);
        }
        let Some((line_no, line)) = self.lines.next_line()? else {
            // Pass 1 counted the lines the manifest declares: the file changed since.
            return Err(BundleError::ChangedWhileReading);
        };
        let record: Record =
            serde_json::from_slice(line).map_err(|e| malformed(FilePart::Line(line_no), e))?;
        if canonical_line(&record)?.as_bytes() != line {
            return Err(malformed(FilePart::Line(line_no), "not in canonical form"));
        }
        let valid = self.check.admit(line_no, &record)?;
        Ok(Some((record, valid)))
    }

    /// After the last record: the award event lines and pool lines are read and checked as
    /// in [`RecordReader::finish_with_extras`], then dropped; the file must have been exactly
    /// the one pass 1 verified, else it is refused.
    pub fn finish(self) -> Result<(), BundleError> {
        self.finish_with_extras().map(drop)
    }

    /// [`RecordReader::finish_with_extras`] without the pool entries.
    pub fn finish_with_awards(self) -> Result<Vec<AwardEvent>, BundleError> {
        self.finish_with_extras().map(|(events, _)| events)
    }

    /// After the last record: reads the award event lines (formats 3 and 4; none before),
    /// each checked (canonical form, the bundle's unit and its county level, strictly
    /// ascending), then the cultivation pool entry lines (format 4), each checked (canonical
    /// form, the bundle's unit, the rules of an entry, strictly ascending ids, no firm open
    /// twice); returns both in order. Then the file must have been exactly the one pass 1
    /// verified (same SHA-512 up to the signature, same signature, nothing after it), else it
    /// is refused. Records not yet read are refused as lines out of place.
    pub fn finish_with_extras(mut self) -> Result<(Vec<AwardEvent>, Vec<PoolEntry>), BundleError> {
        if self.lines_read() < self.records {
            return Err(BundleError::ChangedWhileReading);
        }
        let mut events = Vec::new();
        let mut entries = Vec::new();
        while let Some((line_no, line)) = self.lines.next_line()? {
            if (events.len() as u64) < self.award_events {
                if events.len() as u64 >= MAX_AWARD_EVENTS {
                    return Err(BundleError::TooManyAwardEvents {
                        count: events.len() as u64 + 1,
                    });
                }
                events.push(self.events.admit_bytes(line_no, line)?);
            } else {
                if entries.len() as u64 >= MAX_POOL_ENTRIES {
                    return Err(BundleError::TooManyPoolEntries {
                        count: entries.len() as u64 + 1,
                    });
                }
                entries.push(self.pool.admit_bytes(line_no, line)?);
            }
        }
        self.lines.finish()?;
        Ok((events, entries))
    }
}
