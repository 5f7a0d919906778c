//! Element 2: the interpreting physician performed the post-processing or
//! concurrently supervised it.
//!
//! Holds on an affirmed statement of personal performance, concurrent or
//! direct supervision; holds weakly (a warning) on "under my supervision".
//! Otherwise one diagnostic names the most specific reason: supervision
//! denied, rendering automatic, only reviewed, or done by a technologist or 3D
//! lab. Automation, review and technologist wording count only in a sentence
//! that speaks of the 3D work ("protocol" elsewhere means nothing here), and
//! so does supervision not stated as concurrent ("contrast injection
//! supervised by me"). Supervision in a sentence about reformats or MIPs
//! alone does not cover 3D rendering stated elsewhere.

use super::reading::{Other, OtherStatement, Reading};
use super::{Ctx, Diagnostic, Element, ElementResult, Rule, Severity, Status};
use crate::context::Mention;
use crate::lexicon::{Concept, Context, SectionKind};
use crate::span::Span;

const HELP: &str = "e.g. \"3D volume-rendered images were created under my concurrent supervision\" or \"I personally performed the 3D post-processing\"";

/// Help where the report's own account says the physician did not make or
/// concurrently supervise the 3D images: never the attestation it
/// contradicts (SPEC: help never asks for what the report says did not
/// happen).
const RULED_OUT: &str = "76376/76377 need the interpreting physician to make the 3D images or supervise them as they are made, and this report says otherwise: correct the account only if it is wrong";

/// Help where someone else made them and the physician's part is not said.
const IF_SUPERVISED: &str = "if the interpreting physician supervised the work as it was done, say so: e.g. \"created by the technologist under my concurrent supervision\"";

/// `supervision-missing`
pub const MISSING: Rule = Rule {
    id: "supervision-missing",
    severity: Severity::Error,
    element: Some(Element::Supervision),
    summary: "no statement that the physician performed or concurrently supervised the 3D rendering",
    why: "Both codes require image post-processing under concurrent physician supervision. Without a statement of who did it and the physician's part, the service cannot be distinguished from automatic scanner output.",
    source: "CPT 76376/76377 descriptors (\"under concurrent physician supervision\"); docs/domain.md, element 2",
    example: "3D volume-rendered images were created on an independent workstation.",
    fix: "3D volume-rendered images were created on an independent workstation under my concurrent supervision.",
};

/// `supervision-automated`
pub const AUTOMATED: Rule = Rule {
    id: "supervision-automated",
    severity: Severity::Error,
    element: Some(Element::Supervision),
    summary: "the 3D images were generated automatically, with no physician taking part",
    why: "Images generated automatically by the scanner or by protocol involve no concurrent physician supervision: choosing the region, structures and images, and adjusting the result.",
    source: "docs/domain.md, element 2 (automatic / protocol images fail)",
    example: "3D images were generated automatically by the scanner.",
    fix: "3D images were created and adjusted under my concurrent supervision.",
};

/// `supervision-technologist-only`
pub const TECHNOLOGIST_ONLY: Rule = Rule {
    id: "supervision-technologist-only",
    severity: Severity::Error,
    element: Some(Element::Supervision),
    summary: "a technologist or 3D lab did the post-processing, with no physician involvement stated",
    why: "Post-processing by a technologist or 3D lab qualifies only under the physician's concurrent supervision, and the report must say so.",
    source: "docs/domain.md, element 2 (technologist or 3D lab with no physician involvement fails)",
    example: "3D reconstructions were created by the CT technologist.",
    fix: "3D reconstructions were created by the CT technologist under the direct, concurrent supervision of the radiologist.",
};

/// `supervision-review-only`
pub const REVIEW_ONLY: Rule = Rule {
    id: "supervision-review-only",
    severity: Severity::Error,
    element: Some(Element::Supervision),
    summary: "the physician only reviewed the 3D images after they were made",
    why: "Concurrent supervision means taking part while the rendering is done. Reviewing finished images is interpretation, which the base exam already pays for.",
    source: "docs/domain.md, element 2 (concurrent supervision defined)",
    example: "3D rendering was performed by the technologist and reviewed by the radiologist.",
    fix: "3D rendering was performed by the technologist under my concurrent supervision.",
};

/// `supervision-negated`
pub const NEGATED: Rule = Rule {
    id: "supervision-negated",
    severity: Severity::Error,
    element: Some(Element::Supervision),
    summary: "the report says the physician did not supervise the 3D rendering",
    why: "A statement that the radiologist was not present, or that there was no physician supervision, documents that the required supervision did not happen.",
    source: "docs/domain.md, element 2 (supervision negated fails)",
    example: "The radiologist was not present during post-processing.",
    fix: "Bill 76376/76377 only when the physician took part; then say so: \"... under my concurrent supervision\".",
};

