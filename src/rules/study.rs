//! Elements 6 and 7: the base exam is tomographic and does not already
//! include 3D rendering.
//!
//! The base exam is read from its title: the EXAM section and the text before
//! the first heading. When the title names no modality, TECHNIQUE is read
//! (and, in a report with no headings, the whole text). Bundled base exams are recognised from
//! title words (in force for the CPT year) and from CPT codes written in the
//! report: codes in the title, codes in a sentence where "CPT" precedes a code,
//! and the 3D codes themselves anywhere.

use super::{Ctx, Diagnostic, Element, ElementResult, Rule, Severity, Status};
use crate::context::Mention;
use crate::lexicon::{Concept, Context, SectionKind};
use crate::matcher::Target;

/// `modality-not-tomographic`
pub const NOT_TOMOGRAPHIC: Rule = Rule {
    id: "modality-not-tomographic",
    severity: Severity::Error,
    element: Some(Element::Modality),
    summary: "the base exam is not tomographic (radiograph, fluoroscopy, mammography)",
    why: "76376/76377 apply to CT, MR, ultrasound and other tomographic studies. Radiographs, fluoroscopy and 2D mammography have no volume to render.",
    source: "CPT 76376/76377 descriptors (\"CT, MRI, ultrasound, or other tomographic modality\"); docs/domain.md, element 6",
    example: "EXAM: XR LEFT WRIST 3 VIEWS",
    fix: "Do not claim 76376/76377 for a projection study.",
};

/// `modality-unknown`
pub const UNKNOWN: Rule = Rule {
    id: "modality-unknown",
    severity: Severity::Error,
    element: Some(Element::Modality),
    summary: "the base exam cannot be identified",
    why: "The 3D codes accompany a tomographic base exam; a report that does not name its exam cannot show that one qualifies.",
    source: "docs/domain.md, element 6",
    example: "(a report with no EXAM line or title)",
    fix: "EXAM: CT FACIAL BONES WITHOUT CONTRAST",
};

/// `bundled-base-exam`
pub const BUNDLED: Rule = Rule {
    id: "bundled-base-exam",
    severity: Severity::Error,
    element: Some(Element::Unbundled),
    summary: "the base exam's code already includes 3D rendering",
    why: "CT and MR angiography, cardiac CT/MR, CT colonography, breast MRI and nuclear medicine codes include 3D rendering; CPT parenthetical notes forbid adding 76376/76377 (31627 excludes 76376 only).",
    source: "CPT parenthetical notes (see lexicon/bundled.toml for the codes and years); docs/domain.md, element 7",
    example: "EXAM: CT ANGIOGRAPHY CHEST ... 3D volume-rendered images were created ...",
    fix: "Do not add 76376/76377 to a base exam that includes 3D rendering.",
};

/// The title: text before the first heading, and EXAM sections.
fn in_title(ctx: &Ctx<'_>, m: &Mention) -> bool {
    matches!(ctx.kind_of(m), SectionKind::Title | SectionKind::Exam)
        && !(ctx.kind_of(m) == SectionKind::Title
            && ctx.headingless()
            && m.sentence.is_some_and(|s| s > 0))
}

