//! Slots: with `--template`, a placeholder where findings or the indication
//! belong stands for what the radiologist dictates per study, so that element
//! holds once filled; attestations are never filled, and a placeholder where
//! one would stand is named as such.

use crate::diagnostic::Label;
use crate::lexicon::{Concept, SectionKind};
use crate::rules::{Ctx, Element, ElementResult, Evaluation, Status};
use crate::span::Span;

/// In a template, findings and the indication may be placeholders: where one
/// stands in their place, the element holds once filled and its diagnostics
/// go. Hands on the elements so filled. Attestations are never filled here.
pub(crate) fn fill_slots(ctx: &Ctx<'_>, evaluation: &mut Evaluation) -> Vec<Element> {
    let segments = &ctx.a.segments;
    // The sentence's mentions of each concept are found by binary search:
    // a template of many slots and many mentions stays linear.
    let in_sentence_with = |at: Span, concepts: &[Concept]| {
        segments.sentence_at(at.start).is_some_and(|i| {
            let span = segments.sentences[i].span;
            concepts.iter().any(|&c| {
                ctx.of_between(c, span.start, span.end)
                    .any(|m| segments.sentence_at(m.span.start) == Some(i))
            })
        })
    };
    let kind_at = |at: Span| {
        segments
            .sections
            .get(segments.section_at(at.start))
            .map(|s| s.kind)
    };
    let slot = |element: Element| {
        ctx.a.placeholders.iter().copied().find(|&p| match element {
            Element::Findings => {
                matches!(
                    kind_at(p),
                    Some(
                        SectionKind::Findings
                            | SectionKind::Impression
                            | SectionKind::PostProcessing
                    )
                ) || in_sentence_with(p, &[Concept::Rendering, Concept::FindingCue])
            }
            Element::Indication => {
                kind_at(p) == Some(SectionKind::History)
                    || in_sentence_with(p, &[Concept::Purpose, Concept::RuleOut])
            }
            _ => false,
        })
    };
    let mut filled = Vec::new();
    for element in [Element::Findings, Element::Indication] {
        let result = match element {
            Element::Findings => &mut evaluation.elements.findings,
            _ => &mut evaluation.elements.indication,
        };
        if result.status.holds() || result.status == Status::NotEvaluated {
            continue;
        }
        if let Some(p) = slot(element) {
            *result = ElementResult {
                status: Status::Placeholder,
                span: Some(p),
            };
            evaluation
                .diagnostics
                .retain(|d| d.rule.element != Some(element));
            filled.push(element);
        }
    }
    // An attestation that does not hold, with a placeholder where it would
    // stand (a sentence about the 3D images): say that a slot cannot attest.
    for d in &mut evaluation.diagnostics {
        let attestation = matches!(
            d.rule.element,
            Some(Element::Rendering | Element::Supervision | Element::Workstation)
        );
        if !attestation {
            continue;
        }
        let slot = ctx
            .a
            .placeholders
            .iter()
            .copied()
            .find(|&p| in_sentence_with(p, &[Concept::Rendering]));
        if let Some(p) = slot {
            d.labels.push(Label {
                span: p,
                message: "a placeholder cannot attest".into(),
            });
            d.help = format!(
                "in a template, write this attestation out: dictation fills a placeholder per report, unchecked; {}",
                d.help
            );
        }
    }
    filled
}
