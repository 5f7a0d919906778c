//! Context: is a mention affirmed for the current study?
//!
//! Takes the matcher's hits and the segmentation, and hands on [`Mention`]s:
//! each concept or bundled-exam hit with its [`Context`], in the manner of
//! NegEx and ConText. A trigger governs the words on its side (forward,
//! backward or both, as the lexicon says), within its sentence, up to the
//! lexicon's window of words, and stops at a terminator ("but", "however",
//! ";"). Pseudo-triggers ("no change", "not only", "prior to") were already
//! preferred by the matcher's leftmost-longest rule and govern nothing. A
//! mention in a COMPARISON section is historical.
//!
//! A finding verb ("show", "demonstrate") between a mention and a later
//! negation ends the negation's backward scope: in "3D images show the
//! fragments are not displaced" the negation belongs to the finding.
//!
//! One refinement matters for 3D findings: when a rendering mention is the
//! source of a finding ("no fracture is seen *on the* 3D images"), a negation
//! in its sentence denies the finding, not the rendering. The lexicon lists
//! the prepositions (and the determiners that may follow them) that mark it.
//! When several triggers govern a mention, negation wins over hypothetical,
//! and hypothetical over historical.
//!
//! A form field left empty is not a statement: a mention inside a label
//! whose sentence holds nothing a reader sees after the colon is dropped,
//! whatever its concept, when what followed the colon is hidden (`POST-
//! PROCESSING WORKSTATION: [___]`, the placeholder blanked before matching)
//! or the label introduces nothing (the next heading or label follows).

use crate::document::Document;
use crate::lexicon::{Concept, Context, Direction, Lexicon, SectionKind, TriggerKind};
use crate::matcher::{Hit, Target};
use crate::segment::{self, Segments};
use crate::span::Span;

/// A concept or bundled-exam hit, judged in context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mention {
    /// What was matched (never a trigger).
    pub target: Target,
    /// Where.
    pub span: Span,
    /// Index into [`Segments::sentences`], when in one.
    pub sentence: Option<u32>,
    /// Index into [`Segments::sections`].
    pub section: u32,
    /// Affirmed, negated, hypothetical or historical.
    pub context: Context,
    /// The trigger (or COMPARISON heading) that set a non-affirmed context.
    pub trigger: Option<Span>,
    /// The mention is where a finding was seen ("on the 3D images").
    pub finding_source: bool,
}

impl Mention {
    /// The concept, for concept mentions.
    pub fn concept(&self) -> Option<Concept> {
        match self.target {
            Target::Concept { concept, .. } => Some(concept),
            Target::Trigger { .. } | Target::Bundle(_) => None,
        }
    }

    /// True when the mention is of `concept`.
    pub fn is(&self, concept: Concept) -> bool {
        self.concept() == Some(concept)
    }

    /// True when affirmed for the current study.
    pub fn affirmed(&self) -> bool {
        self.context == Context::Affirmed
    }
}

/// The lexicon's context settings, built once.
#[derive(Debug, Clone)]
pub struct ContextRules {
    window: usize,
    prepositions: Vec<String>,
    determiners: Vec<String>,
}

impl ContextRules {
    /// Build from the lexicon's `[context]` table.
    pub fn new(lexicon: &Lexicon) -> ContextRules {
        let lower = |v: &[String]| v.iter().map(|s| s.to_lowercase()).collect();
        ContextRules {
            window: lexicon.window.max(1),
            prepositions: lower(&lexicon.finding_prepositions),
            determiners: lower(&lexicon.determiners),
        }
    }

