//! Report metadata: the signing physician, the study's date, the exam title
//! and its modality, and the accession number, read from a report's
//! labelled fields (lexicon/meta.toml) for the QA report's breakdowns and
//! the machine formats' `meta` object.
//!
//! Takes a report's text and hands on a [`Meta`] whose fields are `None`
//! where the report does not say: a field is read from a label at the start
//! of a line (or after a wide gap in a line of fields) followed by a colon,
//! never guessed from prose, so "Dr. Lee requested 3D images" names no
//! signer and "compared with the study dated 01/02/2025" dates nothing. One
//! pass of an Aho-Corasick automaton over the text finds the labels; each
//! value is read within its line, so reading is linear in the text.

use crate::lexicon::MetaLexicon;
use crate::span::Span;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use serde::Serialize;

/// What a report says about itself. Absent fields are `None`
/// ("unattributed" in breakdowns).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Meta {
    /// The physician who signed (or else read, or dictated) the report:
    /// the name without honorific or credentials.
    pub signer: Option<String>,
    /// The study's date (else the signature's), as YYYY-MM-DD.
    pub date: Option<String>,
    /// The exam title as written.
    pub exam: Option<String>,
    /// CT, MR, US (or another name lexicon/meta.toml gives), from the exam title.
    pub modality: Option<String>,
    /// The accession number as written.
    pub accession: Option<String>,
}

impl Meta {
    /// The month of `date`, YYYY-MM.
    pub fn month(&self) -> Option<&str> {
        self.date.as_deref().and_then(|d| d.get(..7))
    }

    /// What output may show: `--redact` withholds what is the report's own
    /// text or identifies a patient's study (the exam title as written, the
    /// accession number) and keeps the staff and study facts (signer, date);
    /// `--redact-meta` (`hide`) withholds the signer and cuts the date to
    /// its month. The modality, a word from a fixed list, is always kept.
    pub fn shown(self, redact: bool, hide: bool) -> Meta {
        Meta {
            signer: self.signer.filter(|_| !hide),
            date: match hide {
                true => self.date.and_then(|d| d.get(..7).map(str::to_owned)),
                false => self.date,
            },
            exam: self.exam.filter(|_| !redact),
            modality: self.modality,
            accession: self.accession.filter(|_| !redact),
        }
    }
}

/// What kind of field a label heads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    /// A signer label, with its rank.
    Signer(u8),
    /// A date label: 0 the study's, 1 the signature's, 2 plain.
    Date(u8),
    Exam,
    Accession,
}

/// The metadata vocabulary, compiled once per engine.
#[derive(Debug)]
pub struct MetaReader {
    labels: AhoCorasick,
    /// Per automaton pattern: its field, and whether it needs no colon.
    fields: Vec<(Field, bool)>,
    honorifics: Vec<String>,
    credentials: Vec<String>,
    particles: Vec<String>,
    /// Where a name ends: each `ends` word between spaces, and marks.
    name_ends: Vec<String>,
    /// (modality, words as one case-insensitive whole-word regex).
    modalities: Vec<(String, Regex)>,
    day_first: bool,
    dates: Dates,
}

