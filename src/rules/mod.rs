//! Rules: the SPEC's elements judged from a report's mentions.
//!
//! Takes an [`Analysis`] (mentions in context, sections, sentences) and hands
//! on each element's [`ElementResult`] and the [`Diagnostic`]s that explain
//! them. There is one file per element rather than per rule: the rules of an
//! element share one decision (supervision is missing *or* automated *or*
//! review-only, never two of these), so they read best together. Each rule's
//! documentation is a [`Rule`] constant in its element's file: `radlint
//! explain` prints it, and the README's rule table comes from the same text.
//!
//! Rule ids are stable: they appear in JSON, CSV, SARIF and suppressions.

mod claims;
mod clauses;
mod findings;
mod indication;
mod input;
mod reading;
mod rendering;
mod study;
mod supervision;

mod workstation;

use crate::Analysis;
use crate::context::Mention;
use crate::lexicon::{Concept, Context, Lexicon, SectionKind};
use crate::segment::Segments;
use crate::span::Span;
use serde::Serialize;

pub use crate::diagnostic::{Diagnostic, Label, Rule, Severity};
pub use crate::suppression::Suppression;
pub(crate) use claims::{check_claims, claims_in_text};
pub use input::{UNREADABLE, hidden_text};
pub(crate) use reading::statement_sentences;

/// The SPEC's documentation elements and study conditions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    /// 1. 3D rendering was performed.
    Rendering,
    /// 2. Concurrent physician supervision.
    Supervision,
    /// 3. Independent workstation (76377 only).
    Workstation,
    /// 4. Interpretation of the 3D images.
    Findings,
    /// 5. Clinical indication / medical necessity.
    Indication,
    /// 6. Tomographic base exam.
    Modality,
    /// 7. Base exam does not already include 3D.
    Unbundled,
}

impl Element {
    /// All, in SPEC order.
    pub const ALL: [Element; 7] = [
        Element::Rendering,
        Element::Supervision,
        Element::Workstation,
        Element::Findings,
        Element::Indication,
        Element::Modality,
        Element::Unbundled,
    ];

    /// Snake-case name, as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Element::Rendering => "rendering",
            Element::Supervision => "supervision",
            Element::Workstation => "workstation",
            Element::Findings => "findings",
            Element::Indication => "indication",
            Element::Modality => "modality",
            Element::Unbundled => "unbundled",
        }
    }

    /// What the element needs, for verdict lines.
    pub fn need(self) -> &'static str {
        match self {
            Element::Rendering => "a statement that 3D rendering was performed",
            Element::Supervision => "concurrent physician supervision",
            Element::Workstation => "an independent workstation",
            Element::Findings => "an interpretation of the 3D images",
            Element::Indication => "a clinical indication",
            Element::Modality => "a tomographic base exam (CT, MR, US)",
            Element::Unbundled => "a base exam that does not already include 3D rendering",
        }
    }
}

/// How an element stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Documented.
    Present,
    /// Documented weakly (accepted, with a warning).
    Weak,
    /// Not documented.
    Missing,
    /// Documented only as denied.
    Negated,
    /// Documented only as offered, conditional or future.
    Hypothetical,
    /// Documented only for another study.
    Historical,
    /// Documented, and disqualifying (a radiograph; a bundled base exam).
    Fails,
    /// Not judged: the report is out of scope.
    NotEvaluated,
    /// A template's placeholder, to be dictated (with `--template` only).
    Placeholder,
}

impl Status {
    /// True when the element holds for the verdict.
    pub fn holds(self) -> bool {
        matches!(self, Status::Present | Status::Weak | Status::Placeholder)
    }

    fn of(context: Context) -> Status {
        match context {
            Context::Affirmed => Status::Present,
            Context::Negated => Status::Negated,
            Context::Hypothetical => Status::Hypothetical,
            Context::Historical => Status::Historical,
        }
    }
}

/// One element's status and its evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ElementResult {
    /// How it stands.
    pub status: Status,
    /// The evidence, when there is any.
    pub span: Option<Span>,
}

impl ElementResult {
    /// For out-of-scope reports.
    pub const NOT_EVALUATED: ElementResult = ElementResult {
        status: Status::NotEvaluated,
        span: None,
    };

    fn missing() -> ElementResult {
        ElementResult {
            status: Status::Missing,
            span: None,
        }
    }
}

