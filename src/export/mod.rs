//! Reports as hospitals export them: FHIR R4 DiagnosticReport resources
//! ([`fhir`]) and HL7 v2 ORU result messages ([`hl7`]), read record by
//! record from any reader, so an export of any size streams.
//!
//! Each reader hands on [`Extracted`] items in the export's order: a report
//! (its text as extracted, with the record's id, the line of the export it
//! starts on, whether the text is markdown, and the metadata the record's
//! own fields give), a record that cannot be read (with why: the sweep
//! reports it and goes on), or a record of another kind, skipped and
//! counted.

pub mod fhir;
pub mod hl7;

use crate::meta::Meta;

/// A report read from an export record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The record's id (FHIR resource id, HL7 message control id), or
    /// `SOURCE:LINE` when it has none.
    pub id: String,
    /// Line of the export the record starts on (1-based).
    pub line: u64,
    /// The report text, as extracted.
    pub text: String,
    /// The text is markdown (a `text/markdown` attachment).
    pub markdown: bool,
    /// What the record's own fields say: signer, date, exam, accession.
    pub meta: Meta,
}

/// One item of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extracted {
    /// A report.
    Report(Record),
    /// A record that cannot be read as a report, and why.
    Bad {
        /// Its id, or `SOURCE:LINE`.
        id: String,
        /// Line of the export.
        line: u64,
        /// Why.
        reason: String,
    },
    /// A record of another kind (a FHIR Patient in a Bundle), skipped.
    Skipped {
        /// Its kind.
        kind: String,
    },
}

/// Read a line (up to `\n`, which counts) into `buf`, refusing more than `max` bytes
/// (the rest of an oversized line is read and dropped, so memory stays
/// bounded). `Ok(None)` at the end; `Ok(Some(false))` for an oversized line.
pub fn read_line_limited(
    reader: &mut dyn std::io::BufRead,
    buf: &mut Vec<u8>,
    max: u64,
) -> std::io::Result<Option<bool>> {
    buf.clear();
    let mut fits = true;
    let mut any = false;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(any.then_some(fits));
        }
        any = true;
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if fits && (buf.len() + take) as u64 <= max {
            buf.extend_from_slice(&chunk[..take]);
        } else {
            fits = false;
            buf.clear();
        }
        reader.consume(take);
        if done {
            return Ok(Some(fits));
        }
    }
}
