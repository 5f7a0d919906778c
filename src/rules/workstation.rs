//! Element 3 (76377 only): post-processing on an independent workstation.
//!
//! Holds on an affirmed independent/separate/dedicated workstation or a named
//! post-processing product; holds weakly on a bare PACS workstation (payers
//! differ). When it does not hold the report can still support 76376, so the
//! diagnostic is a note saying what 76377 would need. An addendum that says
//! where the work was done supersedes the body's statements of the place,
//! and a workstation whose work the physician disowns ("I was not involved
//! in their production") does not count.

use super::reading::Reading;
use super::{Ctx, Diagnostic, Element, ElementResult, Rule, Severity, Status};
use crate::context::Mention;
use crate::lexicon::{Concept, Context, SectionKind};
use crate::span::Span;

/// `workstation-missing`
pub const MISSING: Rule = Rule {
    id: "workstation-missing",
    severity: Severity::Note,
    element: Some(Element::Workstation),
    summary: "no statement of where the post-processing was done: 76376, not 76377",
    why: "76377 is 3D rendering on an independent workstation; 76376 is the same service not on one. Without a statement of an independent workstation only 76376 is supported.",
    source: "CPT 76377 descriptor (\"requiring image postprocessing on an independent workstation\"); docs/domain.md, element 3",
    example: "3D volume-rendered images were created under my concurrent supervision.",
    fix: "3D volume-rendered images were created on an independent workstation (Vitrea) under my concurrent supervision.",
};

/// `workstation-console`
pub const CONSOLE: Rule = Rule {
    id: "workstation-console",
    severity: Severity::Note,
    element: Some(Element::Workstation),
    summary: "post-processing at the scanner console supports 76376, not 76377",
    why: "Rendering on the scanner console or acquisition workstation is not on an independent workstation: the documentation supports 76376.",
    source: "CPT 76376 descriptor (\"not requiring image postprocessing on an independent workstation\"); docs/domain.md, element 3",
    example: "3D images were created at the scanner console under my concurrent supervision.",
    fix: "Claim 76376; claim 76377 only when the rendering was done on an independent workstation.",
};

/// `workstation-pacs`
pub const PACS: Rule = Rule {
    id: "workstation-pacs",
    severity: Severity::Warning,
    element: Some(Element::Workstation),
    summary: "a bare PACS workstation is contested as an independent workstation",
    why: "Payers differ on whether PACS 3D tools are an independent workstation. Naming the post-processing workstation or product removes the doubt.",
    source: "docs/domain.md, element 3 (\"PACS workstation\" is contested)",
    example: "3D images were created on the PACS workstation under my concurrent supervision.",
    fix: "3D images were created on an independent post-processing workstation (syngo.via) under my concurrent supervision.",
};

/// Judge element 3.
/// `documentation-conflict`
pub const CONFLICT: Rule = Rule {
    id: "documentation-conflict",
    severity: Severity::Warning,
    element: Some(Element::Workstation),
    summary: "the report's own statements disagree on where the 3D images were made",
    why: "One sentence puts the post-processing at the scanner console and another on an independent workstation, for the same study. An auditor reads the weaker one; the higher code (76377) cannot be claimed until the report says one thing.",
    source: "docs/domain.md, Statements, not keywords (where two specific accounts disagree, the higher code is not credited)",
    example: "3D images were created at the scanner console. ... The 3D images, created on the Vitrea workstation, show ...",
    fix: "Say where the 3D images were made, once: at the console (76376) or on the independent workstation (76377).",
};

/// Judge element 3: from the phrases, weighed against the statements (a
/// place only sent to is not where the work was done; the specific account
/// of a console wins over an attested workstation; two specific accounts
/// that disagree credit the lower code).
pub(super) fn check(ctx: &Ctx<'_>, reading: &Reading, out: &mut Vec<Diagnostic>) -> ElementResult {
    let mut own = Vec::new();
    let by_phrases = from_phrases(ctx, &mut own);
    if by_phrases.status.holds()
        && let Some(evidence) = by_phrases.span
    {
        let overlaps = |a: Span, b: Span| a.start < b.end && b.start < a.end;
        let sent_only = reading.only_sent_to(evidence);
        if let Some(console) = reading.console {
            let d = if sent_only || overlaps(evidence, console) || reading.attested(evidence) {
                // The workstation is only where the images went, or the words
                // were the console's own ("the dedicated CT scanner console"),
                // or an attestation the account of this study contradicts:
                // the console it is.
                Diagnostic::new(&CONSOLE, console, "post-processing at the scanner console supports 76376; 76377 needs an independent workstation")
                    .label("the scanner console: not an independent workstation")
                    .help(AT_CONSOLE)
            } else {
                Diagnostic::new(&CONFLICT, console, "the report puts the 3D post-processing at the scanner console here and on an independent workstation elsewhere; the higher code is not supported")
                    .label("at the scanner console")
                    .secondary(evidence, "on an independent workstation")
                    .help("say where the 3D images were made, once")
            };
            out.push(d);
            return ElementResult {
                status: Status::Missing,
                span: Some(console),
            };
        }
        if sent_only {
            out.push(
                Diagnostic::new(&MISSING, evidence, "the independent workstation is named only as where the 3D images were sent, stored or viewed, or denied; where they were made is not stated")
                    .label("a place the images were sent to or viewed at, not where they were made")
                    .help("for 76377, state it: e.g. \"created on an independent workstation (Vitrea)\""),
            );
            return ElementResult {
                status: Status::Missing,
                span: Some(evidence),
            };
        }
    }
    // An independent place the statements say the work was done at, where
    // no phrase found one ("sent to the Vitrea workstation, where I built the
    // models"), and no console stated.
    if !by_phrases.status.holds()
        && reading.console.is_none()
        && !ctx.of(Concept::Console).any(|m| m.affirmed())
        && let Some(&place) = reading.independent.first()
    {
        return ElementResult {
            status: Status::Present,
            span: Some(place),
        };
    }
    out.extend(own);
    by_phrases
}

