//! The lexicon compiled once, and run over a document's visible text.
//!
//! Takes a [`Lexicon`] and builds, once per process, one Aho-Corasick automaton
//! over every literal phrase (concepts, products, bundled-exam titles, context
//! triggers) and over the literals that gate each pattern: those every match
//! of the pattern starts (or ends) with, extracted from the regex. One pass of
//! the automaton finds the phrases and says where each pattern needs to be
//! tried, so most patterns never scan a text. [`Matcher::find`] takes a
//! document's visible text and hands on [`Hit`]s: spans in the original text,
//! each naming what it matched.
//!
//! Matching runs on a normalised copy of the text, with a byte map back to the
//! original: whitespace runs (line breaks included) become one space, so a
//! phrase wrapped across lines still matches; a hyphen or dash between two
//! word characters becomes a space ("volume-rendered" is "volume rendered");
//! curly apostrophes become straight; and the lexicon's `[normalize]` table
//! folds spelling variants ("3-D", "three-dimensional") into one form.
//! Phrases from the lexicon pass through the same normalisation, so the lexicon
//! may be written either way. Matches are case-insensitive whole words; where
//! matches of one layer overlap, the leftmost-longest wins (so "3D MIP" is
//! rendering, not a bare MIP), and a trigger inside a concept phrase is dropped
//! ("not" in "the radiologist was not present").

use crate::lexicon::{
    Concept, Direction, Layer, Lexicon, LexiconError, Origin, Sourced, TriggerKind,
};
use crate::span::Span;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_automata::dfa::dense;
use regex_automata::meta::Regex as MetaRegex;
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, PatternSet};
use std::sync::OnceLock;

/// Patterns are compiled without Unicode classes: `\w` and `\b` are ASCII,
/// which keeps compilation (a large part of a one-report check) small. The
/// lexicon's patterns are written against normalised, mostly ASCII text.
///
/// Compiled regexes may not exceed this many bytes each.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// What a hit stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A concept; `entry` indexes [`Lexicon::products`] for [`Concept::Product`].
    Concept {
        /// The concept.
        concept: Concept,
        /// Product index, or 0.
        entry: u16,
    },
    /// A context trigger.
    Trigger {
        /// Its kind.
        kind: TriggerKind,
        /// Its direction.
        direction: Direction,
        /// Its own window in words (0: the lexicon's).
        window: u8,
    },
    /// A bundled base exam's title: index into [`Lexicon::bundles`].
    Bundle(u16),
}

impl Target {
    fn layer(self) -> u8 {
        match self {
            Target::Concept { concept, .. } => match concept.layer() {
                Layer::Evidence => 0,
                Layer::Place => 1,
                Layer::Indication => 2,
                Layer::Study => 3,
            },
            Target::Bundle(_) => 4,
            Target::Trigger { .. } => 5,
        }
    }
}

/// What to compile the phrase automaton for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    /// A full DFA: about 3 MB for the built-in lexicon, then one
    /// transition per byte. For sweeps.
    Sweep,
    /// A contiguous NFA: quick to build, slower per byte. For a few reports,
    /// where start-up is most of the time.
    Startup,
}

/// One match, as a span of the original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Where, in the original text.
    pub span: Span,
    /// What.
    pub target: Target,
}

/// The compiled lexicon.
#[derive(Debug)]
pub struct Matcher {
    folds: Option<Folds>,
    /// Every phrase, and every pattern's gate literals, in one automaton.
    phrases: AhoCorasick,
    entries: Vec<Entry>,
    /// The scope keywords, lower-cased: what the out-of-scope shortcut means
    /// (see [`Matcher::may_be_in_scope`]).
    scope: Vec<String>,
    /// The same test on the visible text before normalisation (a superset:
    /// see [`Matcher::may_be_in_scope_raw`]).
    raw_scope: Option<regex::bytes::Regex>,
    /// Each pattern, compiled on first use: its gate says which texts need
    /// it, and most texts need few.
    patterns: Vec<Pattern>,
    /// The patterns gated by the bytes their matches start with: each with
    /// its bytes (lower-cased); and all their bytes together, with where in
    /// a text they start.
    led: Vec<(u16, ByteSet)>,
    led_starts: Led,
    /// The patterns nothing gates, as one set: one pass over a text says
    /// which of them it needs (built on first use).
    ungated: OnceLock<(Option<MetaRegex>, Vec<u16>)>,
    /// Search caches, one set per thread: taken once a report, not once a
    /// search (each regex's own pool is a lock away on all threads but one).
    scratch: Pool<Scratch, fn() -> Scratch>,
}