    /// Judge every non-trigger hit; `placeholders` are the template
    /// placeholders blanked from `doc`'s visible text.
    pub fn judge(
        &self,
        doc: &Document,
        segments: &Segments,
        hits: &[Hit],
        placeholders: &[Span],
    ) -> Vec<Mention> {
        let triggers: Vec<Trigger> = hits
            .iter()
            .filter_map(|h| match h.target {
                Target::Trigger {
                    kind,
                    direction,
                    window,
                } => Some(Trigger {
                    span: h.span,
                    role: Role::Trigger(kind),
                    direction,
                    window: if window == 0 {
                        self.window
                    } else {
                        window as usize
                    },
                }),
                Target::Concept {
                    concept: Concept::FindingCue,
                    ..
                } => Some(Trigger {
                    span: h.span,
                    role: Role::FindingCue,
                    direction: Direction::Forward,
                    window: 0,
                }),
                Target::Concept { .. } | Target::Bundle(_) => None,
            })
            .collect();
        let mut mentions = Vec::with_capacity(hits.len());
        let scopes = Scopes::new(doc, &triggers);
        for hit in hits {
            if matches!(hit.target, Target::Trigger { .. }) {
                continue;
            }
            let section = segments.section_at(hit.span.start);
            let sentence = segments.sentence_at(hit.span.start);
            let mut mention = Mention {
                target: hit.target,
                span: hit.span,
                sentence: sentence.map(|s| s as u32),
                section: section as u32,
                context: Context::Affirmed,
                trigger: None,
                finding_source: false,
            };
            let sec = segments.sections[section];
            if let Some(s) = sentence {
                let bounds = segments.sentences[s].span;
                if (hit.span.end - bounds.start) as usize <= segment::LABEL_REACH
                    && unfilled_label(doc, segments, s, hit.span, placeholders)
                {
                    continue;
                }
                mention.finding_source = matches!(
                    hit.target,
                    Target::Concept {
                        concept: Concept::Rendering,
                        ..
                    }
                ) && self.is_finding_source(doc, bounds, hit.span);
                if let Some((context, trigger)) =
                    self.governing(&scopes, bounds, hit.span, mention.finding_source)
                {
                    mention.context = context;
                    mention.trigger = Some(trigger);
                }
            }
            if mention.context == Context::Affirmed && sec.kind == SectionKind::Comparison {
                mention.context = Context::Historical;
                mention.trigger = sec.heading;
            }
            mentions.push(mention);
        }
        mentions
    }

    /// The trigger that sets `target`'s context, if any: of those in its
    /// sentence whose scope reaches it, a negation before a hypothetical
    /// before a historical one, then the nearest, then the first.
    ///
    /// Linear in the report whatever the text: only triggers within reach
    /// are looked at (a window is a few words; no trigger is looked at
    /// farther than [`REACH_WORDS`] words away, nor more than
    /// [`NEAREST`] on each side), and "is a terminator in between" and "how
    /// many words in between" are binary searches.
    fn governing(
        &self,
        scopes: &Scopes<'_>,
        sentence: Span,
        target: Span,
        finding_source: bool,
    ) -> Option<(Context, Span)> {
        let triggers = scopes.triggers;
        // Triggers are in document order: the sentence's are one run, and
        // those starting before the target come before those that do not.
        let lo = triggers.partition_point(|t| t.span.start < sentence.start);
        let hi = triggers
            .partition_point(|t| t.span.start < sentence.end)
            .max(lo);
        let mid = lo + triggers[lo..hi].partition_point(|t| t.span.start < target.start);
        let before = (lo..mid)
            .rev()
            .take_while(|&i| scopes.words(triggers[i].span.start, target.start) <= REACH_WORDS)
            .take(NEAREST);
        let after = (mid..hi)
            .take_while(|&i| scopes.words(target.end, triggers[i].span.start) <= REACH_WORDS)
            .take(NEAREST);
        let mut best: Option<(u8, u32, usize, Context, Span)> = None;
        for i in before.chain(after) {
            let Trigger {
                span,
                role,
                direction,
                window,
            } = triggers[i];
            if !sentence.contains(span) {
                continue;
            }
            let context = match role {
                Role::Trigger(TriggerKind::Negation) if finding_source => continue,
                Role::Trigger(TriggerKind::Negation) => Context::Negated,
                Role::Trigger(TriggerKind::Hypothetical) => Context::Hypothetical,
                Role::Trigger(TriggerKind::Historical) => Context::Historical,
                Role::Trigger(TriggerKind::Pseudo | TriggerKind::Terminator) | Role::FindingCue => {
                    continue;
                }
            };
            // A trigger may overlap its target ("not reconstructed" in "not
            // reconstructed in 3D"): what counts is which side it starts on.
            // Terminators end every scope; a finding verb also ends a
            // backward one ("3D images show the fragments are not
            // displaced").
            let (f_from, b_to) = (span.end.min(target.start), span.start.max(target.end));
            let forward = matches!(direction, Direction::Forward | Direction::Both)
                && span.start < target.start
                && span.end <= target.end
                && !scopes.terminators.any_within(f_from, target.start)
                && scopes.words(f_from, target.start) <= window;
            let backward = matches!(direction, Direction::Backward | Direction::Both)
                && span.end > target.end
                && span.start >= target.start
                && !scopes.backward_stops.any_within(target.end, b_to)
                && scopes.words(target.end, b_to) <= window;
            if !(forward || backward) {
                continue;
            }
            let rank = match context {
                Context::Negated => 0,
                Context::Hypothetical => 1,
                Context::Historical => 2,
                Context::Affirmed => 3,
            };
            let distance = if forward {
                target.start - f_from
            } else {
                b_to - target.end
            };
            if best.is_none_or(|(r, d, at, _, _)| (rank, distance, i) < (r, d, at)) {
                best = Some((rank, distance, i, context, span));
            }
        }
        best.map(|(_, _, _, context, span)| (context, span))
    }

