//! What a sweep reads: report files (size-limited) and the records of
//! JSON-lines exports, each a unit of work or a failure that travels as one.

use crate::cli::CheckArgs;
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
    },
    BadRecord {
        id: String,
        line: u64,
        reason: String,
    },
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

/// The records of one JSON-lines export named on the command line.
pub(super) fn records<'a>(
    args: &'a CheckArgs,
    path: &'a Path,
) -> Box<dyn Iterator<Item = Item> + 'a> {
    {
        let source = path.display().to_string();
        let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
            Box::new(BufReader::new(io::stdin()))
        } else {
            match std::fs::File::open(path) {
                Ok(f) => Box::new(BufReader::new(f)),
                Err(e) => {
                    let bad = Item::BadRecord {
                        id: source,
                        line: 0,
                        reason: walk::describe(&e),
                    };
                    return Box::new(std::iter::once(bad)) as Box<dyn Iterator<Item = Item>>;
                }
            }
        };
        Box::new(RecordReader {
            reader,
            source,
            line: 0,
            id_field: args.id_field.clone(),
            text_field: args.text_field.clone(),
            max: args.max_file_size,
        })
    }
}

/// Reads an export line by line; a bad line is one failed item, not the end.
struct RecordReader {
    reader: Box<dyn BufRead>,
    source: String,
    line: u64,
    id_field: String,
    text_field: String,
    max: u64,
}

impl Iterator for RecordReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            let mut buf = Vec::new();
            match self.reader.read_until(b'\n', &mut buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    self.line += 1;
                    return Some(self.bad(format!("cannot read: {}", walk::describe(&e))));
                }
            }
            self.line += 1;
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
        if buf.len() as u64 > self.max {
            return self.bad(format!(
                "record larger than --max-file-size ({} bytes); not read",
                self.max
            ));
        }
        // Exports from Windows tools often start with a UTF-8 byte order
        // mark, which is never JSON: it is not part of the first record.
        let buf = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf);
        let value: serde_json::Value = match serde_json::from_slice(buf) {
            Ok(v) => v,
            Err(e) => return self.bad(format!("not a JSON object: {e}")),
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
            },
            _ => Item::BadRecord {
                id,
                line: self.line,
                reason: format!("no string field `{}`", self.text_field),
            },
        }
    }
}