/// Every rule, in a stable order.
pub const ALL: &[&Rule] = &[
    &rendering::MISSING,
    &rendering::NEGATED,
    &rendering::HYPOTHETICAL,
    &rendering::HISTORICAL,
    &rendering::MPR_ONLY,
    &rendering::MIP_ONLY,
    &rendering::ACQUISITION_ONLY,
    &rendering::TOMOSYNTHESIS,
    &rendering::PRINTED_MODEL,
    &supervision::MISSING,
    &supervision::AUTOMATED,
    &supervision::TECHNOLOGIST_ONLY,
    &supervision::REVIEW_ONLY,
    &supervision::NEGATED,
    &supervision::NOT_CONCURRENT,
    &workstation::MISSING,
    &workstation::CONSOLE,
    &workstation::PACS,
    &workstation::CONFLICT,
    &findings::MISSING,
    &indication::MISSING,
    &indication::RULE_OUT_ONLY,
    &study::NOT_TOMOGRAPHIC,
    &study::UNKNOWN,
    &study::BUNDLED,
    &claims::UNSUPPORTED,
    &claims::BOTH_CODES,
    &claims::MISMATCH,
    &input::INVALID_UTF8,
    &input::HIDDEN_TEXT,
    &input::UNREADABLE,
    &crate::suppression::INVALID,
    &crate::suppression::UNUSED,
];

/// Look a rule up by id.
pub fn find(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.id == id)
}

/// The concepts the rules rely on; a test checks the lexicon defines each.
pub const REQUIRED_CONCEPTS: &[Concept] = Concept::ALL;

impl Diagnostic {
    /// Add the trigger and scope labels of a non-affirmed mention.
    fn with_context(self, m: &Mention, ctx: &Ctx<'_>) -> Diagnostic {
        let self_text_gap = |gap: Span| ctx.a.doc.visible_slice(gap).trim().len() > 1;
        let Some(trigger) = m.trigger else {
            return self;
        };
        let what = match m.context {
            Context::Negated => "negation",
            Context::Hypothetical => "offered or future, not done",
            Context::Historical => "another study",
            Context::Affirmed => return self,
        };
        let d = self.secondary(trigger, what);
        // The scope is worth a label only when words stand between the
        // trigger and the mention ("no ... 3D"); adjacent, the two labels say it.
        let gap = if trigger.end <= m.span.start {
            Span {
                start: trigger.end,
                end: m.span.start,
            }
        } else {
            Span {
                start: m.span.end,
                end: trigger.start.max(m.span.end),
            }
        };
        let text = self_text_gap(gap);
        if text {
            d.secondary(trigger.cover(m.span), "its scope")
        } else {
            d
        }
    }
}

/// Each element's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Elements {
    /// 1.
    pub rendering: ElementResult,
    /// 2.
    pub supervision: ElementResult,
    /// 3.
    pub workstation: ElementResult,
    /// 4.
    pub findings: ElementResult,
    /// 5.
    pub indication: ElementResult,
    /// 6.
    pub modality: ElementResult,
    /// 7.
    pub unbundled: ElementResult,
}

impl Elements {
    /// Every element not evaluated: the report is out of scope.
    pub const NOT_EVALUATED: Elements = Elements {
        rendering: ElementResult::NOT_EVALUATED,
        supervision: ElementResult::NOT_EVALUATED,
        workstation: ElementResult::NOT_EVALUATED,
        findings: ElementResult::NOT_EVALUATED,
        indication: ElementResult::NOT_EVALUATED,
        modality: ElementResult::NOT_EVALUATED,
        unbundled: ElementResult::NOT_EVALUATED,
    };

    /// The result for `element`.
    pub fn get(&self, element: Element) -> ElementResult {
        match element {
            Element::Rendering => self.rendering,
            Element::Supervision => self.supervision,
            Element::Workstation => self.workstation,
            Element::Findings => self.findings,
            Element::Indication => self.indication,
            Element::Modality => self.modality,
            Element::Unbundled => self.unbundled,
        }
    }
}

/// What the element rules hand on.
#[derive(Clone, Debug)]
pub struct Evaluation {
    /// Each element.
    pub elements: Elements,
    /// Which codes the base exam excludes (from bundled exams and codes).
    pub excluded: Vec<&'static str>,
    /// Labels of the bundled base exams found.
    pub bundles: Vec<String>,
    /// Diagnostics so far (claims are judged after the verdict).
    pub diagnostics: Vec<Diagnostic>,
}

