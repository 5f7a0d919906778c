//! Statements: who did the 3D work, where, and under whom.
//!
//! Takes the visible text and its sentences, and hands on [`Statement`]s:
//! each a frame of lexicon/statements.toml that matched in one sentence, with
//! the roles it filled (agent, supervisor, place, a place only sent to, ...)
//! and whether the sentence is a standard attestation (boilerplate, a footer,
//! a ticked box) rather than this study's own account.
//!
//! Two steps, both linear in the sentence:
//! 1. **Chunks.** One Aho-Corasick pass over the whole text tags the
//!    vocabularies' phrases (`agent.physician`, `place.console`, ...; the
//!    lexicon's products are `place.independent`), leftmost-longest, whole
//!    words only, case and hyphens ignored.
//! 2. **Frames.** Each sentence becomes a token string (chunks as
//!    `@class.kind#N`, other words in lower case, `, ; : ( )` as tokens),
//!    and every frame's regex runs over it once. (An unticked box and the
//!    rest of its line were blanked before matching: they state nothing.)
//!
//! The rules decide elements 2 and 3 from the statements (rules/supervision,
//! rules/workstation); nothing here knows a domain word.

mod frame;
mod tokens;

pub use frame::Frame;
pub use tokens::Tokens;

use crate::document::Document;
use crate::lexicon::{Lexicon, LexiconError};
use crate::segment::Segments;
use crate::span::Span;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashSet;

/// One tagged phrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk {
    /// Where.
    pub span: Span,
    /// A tag: its name is [`Reader::tag`].
    pub tag: u16,
}

/// A role a frame filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Role {
    /// A role: its name is [`Reader::role`].
    pub name: u16,
    /// What fills it.
    pub span: Span,
    /// The chunk's tag, when a chunk fills it ([`Reader::tag`] names it).
    pub tag: Option<u16>,
}

/// One frame matched in one sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// The frame: [`Reader::frame`] names it.
    pub frame: u16,
    /// The sentence (index into [`Segments::sentences`]).
    pub sentence: u32,
    /// Where the frame matched.
    pub span: Span,
    /// The roles it filled.
    pub roles: Vec<Role>,
    /// The sentence is a standard attestation, not this study's own account.
    pub attestation: bool,
    /// The sentence names other work than the 3D images (`marker.other_work`:
    /// the contrast injection, the interpretation).
    pub other_work: bool,
    /// A `negator.verb` governs it ("I did not create them", "were not made
    /// by me"): its roles are denied, not stated. Frames that read a negator
    /// themselves (`<negator>` in their pattern) are never negated.
    pub negated: bool,
}

/// The vocabularies and frames, compiled once.
#[derive(Debug, Clone)]
pub struct Reader {
    automaton: AhoCorasick,
    /// Tag of each automaton pattern.
    pattern_tags: Vec<u16>,
    /// `class.kind` names.
    tags: Vec<String>,
    /// The compiled frames.
    frames: Vec<Frame>,
    /// All frames at once: which of them match a sentence at all.
    any: regex::RegexSet,
    /// Role names, over all frames.
    roles: Vec<String>,
    /// Tag of `marker.attestation`, if the lexicon has it.
    attestation: Option<u16>,
    /// Tag of `negator.verb`, if the lexicon has it.
    negator: Option<u16>,
    /// Tag of `negator.not`: denies a statement it stands just before.
    determiner: Option<u16>,
    /// Tag of `marker.contrast`, if the lexicon has it.
    contrast: Option<u16>,
    /// Tag of `marker.other_work`, if the lexicon has it.
    other_work: Option<u16>,
    /// By tag: it is an `action.*`.
    actions: Vec<bool>,
    /// Signature labels (`signature.label`, then `signature.line_label`),
    /// to find the signer's name.
    signatures: Option<AhoCorasick>,
    /// The first pattern of `signatures` that counts only at a line's start
    /// ("Radiologist: Dr X", not "reviewed by radiologist: Yes").
    line_labels_from: usize,
    /// Words of a name line that are not the name (`signature.not_name`).
    not_name: Vec<String>,
    /// Tag of `agent.physician`, for the signer's name.
    physician: Option<u16>,
    /// Tag of `agent.colleague`: a physician named by title who is not the
    /// signer.
    colleague: Option<u16>,
    /// Titles before a physician's name (`signature.title`).
    titles: Vec<String>,
}