/// Judge element 3 from the place phrases.
fn from_phrases(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) -> ElementResult {
    // An addendum that says where the work was done corrects the report:
    // its statements of the place supersede the body's ("Correction: the 3D
    // images were created on the scanner console, not on an independent
    // workstation").
    let in_addendum = |m: &Mention| ctx.kind_of(m) == SectionKind::Addendum;
    let corrected = ctx
        .a
        .mentions
        .iter()
        .any(|m| in_addendum(m) && m.concept().is_some_and(|c| PLACES.contains(&c)));
    // The sentences where the physician disowns post-processing.
    let disowning: Vec<(u32, u32)> = ctx
        .of(Concept::SupervisionAbsent)
        .filter(|a| a.affirmed())
        .filter_map(|a| Some((a.section, a.sentence?)))
        .collect();
    let counts = |m: &&Mention| (!corrected || in_addendum(m)) && !disowned(&disowning, m);
    let affirmed = |concepts: &[Concept]| {
        ctx.a.mentions.iter().find(|m| {
            m.affirmed() && m.concept().is_some_and(|c| concepts.contains(&c)) && counts(m)
        })
    };
    if let Some(m) = affirmed(&[Concept::Workstation, Concept::Product]) {
        return ElementResult {
            status: Status::Present,
            span: Some(m.span),
        };
    }
    if let Some(m) = affirmed(&[Concept::Pacs]) {
        out.push(
            Diagnostic::new(&PACS, m.span, "a bare PACS workstation may not count as an independent workstation; payers differ")
                .label("PACS workstation")
                .help("name the post-processing workstation or product, e.g. \"on an independent Vitrea workstation\""),
        );
        return ElementResult {
            status: Status::Weak,
            span: Some(m.span),
        };
    }
    if let Some(m) = affirmed(&[Concept::Console]) {
        out.push(
            Diagnostic::new(&CONSOLE, m.span, "post-processing at the scanner console supports 76376; 76377 needs an independent workstation")
                .label("not an independent workstation")
                .help(AT_CONSOLE),
        );
        return ElementResult {
            status: Status::Missing,
            span: Some(m.span),
        };
    }
    let negated = ctx
        .of(Concept::Workstation)
        .chain(ctx.of(Concept::Product))
        .filter(counts)
        .find(|m| !m.affirmed());
    let anchor = negated
        .map(|m| m.span)
        .or_else(|| {
            ctx.affirmed(&[Concept::Rendering])
                .filter(|m| ctx.kind_of(m) != SectionKind::Findings)
                .map(|m| ctx.sentence_span(m))
        })
        .unwrap_or_else(|| ctx.anchor(&[SectionKind::Technique, SectionKind::PostProcessing]));
    let mut d = Diagnostic::new(
        &MISSING,
        anchor,
        "no independent workstation is stated: the documentation supports 76376 at most",
    )
    .label("where the post-processing was done is not stated")
    .help("for 76377, state it: e.g. \"on an independent workstation (Vitrea)\"");
    if let Some(m) = negated {
        d = d.label("workstation not affirmed").with_context(m, ctx);
        if m.context == Context::Negated {
            // "not on an independent workstation": help never asks for
            // what the report says did not happen.
            d = d.help(NOT_THERE);
        }
    }
    out.push(d);
    ElementResult {
        status: negated.map_or(Status::Missing, |m| Status::of(m.context)),
        span: negated.map(|m| m.span),
    }
}

/// Help where the report puts the work at the console: it supports 76376,
/// and no wording moves it (SPEC: help never asks for what the report says
/// did not happen).
const AT_CONSOLE: &str = "the report puts the 3D work at the scanner console, which supports 76376; 76377 needs the work itself done on an independent workstation";

/// Help where the report says the work was not done on an independent
/// workstation.
const NOT_THERE: &str = "the report says the 3D work was not done on an independent workstation: it supports 76376 at most";

/// Where post-processing may have been done: what an addendum corrects.
const PLACES: [Concept; 4] = [
    Concept::Workstation,
    Concept::Product,
    Concept::Pacs,
    Concept::Console,
];

/// A place whose work the physician disowns in the same sentence or the
/// next ("... produced by the 3D laboratory on a TeraRecon workstation. I
/// was not involved in their production."), `disowning` holding the
/// (section, sentence) of each such statement: it does not count, whatever
/// other rendering the physician supervised.
fn disowned(disowning: &[(u32, u32)], m: &Mention) -> bool {
    let Some(s) = m.sentence else {
        return false;
    };
    m.concept() != Some(Concept::Console)
        && disowning
            .iter()
            .any(|&(section, t)| section == m.section && (t == s || t == s + 1))
}
