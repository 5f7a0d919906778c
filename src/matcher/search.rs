//! The search: every hit of the lexicon in one normalised text.
//!
//! Takes a [`Normalized`] text and the compiled [`Matcher`]: one pass of the
//! phrase automaton over the lower-cased text finds the phrases and the gate
//! literals, the led scan the leading bytes; each gated pattern is tried
//! where its gate says, the ungated ones found by one set search. Hands the
//! candidate matches on to `resolve`, and on out [`Hit`]s.

use super::normalize::Normalized;
use super::pattern::{Pattern, REGEX_SIZE_LIMIT, anchored_end, pattern_syntax};
use super::resolve::resolve;
use super::words::{ascii_word, whole_word};
use super::{Entry, Hit, Matcher, Target};
use regex_automata::meta::Regex as MetaRegex;
use regex_automata::{Anchored, Input, PatternSet};

/// One thread's search caches: one per pattern, and the ungated set's; and
/// a buffer.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    /// The text lower-cased, for the phrase automaton.
    lower: Vec<u8>,
    patterns: Vec<Option<regex_automata::meta::Cache>>,
    set: Option<regex_automata::meta::Cache>,
}

impl Scratch {
    fn cache(&mut self, i: usize, regex: &MetaRegex) -> &mut regex_automata::meta::Cache {
        if self.patterns.len() <= i {
            self.patterns.resize_with(i + 1, || None);
        }
        self.patterns[i].get_or_insert_with(|| regex.create_cache())
    }
}

impl Matcher {
    /// Every hit in `visible`, sorted by start, resolved as the module docs say.
    pub fn find(&self, visible: &str) -> Vec<Hit> {
        self.find_in(&self.normalize(visible))
    }

    /// Every hit in a normalised text.
    pub fn find_in(&self, norm: &Normalized) -> Vec<Hit> {
        let text = norm.text.as_bytes();
        let mut scratch = self.scratch.get();
        let scratch = &mut *scratch;
        // Sized for a report's usual count (one candidate per 20 bytes or
        // so), so that they are not grown a few times for each.
        let mut found: Vec<(usize, usize, Target)> = Vec::with_capacity(text.len() / 16);
        // (pattern, start) where a pattern's gate literal begins.
        let mut starts: Vec<(u16, usize)> = Vec::with_capacity(text.len() / 64);
        let mut searched = vec![false; self.patterns.len()];
        scratch.lower.clear();
        scratch.lower.extend_from_slice(text);
        scratch.lower.make_ascii_lowercase();
        for m in self.phrases.find_overlapping_iter(&scratch.lower) {
            match self.entries[m.pattern().as_usize()] {
                Entry::Phrase(target) => {
                    if whole_word(text, m.start(), m.end()) {
                        found.push((m.start(), m.end(), target));
                    }
                }
                Entry::Starts(p) => starts.push((p, m.start())),
                Entry::Ends(p) => searched[usize::from(p)] = true,
            }
        }
        if !self.led.is_empty() {
            self.led_starts.each(&scratch.lower, |at| {
                let b = usize::from(scratch.lower[at]);
                for (p, bytes) in &self.led {
                    if bytes[b] {
                        starts.push((*p, at));
                    }
                }
            });
        }
        let mut keep = |pattern: &Pattern, m: regex_automata::Match| {
            if !m.is_empty() && whole_word(text, m.start(), m.end()) {
                found.push((m.start(), m.end(), pattern.target));
            }
        };
        // A pattern gated by where its matches start is tried at each such
        // place, in order, skipping those inside its last match: the matches
        // a search of the whole text would find, without the search.
        starts.sort_unstable();
        let mut last = (u16::MAX, 0usize);
        for &(p, at) in &starts {
            if last.0 != p {
                last = (p, 0);
            }
            let pattern = &self.patterns[usize::from(p)];
            // Most gate literals found are inside a word ("us" in "thus").
            if at < last.1
                || (pattern.word_start
                    && at > 0
                    && ascii_word(text[at - 1])
                    && ascii_word(text[at]))
            {
                continue;
            }
            if let Some(literal) = &pattern.literal {
                let end = at + literal.len();
                if text[at..].starts_with(literal) && text.get(end).is_none_or(|&b| !ascii_word(b))
                {
                    last.1 = end;
                    keep(pattern, regex_automata::Match::must(0, at..end));
                }
                continue;
            }
            if let Some(end) = pattern.dfa().and_then(|dfa| anchored_end(dfa, text, at)) {
                if let Some(end) = end {
                    last.1 = end.max(at + 1);
                    keep(pattern, regex_automata::Match::must(0, at..end));
                }
                continue;
            }
            let input = Input::new(text).range(at..).anchored(Anchored::Yes);
            let regex = pattern.compiled();
            if let Some(m) = regex.search_with(scratch.cache(usize::from(p), regex), &input) {
                last.1 = m.end().max(at + 1);
                keep(pattern, m);
            }
        }
        let (set, members) = self.ungated();
        if let Some(set) = set {
            let mut which = PatternSet::new(members.len());
            let cache = scratch.set.get_or_insert_with(|| set.create_cache());
            set.which_overlapping_matches_with(cache, &Input::new(text), &mut which);
            for i in which.iter() {
                searched[usize::from(members[i.as_usize()])] = true;
            }
        } else {
            for &i in members {
                searched[usize::from(i)] = true;
            }
        }
        for (i, pattern) in self.patterns.iter().enumerate() {
            if searched[i] {
                let regex = pattern.compiled();
                let cache = scratch.cache(i, regex);
                let mut it = regex_automata::util::iter::Searcher::new(Input::new(text));
                while let Some(m) = it.advance(|input| Ok(regex.search_with(cache, input))) {
                    keep(pattern, m);
                }
            }
        }
        resolve(norm, found)
    }