/// Shared access to an analysis for the element rules.
pub(crate) struct Ctx<'a> {
    pub a: &'a Analysis,
    pub lexicon: &'a Lexicon,
    pub reader: &'a crate::statements::Reader,
    pub cpt_year: u16,
    /// Each concept's mentions (indices into `a.mentions`, in document
    /// order), so that a rule asking about one concept near a mention never
    /// scans the others: every question below is a binary search.
    by_concept: Vec<Vec<u32>>,
    /// The document has no known headings at all.
    headingless: bool,
    /// By mention: a CPT-code mention with a label ("CPT 70486") starts in
    /// its sentence at or before it (see `study::code_counts`).
    code_labelled: Vec<bool>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        a: &'a Analysis,
        lexicon: &'a Lexicon,
        reader: &'a crate::statements::Reader,
        cpt_year: u16,
    ) -> Ctx<'a> {
        let mut by_concept = vec![Vec::new(); Concept::ALL.len()];
        for (i, m) in a.mentions.iter().enumerate() {
            if let Some(c) = m.concept() {
                by_concept[c as usize].push(i as u32);
            }
        }
        let headingless = a.segments.sections.iter().all(|s| s.heading.is_none());
        // One pass over the code mentions, in document order: a running flag
        // per sentence, shared by mentions that start at the same offset.
        let mut code_labelled = vec![false; a.mentions.len()];
        let codes = &by_concept[Concept::CptCode as usize];
        let mut k = 0;
        let mut running: Option<(Option<u32>, bool)> = None;
        while k < codes.len() {
            let first = &a.mentions[codes[k] as usize];
            let group = codes[k..]
                .iter()
                .take_while(|&&i| {
                    let m = &a.mentions[i as usize];
                    m.span.start == first.span.start && m.sentence == first.sentence
                })
                .count();
            let mut flag = match running {
                Some((s, f)) if s == first.sentence && s.is_some() => f,
                _ => false,
            };
            flag |= codes[k..k + group]
                .iter()
                .any(|&i| a.mentions[i as usize].span.len() > 5);
            for &i in &codes[k..k + group] {
                code_labelled[i as usize] = flag && first.sentence.is_some();
            }
            running = Some((first.sentence, flag));
            k += group;
        }
        Ctx {
            a,
            lexicon,
            reader,
            cpt_year,
            by_concept,
            headingless,
            code_labelled,
        }
    }

    /// True when a CPT-code mention with a label starts in `m`'s sentence
    /// at or before `m` (`m` a CPT-code mention).
    fn code_labelled(&self, m: &Mention) -> bool {
        let i = self
            .a
            .mentions
            .partition_point(|o| o.span.start < m.span.start);
        self.a.mentions[i..]
            .iter()
            .take_while(|o| o.span.start == m.span.start)
            .position(|o| o == m)
            .is_some_and(|j| self.code_labelled[i + j])
    }

    /// The mentions of `concept` starting in `start..end`, in document order.
    pub(crate) fn of_between(
        &self,
        concept: Concept,
        start: u32,
        end: u32,
    ) -> impl Iterator<Item = &'a Mention> + '_ {
        let mentions: &'a [Mention] = &self.a.mentions;
        let list = &self.by_concept[concept as usize];
        let lo = list.partition_point(|&i| mentions[i as usize].span.start < start);
        let hi = list.partition_point(|&i| mentions[i as usize].span.start < end);
        list[lo..hi.max(lo)]
            .iter()
            .map(move |&i| &mentions[i as usize])
    }
    fn segments(&self) -> &'a Segments {
        &self.a.segments
    }

    /// Mentions of `concept`, in document order.
    fn of(&self, concept: Concept) -> impl Iterator<Item = &'a Mention> + '_ {
        self.of_between(concept, 0, u32::MAX)
    }

    /// The first affirmed mention of any of `concepts`.
    fn affirmed(&self, concepts: &[Concept]) -> Option<&'a Mention> {
        self.a
            .mentions
            .iter()
            .find(|m| m.affirmed() && m.concept().is_some_and(|c| concepts.contains(&c)))
    }

    fn kind_of(&self, m: &Mention) -> SectionKind {
        self.segments().sections[m.section as usize].kind
    }

    fn sentence_span(&self, m: &Mention) -> Span {
        m.sentence
            .map_or(m.span, |s| self.segments().sentences[s as usize].span)
    }

    /// Mentions of `concept` in the same sentence as `m`.
    fn in_sentence(&self, m: &Mention, concept: Concept) -> impl Iterator<Item = &'a Mention> + '_ {
        self.in_sentence_from(m, 0, concept)
    }

    /// Mentions of `concept` in the same sentence as `m` that start at or
    /// after `from`.
    fn in_sentence_from(
        &self,
        m: &Mention,
        from: u32,
        concept: Concept,
    ) -> impl Iterator<Item = &'a Mention> + '_ {
        let sentence = m.sentence;
        // The sentence's mentions of the concept are one run of its list,
        // found by binary search (a report of 100,000 numbered headings has
        // as many code-like mentions; a scan per mention would be quadratic).
        let (start, end) = match sentence.and_then(|s| self.segments().sentences.get(s as usize)) {
            Some(s) => (s.span.start.max(from), s.span.end),
            None => (0, 0),
        };
        self.of_between(concept, start, end)
            .filter(move |o| o.sentence == sentence)
    }

    /// Where a missing statement belongs: the first heading of `kinds`, in
    /// that order of preference; else the first heading; else the first
    /// sentence; else the start of the text.
    fn anchor(&self, kinds: &[SectionKind]) -> Span {
        let sections = &self.segments().sections;
        kinds
            .iter()
            .find_map(|k| {
                sections
                    .iter()
                    .find(|s| s.kind == *k)
                    .and_then(|s| s.heading)
            })
            .or_else(|| sections.iter().find_map(|s| s.heading))
            .or_else(|| {
                self.segments()
                    .sentences
                    .first()
                    .map(|s| first_line(self.a, s.span))
            })
            .unwrap_or_default()
    }

    /// True when the document has no known headings at all.
    fn headingless(&self) -> bool {
        self.headingless
    }
}