impl Reader {
    /// Compile the lexicon's vocabularies (with its products as
    /// `place.independent`) and frames.
    pub fn new(lexicon: &Lexicon) -> Result<Reader, LexiconError> {
        let mut tags: Vec<String> = Vec::new();
        let mut phrases: Vec<String> = Vec::new();
        let mut pattern_tags = Vec::new();
        let tag_of = |name: String, tags: &mut Vec<String>| -> u16 {
            match tags.iter().position(|t| *t == name) {
                Some(i) => i as u16,
                None => {
                    tags.push(name);
                    (tags.len() - 1) as u16
                }
            }
        };
        let mut add = |tag: u16, phrase: &str, phrases: &mut Vec<String>| {
            let phrase = fold(phrase);
            if !phrase.trim().is_empty() {
                phrases.push(phrase);
                pattern_tags.push(tag);
            }
        };
        for (class, kind, words) in &lexicon.vocabulary {
            // Signature words find the signer's name; they are not tags.
            if class == "signature" {
                continue;
            }
            let tag = tag_of(format!("{class}.{kind}"), &mut tags);
            // People named in the plural ("the 3D lab technologists"): a
            // longest match that is not a whole word finds nothing, so the
            // plural of each name of staff or trainees is a phrase too.
            let people = class == "agent" && matches!(kind.as_str(), "staff" | "trainee");
            for w in words {
                add(tag, w, &mut phrases);
                if people && !w.ends_with('s') {
                    add(tag, &format!("{w}s"), &mut phrases);
                }
            }
        }
        let independent = tag_of("place.independent".to_owned(), &mut tags);
        for product in &lexicon.products {
            for p in &product.phrases {
                add(independent, &p.value, &mut phrases);
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&phrases)
            .map_err(|e| invalid(format!("vocabularies: {e}")))?;
        let mut frames = Vec::new();
        let mut roles: Vec<String> = Vec::new();
        for entry in &lexicon.frames {
            let mut frame = Frame::compile(&entry.name, &entry.pattern)
                .map_err(|message| lexicon.error_at(entry.origin, message))?;
            frame.denies = entry.denies;
            frame.only_supervision = entry.only_supervision;
            for r in &frame.roles {
                if !roles.contains(r) {
                    roles.push(r.clone());
                }
            }
            frames.push(frame);
        }
        let tag_named = |name: &str| tags.iter().position(|t| t == name).map(|i| i as u16);
        let attestation = tag_named("marker.attestation");
        let negator = tag_named("negator.verb");
        let determiner = tag_named("negator.not");
        let other_work = tag_named("marker.other_work");
        let contrast = tag_named("marker.contrast");
        let words_of = |class: &str, kind: &str| lexicon.words(class, kind).cloned().collect();
        let mut labels: Vec<String> = words_of("signature", "label");
        let line_labels_from = labels.len();
        labels.extend(words_of("signature", "line_label"));
        let signatures = if labels.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&labels)
                .ok()
        };
        let not_name = words_of("signature", "not_name");
        let physician = tags
            .iter()
            .position(|t| t == "agent.physician")
            .map(|i| i as u16);
        let colleague = Some(tag_of("agent.colleague".to_owned(), &mut tags));
        let actions = tags.iter().map(|t| t.starts_with("action.")).collect();
        let titles = words_of("signature", "title");
        let any = regex::RegexSet::new(frames.iter().map(|f| f.regex.as_str()))
            .map_err(|e| invalid(format!("frames: {e}")))?;
        Ok(Reader {
            automaton,
            pattern_tags,
            tags,
            frames,
            any,
            signatures,
            line_labels_from,
            not_name,
            physician,
            colleague,
            titles,
            roles,
            attestation,
            negator,
            determiner,
            other_work,
            contrast,
            actions,
        })
    }

    /// `class.kind` of tag `i`.
    pub fn tag(&self, i: u16) -> &str {
        &self.tags[usize::from(i)]
    }

    /// The name of role `i`.
    pub fn role(&self, i: u16) -> &str {
        &self.roles[usize::from(i)]
    }

    /// The index of role `name`, if any frame fills it.
    pub fn role_index(&self, name: &str) -> Option<u16> {
        self.roles.iter().position(|r| r == name).map(|i| i as u16)
    }

    /// The name of frame `i`.
    pub fn frame(&self, i: u16) -> &str {
        &self.frames[usize::from(i)].name
    }

    /// True when frame `i` says someone supervised without saying how.
    pub fn only_supervision(&self, i: u16) -> bool {
        self.frames[usize::from(i)].only_supervision
    }

    /// Every statement in the sentences of `doc` that `wanted` marks, by
    /// sentence and then by frame, and the spans of those sentences that are
    /// standard attestations (whether or not a frame read anything in them:
    /// `"[x] Concurrent physician supervision of 3D post-processing"`). Only
    /// those sentences are read, so the cost is that of the text about the
    /// 3D work, not of the report.
    pub fn read(
        &self,
        doc: &Document,
        segments: &Segments,
        wanted: &[bool],
    ) -> (Vec<Statement>, Vec<Span>) {
        let mut out = Vec::new();
        let mut attested = Vec::new();
        let mut tokens = Tokens::default();
        let signer = self.signer(&doc.visible);
        for (s, sentence) in segments.sentences.iter().enumerate() {
            if !wanted.get(s).copied().unwrap_or(false) {
                continue;
            }
            let base = sentence.span.start;
            let folded = fold(doc.visible_slice(sentence.span));
            let mut chunks = self.chunks(&folded);
            self.tag_signer(&folded, &signer, &mut chunks);
            if chunks.is_empty() {
                continue;
            }
            tokens.build(&folded, &chunks, self);
            let marked = |tag: Option<u16>| tag.is_some_and(|t| chunks.iter().any(|c| c.tag == t));
            let attestation = marked(self.attestation);
            if attestation {
                attested.push(sentence.span);
            }
            let other_work = marked(self.other_work);
            let shift = |span: Span| Span {
                start: span.start + base,
                end: span.end + base,
            };
            // One pass for every frame; captures only for those that match.
            for f in self.any.matches(&tokens.text).iter() {
                let frame = &self.frames[f];
                for caps in frame.regex.captures_iter(&tokens.text) {
                    let Some(whole) = caps.get(0) else { continue };
                    let mut roles = Vec::new();
                    for name in &frame.roles {
                        let Some(m) = caps.name(name) else { continue };
                        let Some(index) = self.role_index(name) else {
                            continue;
                        };
                        let (span, tag) = tokens.at(m.start(), &chunks);
                        roles.push(Role {
                            name: index,
                            span: shift(span),
                            tag,
                        });
                    }
                    let (first, last) = (
                        tokens.index(whole.start() + 1),
                        tokens.index(whole.end().saturating_sub(2)),
                    );
                    let negated = frame.denies
                        || frame.negatable
                            && self.negator.is_some_and(|n| {
                                tokens.governs(
                                    (n, self.determiner, self.contrast),
                                    &self.actions,
                                    (first, last),
                                    &chunks,
                                )
                            });
                    out.push(Statement {
                        frame: f as u16,
                        sentence: s as u32,
                        span: shift(tokens.span(first).cover(tokens.span(last))),
                        roles,
                        attestation,
                        other_work,
                        negated,
                    });
                }
            }
        }
        (out, attested)
    }

    /// The words of the signer's name (lower case), from the report's
    /// signature lines: what follows a signature label up to a comma, a
    /// digit or the line's end, less titles and degrees.
    fn signer(&self, visible: &str) -> HashSet<String> {
        let Some(labels) = &self.signatures else {
            return HashSet::new();
        };
        let bytes = visible.as_bytes();
        let mut names = HashSet::new();
        for m in labels.find_iter(visible) {
            let edge = |i: usize| bytes.get(i).is_none_or(|b| !b.is_ascii_alphanumeric());
            if (m.start() > 0 && !edge(m.start() - 1)) || !edge(m.end()) {
                continue;
            }
            // Only blanks (or markdown's `*`, `#`) before it on its line;
            // the scan stops at the first other byte.
            let line_start = bytes[..m.start()]
                .iter()
                .rev()
                .find(|&&b| !(b == b' ' || b == b'\t' || b == b'\r' || b == b'*' || b == b'#'))
                .is_none_or(|&b| b == b'\n');
            if m.pattern().as_usize() >= self.line_labels_from && !line_start {
                continue;
            }
            // The name stands after the label's own colon, and before any
            // other: "Radiologist present during 3D: Yes" names nobody.
            let rest = visible[m.end()..].trim_start_matches([' ', '\t']);
            let rest = rest.strip_prefix(':').unwrap_or(rest);
            let mut line = rest.split(['\n', ',', ';', '(', ':']).next().unwrap_or("");
            // A role alone on its line under the name ("Hannah Okafor, MD" /
            // "Interpreting Radiologist"): the name is the line above.
            // A signing label alone on its line ("Electronically signed
            // by:"): the name is the line below.
            let role = m.pattern().as_usize() >= self.line_labels_from;
            if line.trim().is_empty() && role && line_start {
                let above = visible[..m.start()].trim_end_matches([' ', '\t', '\r', '*', '#']);
                let above = above.strip_suffix('\n').unwrap_or("");
                let from = above.rfind('\n').map_or(0, |i| i + 1);
                line = above[from..]
                    .split([',', ';', '(', ':'])
                    .next()
                    .unwrap_or("");
            } else if line.trim().is_empty() && !role {
                let below = rest.trim_start_matches([' ', '\t', '\r']);
                let below = below.strip_prefix('\n').unwrap_or("");
                line = below.split(['\n', ',', ';', '(', ':']).next().unwrap_or("");
            }
            for word in line.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'')) {
                if word.chars().any(|c| c.is_ascii_digit()) {
                    break;
                }
                let lower = word.to_lowercase();
                let capital = word.chars().next().is_some_and(char::is_uppercase);
                if word.len() >= 3 && capital && !self.not_name.contains(&lower) {
                    names.insert(lower);
                }
            }
        }
        names
    }

    /// Tag the words of the signer's name in one sentence's folded text as
    /// the interpreting physician, where no vocabulary phrase stands.
    fn tag_signer(&self, folded: &str, signer: &HashSet<String>, chunks: &mut Vec<Chunk>) {
        let Some(physician) = self.physician else {
            return;
        };
        if signer.is_empty() {
            return;
        }
        let mut added = Vec::new();
        let mut next = 0;
        let bytes = folded.as_bytes();
        let mut i = 0;
        // The word before, to see a title ("dr") in front of a name.
        let mut previous: &str = "";
        while i < bytes.len() {
            if !bytes[i].is_ascii_alphabetic() {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'\'') {
                i += 1;
            }
            // Chunks are in order: skip those that end before this word.
            while next < chunks.len() && (chunks[next].span.end as usize) <= start {
                next += 1;
            }
            let inside = chunks
                .get(next)
                .is_some_and(|c| (c.span.start as usize) < i);
            // Only ASCII bytes make a word here, so the slice is a str.
            let word = &folded[start..i];
            if !inside && signer.contains(word) {
                added.push(Chunk {
                    span: Span::new(start, i),
                    tag: physician,
                });
            } else if !inside
                && let Some(colleague) = self.colleague
                && self.titles.iter().any(|t| t == previous)
            {
                // A physician named by title who is not the signer: someone
                // else, not the interpreting physician.
                added.push(Chunk {
                    span: Span::new(start, i),
                    tag: colleague,
                });
            }
            previous = word;
        }
        let added = !added.is_empty() && {
            chunks.extend(added);
            true
        };
        if added {
            chunks.sort_by_key(|c| c.span.start);
        }
    }

    /// Whole-word vocabulary matches in `folded`, in order.
    fn chunks(&self, folded: &str) -> Vec<Chunk> {
        let bytes = folded.as_bytes();
        let word = |i: usize| bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric());
        self.automaton
            .find_iter(folded)
            .filter(|m| {
                let (s, e) = (m.start(), m.end());
                let edge_start = !word(s) || s == 0 || !word(s - 1);
                let edge_end = !word(e - 1) || !word(e);
                edge_start && edge_end
            })
            .map(|m| Chunk {
                span: Span::new(m.start(), m.end()),
                tag: self.pattern_tags[m.pattern().as_usize()],
            })
            .collect()
    }
}

/// An error in the statements' data that has no one place in a file.
fn invalid(message: String) -> LexiconError {
    LexiconError::Invalid {
        file: "lexicon/statements.toml".to_owned(),
        text: String::new(),
        span: None,
        message,
    }
}

/// ASCII lower case, with `-`, `_` and `/` read as spaces: the same length as
/// the text, so offsets carry over.
fn fold(text: &str) -> String {
    let bytes: Vec<u8> = text
        .bytes()
        .map(|b| match b {
            b'-' | b'_' | b'/' => b' ',
            b => b.to_ascii_lowercase(),
        })
        .collect();
    // Only ASCII bytes changed, into ASCII bytes: still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use crate::Engine;

    /// Every frame's examples fill the roles they name, with those kinds
    /// (the self-test runs them, as `radlint lexicon --test` does).
    #[test]
    fn frame_examples_fill_their_roles() {
        let engine = Engine::builtin().expect("builtin");
        let (ran, failures) = crate::selftest::run(&engine, &engine.lexicon);
        assert!(ran > 0);
        let frames: Vec<_> = failures
            .iter()
            .filter(|f| f.text.starts_with("frame "))
            .collect();
        assert!(frames.is_empty(), "{frames:#?}");
    }
}
