//! HL7 v2.x ORU^R01 result messages, streamed: segments end at a carriage
//! return (LF and CRLF accepted), MLLP framing bytes and batch segments
//! (FHS, BHS, BTS, FTS) are tolerated, and each message starts at its MSH.
//! The `hl7-parser` crate splits a message into fields, components and
//! subcomponents with the encoding characters its MSH-1 and MSH-2 give.
//!
//! The report text is OBX-5 of the text observations (OBX-2 `TX`, `FT` or
//! `ST`), in order, one line each (a repeated OBX-5 adds lines), with escape
//! sequences decoded here ([`decode`]): the crate's decoder drops `\Xhh\`
//! other than line breaks, writes a formatting command's name into the
//! text, and counts characters where it slices bytes, which breaks on text
//! that is not ASCII. Metadata: MSH-10 (the record's id), OBR-3 or OBR-2
//! (accession), OBR-4 (exam), OBR-7 (date), OBR-32 (principal interpreter).

use super::{Extracted, Record};
use crate::meta::Meta;
use hl7_parser::Message;
use hl7_parser::message::Separators;
use std::collections::VecDeque;
use std::io::BufRead;

/// Reads an HL7 v2 file or stream message by message.
pub struct Reader<R> {
    reader: R,
    source: std::sync::Arc<str>,
    /// Segments read so far (a segment is a line of the export).
    line: u64,
    max: u64,
    /// The message being read: its first line, its segments joined by
    /// carriage returns, and whether it outgrew the size limit.
    current: Option<(u64, String, bool)>,
    /// Segments outside any message, not yet reported.
    stray: Option<u64>,
    pending: VecDeque<Unit>,
    done: bool,
}

/// A message as framed from the stream, not yet parsed: parsing (the
/// costly part) can then run on another thread ([`Frame::extract`]).
#[derive(Debug, Clone)]
pub struct Frame {
    source: std::sync::Arc<str>,
    line: u64,
    /// Its segments, joined by carriage returns.
    text: String,
}

impl Frame {
    /// The line of the stream the message starts on.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// `SOURCE:LINE`, the name of a message without a control id.
    pub fn id_hint(&self) -> String {
        format!("{}:{}", self.source, self.line)
    }

    /// The report this message holds, or why it cannot be read.
    pub fn extract(&self) -> Extracted {
        message(&self.text, &self.source, self.line)
    }
}

/// What framing gives: a message to parse, or an item already decided
/// (a segment outside any message, an oversized message, a read error).
#[derive(Debug, Clone)]
pub enum Unit {
    /// A message.
    Message(Frame),
    /// An item.
    Item(Extracted),
}

impl<R: BufRead> Reader<R> {
    /// A reader of `reader`, named `source` in ids of messages without a
    /// control id; messages over `max` bytes are reported, not read.
    pub fn new(reader: R, source: &str, max: u64) -> Reader<R> {
        Reader {
            reader,
            source: std::sync::Arc::from(source),
            line: 0,
            max,
            current: None,
            stray: None,
            pending: VecDeque::new(),
            done: false,
        }
    }

