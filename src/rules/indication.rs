//! Element 5: the clinical reason for the study, and why 3D adds value.
//!
//! Holds on a CLINICAL HISTORY / INDICATION section with content, or on a
//! stated purpose anywhere but COMPARISON ("for surgical planning", "complex
//! fracture"). A section that says only "None" or "N/A" is no indication. An
//! indication that is only "rule out X" holds with a warning, unless a purpose
//! is stated too.

use super::{Ctx, Diagnostic, Element, ElementResult, Rule, Severity, Status};
use crate::lexicon::{Concept, SectionKind};
use crate::span::Span;

/// `indication-missing`
pub const MISSING: Rule = Rule {
    id: "indication-missing",
    severity: Severity::Error,
    element: Some(Element::Indication),
    summary: "no clinical indication for the study or the 3D images",
    why: "Medical necessity: payers pay for 3D rendering when the report gives the clinical reason and why 3D adds value. An absent indication, or \"None\", fails review.",
    source: "docs/domain.md, element 5; payer medical-necessity policies for 76376/76377",
    example: "CLINICAL HISTORY: None.",
    fix: "CLINICAL HISTORY: Comminuted tibial plateau fracture; 3D for preoperative planning.",
};

/// `indication-rule-out-only`
pub const RULE_OUT_ONLY: Rule = Rule {
    id: "indication-rule-out-only",
    severity: Severity::Warning,
    element: Some(Element::Indication),
    summary: "the indication is only \"rule out X\"",
    why: "\"Rule out X\" gives a question but not why 3D rendering adds value; payers may find medical necessity unsupported.",
    source: "docs/domain.md, element 5 (rule-out-only indication: warning)",
    example: "INDICATION: Rule out fracture.",
    fix: "INDICATION: Fall from height with suspected complex acetabular fracture; 3D for operative planning.",
};

/// Judge element 5.
pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) -> ElementResult {
    let segments = ctx.segments();
    // A stated purpose counts anywhere but in another study's comparison; a
    // clinical condition counts where a reason is given (the title, the exam,
    // the history, the technique), not where findings are reported.
    let purpose = ctx.a.mentions.iter().find(|m| {
        m.affirmed()
            && match m.concept() {
                Some(Concept::Purpose) => ctx.kind_of(m) != SectionKind::Comparison,
                Some(Concept::ClinicalReason) => matches!(
                    ctx.kind_of(m),
                    SectionKind::Title
                        | SectionKind::Exam
                        | SectionKind::History
                        | SectionKind::Technique
                ),
                _ => false,
            }
    });
    let mut empty_heading = None;
    for (index, section) in segments.sections.iter().enumerate() {
        if section.kind != SectionKind::History {
            continue;
        }
        let body = body_of(ctx, section.heading, section.span);
        let text = ctx.a.doc.visible_slice(body);
        if !has_content(ctx, body, text) {
            empty_heading = empty_heading.or(section.heading);
            continue;
        }
        if purpose.is_none() && rule_out_only(ctx, index, body) {
            out.push(
                Diagnostic::new(&RULE_OUT_ONLY, body, "the indication only asks to rule something out; it does not say why 3D adds value")
                    .label("only \"rule out\"")
                    .help("e.g. \"Suspected complex acetabular fracture; 3D for operative planning\""),
            );
            return ElementResult {
                status: Status::Weak,
                span: Some(body),
            };
        }
        return ElementResult {
            status: Status::Present,
            span: Some(body),
        };
    }
    if let Some(m) = purpose {
        return ElementResult {
            status: Status::Present,
            span: Some(m.span),
        };
    }
    let (anchor, message) = match empty_heading {
        Some(h) => (h, "the clinical history gives no indication"),
        None => (
            ctx.anchor(&[SectionKind::History, SectionKind::Exam]),
            "no clinical history or indication, and no stated purpose for the 3D images",
        ),
    };
    out.push(
        Diagnostic::new(&MISSING, anchor, message)
            .label("the indication belongs here")
            .help("e.g. \"CLINICAL HISTORY: Comminuted tibial plateau fracture; preoperative planning.\""),
    );
    ElementResult::missing()
}

/// The section's text after its heading and colon.
fn body_of(ctx: &Ctx<'_>, heading: Option<Span>, section: Span) -> Span {
    let start = heading.map_or(section.start, |h| h.end) as usize;
    let text = ctx
        .a
        .doc
        .visible
        .get(start..section.end as usize)
        .unwrap_or("");
    let skipped = text.len() - text.trim_start_matches([':', ' ', '\t', '*']).len();
    let trimmed = text[skipped..].trim_end();
    Span::new(start + skipped, start + skipped + trimmed.len())
}

/// Content: some letters or digits not covered by "None", "N/A" and the like.
fn has_content(ctx: &Ctx<'_>, body: Span, text: &str) -> bool {
    let empties: Vec<Span> = ctx
        .of(Concept::IndicationEmpty)
        .filter(|m| body.contains(m.span))
        .map(|m| m.span)
        .collect();
    text.char_indices().any(|(i, c)| {
        let at = body.start + i as u32;
        c.is_alphanumeric() && !empties.iter().any(|e| e.start <= at && at < e.end)
    })
}

/// Every statement of the section opens with "rule out" (or the like).
fn rule_out_only(ctx: &Ctx<'_>, section: usize, body: Span) -> bool {
    let starts = ctx
        .segments()
        .sentences
        .iter()
        .filter(|s| s.section as usize == section)
        .map(|s| s.span.start.max(body.start));
    let mut any = false;
    for start in starts {
        let text = ctx
            .a
            .doc
            .visible
            .get(start as usize..body.end as usize)
            .unwrap_or("");
        let lead = text.len()
            - text
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .len();
        let at = start + lead as u32;
        if at >= body.end {
            continue;
        }
        any = true;
        if !ctx.of(Concept::RuleOut).any(|m| m.span.start == at) {
            return false;
        }
    }
    any
}