/// One thread's search caches: one per pattern, and the ungated set's; and
/// a buffer.
#[derive(Debug, Default)]
struct Scratch {
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

/// What an entry of the phrase automaton stands for.
#[derive(Clone, Copy, Debug)]
enum Entry {
    /// A phrase: a hit where it is a whole word.
    Phrase(Target),
    /// A literal that every match of pattern `.0` starts with: the pattern is
    /// tried there, anchored.
    Starts(u16),
    /// A literal that every match of pattern `.0` ends with: the pattern is
    /// searched for in the whole text.
    Ends(u16),
}

/// A lexicon pattern and how a text is found to need it.
#[derive(Debug)]
struct Pattern {
    source: String,
    regex: OnceLock<MetaRegex>,
    target: Target,
    /// What gates it: literals its matches start with (it is only tried
    /// there, anchored) or end with, or the bytes its matches start with at
    /// a word boundary (tried at each); None, nothing does and it is
    /// searched for in every text.
    gate: Option<Gate>,
    /// True when it starts with `\b`: a match cannot start inside a word.
    word_start: bool,
    /// The one string it matches, between word boundaries, when it is no
    /// more than that (`(?-i)\bUS\b`): compared, not searched for.
    literal: Option<Vec<u8>>,
    /// For a pattern gated by its leading bytes, an anchored DFA stepped by
    /// hand: most tries fail within a byte or two, where starting a search
    /// costs more than the search (None when it cannot be built small).
    dfa: OnceLock<Option<dense::DFA<Vec<u32>>>>,
}

impl Matcher {
    /// Compile `lexicon` for a sweep. Fails, pointing into the lexicon, on an
    /// invalid or oversized regex.
    pub fn new(lexicon: &Lexicon) -> Result<Matcher, LexiconError> {
        Matcher::with_speed(lexicon, Speed::Sweep)
    }

    /// Compile `lexicon`, trading start-up time against per-report time.
    pub fn with_speed(lexicon: &Lexicon, speed: Speed) -> Result<Matcher, LexiconError> {
        let kind = match speed {
            Speed::Sweep => AhoCorasickKind::DFA,
            Speed::Startup => AhoCorasickKind::ContiguousNFA,
        };
        let folds = compile_folds(lexicon)?;
        let mut builder = Builder {
            folds: folds.as_ref(),
            phrases: Vec::new(),
            entries: Vec::new(),
            patterns: Vec::new(),
        };
        for (&concept, entry) in &lexicon.concepts {
            let target = Target::Concept { concept, entry: 0 };
            builder.add(&entry.phrases, &entry.patterns, target);
        }
        for (i, product) in lexicon.products.iter().enumerate() {
            let target = Target::Concept {
                concept: Concept::Product,
                entry: i as u16,
            };
            builder.add(&product.phrases, &product.patterns, target);
        }
        for (i, bundle) in lexicon.bundles.iter().enumerate() {
            builder.add(&bundle.titles, &bundle.patterns, Target::Bundle(i as u16));
        }
        for trigger in &lexicon.triggers {
            let target = Target::Trigger {
                kind: trigger.kind,
                direction: trigger.direction,
                window: trigger.window.unwrap_or(0),
            };
            builder.add(&trigger.phrases, &trigger.patterns, target);
        }
        let Builder {
            mut phrases,
            mut entries,
            patterns,
            ..
        } = builder;
        // Each pattern is parsed now, so that a syntax error points at it, and
        // a user's pattern is compiled, so that an oversized one does too (the
        // built-in ones are, by a test, and compiling them all would be a
        // third of a one-report check). Each is compiled to search with when
        // a text first needs it.
        let mut compiled = Vec::with_capacity(patterns.len());
        let (mut led, mut led_bytes) = (Vec::new(), [false; 256]);
        for (i, (source, origin, target)) in patterns.into_iter().enumerate() {
            let invalid = |e: String| lexicon.error_at(origin, format!("invalid pattern: {e}"));
            let hir = regex_syntax::ParserBuilder::new()
                .unicode(false)
                .build()
                .parse(&source)
                .map_err(|e| invalid(e.to_string()))?;
            if !lexicon.files[usize::from(origin.file)].builtin {
                check_regex(&source).map_err(invalid)?;
            }
            let literals = gate(&hir);
            let word_start = starts_at_word_boundary(&hir);
            let index = u16::try_from(i)
                .map_err(|_| whole_lexicon("more than 65,535 patterns".to_owned()))?;
            // With no literal to gate it, the bytes a match starts with.
            let leading = match (&literals, word_start) {
                (None, true) => leading_bytes(&hir),
                _ => None,
            };
            // The shape read as written, then confirmed with the matcher's
            // own (case-insensitive) syntax, where only `(?-i)` keeps a
            // literal; parsing that way is costly, so only for the few.
            let literal = word_literal(&hir).and_then(|_| {
                regex_syntax::ParserBuilder::new()
                    .case_insensitive(true)
                    .unicode(false)
                    .build()
                    .parse(&source)
                    .ok()
                    .and_then(|hir| word_literal(&hir))
            });
            let mut gated_by = literals.as_ref().map(|(kind, _)| *kind);
            if let Some(bytes) = leading {
                gated_by = Some(Gate::Byte);
                for (b, &on) in bytes.iter().enumerate() {
                    led_bytes[b] |= on;
                }
                led.push((index, bytes));
            }
            for text in literals.into_iter().flat_map(|(_, texts)| texts) {
                phrases.push(text);
                entries.push(match gated_by {
                    Some(Gate::Start) => Entry::Starts(index),
                    _ => Entry::Ends(index),
                });
            }
            compiled.push(Pattern {
                source,
                regex: OnceLock::new(),
                target,
                gate: gated_by,
                word_start,
                literal,
                dfa: OnceLock::new(),
            });
        }
        // Lower-cased literals over lower-cased text: ASCII case-insensitive
        // matching doubles the automaton (5.9 MB against 3 MB for the
        // built-in lexicon; the search is hardly faster, but a sweep holds
        // 3 MB less).
        let automaton = AhoCorasickBuilder::new()
            .kind(Some(kind))
            .match_kind(MatchKind::Standard)
            .build(phrases.iter().map(|p| p.to_ascii_lowercase()))
            .map_err(|e| whole_lexicon(format!("cannot compile the phrase automaton: {e}")))?;
        let keywords: Vec<String> = lexicon
            .scope_keywords
            .iter()
            .map(|k| k.value.to_ascii_lowercase())
            .collect();
        let raw_scope = raw_scope(lexicon, &keywords)
            .map_err(|e| whole_lexicon(format!("cannot compile the scope keywords: {e}")))?;
        Ok(Matcher {
            scope: keywords,
            raw_scope,
            folds,
            phrases: automaton,
            entries,
            patterns: compiled,
            led,
            led_starts: Led::new(led_bytes),
            ungated: OnceLock::new(),
            scratch: Pool::new(Scratch::default as fn() -> Scratch),
        })
    }

