//! What a sweep reads: report files (size-limited) and the records of
//! JSON-lines exports, each a unit of work or a failure that travels as one.

use crate::cli::{CheckArgs, InputKind, MetaKey};
use radlint::export::{Extracted, fhir, hl7, read_line_limited};
use radlint::meta::Meta;
use radlint::walk::{self, Input};
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// One unit of work: a file, standard input, an export record, or a failure.
pub(super) enum Item {
    Input(Input),
    Record {
        id: String,
        line: u64,
        text: String,
        /// The record's own metadata fields, as written (`--meta-field`).
        meta: Meta,
        /// The text is markdown (a FHIR `text/markdown` attachment).
        markdown: bool,
    },
    BadRecord {
        id: String,
        line: u64,
        reason: String,
    },
    /// An HL7 message framed by the reading thread, parsed by a worker.
    Hl7(hl7::Frame),
}

impl Item {
    /// An export's item as a unit of work.
    pub(super) fn of(extracted: Extracted) -> Option<Item> {
        match extracted {
            Extracted::Report(r) => Some(Item::Record {
                id: r.id,
                line: r.line,
                text: r.text,
                meta: r.meta,
                markdown: r.markdown,
            }),
            Extracted::Bad { id, line, reason } => Some(Item::BadRecord { id, line, reason }),
            Extracted::Skipped { .. } => None,
        }
    }
}

/// Read a file, refusing one over `max` bytes before reading it.
pub(super) fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| walk::describe(&e))?;
    let size = file.metadata().map_err(|e| walk::describe(&e))?.len();
    if size > max {
        return Err(format!(
            "larger than --max-file-size ({size} > {max} bytes); not read"
        ));
    }
    read_limited(file, max, size).map_err(|e| walk::describe(&e))
}

/// Read at most `max + 1` bytes (so an oversized stream is recognised, not
/// held), into room for `expected` bytes and one more: a file of that size
/// then takes one read, and the next sees its end (an empty buffer grows
/// from 32 bytes: eight reads for a 2 KB report).
pub(super) fn read_limited(reader: impl Read, max: u64, expected: u64) -> io::Result<Vec<u8>> {
    let room = usize::try_from(expected.min(max))
        .unwrap_or(0)
        .saturating_add(1);
    let mut buf = Vec::with_capacity(room);
    reader.take(max.saturating_add(1)).read_to_end(&mut buf)?;
    Ok(buf)
}

/// What other-kind records an export held, skipped (FHIR resources that
/// are not DiagnosticReports), by kind: said on stderr after the sweep.
pub(super) type Skipped = std::rc::Rc<std::cell::RefCell<std::collections::BTreeMap<String, u64>>>;

/// The records of one export named on the command line (or `-`), read as
/// `--input` says: JSON lines, FHIR or HL7. One that cannot be opened is
/// one failed item.
pub(super) fn records<'a>(
    args: &'a CheckArgs,
    path: &'a Path,
    skipped: Skipped,
) -> Box<dyn Iterator<Item = Item> + 'a> {
    let source = path.display().to_string();
    let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(BufReader::new(io::stdin()))
    } else {
        match std::fs::File::open(path) {
            Ok(f) => Box::new(BufReader::with_capacity(1 << 16, f)),
            Err(e) => {
                let bad = Item::BadRecord {
                    id: source,
                    line: 0,
                    reason: walk::describe(&e),
                };
                return Box::new(std::iter::once(bad));
            }
        }
    };
    match args.input {
        InputKind::Hl7 => {
            // Framing here; parsing, the costly part, on the workers.
            let mut frames = hl7::Reader::new(reader, &source, args.max_file_size);
            Box::new(
                std::iter::from_fn(move || {
                    frames.next_unit().map(|unit| match unit {
                        hl7::Unit::Message(frame) => Some(Item::Hl7(frame)),
                        hl7::Unit::Item(item) => Item::of(item),
                    })
                })
                .flatten(),
            )
        }
        InputKind::Fhir => {
            let records = fhir::Reader::new(reader, &source, args.max_file_size);
            Box::new(records.filter_map(move |item| match item {
                Extracted::Skipped { kind } => {
                    *skipped.borrow_mut().entry(kind).or_default() += 1;
                    None
                }
                item => Item::of(item),
            }))
        }
        _ => Box::new(RecordReader {
            reader,
            source,
            line: 0,
            id_field: args.id_field.clone(),
            text_field: args.text_field.clone(),
            meta_fields: MetaKey::ALL
                .map(|key| {
                    let named = args.meta_field.iter().rev().find(|(k, _)| *k == key);
                    (
                        key,
                        named.map_or_else(|| key.name().to_owned(), |(_, f)| f.clone()),
                    )
                })
                .to_vec(),
            max: args.max_file_size,
        }),
    }
}

/// Reads an export line by line; a bad line is one failed item, not the end.
struct RecordReader {
    reader: Box<dyn BufRead>,
    source: String,
    line: u64,
    id_field: String,
    text_field: String,
    /// Each metadata key and the field that holds it.
    meta_fields: Vec<(MetaKey, String)>,
    max: u64,
}

