//! Sense: which bare "3D" means rendering.
//!
//! Takes the matcher's hits and the visible text, and hands the hits on with
//! every bare "3D" (a rendering hit that is "3D" alone, in any spelling) that
//! names something else turned into a look-alike, so that it neither brings a
//! report into scope nor documents rendering. "3D" alone means rendering
//! ("CT FACE WITH 3D", "3D and MPR images were reviewed") unless the word
//! after it is what it describes here (a sequence, plane, acquisition,
//! device, treatment or age: "3D-T1WI", "3D coronal T2", "3D mapping
//! catheter", "3D-CRT", "3d old") or the word before it makes it a label or a
//! measure ("Stage 3D", "Ward 3D", "32+3d"). Both word lists are the
//! lexicon's (`[sense.bare_3d]`).
//!
//! One sense per discourse: where a report writes the same word before "3D"
//! more than once ("BacT/ALERT 3D system ... (BacT/ALERT 3D, 5-day
//! incubation)"), one look-alike use makes them all look-alikes.
//!
//! Linear: one look at the words either side of each hit, and one more pass
//! over the bare hits.

use crate::lexicon::{Bare3d, Concept};
use crate::matcher::{Hit, Matcher, Target};
use std::collections::HashSet;

/// The lexicon's sense lists, compiled once.
#[derive(Debug, Clone)]
pub struct Senses {
    not_before: HashSet<String>,
    not_after: HashSet<String>,
}

impl Senses {
    /// From the lexicon's lists.
    pub fn new(bare: &Bare3d) -> Senses {
        Senses {
            not_before: bare.not_before.iter().cloned().collect(),
            not_after: bare.not_after.iter().cloned().collect(),
        }
    }

    /// Turn the bare "3D" hits in `hits` that mean something else into
    /// look-alikes. `visible` is the text the hits point into.
    pub fn resolve(&self, matcher: &Matcher, visible: &str, hits: &mut [Hit]) {
        let mut bare: Vec<(usize, Option<String>)> = Vec::new();
        let mut other_keys: HashSet<String> = HashSet::new();
        // "digital breast tomosynthesis (3D)": a look-alike "3D" in brackets
        // defines the word for the whole report ("no mass on the 3D images").
        let mut defined = false;
        for (i, hit) in hits.iter_mut().enumerate() {
            if !matches!(
                hit.target,
                Target::Concept {
                    concept: Concept::Rendering,
                    ..
                }
            ) {
                continue;
            }
            let text = &visible[hit.span.range()];
            // "3D" itself, or a spelling that normalises to it ("3-D",
            // "three-dimensional"): only those are bare.
            let alone = text.eq_ignore_ascii_case("3d")
                || (text.len() <= 24
                    && text.len() > 2
                    && matcher.normalize_phrase(text).eq_ignore_ascii_case("3d"));
            if !alone {
                continue;
            }
            let before = word_before(visible, hit.span.start as usize);
            let after = word_after(visible, hit.span.end as usize);
            let other = after.as_ref().is_some_and(|w| self.not_before.contains(w))
                || before.as_ref().is_some_and(|w| self.not_after.contains(w))
                || after_a_name(visible, hit.span.start as usize);
            // A word before "3D" that is a name, for one sense per discourse.
            let key = before.filter(|w| w.len() > 1 && w.bytes().all(|b| b.is_ascii_alphabetic()));
            if other {
                let (start, end) = (hit.span.start as usize, hit.span.end as usize);
                defined |= visible[..start].ends_with('(') && visible[end..].starts_with(')');
                hit.target = look_alike();
                other_keys.extend(key);
            } else {
                bare.push((i, key));
            }
        }
        if other_keys.is_empty() {
            return;
        }
        for (i, key) in bare {
            if defined || key.is_some_and(|k| other_keys.contains(&k)) {
                hits[i].target = look_alike();
            }
        }
    }
}

fn look_alike() -> Target {
    Target::Concept {
        concept: Concept::LookAlike,
        entry: 0,
    }
}

/// Bytes between "3D" and the word it goes with.
fn joins(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'-' | b'/')
}

/// True when the word before `at` is part of a product's name: a word with a
/// capital after a lower-case letter ("ProMax 3D", "BacT/ALERT 3D"). A name
/// does not describe images.
fn after_a_name(text: &str, at: usize) -> bool {
    let bytes = &text.as_bytes()[..at];
    let end = bytes.len() - bytes.iter().rev().take_while(|&&b| joins(b)).count();
    let word = bytes[..end]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'/')
        .count();
    let word = &bytes[end - word..end];
    word.windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
}

/// The word right after `at` (lower case), past spaces, hyphens, slashes and
/// an opening bracket ("3D (DBT) targeting").
fn word_after(text: &str, at: usize) -> Option<String> {
    let bytes = text.as_bytes();
    let start = at
        + bytes[at..]
            .iter()
            .take_while(|&&b| joins(b) || b == b'(')
            .count();
    let len = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    (len > 0).then(|| text[start..start + len].to_ascii_lowercase())
}

/// The word right before `at` (lower case), past spaces, hyphens, slashes,
/// a colon or an opening bracket; a `+`
/// right before counts as a word ("32+3d").
fn word_before(text: &str, at: usize) -> Option<String> {
    let bytes = &text.as_bytes()[..at];
    // A label's colon may stand between ("Ward: 3D"), or a bracket
    // ("TOMOSYNTHESIS-GUIDED (3D)").
    let end = bytes.len()
        - bytes
            .iter()
            .rev()
            .take_while(|&&b| joins(b) || b == b':' || b == b'(')
            .count();
    if end > 0 && bytes[end - 1] == b'+' {
        return Some("+".to_owned());
    }
    let len = bytes[..end]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    (len > 0).then(|| text[end - len..end].to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_either_side() {
        let t = "post 3D-T1WI and 32+3d, Ward 3D\nx";
        assert_eq!(word_after(t, 7), Some("t1wi".to_owned()));
        assert_eq!(word_before(t, 5), Some("post".to_owned()));
        assert_eq!(word_before(t, 20), Some("+".to_owned()));
        assert_eq!(word_after(t, 22), None);
        assert_eq!(word_before(t, 29), Some("ward".to_owned()));
        assert_eq!(word_after(t, 31), None);
        assert_eq!(word_before(t, 0), None);
        assert_eq!(word_before("Ward: 3D", 6), Some("ward".to_owned()));
        assert!(after_a_name("ProMax 3D", 7));
        assert!(after_a_name("BacT/ALERT 3D", 11));
        assert!(!after_a_name("CT FACE WITH 3D", 13));
        assert!(!after_a_name("with 3D", 5));
    }
}
