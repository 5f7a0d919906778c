//! The scope prefilter: can this report be in scope at all?
//!
//! Takes the lexicon's scope keywords and spelling folds and builds one
//! regex over raw text, a superset of the keywords once normalised; hands
//! on, for a report, false when no keyword can be in it, so a report that
//! names no 3D costs no normalisation and no search.

use super::Matcher;
use super::normalize::{Normalized, REMOVED, normalize};
use super::pattern::REGEX_SIZE_LIMIT;
use crate::lexicon::Lexicon;

impl Matcher {
    /// False when a normalised text contains none of the lexicon's scope
    /// keywords, so no mention could bring the report into scope. (True when
    /// the lexicon has no keywords.) What the out-of-scope shortcut means;
    /// the engine runs [`Matcher::may_be_in_scope_raw`], which tests hold
    /// to be true wherever this is (so this needs no automaton of its own).
    pub fn may_be_in_scope(&self, norm: &Normalized) -> bool {
        let text = norm.text.to_ascii_lowercase();
        self.scope.is_empty() || self.scope.iter().any(|k| text.contains(k.as_str()))
    }

    /// False when the visible text, before normalisation, cannot contain a
    /// scope keyword once normalised: so a report that names no 3D at all
    /// costs no normalisation. Never false where [`Matcher::may_be_in_scope`]
    /// would be true (a test checks them together).
    pub fn may_be_in_scope_raw(&self, visible: &str) -> bool {
        self.raw_scope
            .as_ref()
            .is_none_or(|re| re.is_match(visible.as_bytes()))
    }
}

/// The raw-text scope test. Keywords are alphanumeric, and normalisation
/// copies alphanumerics as they are, so a keyword in the normalised text is
/// in the raw text too, except where normalisation made it: a folded
/// spelling whose canonical form holds a keyword ("3-D", "three dimensional"
/// for "3d"), or a zero-width character or soft hyphen removed from inside a
/// word. The regex matches the keywords, those spellings with any run of
/// white space or dashes between their words, and those characters.
pub(super) fn raw_scope(
    lexicon: &Lexicon,
    keywords: &[String],
) -> Result<Option<regex::bytes::Regex>, regex::Error> {
    if keywords.is_empty()
        || keywords
            .iter()
            .any(|k| !k.chars().all(char::is_alphanumeric))
    {
        // The argument above needs alphanumeric keywords; without them, no
        // raw test (every report is normalised and tested as before).
        return Ok(None);
    }
    let mut branches: Vec<String> = keywords.iter().map(|k| regex::escape(k)).collect();
    for (canonical, variants) in &lexicon.normalize {
        let canonical = normalize(canonical, None).text.to_ascii_lowercase();
        if !keywords.iter().any(|k| canonical.contains(k.as_str())) {
            continue;
        }
        for v in variants {
            let text = normalize(&v.value, None).text;
            let words: Vec<String> = text.split_whitespace().map(regex::escape).collect();
            // Any run of bytes that are not ASCII letters or digits: every
            // white space and dash, and more (a superset is safe). A variant
            // folds only as whole words, so it must not run on into an
            // ASCII letter or digit ("3 days" is not "3 D"): those are copied
            // as they are, so one there is there once normalised too.
            branches.push(format!(
                r"{}(?:[^0-9A-Za-z]|$)",
                words.join(r"[^0-9A-Za-z]+")
            ));
        }
    }
    // The characters normalisation removes, as UTF-8 bytes.
    for c in REMOVED {
        let mut utf8 = [0u8; 4];
        let bytes: String = c
            .encode_utf8(&mut utf8)
            .bytes()
            .map(|b| format!(r"\x{b:02X}"))
            .collect();
        branches.push(bytes);
    }
    regex::bytes::RegexBuilder::new(&branches.join("|"))
        .unicode(false)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map(Some)
}