/// `supervision-not-concurrent`
pub const NOT_CONCURRENT: Rule = Rule {
    id: "supervision-not-concurrent",
    severity: Severity::Warning,
    element: Some(Element::Supervision),
    summary: "physician supervision is not stated as concurrent",
    why: "\"Under my supervision\" names the physician but not that the supervision was concurrent, which the code descriptor requires; some payers reject it.",
    source: "CPT 76376/76377 descriptors (\"concurrent physician supervision\"); docs/domain.md, element 2",
    example: "3D images were created under my supervision.",
    fix: "3D images were created under my concurrent supervision.",
};

/// Judge element 2: from the statements where they decide, else from the
/// supervision phrases.
pub(super) fn check(ctx: &Ctx<'_>, reading: &Reading, out: &mut Vec<Diagnostic>) -> ElementResult {
    // An addendum that withdraws the physician's part outweighs what the
    // body said, phrase or statement.
    if let Some(span) = reading.withdrawn {
        out.push(
            Diagnostic::new(
                &NEGATED,
                span,
                "an addendum withdraws the statement that the physician made or supervised the 3D images",
            )
            .label("withdrawn here")
            .help(RULED_OUT),
        );
        return ElementResult {
            status: Status::Negated,
            span: Some(span),
        };
    }
    let mut own = Vec::new();
    let by_phrases = from_phrases(ctx, reading, &mut own);
    if by_phrases.status == Status::Negated {
        // A phrase's negation reaches to the end of its sentence; a
        // statement's, only to the role it governs. Where a statement says
        // the physician took part ("made on the scanner, not on an
        // independent workstation, under my concurrent supervision"; "with
        // me at the console directing" beside "I was not involved" in the 3D
        // lab's set), the statement is read, as a supervision phrase was.
        if let Some(span) = reading.physician {
            return present_at(span);
        }
        out.extend(own);
        return by_phrases;
    }
    // A specific statement that the interpreting physician made or
    // supervised the 3D images: supervision, whatever phrase says it.
    if let Some(span) = reading.physician {
        if by_phrases.status.holds() {
            out.extend(own);
            return by_phrases;
        }
        // "Under my supervision", "supervised by me": the physician, but not
        // said to be concurrent.
        if !reading.physician_concurrent {
            out.push(
                Diagnostic::new(
                    &NOT_CONCURRENT,
                    span,
                    "physician supervision is not stated as concurrent",
                )
                .label("supervision, but not said to be concurrent")
                .help("e.g. \"under my concurrent supervision\""),
            );
            return ElementResult {
                status: Status::Weak,
                span: Some(span),
            };
        }
        return present_at(span);
    }
    // A specific statement that someone else did it, or supervision by
    // nobody named or not concurrent, outweighs a phrase in an attestation,
    // and any phrase where it is about the supervision itself.
    if let Some(other) = reading.other
        && by_phrases.status.holds()
        && (other.supervision
            || by_phrases
                .span
                .is_some_and(|s| reading.in_attestation(ctx, s)))
    {
        out.push(other_diagnostic(other, reading));
        return ElementResult {
            status: Status::Missing,
            span: Some(other.span),
        };
    }
    // A specific statement that the interpreting physician did not make or
    // supervise them ("I did not create the 3D images"), and none that they
    // did: supervision denied.
    if let Some(span) = reading.denied_physician
        && !by_phrases.status.holds()
    {
        out.push(
            Diagnostic::new(
                &NEGATED,
                span,
                "the report says the physician did not make or supervise the 3D images",
            )
            .label("supervision denied")
            .help(RULED_OUT),
        );
        return ElementResult {
            status: Status::Negated,
            span: Some(span),
        };
    }
    // The physician's part stated only in an attestation (a ticked box), with
    // no specific account to contradict it.
    if !by_phrases.status.holds()
        && reading.other.is_none()
        && let Some(span) = reading.attested_physician
    {
        return present_at(span);
    }
    out.extend(own);
    by_phrases
}

fn present_at(span: Span) -> ElementResult {
    ElementResult {
        status: Status::Present,
        span: Some(span),
    }
}