    /// "on the 3D images", "in these volume-rendered images": a preposition,
    /// then at most three determiners, then the mention.
    fn is_finding_source(&self, doc: &Document, sentence: Span, target: Span) -> bool {
        let before = doc.visible_slice(Span {
            start: sentence.start,
            end: target.start,
        });
        // At most four short words are read, so only the text just before
        // the mention is looked at (a long run with no space, "3D-3D-3D...",
        // would otherwise be scanned once per mention). A word cut by that
        // window is longer than any preposition.
        let mut from = before.len().saturating_sub(FINDING_SOURCE_REACH);
        while !before.is_char_boundary(from) {
            from += 1;
        }
        let cut = from > 0 && !before[..from].ends_with(char::is_whitespace);
        let window = &before[from..];
        let mut skipped = 0;
        let is_in = |list: &[String], w: &str| list.iter().any(|x| x.eq_ignore_ascii_case(w));
        for word in window.split_whitespace().rev() {
            if cut && std::ptr::eq(word.as_ptr(), window.as_ptr()) {
                return false;
            }
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            if word.is_empty() {
                return false;
            }
            if is_in(&self.prepositions, word) {
                return true;
            }
            if skipped < 3 && is_in(&self.determiners, word) {
                skipped += 1;
                continue;
            }
            return false;
        }
        false
    }
}

/// No trigger is looked at farther from its target than this many words: a
/// window is a few words (the lexicon's default and every trigger's own are
/// far below it), and a trigger phrase is a few words long.
const REACH_WORDS: usize = 64;

/// How far before a rendering mention the words that make it the source of
/// a finding ("on the 3D images") are looked for, in bytes.
const FINDING_SOURCE_REACH: usize = 256;

/// Words between offsets this close are counted directly, the first
/// [`DIRECT_COUNTS`] times in a report.
const DIRECT_COUNT: u32 = 512;
const DIRECT_COUNTS: u32 = 256;

/// Nor more than this many triggers on each side of a target: more within
/// reach happens only in text built to be slow ("no/no/no/.../3D").
const NEAREST: usize = 64;

/// What judging scopes asks of a report, answered by binary search.
struct Scopes<'a> {
    triggers: &'a [Trigger],
    /// Terminators: they end every scope.
    terminators: Stops,
    /// Terminators and finding verbs: they end a backward scope.
    backward_stops: Stops,
    /// Where each whitespace-separated word of the visible text starts:
    /// built on the first long count (most counts are of a few words, and
    /// counted directly).
    word_starts: std::cell::OnceCell<Vec<u32>>,
    /// How many counts were made directly.
    direct: std::cell::Cell<u32>,
    /// Ranks looked up in `word_starts`: (offset + 1, at or before, before),
    /// by offset modulo [`RANK_CACHE`]; 0 is empty.
    ranks: std::cell::OnceCell<Box<[RankSlot]>>,
    visible: &'a str,
}

