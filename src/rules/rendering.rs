//! Element 1: a statement that 3D rendering was performed, for this study.
//!
//! An addendum that denies the rendering corrects the report: the element
//! fails whatever came before. Otherwise it holds when a rendering mention is
//! affirmed in the body of the report (a "3D" in the exam title or the
//! indication is what was ordered, not a statement that it was done).
//! Otherwise one diagnostic says
//! why: the rendering is negated, only offered, or about another study; or the
//! only "3D" is something that is not rendering (MPR, MIP, a 3D acquisition,
//! tomosynthesis, a 3D-printed model); or there is nothing at all.

use super::{Ctx, Diagnostic, Element, ElementResult, Rule, Severity, Status};
use crate::lexicon::{Concept, Context, SectionKind};

/// `rendering-missing`
pub const MISSING: Rule = Rule {
    id: "rendering-missing",
    severity: Severity::Error,
    element: Some(Element::Rendering),
    summary: "the report never states that 3D rendering was performed",
    why: "76376 and 76377 pay for 3D rendering. A claim without a statement that it was done, naming the technique, is denied on review and recovered on audit.",
    source: "CPT 76376/76377 descriptors: 3D rendering with interpretation and reporting; docs/domain.md, element 1",
    example: "TECHNIQUE: Axial CT images of the face. (claimed 76377)",
    fix: "TECHNIQUE: Axial CT images of the face. 3D volume-rendered images were created on an independent workstation under my concurrent supervision.",
};

/// `rendering-negated`
pub const NEGATED: Rule = Rule {
    id: "rendering-negated",
    severity: Severity::Error,
    element: Some(Element::Rendering),
    summary: "3D rendering is mentioned only as not done",
    why: "A negated statement (\"no 3D reconstructions were performed\") documents that the service was not provided; neither code may be billed.",
    source: "docs/domain.md, Context: negated mentions are not documentation",
    example: "No 3D reconstructions were performed.",
    fix: "3D volume-rendered reconstructions were performed on an independent workstation under my concurrent supervision.",
};

/// `rendering-hypothetical`
pub const HYPOTHETICAL: Rule = Rule {
    id: "rendering-hypothetical",
    severity: Severity::Error,
    element: Some(Element::Rendering),
    summary: "3D rendering is only offered, recommended or promised",
    why: "\"3D images can be performed on request\" or \"will be sent separately\" documents a service that has not been provided at the time of the report.",
    source: "docs/domain.md, Context: hypothetical, future and offered mentions are not documentation",
    example: "3D reconstructions are available upon request.",
    fix: "Issue an addendum once the 3D images are made: \"ADDENDUM: 3D volume-rendered images were created ... and demonstrate ...\"",
};

/// `rendering-historical`
pub const HISTORICAL: Rule = Rule {
    id: "rendering-historical",
    severity: Severity::Error,
    element: Some(Element::Rendering),
    summary: "3D rendering is mentioned only for a prior or outside study",
    why: "Rendering done for another study (a prior exam, outside images, the COMPARISON section) cannot be billed with this one.",
    source: "docs/domain.md, Context: historical / other-study mentions are not documentation",
    example: "COMPARISON: Prior 3D CT of the face (2023).",
    fix: "State the rendering done for this study: \"3D volume-rendered images of the current study were created ...\"",
};

/// `rendering-mpr-only`
pub const MPR_ONLY: Rule = Rule {
    id: "rendering-mpr-only",
    severity: Severity::Error,
    element: Some(Element::Rendering),
    summary: "multiplanar reformats are 2D and never support 76376/76377",
    why: "Coronal, sagittal, oblique and curved planar reformats are 2D and have been part of the base CT/MR code since 2006. 76376 is 3D rendering, not \"2D post-processing\".",
    source: "CPT 2006 bundling of multiplanar reconstruction into base exam codes; docs/domain.md, element 1",
    example: "Coronal and sagittal reformats were obtained. (claimed 76376)",
    fix: "Claim 76376/76377 only when 3D rendering (volume rendering, SSD, 3D MIP...) was performed and documented.",
};

/// `rendering-mip-only`
pub const MIP_ONLY: Rule = Rule {
    id: "rendering-mip-only",
    severity: Severity::Warning,
    element: Some(Element::Rendering),
    summary: "MIP not described as 3D does not establish 3D rendering",
    why: "Coders disagree on maximum intensity projections: thin-slab or 2D MIPs are routine reformats. MIP counts only when documented as a 3D reconstruction (\"3D MIP reconstructions\"), so no credit is given.",
    source: "docs/domain.md, element 1 (MIP)",
    example: "Thin-slab MIP images of the lungs were reviewed.",
    fix: "3D MIP reconstructions were created on an independent workstation under my concurrent supervision.",
};

/// `rendering-acquisition-only`
pub const ACQUISITION_ONLY: Rule = Rule {
    id: "rendering-acquisition-only",
    severity: Severity::Error,
    element: Some(Element::Rendering),
    summary: "a 3D acquisition is not 3D rendering",
    why: "3D sequences (3D FLAIR, MPRAGE, SPGR, 3D TOF), a volumetric acquisition or an acquired ultrasound volume describe how data were acquired, not post-processing; they are part of the base exam.",
    source: "docs/domain.md, element 1 (3D acquisition)",
    example: "Sagittal 3D FLAIR and MPRAGE sequences were acquired.",
    fix: "Claim 76376/76377 only when the volume was rendered (volume rendering, surface rendering) and the rendering is documented.",
};