impl Iterator for RecordReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            // A line over the size limit is read and dropped, not held.
            let mut buf = Vec::new();
            let fits = match read_line_limited(&mut self.reader, &mut buf, self.max) {
                Ok(None) => return None,
                Ok(Some(fits)) => fits,
                Err(e) => {
                    self.line += 1;
                    return Some(self.bad(format!("cannot read: {}", walk::describe(&e))));
                }
            };
            self.line += 1;
            if !fits {
                return Some(self.bad(format!(
                    "record larger than --max-file-size ({} bytes); not read",
                    self.max
                )));
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(self.parse(&buf));
        }
    }
}

impl RecordReader {
    fn bad(&self, reason: String) -> Item {
        Item::BadRecord {
            id: format!("{}:{}", self.source, self.line),
            line: self.line,
            reason,
        }
    }

    fn parse(&self, buf: &[u8]) -> Item {
        // Exports from Windows tools often start with a UTF-8 byte order
        // mark, which is never JSON: it is not part of the first record.
        let buf = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf);
        let buf = lone_surrogates_replaced(buf);
        let value: serde_json::Value = match serde_json::from_slice(&buf) {
            Ok(v) => v,
            // serde_json stops at 128 levels: say so, not "not JSON".
            Err(e) if e.to_string().starts_with("recursion limit exceeded") => {
                return self.bad(format!(
                    "JSON nested more than 128 levels deep ({e}); not read"
                ));
            }
            Err(e) => return self.bad(format!("not valid JSON: {e}")),
        };
        let id = match value.get(&self.id_field) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => format!("{}:{}", self.source, self.line),
        };
        match value.get(&self.text_field) {
            Some(serde_json::Value::String(text)) if text.contains('\0') => Item::BadRecord {
                id,
                line: self.line,
                reason: "binary text (contains NUL); not a report".to_owned(),
            },
            Some(serde_json::Value::String(text)) => Item::Record {
                id,
                line: self.line,
                text: text.clone(),
                meta: self.meta(&value),
                markdown: false,
            },
            _ => Item::BadRecord {
                id,
                line: self.line,
                reason: format!("no string field `{}`", self.text_field),
            },
        }
    }
}

impl RecordReader {
    /// The metadata a record's own fields give (a string, or a number for
    /// an accession or a compact date), as written.
    fn meta(&self, record: &serde_json::Value) -> Meta {
        let mut meta = Meta::default();
        for (key, field) in &self.meta_fields {
            let value = match record.get(field) {
                Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.trim().to_owned(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => continue,
            };
            let slot = match key {
                MetaKey::Signer => &mut meta.signer,
                MetaKey::Date => &mut meta.date,
                MetaKey::Exam => &mut meta.exam,
                MetaKey::Modality => &mut meta.modality,
                MetaKey::Accession => &mut meta.accession,
            };
            *slot = Some(value);
        }
        meta
    }
}

/// A record's `\uD800`-`\uDFFF` escapes that are not a surrogate pair
/// (an exporter that cut a string inside a character) become `\uFFFD`, the
/// replacement character, as invalid bytes in a file become `?`: the record
/// is read, not rejected. Same length, so columns in messages do not move.
fn lone_surrogates_replaced(buf: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let hex = |at: usize| -> Option<u16> {
        let digits = std::str::from_utf8(buf.get(at..at + 4)?).ok()?;
        u16::from_str_radix(digits, 16).ok()
    };
    // The code unit of a `\u` escape at `at`, if there is one.
    let escape = |at: usize| -> Option<u16> {
        (buf.get(at) == Some(&b'\\') && buf.get(at + 1) == Some(&b'u'))
            .then(|| hex(at + 2))
            .flatten()
    };
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while i < buf.len() {
        if buf[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(unit) = escape(i) else {
            // Any other escape is two bytes (`\\` among them).
            i += 2;
            continue;
        };
        let high = (0xD800..0xDC00).contains(&unit);
        let low = (0xDC00..0xE000).contains(&unit);
        if high && escape(i + 6).is_some_and(|next| (0xDC00..0xE000).contains(&next)) {
            i += 12;
            continue;
        }
        if high || low {
            out.get_or_insert_with(|| buf.to_vec())[i..i + 6].copy_from_slice(b"\\ufffd");
        }
        i += 6;
    }
    match out {
        Some(fixed) => std::borrow::Cow::Owned(fixed),
        None => std::borrow::Cow::Borrowed(buf),
    }
}

#[cfg(test)]
mod tests {
    use super::lone_surrogates_replaced;

    #[test]
    fn lone_surrogate_escapes_become_replacement_characters() {
        let fixed =
            |s: &str| String::from_utf8(lone_surrogates_replaced(s.as_bytes()).into_owned());
        assert_eq!(fixed(r#""a\ud800b""#).as_deref(), Ok(r#""a\ufffdb""#));
        assert_eq!(fixed(r#""\udc00""#).as_deref(), Ok(r#""\ufffd""#));
        // A pair, an escaped backslash before "ud800", other escapes: kept.
        for kept in [r#""\ud83d\ude00""#, r#""\\ud800""#, r#""\n\u0041""#] {
            assert_eq!(fixed(kept).as_deref(), Ok(kept));
        }
    }
}