    /// The next segment (without its terminator), `None` at the end. A
    /// segment over the size limit comes back cut at the limit, marked as
    /// not fitting (its name is still read).
    fn segment(&mut self) -> std::io::Result<Option<(Vec<u8>, bool)>> {
        let mut buf = Vec::new();
        let mut fits = true;
        let mut any = false;
        let max = usize::try_from(self.max).unwrap_or(usize::MAX);
        loop {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                return Ok(any.then_some((buf, fits)));
            }
            any = true;
            let (end, found) = match memchr::memchr2(b'\r', b'\n', chunk) {
                Some(i) => (i, Some(chunk[i])),
                None => (chunk.len(), None),
            };
            let room = max.saturating_sub(buf.len());
            buf.extend_from_slice(&chunk[..end.min(room)]);
            fits &= end <= room;
            match found {
                Some(terminator) => {
                    self.reader.consume(end + 1);
                    // CRLF is one terminator.
                    if terminator == b'\r' && self.reader.fill_buf()?.first() == Some(&b'\n') {
                        self.reader.consume(1);
                    }
                    return Ok(Some((buf, fits)));
                }
                None => self.reader.consume(end),
            }
        }
    }

    /// A segment over the size limit: its message is too large to read
    /// (an MSH starts that message); outside any message, it is reported.
    fn oversized(&mut self, starts_message: bool) {
        if starts_message {
            self.finish();
            self.stray = None;
            self.current = Some((self.line, String::new(), true));
            return;
        }
        match &mut self.current {
            Some((_, text, oversized)) => {
                *oversized = true;
                text.clear();
            }
            None => self.pending.push_back(Unit::Item(Extracted::Bad {
                id: format!("{}:{}", self.source, self.line),
                line: self.line,
                reason: format!(
                    "a segment larger than --max-file-size ({} bytes) outside any message; not read",
                    self.max
                ),
            })),
        }
    }

    /// The message read so far, into `pending`.
    fn finish(&mut self) {
        if let Some((line, text, oversized)) = self.current.take() {
            let unit = if oversized {
                Unit::Item(Extracted::Bad {
                    id: format!("{}:{line}", self.source),
                    line,
                    reason: format!(
                        "message larger than --max-file-size ({} bytes); not read",
                        self.max
                    ),
                })
            } else {
                Unit::Message(Frame {
                    source: std::sync::Arc::clone(&self.source),
                    line,
                    text,
                })
            };
            self.pending.push_back(unit);
        }
    }

    fn advance(&mut self) -> bool {
        let (bytes, fits) = match self.segment() {
            Ok(Some(segment)) => segment,
            Ok(None) => {
                self.finish();
                self.done = true;
                return !self.pending.is_empty();
            }
            Err(e) => {
                self.finish();
                self.pending.push_back(Unit::Item(Extracted::Bad {
                    id: format!("{}:{}", self.source, self.line + 1),
                    line: self.line + 1,
                    reason: format!("cannot read: {e}"),
                }));
                self.done = true;
                return true;
            }
        };
        self.line += 1;
        // MLLP framing: a vertical tab before a message, a file separator
        // after it; a byte order mark before the first.
        let text = String::from_utf8_lossy(&bytes);
        let segment = text
            .trim_start_matches(['\u{b}', '\u{feff}'])
            .trim_end_matches(['\u{1c}', ' ', '\t']);
        if segment.is_empty() {
            return true;
        }
        let name = segment.get(..3).unwrap_or(segment);
        if !fits {
            self.oversized(name == "MSH");
            return true;
        }
        match name {
            "MSH" => {
                self.finish();
                self.stray = None;
                self.current = Some((self.line, segment.to_owned(), false));
            }
            "FHS" | "BHS" | "BTS" | "FTS" => {
                self.finish();
                self.stray = None;
            }
            _ => match &mut self.current {
                Some((_, text, oversized)) => {
                    if (text.len() + segment.len() + 1) as u64 > self.max {
                        *oversized = true;
                        text.clear();
                    } else if !*oversized {
                        text.push('\r');
                        text.push_str(segment);
                    }
                }
                None => {
                    if self.stray.is_none() {
                        self.stray = Some(self.line);
                        self.pending.push_back(Unit::Item(Extracted::Bad {
                            id: format!("{}:{}", self.source, self.line),
                            line: self.line,
                            reason: format!(
                                "a `{name}` segment outside any message (no MSH before it); \
                                 the segments up to the next MSH are not read"
                            ),
                        }));
                    }
                }
            },
        }
        true
    }
}

