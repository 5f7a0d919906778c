//! Element 4: the physician's interpretation of the 3D images.
//!
//! Holds when a sentence in FINDINGS, IMPRESSION, a 3D section or an ADDENDUM
//! (or anywhere, in a report with no headings) speaks of the 3D images as the
//! source of a finding: it mentions them affirmatively or as where a finding
//! was looked for ("on the 3D images"), and either carries a finding word
//! ("demonstrate", "show", "seen") or introduces one with a colon ("3D images:
//! comminuted fracture"), or when the next sentence refers back to them ("The
//! 3D images were created ... They demonstrate ..."). A 3D mention only in
//! TECHNIQUE is not enough.

use super::{Ctx, Diagnostic, Element, ElementResult, Rule, Severity, Status};
use crate::context::Mention;
use crate::lexicon::{Concept, SectionKind};

/// `findings-missing`
pub const MISSING: Rule = Rule {
    id: "findings-missing",
    severity: Severity::Error,
    element: Some(Element::Findings),
    summary: "no interpretation of the 3D images in FINDINGS, IMPRESSION or a 3D section",
    why: "The codes include interpretation and reporting of the 3D images. A report that says they were made but not what they show documents post-processing, not the service.",
    source: "CPT 76376/76377 descriptors (\"with interpretation and reporting\"); docs/domain.md, element 4",
    example: "TECHNIQUE: ... 3D volume-rendered images were created ...\nFINDINGS: Comminuted fracture of the left orbital floor.",
    fix: "FINDINGS: ... The 3D images demonstrate the orbital floor fracture and 4 mm of inferior displacement.",
};

fn findings_capable(ctx: &Ctx<'_>, m: &Mention) -> bool {
    match ctx.kind_of(m) {
        SectionKind::Findings
        | SectionKind::Impression
        | SectionKind::PostProcessing
        | SectionKind::Addendum => true,
        SectionKind::Title => ctx.headingless(),
        SectionKind::Exam
        | SectionKind::History
        | SectionKind::Technique
        | SectionKind::Comparison
        | SectionKind::Other => false,
    }
}

/// Judge element 4.
pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) -> ElementResult {
    let interpreted = ctx.of(Concept::Rendering).find(|m| {
        (m.affirmed() || m.finding_source)
            && findings_capable(ctx, m)
            && (m.finding_source
                || ctx.in_sentence(m, Concept::FindingCue).next().is_some()
                || colon_after(ctx, m))
    });
    if let Some(m) = interpreted {
        return ElementResult {
            status: Status::Present,
            span: Some(ctx.sentence_span(m)),
        };
    }
    if let Some(span) = referred_back(ctx) {
        return ElementResult {
            status: Status::Present,
            span: Some(span),
        };
    }
    let anchor = ctx.anchor(&[
        SectionKind::Findings,
        SectionKind::Impression,
        SectionKind::PostProcessing,
    ]);
    let only_technique = ctx
        .of(Concept::Rendering)
        .filter(|m| m.affirmed())
        .all(|m| ctx.kind_of(m) == SectionKind::Technique);
    let mut d = Diagnostic::new(&MISSING, anchor, "no interpretation of the 3D images: say what they show")
        .label("what the 3D images show belongs here")
        .help("e.g. \"The 3D images demonstrate ...\" or \"No fracture is seen on the volume-rendered images.\"");
    if let Some(m) = ctx
        .affirmed(&[Concept::Rendering])
        .filter(|_| only_technique)
    {
        d = d.secondary(m.span, "3D images are mentioned only in TECHNIQUE");
    }
    out.push(d);
    ElementResult::missing()
}

/// "3D images: comminuted fracture ...", but not a heading over a statement
/// of how they were made ("3D POST-PROCESSING:\nVolume-rendered images were
/// created ..."): what follows the colon must not mention 3D rendering
/// again.
fn colon_after(ctx: &Ctx<'_>, m: &Mention) -> bool {
    let rest = ctx.a.doc.visible.get(m.span.end as usize..).unwrap_or("");
    let rest = rest.trim_start_matches(' ');
    rest.starts_with(':')
        && rest[1..]
            .trim_start()
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
        && ctx
            .in_sentence_from(m, m.span.end, Concept::Rendering)
            .next()
            .is_none()
}

/// "The 3D images were created ... They demonstrate ...": a sentence that
/// opens with an anaphor (lexicon `[context] anaphors`) and carries a finding
/// word, right after a sentence in the same findings-capable section that
/// affirms the 3D images.
fn referred_back(ctx: &Ctx<'_>) -> Option<crate::span::Span> {
    let segments = ctx.segments();
    ctx.of(Concept::Rendering)
        .filter(|m| m.affirmed() && findings_capable(ctx, m))
        .find_map(|m| {
            let next = segments.sentences.get(m.sentence? as usize + 1)?;
            if next.section != m.section {
                return None;
            }
            let text = ctx.a.doc.visible_slice(next.span);
            let opens = ctx.lexicon.anaphors.iter().any(|a| {
                text.get(..a.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(a))
                    && !text[a.len()..].starts_with(char::is_alphanumeric)
            });
            let cue = ctx
                .of_between(Concept::FindingCue, next.span.start, next.span.end)
                .any(|c| next.span.contains(c.span));
            (opens && cue).then_some(next.span)
        })
}
