//! Claims: a code the user claims (`--claim`) or that the report itself
//! writes (CPT 76376/76377), judged against the verdict.

use super::study::{code_counts, code_of};
use super::{Ctx, Diagnostic, Rule, Severity};
use crate::lexicon::{Concept, SectionKind};
use crate::span::Span;
use crate::verdict::{Code, Verdict};

/// `claim-unsupported`
pub const UNSUPPORTED: Rule = Rule {
    id: "claim-unsupported",
    severity: Severity::Error,
    element: None,
    summary: "a claimed 3D code is not supported by the documentation",
    why: "Billing a code the report does not support invites denial and recovery on audit; it is the worst mistake a coder can make with these codes.",
    source: "docs/domain.md, The verdict",
    example: "CPT 76377 ... 3D images were created at the scanner console under my concurrent supervision.",
    fix: "Claim what the documentation supports (here 76376), or document what the claimed code needs.",
};

/// `claim-both-codes`
pub const BOTH_CODES: Rule = Rule {
    id: "claim-both-codes",
    severity: Severity::Error,
    element: None,
    summary: "both 76376 and 76377 are claimed",
    why: "76376 and 76377 are mutually exclusive for one study: the rendering was either on an independent workstation or not.",
    source: "CPT 76376/76377 parenthetical notes (do not report together); docs/domain.md, The two codes",
    example: "CPT: 70486, 76376, 76377",
    fix: "CPT: 70486, 76377",
};

/// `claim-mismatch`
pub const MISMATCH: Rule = Rule {
    id: "claim-mismatch",
    severity: Severity::Warning,
    element: None,
    summary: "76376 is claimed but the documentation supports 76377",
    why: "76376 is for rendering not on an independent workstation; the report documents one. The claim understates the service and disagrees with the record.",
    source: "CPT 76376/76377 descriptors; docs/domain.md, The verdict",
    example: "CPT 76376 ... created on an independent Vitrea workstation ...",
    fix: "CPT 76377",
};

/// The 3D codes written in the report, with where.
pub(crate) fn claims_in_text(ctx: &Ctx<'_>) -> Vec<(Code, Span)> {
    ctx.of(Concept::CptCode)
        .filter(|m| code_counts(ctx, m))
        .filter_map(|m| Code::parse(code_of(ctx, m)).map(|c| (c, m.span)))
        .collect()
}

/// Judge the claims against the verdict.
pub(crate) fn check_claims(
    ctx: &Ctx<'_>,
    claimed: &[(Code, Option<Span>)],
    verdict: &Verdict,
    fallback: Option<Span>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let anchor = |span: Option<Span>| {
        span.or(fallback)
            .unwrap_or_else(|| ctx.anchor(&[SectionKind::Exam, SectionKind::Technique]))
    };
    let has = |code: Code| claimed.iter().find(|(c, _)| *c == code);
    if let (Some(a), Some(b)) = (has(Code::C76376), has(Code::C76377)) {
        let span = anchor(b.1.or(a.1));
        let mut d = Diagnostic::new(
            &BOTH_CODES,
            span,
            "76376 and 76377 are both claimed; they are mutually exclusive for one study",
        )
        .label("both codes")
        .help("claim the one the documentation supports");
        if let (Some(x), Some(y)) = (a.1, b.1)
            && x != span
        {
            d = d.secondary(x, "the other code");
            let _ = y;
        }
        out.push(d);
        return out;
    }
    for &(code, span) in claimed {
        match (code, verdict.supports) {
            (c, Some(s)) if c == s => {}
            (Code::C76376, Some(Code::C76377)) => out.push(
                Diagnostic::new(&MISMATCH, anchor(span), "76376 is claimed, but the documentation supports 76377 (independent workstation)")
                    .label("claimed 76376")
                    .help("claim 76377"),
            ),
            (c, supports) => {
                let needs = verdict.needs_for(c).join(", ");
                let message = match supports {
                    Some(s) => format!("{} is claimed, but the documentation supports only {}; {} needs: {needs}", c.as_str(), s.as_str(), c.as_str()),
                    None => format!("{} is claimed, but the documentation supports neither code; missing: {needs}", c.as_str()),
                };
                out.push(
                    Diagnostic::new(&UNSUPPORTED, anchor(span), message)
                        .label(format!("claimed {}", c.as_str()))
                        .help("document what is missing, or claim what the documentation supports"),
                );
            }
        }
    }
    out
}
