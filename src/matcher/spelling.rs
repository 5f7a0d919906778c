//! Spelling folds: the lexicon's `[normalize]` table, compiled and applied.
//!
//! Takes the lexicon's variants ("3-D", "three-dimensional") and the forms
//! they fold to ("3d"), normalised, and builds [`Folds`]: an anchored
//! automaton tried only at word starts that may begin a variant. Hands on,
//! for a normalised text, where each variant to fold is; normalisation
//! writes the folded text.

use super::normalize::normalize;
use super::whole_lexicon;
use super::words::{is_word_byte, whole_word};
use crate::lexicon::{Lexicon, LexiconError};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

pub(super) fn compile_folds(lexicon: &Lexicon) -> Result<Option<Folds>, LexiconError> {
    let mut variants = Vec::new();
    let mut to = Vec::new();
    for (canonical, list) in &lexicon.normalize {
        for v in list {
            let text = normalize(&v.value, None).text.trim().to_owned();
            if text.is_empty() {
                return Err(lexicon.error_at(v.origin, "empty spelling variant".into()));
            }
            variants.push(text);
            to.push(canonical.clone());
        }
    }
    if variants.is_empty() {
        return Ok(None);
    }
    Folds::new(variants, to)
        .map(Some)
        .map_err(|e| whole_lexicon(format!("cannot compile the spelling variants: {e}")))
}

/// The lexicon's spelling variants and the forms they fold to.
///
/// A variant folds where it is a whole word (or words), the longest that
/// starts there, left to right. Variants that start with a word character
/// (all the built-in ones) can only start a word, so they are looked for
/// only at word starts, and where every variant is three bytes or more,
/// only at those whose first three bytes begin one: a few places a report.
#[derive(Debug)]
pub(super) struct Folds {
    /// Anchored, leftmost-longest.
    ac: AhoCorasick,
    pub(super) to: Vec<String>,
    /// Every variant starts with a word character.
    word_led: bool,
    /// A Bloom filter over the variants' first three bytes, lower-cased;
    /// None when a variant is shorter.
    starts: Option<Box<[u64; STARTS_WORDS]>>,
}

const STARTS_BITS: u32 = 14;
const STARTS_WORDS: usize = (1 << STARTS_BITS) / 64;

#[inline]
fn start_key(bytes: &[u8]) -> usize {
    let key = u32::from_le_bytes([
        bytes[0].to_ascii_lowercase(),
        bytes[1].to_ascii_lowercase(),
        bytes[2].to_ascii_lowercase(),
        0,
    ]);
    (key.wrapping_mul(0x9E37_79B1) >> (32 - STARTS_BITS)) as usize
}

impl Folds {
    fn new(variants: Vec<String>, to: Vec<String>) -> Result<Folds, aho_corasick::BuildError> {
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(aho_corasick::StartKind::Anchored)
            .build(&variants)?;
        let word_led = variants
            .iter()
            .all(|v| v.as_bytes().first().is_some_and(|&b| is_word_byte(b)));
        let starts = variants.iter().all(|v| v.len() >= 3).then(|| {
            let mut bits = Box::new([0u64; STARTS_WORDS]);
            for v in &variants {
                let k = start_key(v.as_bytes());
                bits[k / 64] |= 1 << (k % 64);
            }
            bits
        });
        Ok(Folds {
            ac,
            to,
            word_led,
            starts,
        })
    }

    /// The variants to fold in `text`: (start, end, variant), in order.
    pub(super) fn find(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            if self.word_led && !is_word_byte(bytes[at]) {
                at += 1;
                continue;
            }
            let may_start = self.starts.as_ref().is_none_or(|bits| {
                at + 3 <= bytes.len() && {
                    let k = start_key(&bytes[at..]);
                    bits[k / 64] & (1 << (k % 64)) != 0
                }
            });
            if may_start {
                let input = aho_corasick::Input::new(text)
                    .range(at..)
                    .anchored(aho_corasick::Anchored::Yes);
                if let Some(m) = self.ac.find(input)
                    && whole_word(bytes, m.start(), m.end())
                {
                    found.push((m.start(), m.end(), m.pattern().as_usize()));
                    at = m.end();
                    continue;
                }
            }
            // Past this word (a variant cannot start inside it), or a byte.
            at += 1;
            while self.word_led && at < bytes.len() && is_word_byte(bytes[at]) {
                at += 1;
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    #[test]
    fn spelling_variants_fold_to_canonical() {
        let folds = Folds::new(
            vec!["3 d".to_owned(), "three dimensional".to_owned()],
            vec!["3d".to_owned(), "3d".to_owned()],
        )
        .expect("builds");
        let n = normalize("Three-dimensional and 3-D images, 3 days", Some(&folds));
        assert_eq!(n.text, "3d and 3d images, 3 days");
        assert_eq!(n.original(0, 2), Span::new(0, 17));
        let at = n.text.find("3d images").expect("present");
        assert_eq!(n.original(at, at + 2), Span::new(22, 25));
    }

    #[test]
    fn a_variant_folds_where_it_is_whole_words_the_longest_first() {
        let folds = Folds::new(
            ["3 d", "3 dimensional", "don't", "x ray", "x rays"]
                .map(str::to_owned)
                .to_vec(),
            ["3d", "3d", "do not", "x ray", "x ray"]
                .map(str::to_owned)
                .to_vec(),
        )
        .expect("builds");
        assert!(folds.starts.is_some(), "the word-start search is used");
        let fold = |text: &str| normalize(text, Some(&folds)).text;
        assert_eq!(fold("3-dimensional 3 D x-rays"), "3d 3d x ray");
        // Not inside or across words: "3 dx", "postxray".
        assert_eq!(fold("3 dx postxray"), "3 dx postxray");
        // "3 d" starting "3 don't" is not a whole word, and does not hide
        // the "don't" after it.
        assert_eq!(fold("3 don't"), "3 do not");
        // A lexicon with a short variant, or one starting with punctuation,
        // is searched more widely and folds the same way.
        let wider = Folds::new(
            ["3 d", "don't", "op", "+ve"].map(str::to_owned).to_vec(),
            ["3d", "do not", "operative", "positive"]
                .map(str::to_owned)
                .to_vec(),
        )
        .expect("builds");
        assert!(wider.starts.is_none() && !wider.word_led);
        let fold = |text: &str| normalize(text, Some(&wider)).text;
        assert_eq!(
            fold("3 don't, pre op, +ve, 3 dx"),
            "3 do not, pre operative, positive, 3 dx"
        );
    }
}