impl<'a> Scopes<'a> {
    fn new(doc: &'a Document, triggers: &'a [Trigger]) -> Scopes<'a> {
        let terminator = |r: Role| r == Role::Trigger(TriggerKind::Terminator);
        let spans = |keep: &dyn Fn(Role) -> bool| {
            Stops::new(
                triggers
                    .iter()
                    .filter(|t| keep(t.role))
                    .map(|t| t.span)
                    .collect(),
            )
        };
        Scopes {
            triggers,
            terminators: spans(&terminator),
            backward_stops: spans(&|r| terminator(r) || r == Role::FindingCue),
            word_starts: std::cell::OnceCell::new(),
            direct: std::cell::Cell::new(0),
            ranks: std::cell::OnceCell::new(),
            visible: &doc.visible,
        }
    }

    /// Whitespace-separated words between two offsets of the visible text
    /// (a word cut at `start` counts).
    fn words(&self, start: u32, end: u32) -> usize {
        if start >= end {
            return 0;
        }
        // A few short counts are cheaper than indexing the report; text
        // dense with triggers asks for many, and gets the index.
        if end - start <= DIRECT_COUNT && self.word_starts.get().is_none() {
            let asked = self.direct.get() + 1;
            self.direct.set(asked);
            if asked <= DIRECT_COUNTS {
                return self.visible[start as usize..end as usize]
                    .split_whitespace()
                    .count();
            }
        }
        let starts = self.word_starts.get_or_init(|| {
            let mut starts = Vec::new();
            let mut in_word = false;
            for (i, c) in self.visible.char_indices() {
                let space = c.is_whitespace();
                if !space && !in_word {
                    starts.push(i as u32);
                }
                in_word = !space;
            }
            starts
        });
        let lo = self.rank(starts, start).0;
        let hi = self.rank(starts, end).1;
        let cut = self.visible[start as usize..]
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace());
        hi.saturating_sub(lo) + usize::from(cut)
    }
}

impl Scopes<'_> {
    /// The word starts at or before `at`, and before it: one binary search,
    /// remembered (a target asks about the same offsets for every trigger
    /// near it, and a trigger is near many targets in text dense with them).
    fn rank(&self, starts: &[u32], at: u32) -> (usize, usize) {
        let cache = self.ranks.get_or_init(|| {
            (0..RANK_CACHE)
                .map(|_| std::cell::Cell::new((0, 0, 0)))
                .collect()
        });
        let slot = &cache[at as usize % RANK_CACHE];
        let (key, le, lt) = slot.get();
        if key == at.wrapping_add(1) {
            return (le as usize, lt as usize);
        }
        let le = starts.partition_point(|&w| w <= at);
        let lt = le - usize::from(le > 0 && starts[le - 1] == at);
        slot.set((at.wrapping_add(1), le as u32, lt as u32));
        (le, lt)
    }
}

/// One remembered rank: (offset + 1, word starts at or before, before).
type RankSlot = std::cell::Cell<(u32, u32, u32)>;

/// Offsets whose word ranks [`Scopes::rank`] remembers, by offset modulo
/// this: more than a trigger's reach in bytes, so the triggers near a target
/// do not evict each other.
const RANK_CACHE: usize = 2048;

/// Spans that stop a scope, sorted by start, with the least end of each
/// suffix: "does one lie within `a..b`" is one binary search.
struct Stops {
    starts: Vec<u32>,
    least_end_from: Vec<u32>,
}

impl Stops {
    fn new(mut spans: Vec<Span>) -> Stops {
        spans.sort_by_key(|s| s.start);
        let mut least_end_from = vec![u32::MAX; spans.len()];
        let mut least = u32::MAX;
        for (i, s) in spans.iter().enumerate().rev() {
            least = least.min(s.end);
            least_end_from[i] = least;
        }
        Stops {
            starts: spans.iter().map(|s| s.start).collect(),
            least_end_from,
        }
    }