/// The diagnostic for a specific statement that names someone other than
/// the interpreting physician.
fn other_diagnostic(other: OtherStatement, reading: &Reading) -> Diagnostic {
    let (rule, message, label, help) = match other.who {
        Other::Staff => (
            &TECHNOLOGIST_ONLY,
            "the report's own account names a technologist, radiographer, 3D lab or vendor, not the interpreting physician, as who made or supervised the 3D images",
            "staff, not the interpreting physician",
            IF_SUPERVISED,
        ),
        Other::Trainee => (
            &TECHNOLOGIST_ONLY,
            "the report's own account names a resident or fellow, not the interpreting physician, as who made or supervised the 3D images",
            "a trainee, not the interpreting physician",
            IF_SUPERVISED,
        ),
        Other::Unnamed => (
            &MISSING,
            "supervision is stated with nobody named: it must be the interpreting physician's",
            "whose supervision is not said",
            HELP,
        ),
        Other::NotConcurrent => (
            &MISSING,
            "the report says the supervision was not concurrent, or came after the images were made",
            "not concurrent",
            RULED_OUT,
        ),
        Other::Colleague => (
            &MISSING,
            "the report's own account names another physician, not the one who signed it, as who made or supervised the 3D images",
            "not the interpreting physician",
            RULED_OUT,
        ),
        Other::Machine => (
            &AUTOMATED,
            "the report's own account says the 3D images were made by the scanner or its software, with nobody taking part",
            "automatic",
            RULED_OUT,
        ),
    };
    let mut d = Diagnostic::new(rule, other.span, message)
        .label(label)
        .help(help);
    if let Some(&attested) = reading.attestations.first() {
        d = d.secondary(
            attested,
            "a standard attestation: the report's own account wins",
        );
    }
    d
}

/// Judge element 2 from the supervision phrases.
fn from_phrases(ctx: &Ctx<'_>, reading: &Reading, out: &mut Vec<Diagnostic>) -> ElementResult {
    // Supervision of the reformats does not cover 3D rendering stated
    // elsewhere (where there is none, the rendering element says so).
    let rendered = ctx.affirmed(&[Concept::Rendering]).is_some();
    let affirmed = |concept: Concept| {
        ctx.of(concept).find(|m| {
            m.affirmed() && !(rendered && reading.about_other_images(ctx, m.span, m.section))
        })
    };
    if let Some(m) = affirmed(Concept::Supervision) {
        return present(m, Status::Present);
    }
    let absent = ctx.affirmed(&[Concept::SupervisionAbsent]).or_else(|| {
        ctx.a.mentions.iter().find(|m| {
            m.context == Context::Negated && matches!(m.concept(), Some(Concept::Supervision))
        })
    });
    if let Some(m) = absent {
        out.push(
            Diagnostic::new(
                &NEGATED,
                m.span,
                "the report says the physician did not supervise the 3D post-processing",
            )
            .label("supervision denied")
            .with_context(m, ctx)
            .help(RULED_OUT),
        );
        return ElementResult {
            status: Status::Negated,
            span: Some(m.span),
        };
    }
    let stated = |concept: Concept| {
        ctx.of(concept)
            .find(|m| m.affirmed() && about_3d(ctx, m))
            .map(|m| m.span)
    };
    for (found, rule, message, label, help) in [
        (
            stated(Concept::Automated),
            &AUTOMATED,
            "the 3D images were generated automatically, with no physician taking part",
            "automatic",
            RULED_OUT,
        ),
        (
            reading.review,
            &REVIEW_ONLY,
            "the physician only reviewed the 3D images; review is not concurrent supervision",
            "review after the fact",
            RULED_OUT,
        ),
        (
            stated(Concept::Technologist),
            &TECHNOLOGIST_ONLY,
            "the post-processing is attributed to a technologist or 3D lab, with no physician involvement stated",
            "no physician named",
            IF_SUPERVISED,
        ),
    ] {
        if let Some(span) = found {
            out.push(Diagnostic::new(rule, span, message).label(label).help(help));
            return ElementResult::missing();
        }
    }
    let anchor = ctx
        .affirmed(&[Concept::Rendering])
        .filter(|m| ctx.kind_of(m) != SectionKind::Findings)
        .map(|m| ctx.sentence_span(m))
        .unwrap_or_else(|| ctx.anchor(&[SectionKind::Technique, SectionKind::PostProcessing]));
    out.push(
        Diagnostic::new(&MISSING, anchor, "no statement that the physician performed or concurrently supervised the 3D post-processing")
            .label("who performed or supervised this is not stated")
            .help(HELP),
    );
    ElementResult::missing()
}

fn present(m: &Mention, status: Status) -> ElementResult {
    ElementResult {
        status,
        span: Some(m.span),
    }
}

/// True when `m` stands in a sentence (or a 3D section) about the 3D work.
fn about_3d(ctx: &Ctx<'_>, m: &Mention) -> bool {
    ctx.kind_of(m) == SectionKind::PostProcessing
        || [Concept::Rendering, Concept::Mip, Concept::Mpr]
            .iter()
            .any(|&c| ctx.in_sentence(m, c).next().is_some())
}