fn first_line(a: &Analysis, span: Span) -> Span {
    let text = a.doc.slice(span);
    let end = text.find(['\n', '\r']).unwrap_or(text.len());
    Span::new(span.start as usize, span.start as usize + end)
}

/// The input checks alone (an out-of-scope report's only diagnostics).
pub(crate) fn evaluate_input(ctx: &Ctx<'_>) -> Vec<Diagnostic> {
    input::check(ctx)
}

/// What configuration makes of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Not reported.
    Off,
    /// Reported at this severity.
    At(Severity),
}

impl Level {
    /// `off`, `error`, `warning` or `note`.
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "off" => Level::Off,
            "error" => Level::At(Severity::Error),
            "warning" => Level::At(Severity::Warning),
            "note" => Level::At(Severity::Note),
            _ => return None,
        })
    }

    /// As written in configuration.
    pub fn name(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::At(s) => s.name(),
        }
    }
}

/// Configured levels by rule id.
pub type Levels = std::collections::BTreeMap<&'static str, Level>;

/// Apply configured levels: drop rules turned off, change severities.
pub(crate) fn configure(levels: &Levels, diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.retain_mut(|d| match levels.get(d.rule.id) {
        Some(Level::Off) => false,
        Some(Level::At(severity)) => {
            d.severity = *severity;
            true
        }
        None => true,
    });
}

/// Judge every element of an in-scope report. Out of scope, none is judged
/// and only the input checks run; where 3D rendering does not hold, only
/// element 1 is judged.
pub(crate) fn evaluate(ctx: &Ctx<'_>, in_scope: bool) -> Evaluation {
    if !in_scope {
        // Input diagnostics only: an out-of-scope report has no elements.
        return Evaluation {
            elements: Elements::NOT_EVALUATED,
            excluded: Vec::new(),
            bundles: Vec::new(),
            diagnostics: input::check(ctx),
        };
    }
    let mut all = Vec::new();
    let rendering = rendering::check(ctx, &mut all);
    // One root cause, one diagnostic: where no 3D rendering is documented,
    // the other elements would be about work that is not there, so they are
    // not judged (a claim still says what it lacks, and the verdict says
    // the rest was not judged).
    if !rendering.status.holds() {
        all.extend(input::check(ctx));
        return Evaluation {
            elements: Elements {
                rendering,
                ..Elements::NOT_EVALUATED
            },
            excluded: Vec::new(),
            bundles: Vec::new(),
            diagnostics: all,
        };
    }
    let reading = reading::Reading::of(ctx);
    let supervision = supervision::check(ctx, &reading, &mut all);
    let workstation = workstation::check(ctx, &reading, &mut all);
    let findings = findings::check(ctx, &mut all);
    let indication = indication::check(ctx, &mut all);
    let modality = study::check_modality(ctx, &mut all);
    let (unbundled, excluded, bundles) = study::check_bundled(ctx, &mut all);
    all.extend(input::check(ctx));
    Evaluation {
        elements: Elements {
            rendering,
            supervision,
            workstation,
            findings,
            indication,
            modality,
            unbundled,
        },
        excluded,
        bundles,
        diagnostics: all,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for rule in ALL {
            assert!(seen.insert(rule.id), "duplicate rule id {}", rule.id);
            assert!(
                rule.id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit()),
                "rule id {} is not kebab-case",
                rule.id
            );
            for (field, text) in [
                ("summary", rule.summary),
                ("why", rule.why),
                ("source", rule.source),
                ("example", rule.example),
                ("fix", rule.fix),
            ] {
                assert!(!text.trim().is_empty(), "rule {} has no {field}", rule.id);
            }
        }
    }
}