/// Date forms, tried on a field's value.
#[derive(Debug)]
struct Dates {
    iso: Regex,
    slashed: Regex,
    dotted: Regex,
    compact: Regex,
    month_first: Regex,
    day_first: Regex,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

impl MetaReader {
    /// Compile `meta`; a word list that cannot be compiled is an error
    /// naming it.
    pub fn new(meta: &MetaLexicon) -> Result<MetaReader, String> {
        let mut patterns: Vec<String> = Vec::new();
        let mut fields = Vec::new();
        let mut add = |label: &str, field: Field, bare: bool| {
            let label = label.trim().to_lowercase();
            if label.is_empty() {
                return;
            }
            // One label, one field: a later list cannot reuse it.
            if patterns.contains(&label) {
                return;
            }
            patterns.push(label);
            fields.push((field, bare));
        };
        let s = &meta.signer;
        let is_bare = |label: &str| s.bare.iter().any(|b| b.eq_ignore_ascii_case(label));
        for r in &s.labels {
            add(&r.label, Field::Signer(r.rank), is_bare(&r.label));
        }
        for (rank, list) in [&meta.date.study, &meta.date.signed, &meta.date.plain]
            .into_iter()
            .enumerate()
        {
            for label in list {
                add(label, Field::Date(rank as u8), false);
            }
        }
        for label in &meta.exam.labels {
            add(label, Field::Exam, false);
        }
        for label in &meta.accession.labels {
            add(label, Field::Accession, false);
        }
        let labels = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| format!("metadata labels: {e}"))?;
        let mut modalities = Vec::new();
        for (name, words) in &meta.modality {
            let alternation: Vec<String> = words
                .iter()
                .map(|w| {
                    regex::escape(w.trim())
                        .replace("\\ ", "\\s+")
                        .replace(' ', "\\s+")
                })
                .collect();
            let re = Regex::new(&format!(r"(?i)\b(?:{})\b", alternation.join("|")))
                .map_err(|e| format!("[meta.modality] {name}: {e}"))?;
            modalities.push((name.clone(), re));
        }
        let lower = |v: &[String]| v.iter().map(|w| w.to_lowercase()).collect::<Vec<_>>();
        let compile = |re: &str| Regex::new(re).map_err(|e| e.to_string());
        let month = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
        Ok(MetaReader {
            labels,
            fields,
            honorifics: lower(&s.honorifics),
            credentials: lower(&s.credentials),
            particles: lower(&s.particles),
            name_ends: s
                .ends
                .iter()
                .map(|w| format!(" {} ", w.trim().to_lowercase()))
                .chain(
                    [
                        ";", "|", "(", " - ", "/", "\u{2014}", "\u{2013}", "\t", "  ",
                    ]
                    .map(str::to_owned),
                )
                .collect(),
            modalities,
            day_first: meta.date.numeric_order.as_deref() == Some("dmy"),
            dates: Dates {
                iso: compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?:\b|T)")?,
                slashed: compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b")?,
                dotted: compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")?,
                compact: compile(r"\b(\d{4})(\d{2})(\d{2})(?:\d{4,6})?\b")?,
                month_first: compile(&format!(
                    r"(?i)\b{month}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"
                ))?,
                day_first: compile(&format!(
                    r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?[\s-]+{month}[\s,-]+(\d{{4}})\b"
                ))?,
            },
        })
    }

    /// The metadata `text` states, outside the `hidden` regions (markdown
    /// code, HTML and comments, in order).
    pub fn read(&self, text: &str, hidden: &[Span]) -> Meta {
        let mut meta = Meta::default();
        let mut signer_rank: Option<u8> = None;
        let mut date_rank: Option<u8> = None;
        let mut consider_date = |date: Option<String>, rank: u8, meta: &mut Meta| {
            if let Some(date) = date
                && date_rank.is_none_or(|best| rank < best)
            {
                meta.date = Some(date);
                date_rank = Some(rank);
            }
        };
        let fields = self.fields_in(text, hidden);
        // Fields come in text order: a line's end is found once for all the
        // fields on it (a line of a million fields stays linear).
        let mut this_line_end = 0;
        for (i, &(_, start, field)) in fields.iter().enumerate() {
            if start >= this_line_end {
                this_line_end = line_end(text, start);
            }
            let line_end = this_line_end;
            let end = fields
                .get(i + 1)
                .map_or(line_end, |&(next, _, _)| next.clamp(start, line_end));
            let value = &text[start..end];
            match field {
                Field::Signer(rank) => {
                    if let Some(name) = self.name(value)
                        && signer_rank.is_none_or(|best| rank > best)
                    {
                        meta.signer = Some(name);
                        signer_rank = Some(rank);
                    }
                    // "signed by X on 03/04/2026": the signature's date.
                    consider_date(self.date(value), 1, &mut meta);
                }
                Field::Date(rank) => consider_date(self.date(value), rank, &mut meta),
                Field::Exam => {
                    if meta.exam.is_none() {
                        meta.exam = title(value);
                    }
                }
                Field::Accession => {
                    if meta.accession.is_none() {
                        meta.accession = accession(value);
                    }
                }
            }
        }
        if signer_rank.is_none() {
            for start in self.signature_lines(text) {
                let value = &text[start..line_end(text, start)];
                if let Some(name) = self.name(value) {
                    meta.signer = Some(name);
                    consider_date(self.date(value), 1, &mut meta);
                    break;
                }
            }
        }
        if meta.exam.is_none() {
            meta.exam = self.title_line(text, &fields);
        }
        meta.modality = meta.exam.as_deref().and_then(|exam| self.modality(exam));
        meta
    }

    /// `read` (from a report's text) with an export record's `fields` over
    /// it: a field's date is read in any form the text's may take (one that
    /// is no date is dropped, not guessed), and the modality follows the
    /// exam title unless a field gives it.
    pub fn with_fields(&self, read: Meta, fields: &Meta) -> Meta {
        let exam = fields.exam.clone().or(read.exam);
        let modality = fields
            .modality
            .clone()
            .or_else(|| exam.as_deref().and_then(|e| self.modality(e)));
        Meta {
            signer: fields.signer.clone().or(read.signer),
            date: match &fields.date {
                Some(written) => self.date(written).or(read.date),
                None => read.date,
            },
            exam,
            modality,
            accession: fields.accession.clone().or(read.accession),
        }
    }

    /// Where each field's label and value start, with its kind, in text
    /// order.
    fn fields_in(&self, text: &str, hidden: &[Span]) -> Vec<(usize, usize, Field)> {
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        let mut hidden = hidden.iter().peekable();
        for m in self.labels.find_iter(text) {
            while hidden.next_if(|h| (h.end as usize) <= m.start()).is_some() {}
            if hidden
                .peek()
                .is_some_and(|h| (h.start as usize) <= m.start())
            {
                continue;
            }
            let (field, bare) = self.fields[m.pattern().as_usize()];
            if !starts_field(bytes, m.start())
                || bytes
                    .get(m.end())
                    .is_some_and(|b| b.is_ascii_alphanumeric())
            {
                continue;
            }
            if let Some(value) = value_start(bytes, m.end(), bare) {
                found.push((m.start(), value, field));
            }
        }
        found
    }

    /// A signer's name from a field's value: up to a date, a time or a
    /// clause, without honorifics or credentials; `None` when what is left
    /// does not look like a name.
    fn name(&self, value: &str) -> Option<String> {
        let cut = self
            .name_ends
            .iter()
            .filter_map(|c| value.find(c.as_str()))
            .chain(value.find(|c: char| c.is_ascii_digit()))
            .min()
            .unwrap_or(value.len());
        let plain = |w: &str| {
            w.trim_matches(|c: char| c == ',' || c == '*' || c == '_')
                .to_lowercase()
        };
        let mut words: Vec<&str> = value[..cut].split_whitespace().collect();
        while words
            .first()
            .is_some_and(|w| self.honorifics.contains(&plain(w)))
        {
            words.remove(0);
        }
        // "Annika Solberg, Pediatric Radiology": a full name ends at its
        // comma unless credentials follow; "Smith, Jane" is one name.
        if let Some(at) = words.iter().position(|w| w.ends_with(','))
            && at >= 1
            && !words[at + 1..]
                .iter()
                .all(|w| self.credentials.contains(&plain(w)))
        {
            words.truncate(at + 1);
        }
        loop {
            let n = words.len();
            let two = n >= 2 && {
                let pair = format!("{} {}", plain(words[n - 2]), plain(words[n - 1]));
                self.credentials.contains(&pair)
            };
            if two {
                words.truncate(n - 2);
            } else if n >= 1 && self.credentials.contains(&plain(words[n - 1])) {
                words.truncate(n - 1);
            } else {
                break;
            }
        }
        let name = words.join(" ");
        let name = name
            .trim_end_matches([',', '.', ':', '*', '_', ' '])
            .trim_start_matches(['*', '_']);
        // Every word of a name starts with a capital letter, or is a
        // particle ("de", "van"): prose ("the radiologist who reviewed")
        // is not a name.
        let named = name.split_whitespace().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || self.particles.contains(&w.to_lowercase())
        });
        let letters = name.chars().filter(|c| c.is_alphabetic()).count();
        let fits = (1..=6).contains(&name.split_whitespace().count()) && letters >= 2;
        (named && fits && name.len() <= 80 && !name.contains('@')).then(|| name.to_owned())
    }

    /// Signature lines without a label: only an honorific and a name, with
    /// credentials, a department or a date after it ("Dr. Yusuf
    /// Brennan-Ito", "*Dr. A. Okafor, MD - 2025-08-19*"). Value starts.
    fn signature_lines(&self, text: &str) -> Vec<usize> {
        let mut found = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let end = line_end(text, start);
            let line = &text[start..end];
            let body = line.trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, '*' | '_' | '>' | '-' | '#' | '\u{feff}')
            });
            let first = body.split_whitespace().next().unwrap_or("");
            if !first.is_empty() && self.honorifics.contains(&first.to_lowercase()) {
                found.push(start + (line.len() - body.len()));
            }
            start = end + 1;
        }
        found
    }

    /// The first date in a field's value, as YYYY-MM-DD.
    fn date(&self, value: &str) -> Option<String> {
        let d = &self.dates;
        let num = |s: &str| s.parse::<u32>().ok();
        let month_of = |s: &str| {
            let s = s.to_lowercase();
            MONTHS
                .iter()
                .position(|m| s.starts_with(m))
                .map(|i| i as u32 + 1)
        };
        let mut best: Option<(usize, u32, u32, u32)> = None;
        let mut offer = |at: usize, y: Option<u32>, m: Option<u32>, day: Option<u32>| {
            if let (Some(y), Some(m), Some(day)) = (y, m, day)
                && best.is_none_or(|b| at < b.0)
            {
                best = Some((at, y, m, day));
            }
        };
        if let Some(c) = d.iso.captures(value) {
            offer(c.get(0)?.start(), num(&c[1]), num(&c[2]), num(&c[3]));
        }
        if let Some(c) = d.slashed.captures(value) {
            let year = num(&c[3]).map(|y| if y < 100 { 2000 + y } else { y });
            let (a, b) = (num(&c[1]), num(&c[2]));
            let (m, day) = if self.day_first { (b, a) } else { (a, b) };
            offer(c.get(0)?.start(), year, m, day);
        }
        if let Some(c) = d.dotted.captures(value) {
            offer(c.get(0)?.start(), num(&c[3]), num(&c[2]), num(&c[1]));
        }
        if let Some(c) = d.compact.captures(value) {
            offer(c.get(0)?.start(), num(&c[1]), num(&c[2]), num(&c[3]));
        }
        if let Some(c) = d.month_first.captures(value) {
            offer(c.get(0)?.start(), num(&c[3]), month_of(&c[1]), num(&c[2]));
        }
        if let Some(c) = d.day_first.captures(value) {
            offer(c.get(0)?.start(), num(&c[3]), month_of(&c[2]), num(&c[1]));
        }
        let (_, y, m, day) = best?;
        valid_date(y, m, day).then(|| format!("{y:04}-{m:02}-{day:02}"))
    }

    /// The first non-blank line, when it is a title naming a modality and
    /// not a field.
    fn title_line(&self, text: &str, fields: &[(usize, usize, Field)]) -> Option<String> {
        let start = text.len()
            - text
                .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                .len();
        let end = line_end(text, start);
        if fields.iter().any(|&(at, _, _)| at < end) {
            return None;
        }
        let raw = text[start..end].trim_end_matches(['*', '_', ' ']);
        let line = title(raw)?;
        let sentence = raw.ends_with('.') || line.split_whitespace().count() > 16;
        (!sentence && self.modality(&line).is_some()).then_some(line)
    }

    /// The modality an exam title names first.
    fn modality(&self, exam: &str) -> Option<String> {
        self.modalities
            .iter()
            .filter_map(|(name, re)| re.find(exam).map(|m| (m.start(), name)))
            .min()
            .map(|(_, name)| name.clone())
    }
}

