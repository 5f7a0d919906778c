//! One lexicon pattern's searchers: its syntax, size limit and compiling.
//!
//! Takes a pattern's source and what gates it, checks it (a user's pattern,
//! when the lexicon is compiled) and hands on, when a text first needs it,
//! the regex to search with, and for a pattern gated by its leading bytes an
//! anchored DFA stepped by hand ([`anchored_end`]).

use super::Target;
use super::gates::Gate;
use regex_automata::dfa::dense;
use regex_automata::meta::Regex as MetaRegex;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input};
use std::sync::OnceLock;

/// Patterns are compiled without Unicode classes: `\w` and `\b` are ASCII,
/// which keeps compilation (a large part of a one-report check) small. The
/// lexicon's patterns are written against normalised, mostly ASCII text.
///
/// Compiled regexes may not exceed this many bytes each.
pub(super) const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// A lexicon pattern and how a text is found to need it.
#[derive(Debug)]
pub(super) struct Pattern {
    pub(super) source: String,
    pub(super) regex: OnceLock<MetaRegex>,
    pub(super) target: Target,
    /// What gates it: literals its matches start with (it is only tried
    /// there, anchored) or end with, or the bytes its matches start with at
    /// a word boundary (tried at each); None, nothing does and it is
    /// searched for in every text.
    pub(super) gate: Option<Gate>,
    /// True when it starts with `\b`: a match cannot start inside a word.
    pub(super) word_start: bool,
    /// The one string it matches, between word boundaries, when it is no
    /// more than that (`(?-i)\bUS\b`): compared, not searched for.
    pub(super) literal: Option<Vec<u8>>,
    /// For a pattern gated by its leading bytes, an anchored DFA stepped by
    /// hand: most tries fail within a byte or two, where starting a search
    /// costs more than the search (None when it cannot be built small).
    pub(super) dfa: OnceLock<Option<dense::DFA<Vec<u32>>>>,
}

/// The syntax every pattern is compiled with: case-insensitive, ASCII
/// classes (see [`REGEX_SIZE_LIMIT`]).
pub(super) fn pattern_syntax() -> syntax::Config {
    syntax::Config::new().case_insensitive(true).unicode(false)
}

/// Compile `pattern` to check it, as [`build_regex`] would: an error names
/// the problem (a size limit exceeded, or the syntax error).
pub(super) fn check_regex(pattern: &str) -> Result<(), String> {
    use regex_automata::nfa::thompson::{self, WhichCaptures};
    thompson::Compiler::new()
        .syntax(pattern_syntax())
        .configure(
            thompson::Config::new()
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                .which_captures(WhichCaptures::None),
        )
        .build(pattern)
        .map(|_| ())
        .map_err(|e| match e.size_limit() {
            Some(limit) => format!("compiled, it exceeds the size limit of {limit} bytes"),
            None => match std::error::Error::source(&e) {
                Some(cause) => format!("{e}: {cause}"),
                None => e.to_string(),
            },
        })
}

/// The searcher for a pattern (None where [`check_regex`] has an error).
/// One tried only where its gate says a match starts needs no prefilter of
/// its own.
fn build_regex(pattern: &str, anchored: bool) -> Option<MetaRegex> {
    MetaRegex::builder()
        .configure(
            MetaRegex::config()
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                .which_captures(regex_automata::nfa::thompson::WhichCaptures::Implicit)
                .auto_prefilter(!anchored),
        )
        .syntax(pattern_syntax())
        .build(pattern)
        .ok()
}

impl Pattern {
    /// Only ever tried where its gate says a match starts.
    fn anchored(&self) -> bool {
        matches!(self.gate, Some(Gate::Start | Gate::Byte))
    }

    /// The anchored DFA of a pattern gated by its leading bytes.
    pub(super) fn dfa(&self) -> Option<&dense::DFA<Vec<u32>>> {
        if self.gate != Some(Gate::Byte) {
            return None;
        }
        self.dfa
            .get_or_init(|| {
                dense::Builder::new()
                    .syntax(pattern_syntax())
                    .configure(
                        dense::DFA::config()
                            .start_kind(regex_automata::dfa::StartKind::Anchored)
                            .dfa_size_limit(Some(REGEX_SIZE_LIMIT))
                            .determinize_size_limit(Some(REGEX_SIZE_LIMIT)),
                    )
                    .build(&self.source)
                    .ok()
            })
            .as_ref()
    }

    pub(super) fn compiled(&self) -> &MetaRegex {
        // Checked when the lexicon was compiled, so this cannot fail; an impossible
        // failure matches nothing rather than panic.
        self.regex.get_or_init(|| {
            build_regex(&self.source, self.anchored())
                .or_else(|| build_regex(r"[^\s\S]", false))
                .unwrap_or_else(|| unreachable!("a constant regex compiles"))
        })
    }
}

/// Where the leftmost-first match of `dfa` starting at `at` ends: None when
/// the DFA cannot say (it gave up on a byte), Some(None) when none starts there.
pub(super) fn anchored_end(
    dfa: &dense::DFA<Vec<u32>>,
    text: &[u8],
    at: usize,
) -> Option<Option<usize>> {
    use regex_automata::dfa::Automaton;
    let input = Input::new(text).range(at..).anchored(Anchored::Yes);
    let mut state = dfa.start_state_forward(&input).ok()?;
    let mut end = None;
    for (i, &b) in text.iter().enumerate().skip(at) {
        state = dfa.next_state(state, b);
        if dfa.is_special_state(state) {
            // Matches are reported a byte late: this one ended before `b`.
            if dfa.is_match_state(state) {
                end = Some(i);
            } else if dfa.is_dead_state(state) {
                return Some(end);
            } else if dfa.is_quit_state(state) {
                return None;
            }
        }
    }
    if dfa.is_match_state(dfa.next_eoi_state(state)) {
        end = Some(text.len());
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;
    use crate::matcher::Matcher;

    #[test]
    fn every_builtin_pattern_compiles() {
        // The matcher checks only a user's patterns when it starts.
        let lexicon = Lexicon::builtin().expect("the built-in lexicon loads");
        let matcher = Matcher::new(&lexicon).expect("compiles");
        assert!(matcher.patterns.len() > 40);
        for pattern in &matcher.patterns {
            assert_eq!(check_regex(&pattern.source), Ok(()), "{}", pattern.source);
            assert!(build_regex(&pattern.source, pattern.anchored()).is_some());
        }
    }
}
