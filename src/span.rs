//! Byte ranges into a report's original bytes.
//!
//! Every stage hands on `Span`s rather than slices, so no pipeline type borrows
//! the document. Offsets are bytes into the file as it was read (a BOM, CRLF and
//! invalid bytes included); lines and columns are computed only when printing,
//! by [`LineIndex`].

use serde::Serialize;
use std::ops::Range;

/// A half-open byte range `start..end` into a document's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from byte offsets. Offsets past `u32::MAX` are clamped; documents
    /// that large are refused before they reach the pipeline.
    pub fn new(start: usize, end: usize) -> Span {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    /// The span as a `usize` range, for slicing.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// True for a zero-length span.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// True when the two spans share at least one byte.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `other` lies inside `self`.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// Line starts of a text, for turning byte offsets into 1-based line and
/// column numbers. `\n`, `\r\n` and a lone `\r` each end a line.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    /// Index the line starts of `text`.
    pub fn new(text: &str) -> LineIndex {
        // Reports average a line per 70 bytes or so: most grow this once at most.
        let mut starts = Vec::with_capacity(text.len() / 64 + 1);
        starts.push(0);
        starts.extend(line_breaks(text).map(|(_, next)| next as u32));
        LineIndex { starts }
    }

    /// The byte range of the line holding `offset` (its line break left out).
    pub fn line_range(&self, text: &str, offset: u32) -> std::ops::Range<usize> {
        let line = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.starts[line] as usize;
        let next = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&s| s as usize);
        let end = start + text[start..next].trim_end_matches(['\n', '\r']).len();
        start..end
    }

    /// 1-based line and 1-based column (in characters) of byte `offset`.
    pub fn line_col(&self, text: &str, offset: u32) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.starts[line] as usize;
        let end = (offset as usize).min(text.len());
        let column = text
            .get(start..end)
            .map_or(end.saturating_sub(start), |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// [`LineIndex::line_col`] for offsets asked in increasing order on a
    /// line: the characters counted for the last one are not counted again
    /// (many diagnostics on one long line stay linear).
    pub fn columns<'a>(&'a self, text: &'a str) -> Columns<'a> {
        Columns {
            index: self,
            text,
            last: None,
        }
    }

    /// Number of lines.
    pub fn lines(&self) -> usize {
        self.starts.len()
    }
}

/// The line breaks of `text`, in order: for each, where it starts and where
/// the line after it starts. `\n`, `\r\n` and a lone `\r` each end a line
/// (a CRLF is one break, two bytes long). What [`LineIndex`] and the
/// segmenter's lines are both made from.
pub(crate) fn line_breaks(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut found = memchr::memchr2_iter(b'\n', b'\r', bytes);
    std::iter::from_fn(move || {
        let i = found.next()?;
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            // The \n of the CRLF, next found, ends nothing of its own.
            found.next();
            Some((i, i + 2))
        } else {
            Some((i, i + 1))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_crlf_and_lone_cr_once() {
        let text = "a\r\nb\rc\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.lines(), 4);
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, 3), (2, 1));
        assert_eq!(index.line_col(text, 5), (3, 1));
        assert_eq!(index.line_col(text, 7), (4, 1));
    }

    #[test]
    fn a_crlf_is_one_break_and_a_lone_cr_another() {
        let breaks: Vec<_> = line_breaks("a\r\nb\rc\n\r\n\n\r").collect();
        assert_eq!(breaks, [(1, 3), (4, 5), (6, 7), (7, 9), (9, 10), (10, 11)]);
        assert_eq!(line_breaks("no break").count(), 0);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "5 mm \u{d7} 3 mm";
        let index = LineIndex::new(text);
        let offset = text.find('3').expect("digit present") as u32;
        assert_eq!(index.line_col(text, offset), (1, 8));
    }

    #[test]
    fn cover_and_overlap() {
        let a = Span::new(2, 5);
        let b = Span::new(4, 9);
        assert_eq!(a.cover(b), Span::new(2, 9));
        assert!(a.overlaps(b));
        assert!(!a.overlaps(Span::new(5, 6)));
        assert!(Span::new(0, 10).contains(a));
    }
}

/// Line and column of offsets, remembering the last one ([`LineIndex::columns`]).
#[derive(Debug)]
pub struct Columns<'a> {
    index: &'a LineIndex,
    text: &'a str,
    /// (line index, offset, 1-based column) of the last answer.
    last: Option<(usize, usize, usize)>,
}

impl Columns<'_> {
    /// 1-based line and 1-based column (in characters) of byte `offset`.
    pub fn line_col(&mut self, offset: u32) -> (usize, usize) {
        let line = self.index.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let end = (offset as usize).min(self.text.len());
        let column = match self.last {
            Some((l, from, column)) if l == line && from <= end => {
                self.text.get(from..end).map(|s| column + s.chars().count())
            }
            _ => None,
        };
        let column = column.unwrap_or_else(|| self.index.line_col(self.text, offset).1);
        self.last = Some((line, end, column));
        (line + 1, column)
    }
}