    /// Every hit in `visible`, sorted by start, resolved as the module docs say.
    pub fn find(&self, visible: &str) -> Vec<Hit> {
        self.find_in(&self.normalize(visible))
    }

    /// `visible`, normalised for matching.
    pub fn normalize(&self, visible: &str) -> Normalized {
        normalize(visible, self.folds.as_ref())
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

/// The hits of one text from its candidate matches, resolved as the module
/// docs say.
fn resolve(norm: &Normalized, mut found: Vec<(usize, usize, Target)>) -> Vec<Hit> {
    // Leftmost-longest within each layer.
    found.sort_by_key(|&(s, e, t)| (t.layer(), s, std::cmp::Reverse(e), ordinal(t)));
    let mut layer_end = (u8::MAX, 0usize);
    found.retain(|&(s, e, t)| {
        if layer_end.0 != t.layer() {
            layer_end = (t.layer(), 0);
        }
        let keep = s >= layer_end.1;
        if keep {
            layer_end.1 = e;
        }
        keep
    });
    let kept = found;
    // A trigger inside an evidence phrase is part of that phrase ("not" in
    // "the radiologist was not present"); one that merely overlaps it is
    // not ("not reconstructed" in "not reconstructed in 3D").
    // Within a layer, spans are sorted and do not overlap (leftmost-
    // longest): the only one that can hold a trigger is the last to start
    // at or before it. The evidence and place layers each hide triggers;
    // `kept` is in layer order, so each is a run of it.
    let evidence = kept.partition_point(|(_, _, t)| t.layer() == 0);
    let place = kept.partition_point(|(_, _, t)| t.layer() <= 1);
    let layers = [&kept[..evidence], &kept[evidence..place]];
    let inside = |spans: &[(usize, usize, Target)], s: usize, e: usize| {
        spans[..spans.partition_point(|&(ps, _, _)| ps <= s)]
            .last()
            .is_some_and(|&(_, pe, _)| e <= pe)
    };
    let mut hits: Vec<Hit> = kept
        .iter()
        .filter(|&&(s, e, t)| {
            !matches!(t, Target::Trigger { .. }) || !layers.iter().any(|l| inside(l, s, e))
        })
        .map(|&(s, e, target)| Hit {
            span: norm.original(s, e),
            target,
        })
        .collect();
    hits.sort_by_key(|h| (h.span.start, std::cmp::Reverse(h.span.end)));
    hits
}

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

    /// The normalised form of a phrase, as the matcher compares it.
    pub fn normalize_phrase(&self, phrase: &str) -> String {
        normalize(phrase, self.folds.as_ref())
            .text
            .trim()
            .to_owned()
    }
}

/// The raw-text scope test. Keywords are alphanumeric, and normalisation
/// copies alphanumerics as they are, so a keyword in the normalised text is
/// in the raw text too, except where normalisation made it: a folded
/// spelling whose canonical form holds a keyword ("3-D", "three dimensional"
/// for "3d"), or a zero-width character or soft hyphen removed from inside a
/// word. The regex matches the keywords, those spellings with any run of
/// white space or dashes between their words, and those characters.
fn raw_scope(
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

/// An error about the lexicon as a whole, with no one place to point at.
fn whole_lexicon(message: String) -> LexiconError {
    LexiconError::Invalid {
        file: "lexicon".into(),
        text: String::new(),
        span: None,
        message,
    }
}

/// The syntax every pattern is compiled with: case-insensitive, ASCII
/// classes (see [`REGEX_SIZE_LIMIT`]).
fn pattern_syntax() -> syntax::Config {
    syntax::Config::new().case_insensitive(true).unicode(false)
}

/// Compile `pattern` to check it, as [`build_regex`] would: an error names
/// the problem (a size limit exceeded, or the syntax error).
fn check_regex(pattern: &str) -> Result<(), String> {
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
    fn dfa(&self) -> Option<&dense::DFA<Vec<u32>>> {
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

    fn compiled(&self) -> &MetaRegex {
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
fn anchored_end(dfa: &dense::DFA<Vec<u32>>, text: &[u8], at: usize) -> Option<Option<usize>> {
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

/// True when every match of the pattern starts at an ASCII word boundary.
fn starts_at_word_boundary(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::{HirKind, Look};
    let first = match hir.kind() {
        HirKind::Concat(parts) => parts.first(),
        _ => Some(hir),
    };
    first.is_some_and(|h| matches!(h.kind(), HirKind::Look(Look::WordAscii)))
}

/// The string a pattern matches when it is `\b`, a literal of ASCII word
/// characters at both ends, `\b`, as parsed with the matcher's own syntax
/// (so `(?-i)` patterns only: a case-insensitive one parses to classes).
fn word_literal(hir: &regex_syntax::hir::Hir) -> Option<Vec<u8>> {
    use regex_syntax::hir::{HirKind, Look};
    let HirKind::Concat(parts) = hir.kind() else {
        return None;
    };
    let [start, literal, end] = parts.as_slice() else {
        return None;
    };
    let boundary = |h: &regex_syntax::hir::Hir| matches!(h.kind(), HirKind::Look(Look::WordAscii));
    let HirKind::Literal(literal) = literal.kind() else {
        return None;
    };
    let bytes = literal.0.to_vec();
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    (boundary(start)
        && boundary(end)
        && bytes.first().is_some_and(word)
        && bytes.last().is_some_and(word))
    .then_some(bytes)
}

/// What gates a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gate {
    /// Literals its matches start with.
    Start,
    /// Literals its matches end with.
    End,
    /// The bytes its matches start with, at a word boundary (see
    /// [`leading_bytes`]).
    Byte,
}

/// A set of bytes.
type ByteSet = [bool; 256];

/// At most this many bytes (lower-cased) lead a pattern gated by them: a
/// number's ten digits and a few letters, not every word.
const LEADING_MAX: usize = 16;

/// The bytes, lower-cased, that every match of a pattern starting with `\b`
/// starts with, when no literal gates it (`\b\d{4}[0-9T]\b`): it is tried at
/// each word boundary followed by one of them, where searching the whole text
/// for it costs a pass of its own. None when a match may be empty, starts
/// with a non-ASCII character, or with any of more than [`LEADING_MAX`] bytes.
fn leading_bytes(hir: &regex_syntax::hir::Hir) -> Option<ByteSet> {
    use regex_syntax::hir::{Class, HirKind};
    /// The bytes a match of `hir` can start with, and whether it can be empty.
    fn first(hir: &regex_syntax::hir::Hir, set: &mut ByteSet) -> Option<bool> {
        Some(match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => true,
            HirKind::Literal(l) => {
                set[usize::from(*l.0.first()?)] = true;
                false
            }
            HirKind::Class(Class::Bytes(c)) => {
                for r in c.ranges() {
                    for b in r.start()..=r.end() {
                        set[usize::from(b)] = true;
                    }
                }
                false
            }
            HirKind::Class(Class::Unicode(c)) => {
                for r in c.ranges() {
                    let (start, end) = (u8::try_from(r.start()).ok()?, u8::try_from(r.end()).ok()?);
                    for b in start..=end {
                        set[usize::from(b)] = true;
                    }
                }
                false
            }
            HirKind::Repetition(r) => first(&r.sub, set)? || r.min == 0,
            HirKind::Capture(c) => first(&c.sub, set)?,
            HirKind::Concat(parts) => {
                for part in parts {
                    if !first(part, set)? {
                        return Some(false);
                    }
                }
                true
            }
            HirKind::Alternation(arms) => {
                let mut empty = false;
                for arm in arms {
                    empty |= first(arm, set)?;
                }
                empty
            }
        })
    }
    let mut set = [false; 256];
    if first(hir, &mut set)? {
        return None;
    }
    let mut lower = [false; 256];
    for b in 0..=255u8 {
        if set[usize::from(b)] {
            if !b.is_ascii() {
                return None;
            }
            lower[usize::from(b.to_ascii_lowercase())] = true;
        }
    }
    (lower.iter().filter(|&&on| on).count() <= LEADING_MAX).then_some(lower)
}

/// Literals at least this long gate a pattern; shorter ones would be found
/// everywhere.
const GATE_MIN: usize = 2;
/// At most this many literals gate a pattern (see [`fewest_literals`]).
const GATE_MAX: usize = 64;

/// The literals that every match of a pattern starts with (preferred: the
/// pattern is then tried only there) or else ends with, lower-cased, each
/// at least [`GATE_MIN`] bytes, none a prefix (suffix) of another. None when
/// neither end has a usable set: the pattern is searched for in every text.
///
/// `hir` is parsed case-sensitively: the automaton compares lower-cased
/// literals with lower-cased text, which is what `(?i)` means without
/// Unicode, so the literals as written are enough, and `(?-i)` parts are
/// rechecked by the pattern itself.
fn gate(hir: &regex_syntax::hir::Hir) -> Option<(Gate, Vec<String>)> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let side = |kind: ExtractKind, side: Gate| -> Option<(Gate, Vec<String>)> {
        let seq = Extractor::new().kind(kind).extract(hir);
        let all = seq.literals()?;
        if all.is_empty()
            || all
                .iter()
                .any(|l| l.len() < GATE_MIN || !l.as_bytes().is_ascii())
        {
            return None;
        }
        // Literals written from their end (for a suffix gate), lower-cased.
        let keyed: Vec<Vec<u8>> = all
            .iter()
            .map(|l| {
                let mut k = l.as_bytes().to_ascii_lowercase();
                if side == Gate::End {
                    k.reverse();
                }
                k
            })
            .collect();
        let kept = fewest_literals(keyed)?;
        let literals = kept
            .into_iter()
            .map(|mut k| {
                if side == Gate::End {
                    k.reverse();
                }
                String::from_utf8_lossy(&k).into_owned()
            })
            .collect();
        Some((side, literals))
    };
    side(ExtractKind::Prefix, Gate::Start).or_else(|| side(ExtractKind::Suffix, Gate::End))
}

/// At most [`GATE_MAX`] literals, none shorter than [`GATE_MIN`], such
/// that each of `literals` starts with one of them; None if there are none.
///
/// Literals sharing a start are merged into it, those that part latest
/// first: "within 1", "within 12", ... become "within" before "with" could
/// stand for them (and fire on every "with"). Where one literal starts
/// another, only the shorter is kept: the automaton finds it wherever it
/// finds the longer.
fn fewest_literals(mut literals: Vec<Vec<u8>>) -> Option<Vec<Vec<u8>>> {
    let minimize = |literals: &mut Vec<Vec<u8>>| {
        literals.sort_unstable();
        literals.dedup();
        let mut kept: Vec<Vec<u8>> = Vec::with_capacity(literals.len());
        for k in literals.drain(..) {
            if !kept.last().is_some_and(|p| k.starts_with(p)) {
                kept.push(k);
            }
        }
        *literals = kept;
    };
    minimize(&mut literals);
    while literals.len() > GATE_MAX {
        // Sorted, so literals that share a start are neighbours: the longest
        // start two neighbours share is where literals part latest.
        let common = |a: &[u8], b: &[u8]| a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let deepest = literals
            .windows(2)
            .map(|w| common(&w[0], &w[1]))
            .max()
            .unwrap_or(0);
        if deepest < GATE_MIN {
            return None;
        }
        let shared: Vec<bool> = (0..literals.len())
            .map(|i| {
                let with = |j: usize| {
                    literals
                        .get(j)
                        .is_some_and(|o| common(&literals[i], o) >= deepest)
                };
                (i > 0 && with(i - 1)) || with(i + 1)
            })
            .collect();
        for (literal, shared) in literals.iter_mut().zip(shared) {
            if shared {
                literal.truncate(deepest);
            }
        }
        minimize(&mut literals);
    }
    Some(literals)
}

fn ordinal(t: Target) -> (u8, u16) {
    match t {
        Target::Concept { concept, entry } => (concept as u8, entry),
        Target::Trigger { kind, .. } => (kind as u8, 0),
        Target::Bundle(i) => (0, i),
    }
}

struct Builder<'a> {
    folds: Option<&'a Folds>,
    phrases: Vec<String>,
    entries: Vec<Entry>,
    patterns: Vec<(String, Origin, Target)>,
}

impl Builder<'_> {
    fn add(&mut self, phrases: &[Sourced], patterns: &[Sourced], target: Target) {
        for p in phrases {
            let text = normalize(&p.value, self.folds).text;
            let text = text.trim();
            if !text.is_empty() {
                self.phrases.push(text.to_owned());
                self.entries.push(Entry::Phrase(target));
            }
        }
        for p in patterns {
            self.patterns.push((p.value.clone(), p.origin, target));
        }
    }
}

fn compile_folds(lexicon: &Lexicon) -> Result<Option<Folds>, LexiconError> {
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
struct Folds {
    /// Anchored, leftmost-longest.
    ac: AhoCorasick,
    to: Vec<String>,
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
    fn find(&self, text: &str) -> Vec<(usize, usize, usize)> {
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

/// Bytes of words: ASCII letters and digits, and every byte of a non-ASCII
/// character.
const WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b >= 0x80;
        b += 1;
    }
    table
};

#[inline]
fn is_word_byte(b: u8) -> bool {
    WORD_BYTES[usize::from(b)]
}

/// A match is a whole word when it does not continue a word on either side.
fn whole_word(text: &[u8], start: usize, end: usize) -> bool {
    let before = start > 0 && is_word_byte(text[start - 1]) && is_word_byte(text[start]);
    let after = end < text.len() && is_word_byte(text[end]) && is_word_byte(text[end - 1]);
    !before && !after
}

/// Normalised text and a sparse map back to the original: between two marks
/// the mapping is the identity shifted by the mark, and a mark follows every
/// unit whose length changed (a white-space run, a curly quote, a folded
/// spelling). Most bytes are copied as they are, so most of the text costs a
/// push and nothing more.
#[derive(Debug, Clone)]
pub struct Normalized {
    text: String,
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

    fn original(&self, start: usize, end: usize) -> Span {
        Span {
            start: self.map(start),
            end: self.map(end),
        }
    }
}

/// Zero-width characters and soft hyphens: normalisation removes them, as
/// they split no word ("vol\u{200b}ume" is "volume"), and so the raw scope
/// test must match them.
const REMOVED: &[char] = &[
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

const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The bytes that patterns with no literal gate start with (`\d`, `c` of
/// "cpt"), and where in a text they start after a `\b`.
#[derive(Debug)]
struct Led {
    bytes: ByteSet,
    /// When every one is an ASCII word byte, so that a `\b` before one is a
    /// word start: whether digits are among them, and each other one
    /// repeated in the eight bytes of a word (at most four). Then a text is
    /// scanned eight bytes at a time; else (None) a byte at a time.
    eight: Option<(bool, Vec<u64>)>,
}

impl Led {
    fn new(bytes: ByteSet) -> Led {
        let on: Vec<u8> = (0..=255u8).filter(|&b| bytes[usize::from(b)]).collect();
        let eight = on.iter().all(|&b| ascii_word(b)).then(|| {
            let digits = on.iter().any(u8::is_ascii_digit);
            let others: Vec<u64> = on
                .iter()
                .filter(|b| !b.is_ascii_digit())
                .map(|&b| LOW_BITS * u64::from(b))
                .collect();
            (digits, others)
        });
        Led {
            bytes,
            eight: eight.filter(|(_, others)| others.len() <= 4),
        }
    }

    /// Calls `f(at)`, in order, for each `at` in `lower` (a text with ASCII
    /// lower-cased) where one of the bytes starts and `\b` holds before it.
    fn each(&self, lower: &[u8], mut f: impl FnMut(usize)) {
        let Some((digits, others)) = &self.eight else {
            return self.each_byte(lower, 0, f);
        };
        let chunks = lower.chunks_exact(8);
        let tail = lower.len() - chunks.remainder().len();
        // The high bit of the word byte before the chunk, moved to byte 0.
        let mut before = 0u64;
        for (k, chunk) in chunks.enumerate() {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let v = u64::from_le_bytes(word);
            let words = word_bytes(v);
            // Word starts: a word byte after a byte that is not (a `\b`
            // before a word byte); at the text's start, every word byte.
            let starts = words & !((words << 8) | before);
            before = words >> 56;
            let x = v & !HIGH_BITS;
            let mut wanted = others.iter().fold(0, |m, &o| m | zero_bytes(v ^ o));
            if *digits {
                wanted |= bytes_in(x, b'0', b'9');
            }
            let mut hits = starts & wanted;
            while hits != 0 {
                let at = k * 8 + hits.trailing_zeros() as usize / 8;
                if self.bytes[usize::from(lower[at])] {
                    f(at);
                }
                hits &= hits - 1;
            }
        }
        self.each_byte(lower, tail, f);
    }

    /// [`Led::each`] from `from`, a byte at a time.
    fn each_byte(&self, lower: &[u8], from: usize, mut f: impl FnMut(usize)) {
        for (at, &b) in lower.iter().enumerate().skip(from) {
            if self.bytes[usize::from(b)] && (at == 0 || ascii_word(lower[at - 1]) != ascii_word(b))
            {
                f(at);
            }
        }
    }
}

/// A word byte as a regex's ASCII `\b` has it (`_` included), not as
/// `is_word_byte` does.
fn ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

const LOW_BITS: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte of `x` (bytes below 0x80) from `lo` to `hi`,
/// and no other bit: adding 0x80 - `lo` sets the high bit of a byte at or
/// above `lo`, adding 0x7f - `hi` of one above `hi`, and neither carries
/// into the next byte.
fn bytes_in(x: u64, lo: u8, hi: u8) -> u64 {
    let at_least = x.wrapping_add(LOW_BITS * u64::from(0x80 - lo));
    let above = x.wrapping_add(LOW_BITS * u64::from(0x7f - hi));
    at_least & !above & HIGH_BITS
}

/// The high bit of each byte of `v` (ASCII lower-cased) that is a word byte
/// as [`ascii_word`] has it, and no other bit.
fn word_bytes(v: u64) -> u64 {
    let x = v & !HIGH_BITS;
    let ascii = !v & HIGH_BITS;
    (bytes_in(x, b'0', b'9') | bytes_in(x, b'a', b'z') | zero_bytes(v ^ (LOW_BITS * 0x5f))) & ascii
}

/// The high bit of each byte of `v` that is zero, and no other bit.
fn zero_bytes(v: u64) -> u64 {
    !((v & !HIGH_BITS).wrapping_add(!HIGH_BITS) | v) & HIGH_BITS
}

/// True when the eight bytes of `v` (in text order, little-endian) are
/// copied as they are by a run: plain bytes, and spaces each followed by
/// one of them. (ASCII below 0x20 and a space last are left to the byte
/// loop, which knows the byte after.)
fn plain_eight(v: u64) -> bool {
    let spaces = zero_bytes(v ^ 0x2020_2020_2020_2020);
    v & HIGH_BITS == 0
        // No byte below 0x20: with every byte ASCII, adding 0x60 carries
        // none into the next.
        && !v.wrapping_add(0x6060_6060_6060_6060) & HIGH_BITS == 0
        && zero_bytes(v ^ 0x2d2d_2d2d_2d2d_2d2d) == 0
        && spaces & (spaces >> 8) == 0
        && spaces >> 63 == 0
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn normalize(input: &str, folds: Option<&Folds>) -> Normalized {
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

    /// Eight bytes are copied at once exactly when each is plain, or a
    /// space with a plain byte after it within the eight: every eight of
    /// "a", a space and one other byte.
    #[test]
    fn eight_plain_bytes_are_what_the_byte_loop_copies() {
        let plain = |b: u8| (0x20..0x80).contains(&b) && b != b' ' && b != b'-';
        for other in [
            b'-', b'\n', b'\t', 0x0b, 0x01, 0x1f, 0x21, 0x7f, 0x80, 0xc3, 0xff, b'_',
        ] {
            let alphabet = [b'a', b' ', other];
            for n in 0..3usize.pow(8) {
                let mut bytes = [0u8; 8];
                for (i, b) in bytes.iter_mut().enumerate() {
                    *b = alphabet[n / 3usize.pow(i as u32) % 3];
                }
                let copied = (0..8)
                    .all(|i| plain(bytes[i]) || (bytes[i] == b' ' && i < 7 && plain(bytes[i + 1])));
                assert_eq!(plain_eight(u64::from_le_bytes(bytes)), copied, "{bytes:?}");
            }
        }
    }

    /// Eight bytes at a time, the led scan finds where the byte loop does:
    /// every string of up to six bytes over an alphabet of the first and
    /// last digits, the bytes either side of them, a letter, `_`, a space
    /// and a non-ASCII byte, at each offset in a longer text (so that words
    /// cross the eight-byte chunks), for sets with and without digits; and
    /// texts of random bytes.
    #[test]
    fn the_led_scan_finds_what_the_byte_loop_finds() {
        let set = |bytes: &[u8]| {
            let mut set = [false; 256];
            for &b in bytes {
                set[usize::from(b)] = true;
            }
            set
        };
        let alphabet = [b'0', b'9', b':', b'c', b'_', b' ', b'/', 0xc3];
        let sets = [
            set(b"0123456789c"),
            set(b"9c"),
            set(b"c_"),
            set(b"0"),
            // A byte that is not a word byte: the byte loop alone.
            set(b"0/"),
        ];
        let agree = |led: &Led, text: &[u8]| {
            let mut fast = Vec::new();
            led.each(text, |at| fast.push(at));
            let mut slow = Vec::new();
            led.each_byte(text, 0, |at| slow.push(at));
            assert_eq!(fast, slow, "{:?}", String::from_utf8_lossy(text));
        };
        for bytes in sets {
            let led = Led::new(bytes);
            assert_eq!(led.eight.is_some(), !bytes[usize::from(b'/')]);
            for len in 0..=6u32 {
                for n in 0..8usize.pow(len) {
                    let word: Vec<u8> = (0..len).map(|i| alphabet[n / 8usize.pow(i) % 8]).collect();
                    for offset in [0, 3, 5, 7, 8] {
                        let mut text = vec![b'a'; offset];
                        text.extend_from_slice(&word);
                        text.extend_from_slice(b"c7 x");
                        agree(&led, &text);
                    }
                }
            }
            // Every byte, lower-cased as the scan's input is.
            let mut seed = 1u32;
            for len in 0..2000 {
                let mut text: Vec<u8> = (0..len % 300)
                    .map(|_| {
                        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                        (seed >> 16) as u8
                    })
                    .collect();
                text.make_ascii_lowercase();
                agree(&led, &text);
            }
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

    #[test]
    fn patterns_with_no_literal_are_led_by_their_first_bytes() {
        let leading = |pattern: &str| {
            let hir = regex_syntax::ParserBuilder::new()
                .unicode(false)
                .build()
                .parse(pattern)
                .expect("parses");
            leading_bytes(&hir).map(|set| {
                (0..=255u8)
                    .filter(|&b| set[usize::from(b)])
                    .map(char::from)
                    .collect::<String>()
            })
        };
        assert_eq!(leading(r"\b\d{4}[0-9T]\b").as_deref(), Some("0123456789"));
        // Optional parts lead too; letters are lower-cased.
        assert_eq!(
            leading(r"\b(?:CPT(?: codes?)?[:#]? ?)?\d{4}\b").as_deref(),
            Some("0123456789c")
        );
        assert_eq!(
            leading(r"\b\d{1,2} ?d ago\b").as_deref(),
            Some("0123456789")
        );
        // Any word: too many bytes to be worth a try at each.
        assert_eq!(leading(r"\b\w+ed\b"), None);
        // A match that may be empty starts anywhere.
        assert_eq!(leading(r"\b\d*"), None);
        assert_eq!(leading(r"\bé\d"), None);
    }

    #[test]
    fn gate_literals_merge_where_they_part_latest() {
        let bytes = |list: &[&str]| list.iter().map(|l| l.as_bytes().to_vec()).collect();
        // One literal starting another: the shorter stands for both.
        assert_eq!(
            fewest_literals(bytes(&["for ", "for 1", "within"])),
            Some(bytes(&["for ", "within"]))
        );
        // Too many: "within 10" ... "within 99" merge where they part last
        // ("within 1" ... "within 9"), never into "with"; the short "x 1"
        // ... stay as they are.
        let mut many: Vec<String> = (10..100).map(|n| format!("within {n}")).collect();
        many.extend((0..10).map(|n| format!("x {n}")));
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let kept = fewest_literals(bytes(&many)).expect("a gate");
        assert!(kept.len() <= GATE_MAX);
        assert!(kept.contains(&b"within 1".to_vec()), "{kept:?}");
        assert!(
            kept.iter()
                .all(|k| k.starts_with(b"within ") || k.starts_with(b"x "))
        );
        assert!(kept.contains(&b"x 5".to_vec()), "{kept:?}");
        // Nothing longer than GATE_MIN in common: no gate.
        let letters: Vec<String> = (0..200)
            .map(|n| format!("{}{}", (b'a' + (n % 26) as u8) as char, n))
            .collect();
        let letters: Vec<&str> = letters.iter().map(String::as_str).collect();
        assert_eq!(fewest_literals(bytes(&letters)), None);
    }

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

    #[test]
    fn whitespace_and_hyphens_fold_with_offsets() {
        let n = normalize("3D  volume-\n  rendered", None);
        assert_eq!(n.text, "3D volume rendered");
        let at = n.text.find("rendered").expect("present");
        assert_eq!(n.original(at, at + 8), Span::new(14, 22));
    }

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

    #[test]
    fn zero_width_characters_split_no_word() {
        let n = normalize("3D vol\u{200b}ume ren\u{00ad}dered", None);
        assert_eq!(n.text, "3D volume rendered");
        // "rendered" maps back to its place in the original.
        let at = n.text.find("rendered").unwrap_or(0);
        assert_eq!(n.original(at, n.text.len()), Span::new(13, 23));
    }

    #[test]
    fn whole_words_only() {
        assert!(whole_word(b"no 3d", 0, 2));
        assert!(!whole_word(b"normal", 0, 2));
        assert!(!whole_word(b"piano", 3, 5));
        assert!(whole_word(b"r/o x", 0, 3));
    }
}