/// True when a label at `at` heads a field: only markdown marks and spaces
/// before it on its line, or a wide gap (two spaces, a tab, `|`, `;`).
fn starts_field(bytes: &[u8], at: usize) -> bool {
    let mut i = at;
    let mut spaces = 0;
    while i > 0 {
        match bytes[i - 1] {
            b'\n' | b'\r' => return true,
            // A byte order mark before the first line.
            0xBF if i == 3 && bytes.starts_with(b"\xEF\xBB\xBF") => return true,
            b' ' => spaces += 1,
            b'\t' | b'|' | b';' => return true,
            b'#' | b'*' | b'>' | b'_' | b'-' if spaces <= 1 => {}
            _ => return spaces >= 2,
        }
        i -= 1;
    }
    true
}

/// Where a field's value starts after its label ends at `at`: past a colon
/// (markdown emphasis and spaces around it), a table cell's `|`, or a dash;
/// past a space for a bare label. `None`: the label heads no field.
fn value_start(bytes: &[u8], at: usize, bare: bool) -> Option<usize> {
    let skip = |mut i: usize| {
        while bytes
            .get(i)
            .is_some_and(|b| matches!(b, b' ' | b'*' | b'_' | b'\t'))
        {
            i += 1;
        }
        i
    };
    let i = skip(at);
    match bytes.get(i) {
        Some(b':' | b'|') => Some(skip(i + 1)),
        Some(b'-') if bytes.get(i + 1) == Some(&b' ') && i > at => Some(skip(i + 1)),
        Some(b) if bare && i > at && *b != b'\n' && *b != b'\r' => Some(i),
        _ => None,
    }
}