/// `rendering-tomosynthesis`
pub const TOMOSYNTHESIS: Rule = Rule {
    id: "rendering-tomosynthesis",
    severity: Severity::Error,
    element: Some(Element::Rendering),
    summary: "breast tomosynthesis (\"3D mammogram\") is not 3D rendering",
    why: "Tomosynthesis has its own codes (77061-77063, G0279); calling it a \"3D mammogram\" does not make it 3D rendering.",
    source: "docs/domain.md, element 1 (tomosynthesis)",
    example: "Bilateral 3D mammogram with tomosynthesis. CPT 76376.",
    fix: "Report tomosynthesis with its own code; do not add 76376/76377.",
};

/// `rendering-printed-model`
pub const PRINTED_MODEL: Rule = Rule {
    id: "rendering-printed-model",
    severity: Severity::Error,
    element: Some(Element::Rendering),
    summary: "a 3D-printed model is not 3D rendering",
    why: "3D printing of anatomic models has its own Category III codes (0559T-0562T); it does not document 3D rendering.",
    source: "docs/domain.md, element 1 (3D-printed model); CPT 0559T-0562T",
    example: "A 3D-printed model of the acetabulum was produced for planning.",
    fix: "Report the printed model with 0559T-0562T; add 76376/76377 only when 3D rendering is documented as well.",
};

/// Judge element 1.
pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) -> ElementResult {
    let mentions: Vec<_> = ctx.of(Concept::Rendering).collect();
    // An addendum that says 3D rendering was not performed corrects the report.
    if let Some(m) = mentions.iter().find(|m| {
        m.context == Context::Negated
            && !m.finding_source
            && ctx.kind_of(m) == SectionKind::Addendum
    }) {
        out.push(
            Diagnostic::new(
                &NEGATED,
                m.span,
                "an addendum states that 3D rendering was not performed; it corrects the report",
            )
            .label("retracted here")
            .with_context(m, ctx)
            .help("the addendum supersedes the earlier 3D statements: do not claim 76376/76377"),
        );
        return ElementResult {
            status: Status::Negated,
            span: Some(m.span),
        };
    }
    if let Some(m) = mentions
        .iter()
        .find(|m| m.affirmed() && is_statement(ctx, m))
    {
        return ElementResult {
            status: Status::Present,
            span: Some(m.span),
        };
    }
    for (context, rule, message, label) in [
        (
            Context::Negated,
            &NEGATED,
            "3D rendering is documented only as not performed",
            "negated here",
        ),
        (
            Context::Hypothetical,
            &HYPOTHETICAL,
            "3D rendering is only offered, recommended or promised, not documented as done",
            "not documented as done",
        ),
        (
            Context::Historical,
            &HISTORICAL,
            "3D rendering is mentioned only for another study",
            "refers to another study",
        ),
    ] {
        if let Some(m) = mentions.iter().find(|m| m.context == context) {
            out.push(
                Diagnostic::new(rule, m.span, message)
                    .label(label)
                    .with_context(m, ctx)
                    .help("state the 3D rendering done for this study, e.g. \"3D volume-rendered images were created on an independent workstation under my concurrent supervision\""),
            );
            return ElementResult {
                status: Status::of(context),
                span: Some(m.span),
            };
        }
    }
    let lookalikes = [
        (
            Concept::PrintedModel,
            &PRINTED_MODEL,
            "a 3D-printed model is not 3D rendering; it has its own codes (0559T-0562T)",
            "a printed model",
        ),
        (
            Concept::Tomosynthesis,
            &TOMOSYNTHESIS,
            "breast tomosynthesis is not 3D rendering",
            "tomosynthesis",
        ),
        (
            Concept::Acquisition,
            &ACQUISITION_ONLY,
            "a 3D acquisition is not 3D rendering; it is part of the base exam",
            "a 3D acquisition, not a rendering",
        ),
        (
            Concept::Mpr,
            &MPR_ONLY,
            "multiplanar reformats are 2D, part of the base exam, and never support 76376/76377",
            "2D reformats",
        ),
        (
            Concept::Mip,
            &MIP_ONLY,
            "MIP is not described as 3D, so it does not establish 3D rendering",
            "MIP not described as 3D",
        ),
    ];
    let mut explained = false;
    for (concept, rule, message, label) in lookalikes {
        if let Some(m) = ctx.of(concept).find(|m| m.affirmed()) {
            out.push(
                Diagnostic::new(rule, m.span, message)
                    .label(label)
                    .help("76376/76377 need 3D rendering: e.g. \"3D volume-rendered images were created ...\""),
            );
            explained |= rule.severity == Severity::Error || concept == Concept::Mip;
        }
    }
    if !explained {
        let anchor = ctx.anchor(&[
            SectionKind::Technique,
            SectionKind::PostProcessing,
            SectionKind::Exam,
        ]);
        let mut d = Diagnostic::new(&MISSING, anchor, "no statement that 3D rendering was performed")
            .label("the rendering statement belongs here")
            .help("e.g. \"3D volume-rendered images were created on an independent workstation under my concurrent supervision\"");
        if let Some(m) = mentions.iter().find(|m| m.affirmed()) {
            d = d.secondary(
                m.span,
                "3D is named in the exam title or indication only: an order, not a statement that it was done",
            );
        }
        out.push(d);
    }
    ElementResult::missing()
}

/// A mention in the exam title or the indication names what was ordered or
/// why; it does not state that rendering was performed.
fn is_statement(ctx: &Ctx<'_>, m: &crate::context::Mention) -> bool {
    match ctx.kind_of(m) {
        SectionKind::Exam | SectionKind::History => false,
        SectionKind::Title => ctx.headingless(),
        SectionKind::Technique
        | SectionKind::Comparison
        | SectionKind::Findings
        | SectionKind::Impression
        | SectionKind::PostProcessing
        | SectionKind::Addendum
        | SectionKind::Other => true,
    }
}
