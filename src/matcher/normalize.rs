//! Normalisation: a text made ready for matching, with a byte map back.
//!
//! Takes a document's visible text (or a lexicon phrase) and, optionally,
//! the lexicon's spelling [`Folds`], and hands on a [`Normalized`] text:
//! white-space runs as one space, a dash between two words as a space,
//! curly quotes straight, zero-width characters gone, variants folded; with
//! a sparse map from each of its offsets to the original's. Most bytes are
//! copied as they are, eight at a time where [`plain_eight`] says they may.

use super::Matcher;
use super::scan::plain_eight;
use super::spelling::Folds;
use crate::span::Span;

impl Matcher {
    /// `visible`, normalised for matching.
    pub fn normalize(&self, visible: &str) -> Normalized {
        normalize(visible, self.folds.as_ref())
    }

    /// The normalised form of a phrase, as the matcher compares it.
    pub fn normalize_phrase(&self, phrase: &str) -> String {
        normalize(phrase, self.folds.as_ref())
            .text
            .trim()
            .to_owned()
    }
}

/// Normalised text and a sparse map back to the original: between two marks
/// the mapping is the identity shifted by the mark, and a mark follows every
/// unit whose length changed (a white-space run, a curly quote, a folded
/// spelling). Most bytes are copied as they are, so most of the text costs a
/// push and nothing more.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub(super) text: String,
    /// (offset in `text`, offset in the original), sorted.
    marks: Vec<(u32, u32)>,
}

impl Normalized {
    /// The normalised text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The original offset of normalised offset `n`.
    fn map(&self, n: usize) -> u32 {
        let i = self
            .marks
            .partition_point(|&(m, _)| m as usize <= n)
            .saturating_sub(1);
        let (m, o) = self.marks.get(i).copied().unwrap_or((0, 0));
        o + (n as u32 - m)
    }

    pub(super) fn original(&self, start: usize, end: usize) -> Span {
        Span {
            start: self.map(start),
            end: self.map(end),
        }
    }
}

/// Zero-width characters and soft hyphens: normalisation removes them, as
/// they split no word ("vol\u{200b}ume" is "volume"), and so the raw scope
/// test must match them.
pub(super) const REMOVED: &[char] = &[
    '\u{00ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}',
];

/// Appends units to a normalised buffer, marking where lengths change.
struct Writer {
    out: Vec<u8>,
    marks: Vec<(u32, u32)>,
}

impl Writer {
    /// A unit of `bytes` standing for the original `from..to`.
    fn unit(&mut self, bytes: &[u8], from: usize, to: usize) {
        self.out.extend_from_slice(bytes);
        if bytes.len() != to - from {
            self.mark(to);
        }
    }

    /// A run of white space, the original `from..to`: one space, or none
    /// after a space (the run extends it).
    fn space(&mut self, from: usize, to: usize) {
        if self.out.last() == Some(&b' ') {
            self.mark(to);
        } else {
            self.unit(b" ", from, to);
        }
    }

    /// Any other character `c`, the original `from..to` of `input`.
    fn other(&mut self, c: char, input: &[u8], from: usize, to: usize) {
        match c {
            _ if REMOVED.contains(&c) => self.unit(b"", from, to),
            '\u{2018}' | '\u{2019}' | '\u{02bc}' => self.unit(b"'", from, to),
            '\u{201c}' | '\u{201d}' => self.unit(b"\"", from, to),
            _ => self.out.extend_from_slice(&input[from..to]),
        }
    }