fn line_end(text: &str, from: usize) -> usize {
    text[from..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| from + i)
}

/// A title from a field's value: trimmed of markdown marks, cell bars and
/// closing punctuation, at most 120 characters.
fn title(value: &str) -> Option<String> {
    let value = value.split('|').find(|cell| !cell.trim().is_empty())?;
    let value = value
        .trim()
        .trim_start_matches(['\u{feff}', '#', '*', '_', ' '])
        .trim_end_matches(['*', '_', ':', ';', ',', '.', ' ']);
    let value: String = value.chars().take(120).collect();
    let value = value.trim_end();
    (value.chars().filter(|c| c.is_alphanumeric()).count() >= 2).then(|| value.to_owned())
}

/// An accession number: the value's first token, holding a digit.
fn accession(value: &str) -> Option<String> {
    let token = value
        .split(|c: char| c.is_whitespace() || c == '|' || c == ',' || c == ';')
        .find(|t| !t.is_empty())?
        .trim_matches(|c: char| !c.is_alphanumeric());
    let ok = token.len() <= 40
        && token.chars().any(|c| c.is_ascii_digit())
        && token
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./#".contains(c));
    ok.then(|| token.to_owned())
}

fn valid_date(y: u32, m: u32, d: u32) -> bool {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400)) => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2199).contains(&y) && (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    impl MetaReader {
        fn read_all(&self, text: &str) -> Meta {
            self.read(text, &[])
        }
    }

    fn reader() -> MetaReader {
        let lexicon = Lexicon::builtin().expect("the built-in lexicon loads");
        MetaReader::new(&lexicon.meta).expect("the metadata words compile")
    }

    #[test]
    fn every_example_in_the_lexicon_reads_as_written() {
        let lexicon = Lexicon::builtin().expect("the built-in lexicon loads");
        let reader = MetaReader::new(&lexicon.meta).expect("the metadata words compile");
        assert!(!lexicon.meta.example.is_empty());
        for e in &lexicon.meta.example {
            let expected = Meta {
                signer: e.signer.clone(),
                date: e.date.clone(),
                exam: e.exam.clone(),
                modality: e.modality.clone(),
                accession: e.accession.clone(),
            };
            assert_eq!(reader.read_all(&e.text), expected, "in {:?}", e.text);
        }
    }

    #[test]
    fn dates_in_each_written_form() {
        let r = reader();
        for written in [
            "03/04/2026",
            "3/4/26",
            "2026-03-04",
            "2026-03-04T10:15:00Z",
            "March 4, 2026",
            "Mar 4th 2026",
            "4 March 2026",
            "04-Mar-2026",
            "4 Mar. 2026",
            "20260304",
            "202603041015",
            "04.03.2026",
        ] {
            assert_eq!(r.date(written).as_deref(), Some("2026-03-04"), "{written}");
        }
        for not_a_date in [
            "13/45/2026",
            "2026-02-30",
            "1234",
            "02/29/2025",
            "room 12/3",
        ] {
            assert_eq!(r.date(not_a_date), None, "{not_a_date}");
        }
    }

    #[test]
    fn a_field_is_a_label_that_starts_a_line_or_follows_a_gap() {
        let r = reader();
        let meta = r.read_all("The exam: CT was reviewed.\nWe signed: nothing");
        assert_eq!(meta, Meta::default());
        let meta = r.read_all("Accession: A1   Exam: CT HEAD\tDate: 2026-01-02");
        assert_eq!(meta.accession.as_deref(), Some("A1"));
        assert_eq!(meta.exam.as_deref(), Some("CT HEAD"));
        assert_eq!(meta.date.as_deref(), Some("2026-01-02"));
        // A word that merely contains a label ("update:") heads nothing.
        assert_eq!(r.read_all("Update: 2026-01-02").date, None);
    }

    #[test]
    fn names_lose_honorifics_and_credentials_only() {
        let r = reader();
        for (value, name) in [
            ("Dr. Jane Q. Smith, MD on 03/04/2026", Some("Jane Q. Smith")),
            ("Priya Nair MB BCh FRCR", Some("Priya Nair")),
            ("Smith, Jane", Some("Smith, Jane")),
            ("Ana de la Cruz, DO (attending)", Some("Ana de la Cruz")),
            ("12:30", None),
            (
                "the radiologist who reviewed the images at the console",
                None,
            ),
        ] {
            assert_eq!(r.name(value).as_deref(), name, "{value}");
        }
    }
}