    /// True when a span lies within `a..b` (starts at or after `a`, ends at
    /// or before `b`).
    fn any_within(&self, a: u32, b: u32) -> bool {
        let first = self.starts.partition_point(|&s| s < a);
        self.least_end_from.get(first).is_some_and(|&e| e <= b)
    }
}

/// What a scope-relevant hit does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// A ConText trigger from the lexicon.
    Trigger(TriggerKind),
    /// A finding verb: it ends a backward scope.
    FindingCue,
}

/// A trigger hit with its effective window.
#[derive(Clone, Copy, Debug)]
struct Trigger {
    span: Span,
    role: Role,
    direction: Direction,
    window: usize,
}

/// True when `target` lies in a label (`NAME:` opening sentence `s`) that
/// states nothing: nothing a reader sees follows its colon in the sentence,
/// and either what was there is hidden (a placeholder, a comment) or the
/// label introduces nothing (no next sentence on the next line of its
/// section, or that one is a label too). "3D images:" over a list or a line
/// of findings introduces them, and stands.
fn unfilled_label(
    doc: &Document,
    segments: &Segments,
    s: usize,
    target: Span,
    hidden: &[Span],
) -> bool {
    let sentence = segments.sentences[s];
    let Some(colon) = label_colon(doc, sentence.span) else {
        return false;
    };
    let after = colon as usize + 1;
    let seen = doc
        .visible
        .get(after..sentence.span.end as usize)
        .unwrap_or("")
        .trim_matches(|c: char| c == ':' || c == '*' || c.is_whitespace());
    if colon < target.end || !seen.is_empty() {
        return false;
    }
    let line_end = doc.text[after..]
        .find(['\n', '\r'])
        .map_or(doc.text.len(), |i| after + i);
    let on_line = |h: &Span| (after..line_end).contains(&(h.start as usize));
    if hidden.iter().chain(&doc.hidden).any(on_line) {
        return true;
    }
    let introduces = segments.sentences.get(s + 1).is_some_and(|next| {
        let gap = doc
            .visible
            .get(sentence.span.end as usize..next.span.start as usize)
            .unwrap_or("");
        next.section == sentence.section
            && gap.matches('\n').count() + gap.matches('\r').count() - gap.matches("\r\n").count()
                <= 1
            && label_colon(doc, next.span).is_none()
    });
    !introduces
}

/// The offset of the colon ending a label that opens `sentence`.
fn label_colon(doc: &Document, sentence: Span) -> Option<u32> {
    // A label is short (the segmenter's test): only near the sentence's
    // start is a colon looked for.
    let text = doc.visible_slice(sentence);
    let colon = text
        .bytes()
        .take(segment::LABEL_REACH)
        .position(|b| matches!(b, b':' | b'\n' | b'\r'))
        .filter(|&at| text.as_bytes()[at] == b':')?;
    segment::is_label(text[..colon].trim_matches(|c: char| c == '*' || c.is_whitespace()))
        .then_some(sentence.start + colon as u32)
}

#[cfg(test)]
mod tests {
    use crate::Engine;
    use crate::document::{Document, Format};
    use crate::lexicon::{Concept, Context};

    fn contexts(engine: &Engine, text: &str, concept: Concept) -> Vec<(Context, bool)> {
        let analysis = engine.analyze(Document::new(text.as_bytes().to_vec(), Format::Text));
        analysis
            .mentions
            .iter()
            .filter(|m| m.is(concept))
            .map(|m| (m.context, m.finding_source))
            .collect()
    }

