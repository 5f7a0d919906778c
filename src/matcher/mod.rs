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
//!
//! One file a job: `normalize` (the normalised copy and its byte map),
//! `spelling` (the `[normalize]` folds), `words` (what a word byte is),
//! `gates` (the literals or leading bytes each pattern is gated by, read
//! from its regex), `pattern` (a pattern's searchers), `scan` (eight bytes
//! at a time), `search` ([`Matcher::find`]), `resolve` (overlaps) and
//! `scope` (the out-of-scope prefilter). This file holds the types handed
//! out and the compiling of a lexicon into a [`Matcher`].

mod gates;
mod normalize;
mod pattern;
mod resolve;
mod scan;
mod scope;
mod search;
mod spelling;
mod words;

pub use normalize::Normalized;

use crate::lexicon::{Concept, Direction, Lexicon, LexiconError, Origin, Sourced, TriggerKind};
use crate::span::Span;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use gates::{ByteSet, Gate, gate, leading_bytes, starts_at_word_boundary, word_literal};
use normalize::normalize;
use pattern::{Pattern, check_regex};
use regex_automata::meta::Regex as MetaRegex;
use regex_automata::util::pool::Pool;
use scan::Led;
use scope::raw_scope;
use search::Scratch;
use spelling::{Folds, compile_folds};
use std::sync::OnceLock;

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