    /// The original text consumed so far ends at `to`.
    fn mark(&mut self, to: usize) {
        let at = self.out.len() as u32;
        match self.marks.last_mut() {
            Some(last) if last.0 == at => last.1 = to as u32,
            _ => self.marks.push((at, to as u32)),
        }
    }
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

pub(super) fn normalize(input: &str, folds: Option<&Folds>) -> Normalized {
    normalize_with(input, folds, true)
}

/// [`normalize`], copying runs of plain ASCII and of ASCII white space at
/// once when `runs` is set, and a character at a time when not (the
/// reference the runs are tested against).
fn normalize_with(input: &str, folds: Option<&Folds>, runs: bool) -> Normalized {
    let bytes = input.as_bytes();
    // Marks come about one a line (a CRLF, a run of white space): sized
    // for a line per 32 bytes, so that a report's are not grown a few
    // times over.
    let mut marks = Vec::with_capacity(bytes.len() / 32 + 1);
    marks.push((0, 0));
    let mut w = Writer {
        out: Vec::with_capacity(bytes.len()),
        marks,
    };
    // ASCII that is copied as it is (the bulk of a report), and ASCII white
    // space as `char::is_whitespace` has it (the test below), which runs of
    // white space extend over.
    let space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
    let plain = |b: u8| b < 0x80 && !space(b) && b != b'-';
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if plain(b) {
            let start = i;
            i += 1;
            // A space alone between two plain bytes is copied as it is too
            // (it is what normalising it would write): a run is a stretch of
            // a line, not a word.
            while runs && i < bytes.len() {
                if let Some(eight) = bytes
                    .get(i..i + 8)
                    .and_then(|b| <[u8; 8]>::try_from(b).ok())
                    && plain_eight(u64::from_le_bytes(eight))
                {
                    i += 8;
                } else if plain(bytes[i]) {
                    i += 1;
                } else if bytes[i] == b' ' && bytes.get(i + 1).is_some_and(|&n| plain(n)) {
                    i += 2;
                } else {
                    break;
                }
            }
            w.out.extend_from_slice(&bytes[start..i]);
            continue;
        }
        if runs && b.is_ascii_whitespace() {
            // A run of ASCII white space ending at ASCII (or the end) is one
            // unit; one that reaches other text may go on with Unicode white
            // space, which the general case below handles.
            let mut to = i + 1;
            while to < bytes.len() && space(bytes[to]) {
                to += 1;
            }
            if bytes.get(to).is_none_or(|&n| n < 0x80) {
                w.space(i, to);
                i = to;
                continue;
            }
        }
        let c = input[i..].chars().next().unwrap_or(' ');
        let end = i + c.len_utf8();
        if c.is_whitespace() {
            let mut to = end;
            while let Some(n) = input[to..].chars().next().filter(|n| n.is_whitespace()) {
                to += n.len_utf8();
            }
            w.space(i, to);
            i = to;
        } else if is_dash(c) {
            let after_word = input[..i].chars().next_back().is_some_and(is_word_char)
                && w.out.last().is_some_and(|&l| l != b' ');
            let rest = input[end..].trim_start();
            let next_word = rest.chars().next().is_some_and(is_word_char);
            if after_word && next_word {
                // "volume-rendered", and "volume-\nrendered" across a line break.
                let to = input.len() - rest.len();
                w.unit(b" ", i, to);
                i = to;
            } else {
                w.unit(b"-", i, end);
                i = end;
            }
        } else {
            w.other(c, bytes, i, end);
            i = end;
        }
    }
    // Every unit written is whole UTF-8.
    let first = Normalized {
        text: String::from_utf8(w.out).unwrap_or_default(),
        marks: w.marks,
    };
    let Some(folds) = folds else { return first };
    let text = first.text.as_bytes();
    let found = folds.find(&first.text);
    if found.is_empty() {
        return first;
    }
    let mut marks = Vec::with_capacity(first.marks.len() + 2 * found.len() + 1);
    marks.push((0, 0));
    let mut f = Writer {
        // A folded spelling is seldom longer than its variant.
        out: Vec::with_capacity(text.len() + text.len() / 16),
        marks,
    };
    let mut copied = 0;
    for (start, end, variant) in found {
        copy_with_marks(&first, &mut f, copied, start);
        f.out.extend_from_slice(folds.to[variant].as_bytes());
        f.mark(first.map(end) as usize);
        copied = end;
    }
    copy_with_marks(&first, &mut f, copied, text.len());
    Normalized {
        text: String::from_utf8(f.out).unwrap_or_default(),
        marks: f.marks,
    }
}

/// Copy `from..to` of `src` into `w`, carrying its marks (re-based).
fn copy_with_marks(src: &Normalized, w: &mut Writer, from: usize, to: usize) {
    if from >= to {
        return;
    }
    // The copy starts where `from` maps to.
    let base = w.out.len();
    if w.marks.last().is_none_or(|m| m.0 as usize != base) {
        w.marks.push((base as u32, src.map(from)));
    } else if let Some(last) = w.marks.last_mut() {
        last.1 = src.map(from);
    }
    let first = src.marks.partition_point(|&(m, _)| m as usize <= from);
    for &(m, o) in &src.marks[first..] {
        if m as usize > to {
            break;
        }
        w.marks.push(((base + m as usize - from) as u32, o));
    }
    w.out.extend_from_slice(&src.text.as_bytes()[from..to]);
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 3000, ..proptest::prelude::ProptestConfig::default()
        })]

        /// White space of every kind, dashes, quotes: the runs give the text
        /// and the offsets the character-at-a-time loop gives.
        #[test]
        fn fast_paths_agree_with_the_character_loop(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Vol", "3D", " ", "  ", "\n", "\r\n", "\t", "\u{0b}", "\u{0c}",
                    "volume rendered", "images were", "\u{1}", "\u{7f}",
                    "\u{a0}", "\u{2003}", "\u{3000}", "\u{85}", "é", "x.", ",", "'", "-", "\u{2013}",
                    "\u{2019}",
                ]),
                0..30,
            ),
        ) {
            let text: String = pieces.concat();
            let fast = normalize(&text, None);
            let slow = normalize_with(&text, None, false);
            proptest::prop_assert_eq!(&fast.text, &slow.text);
            for n in 0..=fast.text.len() {
                proptest::prop_assert_eq!(fast.map(n), slow.map(n), "{:?} at {}", text, n);
            }
        }
    }

    #[test]
    fn whitespace_and_hyphens_fold_with_offsets() {
        let n = normalize("3D  volume-\n  rendered", None);
        assert_eq!(n.text, "3D volume rendered");
        let at = n.text.find("rendered").expect("present");
        assert_eq!(n.original(at, at + 8), Span::new(14, 22));
    }

    #[test]
    fn zero_width_characters_split_no_word() {
        let n = normalize("3D vol\u{200b}ume ren\u{00ad}dered", None);
        assert_eq!(n.text, "3D volume rendered");
        // "rendered" maps back to its place in the original.
        let at = n.text.find("rendered").unwrap_or(0);
        assert_eq!(n.original(at, n.text.len()), Span::new(13, 23));
    }
}