    /// The set of ungated patterns, and the index of each.
    fn ungated(&self) -> &(Option<MetaRegex>, Vec<u16>) {
        self.ungated.get_or_init(|| {
            let members: Vec<u16> = (0..self.patterns.len())
                .filter(|&i| self.patterns[i].gate.is_none())
                .filter_map(|i| u16::try_from(i).ok())
                .collect();
            let sources: Vec<&str> = members
                .iter()
                .map(|&i| self.patterns[usize::from(i)].source.as_str())
                .collect();
            if sources.is_empty() {
                return (None, members);
            }
            // A set that fails to build (it cannot: each pattern
            // compiled) leaves each pattern searched for on its own.
            let set = MetaRegex::builder()
                .configure(
                    MetaRegex::config()
                        .match_kind(regex_automata::MatchKind::All)
                        .nfa_size_limit(Some(REGEX_SIZE_LIMIT * 16)),
                )
                .syntax(pattern_syntax())
                .build_many(&sources)
                .ok();
            (set, members)
        })
    }

    /// [`Matcher::find_in`] without the gates: every pattern searched for in
    /// the whole text. What the gates must not change (a test compares them).
    #[cfg(test)]
    fn find_in_ungated(&self, norm: &Normalized) -> Vec<Hit> {
        let text = norm.text.as_bytes();
        let mut found = Vec::new();
        for m in self
            .phrases
            .find_overlapping_iter(&norm.text.to_ascii_lowercase())
        {
            if let Entry::Phrase(target) = self.entries[m.pattern().as_usize()]
                && whole_word(text, m.start(), m.end())
            {
                found.push((m.start(), m.end(), target));
            }
        }
        for pattern in &self.patterns {
            for m in pattern.compiled().find_iter(text) {
                if !m.is_empty() && whole_word(text, m.start(), m.end()) {
                    found.push((m.start(), m.end(), pattern.target));
                }
            }
        }
        resolve(norm, found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;
    use std::sync::OnceLock;

    /// Every text under `fixtures/`, for comparisons.
    fn fixture_texts() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect()
    }

    #[test]
    fn gates_change_no_hit_on_any_fixture() {
        let lexicon = Lexicon::builtin().expect("the built-in lexicon loads");
        let matcher = Matcher::new(&lexicon).expect("compiles");
        let texts = fixture_texts();
        assert!(texts.len() > 300, "{} fixtures", texts.len());
        for text in &texts {
            let norm = matcher.normalize(text);
            assert_eq!(
                matcher.find_in(&norm),
                matcher.find_in_ungated(&norm),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 3000, ..proptest::prelude::ProptestConfig::default()
        })]

        /// Texts strung from the words the patterns are made of, where
        /// matches of one pattern crowd and overlap: the gated search finds
        /// what searching every pattern everywhere finds.
        #[test]
        fn gates_change_no_hit_on_crowded_text(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "I", "i", "me", "the", "radiologist", "physician", "was", "were",
                    "personally", "performed", "supervised", "supervising", "directing",
                    "by", "under", "my", "direction", "of", "concurrent", "concurrently",
                    "supervision", "present", "with", "on", "at", "an", "independent",
                    "workstation", "console", "VR", "VRT", "SSD", "MIP", "MIPs", "and",
                    "/", ",", "3d", "3D", "images", "ct", "CT", "angiography", "mr",
                    "MR", "US", "not", "been", "reconstructed", "for", "surgical",
                    "planning", "x", "3", "d", "ago", "2", "views", "view", "cpt",
                    "76377", "76376", "74174", "reviewed", "can", "be", "rendered",
                    "real", "time", "oversight", "in", "AW", "ISP", "pacs", "tools",
                    "comminuted", "fracture", "fractures", "axial", "coronal",
                    "reformats", "SPACE", "space", "t1", "breast", "coronary", "DBT", "dbt",
                    "us", "Us", "USA", "within", "with", "since", "about",
                    "12", "12d", "CPT:", "CPT", "#", "7437T", "2023", "codes",
                ]),
                0..40,
            ),
            seps in proptest::collection::vec(
                proptest::sample::select(vec![" ", " ", " ", ". ", ", ", "\n", "-", "_", "é"]),
                40,
            ),
        ) {
            let lexicon = shared_lexicon();
            let mut text = String::new();
            for (word, sep) in words.iter().zip(&seps) {
                text.push_str(word);
                text.push_str(sep);
            }
            let norm = lexicon.normalize(&text);
            proptest::prop_assert_eq!(lexicon.find_in(&norm), lexicon.find_in_ungated(&norm), "{}", text);
        }
    }

    fn shared_lexicon() -> &'static Matcher {
        static MATCHER: OnceLock<Matcher> = OnceLock::new();
        MATCHER.get_or_init(|| {
            let lexicon = Lexicon::builtin().expect("the built-in lexicon loads");
            Matcher::new(&lexicon).expect("compiles")
        })
    }

    #[test]
    fn led_patterns_match_up_to_the_end_of_the_text() {
        let matcher = shared_lexicon();
        for text in [
            "76377",
            "CPT 76377",
            "cpt code: 0721T",
            "Prior study 3 d ago",
            "7437T.",
        ] {
            let norm = matcher.normalize(text);
            let hits = matcher.find_in(&norm);
            assert_eq!(hits, matcher.find_in_ungated(&norm), "{text}");
            // The match runs to the last digit, at the end of the text or not.
            let digits = text.trim_end_matches('.').len() as u32;
            assert!(
                text.ends_with("ago") || hits.iter().any(|h| h.span.end == digits),
                "{text}: {hits:?}"
            );
        }
    }
}