impl<R: BufRead> Reader<R> {
    /// The next message framed, or item decided, in stream order.
    pub fn next_unit(&mut self) -> Option<Unit> {
        loop {
            if let Some(unit) = self.pending.pop_front() {
                return Some(unit);
            }
            if self.done || !self.advance() {
                return None;
            }
        }
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Extracted;

    /// The next item, each message parsed here.
    fn next(&mut self) -> Option<Extracted> {
        self.next_unit().map(|unit| match unit {
            Unit::Message(frame) => frame.extract(),
            Unit::Item(item) => item,
        })
    }
}

/// One message's report, from its segments joined by carriage returns.
///
/// The crate parses the MSH (for the encoding characters) and the first
/// OBR (for the metadata). The text observations are read from their
/// segments split at the field and repetition separators it found: the
/// crate builds a tree of every subcomponent of every segment, which for a
/// report's forty OBX lines cost twice what judging the report does, and
/// OBX-2 and OBX-5 need no tree (a separator never stands unescaped inside
/// a field).
fn message(text: &str, source: &str, line: u64) -> Extracted {
    let fallback = format!("{source}:{line}");
    let header: Vec<&str> = text
        .split('\r')
        .filter(|s| s.starts_with("MSH"))
        .take(1)
        .chain(text.split('\r').filter(|s| s.starts_with("OBR")).take(1))
        .collect();
    let header = header.join("\r");
    let message = match Message::parse_with_lenient_newlines(&header, true) {
        Ok(m) => m,
        Err(e) => {
            return Extracted::Bad {
                id: fallback,
                line,
                reason: format!("not an HL7 v2 message: {e}"),
            };
        }
    };
    let seps = &message.separators;
    let field = |segment: &str, n: usize| -> Option<String> {
        let value = message.segment(segment)?.field(n)?.raw_value();
        let decoded = decode(value, seps);
        let decoded = decoded.trim();
        (!decoded.is_empty()).then(|| decoded.to_owned())
    };
    let component = |segment: &str, n: usize, c: usize| -> Option<String> {
        let value = message
            .segment(segment)?
            .field(n)?
            .component(c)?
            .raw_value();
        let decoded = decode(value, seps);
        let decoded = decoded.trim();
        (!decoded.is_empty()).then(|| decoded.to_owned())
    };
    let id = field("MSH", 10).unwrap_or(fallback);
    let mut lines = Vec::new();
    let obx = format!("OBX{}", seps.field);
    for segment in text.split('\r').filter(|s| s.starts_with(&obx)) {
        let mut fields = segment.split(seps.field);
        let kind = fields.nth(2).unwrap_or("").trim();
        if !matches!(kind, "TX" | "FT" | "ST") {
            continue;
        }
        let Some(value) = fields.nth(2) else { continue };
        for repeat in value.split(seps.repetition) {
            lines.push(decode(repeat, seps));
        }
    }
    if lines.is_empty() {
        return Extracted::Bad {
            id,
            line,
            reason: "no report text: no OBX of type TX, FT or ST".to_owned(),
        };
    }
    // OBR-32: ID & family & given & middle, subcomponents of its first
    // component.
    let interpreter = message
        .segment("OBR")
        .and_then(|obr| obr.field(32))
        .and_then(|f| f.component(1))
        .map(|c| {
            let part = |n: usize| c.subcomponent(n).map(|s| decode(s.raw_value(), seps));
            [part(3), part(4), part(2)]
                .into_iter()
                .flatten()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|name| !name.is_empty());
    Extracted::Report(Record {
        id,
        line,
        text: lines.join("\n"),
        markdown: false,
        meta: Meta {
            signer: interpreter,
            date: component("OBR", 7, 1),
            exam: component("OBR", 4, 2).or_else(|| component("OBR", 4, 1)),
            modality: None,
            accession: component("OBR", 3, 1).or_else(|| component("OBR", 2, 1)),
        },
    })
}

/// An HL7 value with its escape sequences decoded: `\F\ \S\ \T\ \R\ \E\`
/// as the separators they stand for, `\.br\` and `\.sp\` as line breaks,
/// `\Xhh..\` as the bytes they spell (UTF-8, else Latin-1), and other
/// formatting commands (`\H\`, `\N\`, `\.in\`, `\.ti\`, `\.ce\`, `\.fi\`,
/// `\.nf\`, `\.sk\`, `\Z..\`, `\C..\`, `\M..\`) dropped. An escape
/// character without its closing one is kept as written.
pub fn decode(value: &str, seps: &Separators) -> String {
    let escape = seps.escape;
    if !value.contains(escape) {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find(escape) {
        out.push_str(&rest[..at]);
        let after = &rest[at + escape.len_utf8()..];
        let Some(close) = after.find(escape) else {
            out.push_str(&rest[at..]);
            return out;
        };
        let code = &after[..close];
        match code {
            "F" => out.push(seps.field),
            "S" => out.push(seps.component),
            "T" => out.push(seps.subcomponent),
            "R" => out.push(seps.repetition),
            "E" => out.push(escape),
            ".br" => out.push('\n'),
            c if c.starts_with(".sp") => out.push('\n'),
            c if c.starts_with('X') && c.len() > 1 => {
                let hex = &c[1..];
                let bytes: Option<Vec<u8>> = (0..hex.len() / 2)
                    .map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
                    .collect();
                match bytes {
                    Some(bytes) if hex.len() % 2 == 0 => match String::from_utf8(bytes) {
                        Ok(s) => out.push_str(&s),
                        Err(e) => out.extend(e.into_bytes().into_iter().map(char::from)),
                    },
                    _ => {}
                }
            }
            _ => {}
        }
        rest = &after[close + escape.len_utf8()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Extracted> {
        Reader::new(text.as_bytes(), "feed.hl7", 1 << 20).collect()
    }

    const MSG: &str = "MSH|^~\\&|RIS|HOSP|QA|HOSP|20260304101500||ORU^R01|MSG0001|P|2.5.1\r\
PID|1||MRN123^^^HOSP^MR||DOE^JANE\r\
OBR|1|PL-9|ACC-42|CT123^CT FACE WITHOUT CONTRAST|||20260304093000|||||||||||||||||||||||||1234&Smith&Jane&Q\r\
OBX|1|TX|REPORT||EXAM: CT FACE\\.br\\3D images \\T\\ MPR||||||F\r\
OBX|2|FT|REPORT||Caf\\XC3A9\\ \\H\\bold\\N\\ done~second line||||||F\r\
OBX|3|NM|SIZE||12||||||F\r";

    #[test]
    fn a_message_gives_its_text_and_metadata() {
        let items = read(MSG);
        let [Extracted::Report(r)] = items.as_slice() else {
            panic!("{items:?}")
        };
        assert_eq!(r.id, "MSG0001");
        assert_eq!(r.line, 1);
        assert_eq!(
            r.text,
            "EXAM: CT FACE\n3D images & MPR\nCafé bold done\nsecond line"
        );
        assert_eq!(r.meta.signer.as_deref(), Some("Jane Q Smith"));
        assert_eq!(r.meta.exam.as_deref(), Some("CT FACE WITHOUT CONTRAST"));
        assert_eq!(r.meta.accession.as_deref(), Some("ACC-42"));
        assert_eq!(r.meta.date.as_deref(), Some("20260304093000"));
    }

    #[test]
    fn framing_batches_line_ends_and_broken_messages() {
        let lf = MSG.replace('\r', "\n");
        let crlf = MSG.replace('\r', "\r\n");
        let mllp = format!("\u{b}{MSG}\u{1c}\r");
        let batch = format!(
            "FHS|^~\\&\rBHS|^~\\&\r{MSG}{}BTS|2\rFTS|1\r",
            MSG.replace("MSG0001", "MSG0002")
        );
        for (name, text, n) in [
            ("lf", lf.as_str(), 1),
            ("crlf", crlf.as_str(), 1),
            ("mllp", mllp.as_str(), 1),
            ("batch", batch.as_str(), 2),
        ] {
            let items = read(text);
            assert_eq!(items.len(), n, "{name}: {items:?}");
            assert!(
                items.iter().all(
                    |i| matches!(i, Extracted::Report(r) if r.text.starts_with("EXAM: CT FACE"))
                ),
                "{name}"
            );
        }
        let broken = format!(
            "PID|1||X\rOBX|1|TX|R||text\r{MSG}MSH|^~\\&|A|B|C|D|2026||ORU^R01|NOTEXT|P|2.5\rOBX|1|NM|X||1\r"
        );
        let items = read(&broken);
        assert!(
            matches!(&items[0], Extracted::Bad { line: 1, reason, .. } if reason.contains("outside any message"))
        );
        assert!(matches!(&items[1], Extracted::Report(r) if r.id == "MSG0001" && r.line == 3));
        assert!(
            matches!(&items[2], Extracted::Bad { id, reason, .. } if id == "NOTEXT" && reason.contains("no OBX"))
        );
        assert_eq!(items.len(), 3);
    }

    #[test]
    fn a_segment_over_the_limit_makes_its_message_too_large_and_only_it() {
        let msg = |id: &str, app: &str| {
            format!("MSH|^~\\&|{app}|B|C|D|2026||ORU^R01|{id}|P|2.5\rOBX|1|TX|R||text\r")
        };
        let long = "x".repeat(300);
        let text = format!(
            "OBX|1|TX|R||{long}\r{}{}{}",
            msg("A", "app"),
            msg("B", &long),
            msg("C", "app")
        );
        let items: Vec<Extracted> = Reader::new(text.as_bytes(), "feed.hl7", 200).collect();
        let summary: Vec<String> = items
            .iter()
            .map(|i| match i {
                Extracted::Report(r) => format!("{} {}", r.id, r.line),
                Extracted::Bad { line, reason, .. } => format!("bad {line} {}", &reason[..20]),
                Extracted::Skipped { kind } => kind.clone(),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "bad 1 a segment larger tha",
                "A 2",
                "bad 4 message larger than ",
                "C 6"
            ]
        );
    }

    #[test]
    fn escapes_follow_the_messages_own_encoding_characters() {
        let seps = Message::parse("MSH#*~!@#A\rOBX#1")
            .expect("parses")
            .separators;
        assert_eq!(decode("a!F!b!S!c!E!d!.br!e!X41!", &seps), "a#b*c!d\neA");
        let default = Message::parse("MSH|^~\\&|A").expect("parses").separators;
        assert_eq!(decode("no escape, ünïcödé", &default), "no escape, ünïcödé");
        assert_eq!(
            decode("ünï\\T\\cöde \\X\\ \\Xzz\\ open\\", &default),
            "ünï&cöde   open\\"
        );
    }
}