/// Judge element 6.
pub(super) fn check_modality(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) -> ElementResult {
    // The clinical history and comparison speak of other imaging ("fracture
    // on the radiograph"), so they never name the base exam.
    let tiers: [&dyn Fn(&Mention) -> bool; 3] = [
        &|m| in_title(ctx, m),
        &|m| ctx.kind_of(m) == SectionKind::Technique,
        &|_| ctx.headingless(),
    ];
    for tier in tiers {
        let found = |c: Concept| ctx.of(c).find(|m| m.affirmed() && tier(m));
        if let Some(m) = found(Concept::ModalityTomographic) {
            return ElementResult {
                status: Status::Present,
                span: Some(m.span),
            };
        }
        if let Some(m) = found(Concept::ModalityProjection) {
            out.push(
                Diagnostic::new(&NOT_TOMOGRAPHIC, m.span, "the base exam is a projection study; 76376/76377 need CT, MR, ultrasound or another tomographic exam")
                    .label("not tomographic")
                    .help("do not claim 76376/76377 for radiographs, fluoroscopy or mammography"),
            );
            return ElementResult {
                status: Status::Fails,
                span: Some(m.span),
            };
        }
    }
    out.push(
        Diagnostic::new(
            &UNKNOWN,
            ctx.anchor(&[SectionKind::Exam, SectionKind::Technique]),
            "the base exam is not named, so it cannot be shown to qualify",
        )
        .label("name the exam here")
        .help("e.g. \"EXAM: CT FACIAL BONES WITHOUT CONTRAST\""),
    );
    ElementResult::missing()
}

/// The five-character code a CPT mention names.
pub(super) fn code_of<'t>(ctx: &Ctx<'t>, m: &Mention) -> &'t str {
    let text = ctx.a.doc.visible_slice(m.span);
    &text[text.len().saturating_sub(5)..]
}

/// True when a CPT-code mention counts as a code written in the report.
pub(super) fn code_counts(ctx: &Ctx<'_>, m: &Mention) -> bool {
    // A code is data, not a statement: only another study's code is excluded
    // ("WITHOUT CONTRAST\nCPT: 76377" does not negate the code).
    let code = code_of(ctx, m);
    m.context != Context::Historical
        && (code == "76376" || code == "76377" || in_title(ctx, m) || ctx.code_labelled(m))
}

/// Judge element 7: also which codes are excluded, and the exams' labels.
pub(super) fn check_bundled(
    ctx: &Ctx<'_>,
    out: &mut Vec<Diagnostic>,
) -> (ElementResult, Vec<&'static str>, Vec<String>) {
    let bundles = &ctx.lexicon.bundles;
    let mut hits: Vec<(usize, &Mention)> = Vec::new();
    for m in &ctx.a.mentions {
        match m.target {
            Target::Bundle(i)
                if m.affirmed()
                    && in_title(ctx, m)
                    && bundles[i as usize].in_force(ctx.cpt_year) =>
            {
                hits.push((i as usize, m));
            }
            Target::Concept {
                concept: Concept::CptCode,
                ..
            } if code_counts(ctx, m) => {
                let code = code_of(ctx, m);
                if let Some(i) = bundles
                    .iter()
                    .position(|b| b.in_force(ctx.cpt_year) && b.has_code(code))
                {
                    hits.push((i, m));
                }
            }
            _ => {}
        }
    }
    let mut excluded: Vec<&'static str> = Vec::new();
    let mut labels = Vec::new();
    for &(i, _) in &hits {
        for code in &bundles[i].excludes {
            let code: &'static str = if code == "76376" { "76376" } else { "76377" };
            if !excluded.contains(&code) {
                excluded.push(code);
            }
        }
        if !labels.contains(&bundles[i].label) {
            labels.push(bundles[i].label.clone());
        }
    }
    excluded.sort_unstable();
    let Some(&(first, m)) = hits.first() else {
        return (
            ElementResult {
                status: Status::Present,
                span: None,
            },
            excluded,
            labels,
        );
    };
    let bundle = &bundles[first];
    let which = if bundle.excludes.len() == 2 {
        "76376 and 76377".to_owned()
    } else {
        bundle.excludes.join(" and ")
    };
    out.push(
        Diagnostic::new(
            &BUNDLED,
            m.span,
            format!(
                "the base exam ({}) already includes 3D rendering: {which} may not be added",
                bundle.label
            ),
        )
        .label(bundle.label.clone())
        .help(format!("source: {}", bundle.source)),
    );
    let status = if excluded.len() == 2 {
        Status::Fails
    } else {
        Status::Weak
    };
    (
        ElementResult {
            status,
            span: Some(m.span),
        },
        excluded,
        labels,
    )
}
