//! Sentences within one section: where a sentence ends (full stops that are
//! not abbreviations, initials or list numbers; blank lines; list items and
//! sub-headings; a line break after a short line when the next line starts a
//! new statement), as the module docs of [`super`] describe.

use super::{Line, Segmenter, Sentence};
use crate::document::Document;
use crate::span::Span;

/// A line shorter than this is not a wrapped line of prose.
const SHORT_LINE: usize = 40;

/// Sentence splitting within one section.
pub(super) struct Splitter<'a> {
    pub(super) seg: &'a Segmenter,
    pub(super) doc: &'a Document,
    pub(super) out: Vec<Sentence>,
    pub(super) section: u32,
    pub(super) current: Option<u32>,
    pub(super) heading_only: bool,
}

impl Splitter<'_> {
    /// Split the lines of one section; `label_lines` says which of them
    /// are headings.
    pub(super) fn run(&mut self, region: &[Line], label_lines: &[bool]) {
        let widest = region
            .iter()
            .map(|l| self.doc.visible_slice(l.span()).trim().len())
            .max()
            .unwrap_or(0);
        let mut previous: Option<Line> = None;
        for (n, (&line, &label_line)) in region.iter().zip(label_lines).enumerate() {
            let text = self.doc.visible_slice(line.span());
            if text.trim().is_empty() {
                if !self.heading_only {
                    self.close(line.start);
                }
                previous = None;
                continue;
            }
            if let Some(prev) = previous
                && !self.heading_only
                && (label_line
                    || self.starts_list_item(line)
                    || self.short_then_new(prev, line, widest))
            {
                self.close(line.start);
            }
            self.scan(line);
            if n > 0 {
                self.heading_only = false;
            }
            previous = Some(line);
        }
        if let Some(last) = region.last() {
            self.close(last.end);
        }
    }

    /// Walk one line, closing sentences at terminal punctuation: a sentence
    /// opens at the first non-blank character after the last one closed.
    fn scan(&mut self, line: Line) {
        let visible = &self.doc.visible;
        let text = self.doc.visible_slice(line.span());
        let mut i = 0;
        loop {
            if self.current.is_none() {
                match text[i..].find(|c: char| !c.is_whitespace()) {
                    Some(k) => self.current = Some(line.start + (i + k) as u32),
                    None => return,
                }
            }
            let Some(k) = memchr::memchr3(b'.', b'!', b'?', &text.as_bytes()[i..]) else {
                return;
            };
            let at = line.start as usize + i + k;
            if self.ends_sentence(visible, at, line) {
                self.close(at as u32 + 1);
            }
            i += k + 1;
        }
    }

    fn ends_sentence(&self, visible: &str, at: usize, line: Line) -> bool {
        let after = &visible[at + 1..];
        let next = after.chars().next();
        // "3.5 cm", "syngo.via": no white space after the point.
        if next.is_some_and(|c| !c.is_whitespace() && !matches!(c, ')' | '"' | '\'')) {
            return false;
        }
        // The next statement must not start in lower case ("approx. the").
        if after
            .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ')' | '"' | '\''))
            .chars()
            .next()
            .is_some_and(char::is_lowercase)
        {
            return false;
        }
        if visible.as_bytes()[at] != b'.' {
            return true;
        }
        let before = &visible[line.start as usize..at];
        let word = before
            .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '[' | ',' | ':'))
            .next()
            .unwrap_or("");
        if self.seg.abbreviations.contains(word) {
            return false;
        }
        // An initial: "A. Smith".
        if word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase()) {
            return false;
        }
        // A list number: "1." opening a line, a sentence or a heading's text.
        if !word.is_empty() && word.len() <= 3 && word.bytes().all(|b| b.is_ascii_digit()) {
            let start = self.current.map_or(line.start, |c| c.max(line.start)) as usize;
            let lead = visible[start..at].trim();
            let lead = lead.rsplit_once(':').map_or(lead, |(_, rest)| rest.trim());
            if lead == word {
                return false;
            }
        }
        true
    }

    fn starts_list_item(&self, line: Line) -> bool {
        let original = self.doc.slice(line.span()).trim_start();
        let mut chars = original.chars();
        match chars.next() {
            Some('-' | '*' | '+' | '\u{2022}') => chars.next().is_some_and(char::is_whitespace),
            Some(c) if c.is_ascii_digit() => {
                let digits = original.bytes().take_while(u8::is_ascii_digit).count();
                let rest = &original[digits..];
                digits <= 3
                    && (rest.starts_with(". ")
                        || rest.starts_with(") ")
                        || rest == "."
                        || rest == ")")
            }
            _ => false,
        }
    }

    /// A line break after a short line, before a capital or digit, ends a
    /// statement; after a long (wrapped) line it does not.
    fn short_then_new(&self, prev: Line, line: Line, widest: usize) -> bool {
        let prev_len = self.doc.visible_slice(prev.span()).trim().len();
        let first = self
            .doc
            .visible_slice(line.span())
            .trim_start()
            .chars()
            .next();
        let starts_new = first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        let last_word = self
            .doc
            .visible_slice(prev.span())
            .split_whitespace()
            .next_back()
            .unwrap_or("");
        let carries_on =
            last_word.chars().all(char::is_alphabetic) && self.seg.continues.contains(last_word);
        starts_new && !carries_on && (prev_len < SHORT_LINE || (prev_len * 10) < widest * 6)
    }

    fn close(&mut self, end: u32) {
        let Some(start) = self.current.take() else {
            return;
        };
        let text = &self.doc.visible[start as usize..end as usize];
        let trimmed = text.trim_end();
        if !trimmed.is_empty() {
            self.out.push(Sentence {
                span: Span::new(start as usize, start as usize + trimmed.len()),
                section: self.section,
            });
        }
        self.heading_only = false;
    }
}