    #[test]
    fn scopes_directions_terminators_and_windows() {
        use Context::*;
        let engine = Engine::builtin().expect("built-in");
        let cases: &[(&str, Context)] = &[
            ("No 3D images.", Negated),
            ("3D images were not obtained.", Negated),
            ("Images were not reconstructed in 3D.", Negated),
            ("No fracture, but 3D images were created.", Affirmed),
            ("No fracture; 3D images were created.", Affirmed),
            (
                "No acute fracture of the distal radius or ulna or carpal bones and 3D images were created.",
                Affirmed,
            ),
            ("There was no change. 3D images were created.", Affirmed),
            ("3D images show the fragments are not displaced.", Affirmed),
            ("3D images were created without difficulty.", Affirmed),
            ("3D images can be provided on request.", Hypothetical),
            ("Recommend 3D images.", Hypothetical),
            ("Prior 3D images were reviewed.", Historical),
            ("Prior to surgery, 3D images were created.", Affirmed),
        ];
        for (text, want) in cases {
            let got = contexts(&engine, text, Concept::Rendering);
            assert_eq!(got.first().map(|g| g.0), Some(*want), "{text}");
        }
    }

    #[test]
    fn a_negated_finding_on_the_3d_images_affirms_them() {
        let engine = Engine::builtin().expect("built-in");
        let got = contexts(
            &engine,
            "No fracture is seen on the 3D images.",
            Concept::Rendering,
        );
        assert_eq!(got, [(Context::Affirmed, true)]);
        let got = contexts(&engine, "No 3D images.", Concept::Rendering);
        assert_eq!(got, [(Context::Negated, false)]);
    }

    #[test]
    fn a_label_left_empty_states_nothing() {
        use Concept::{Rendering, Workstation};
        let engine = Engine::builtin().expect("built-in");
        // (text, concept, mentions of it that stand)
        let cases: &[(&str, Concept, usize)] = &[
            (
                "POST-PROCESSING WORKSTATION: [___]\nCOMPARISON: None.",
                Workstation,
                0,
            ),
            (
                "POST-PROCESSING WORKSTATION:\nCOMPARISON: None.",
                Workstation,
                0,
            ),
            (
                "Independent workstation: ___\n\nFINDINGS: Normal.",
                Workstation,
                0,
            ),
            ("Workstation: <<workstation>>", Workstation, 0),
            // Another label next: the field was left empty.
            (
                "TECHNIQUE: Axial.\nINDEPENDENT WORKSTATION:\nSUPERVISION: concurrent.",
                Workstation,
                0,
            ),
            // A blank line, then other text: nothing was introduced.
            (
                "TECHNIQUE: Axial.\nIndependent workstation:\n\nNormal alignment.",
                Workstation,
                0,
            ),
            ("3D IMAGES: [***]\nIMPRESSION: Fracture.", Rendering, 0),
            (
                "POST-PROCESSING WORKSTATION: Vitrea.\nCOMPARISON: None.",
                Workstation,
                1,
            ),
            (
                "Independent workstation: yes\n\nFINDINGS: Normal.",
                Workstation,
                1,
            ),
            ("3D IMAGES: Fracture.\nIMPRESSION: Fracture.", Rendering, 1),
            // A heading alone on its line takes the next sentence.
            (
                "3D ON AN INDEPENDENT WORKSTATION:\n\nThe 3D images show a fracture.",
                Workstation,
                1,
            ),
            // Not a label: the colon is past the statement.
            (
                "3D images were created on an independent workstation: Vitrea.",
                Workstation,
                1,
            ),
            // A label over a line of findings or a list introduces them.
            (
                "FINDINGS: Fracture.\nVolume rendered images:\nComminuted fracture.",
                Rendering,
                1,
            ),
            (
                "FINDINGS: Fracture.\nVolume rendered images:\n- comminuted fracture",
                Rendering,
                1,
            ),
        ];
        for &(text, concept, want) in cases {
            assert_eq!(contexts(&engine, text, concept).len(), want, "{text}");
        }
    }

    #[test]
    fn comparison_section_is_historical() {
        let engine = Engine::builtin().expect("built-in");
        let got = contexts(
            &engine,
            "COMPARISON: 3D CT of the face.\nFINDINGS: Normal.",
            Concept::Rendering,
        );
        assert_eq!(got, [(Context::Historical, false)]);
    }
}
