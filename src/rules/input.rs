//! Input: problems with the report file itself, and documentation that is
//! not report text.

use super::{Ctx, Diagnostic, Rule, Severity};
use crate::lexicon::Concept;
use crate::matcher::{Hit, Target};
use crate::span::Span;

/// `input-invalid-utf8`
pub const INVALID_UTF8: Rule = Rule {
    id: "input-invalid-utf8",
    severity: Severity::Warning,
    element: None,
    summary: "the file is not valid UTF-8; invalid bytes were read as '?'",
    why: "A mis-encoded export can hide or garble words the verdict depends on; the report was judged on what could be read.",
    source: "radlint input handling",
    example: "(a Windows-1252 export with curly quotes)",
    fix: "Export the reports as UTF-8.",
};

/// `input-hidden-text`
pub const HIDDEN_TEXT: Rule = Rule {
    id: "input-hidden-text",
    severity: Severity::Note,
    element: None,
    summary: "3D documentation inside a code block, HTML comment or struck-through text does not count",
    why: "Only text a reader of the report sees is documentation. An attestation left in a markdown code block or comment is not in the signed report.",
    source: "docs/domain.md, Context (only text a reader sees counts)",
    example: "<!-- 3D images were created under my concurrent supervision -->",
    fix: "3D images were created under my concurrent supervision.",
};

/// `input-unreadable`
pub const UNREADABLE: Rule = Rule {
    id: "input-unreadable",
    severity: Severity::Error,
    element: None,
    summary: "the file could not be read as a report",
    why: "A report that cannot be read cannot be judged; a sweep reports it and goes on rather than skip it silently.",
    source: "radlint input handling",
    example: "(a file without read permission, a binary file, a dangling link)",
    fix: "Fix the file's permissions or encoding, or exclude it from the sweep.",
};

/// Concepts whose presence in hidden text deserves a note.
const DOCUMENTATION: &[Concept] = &[
    Concept::Rendering,
    Concept::Supervision,
    Concept::Workstation,
    Concept::Product,
];

/// Input diagnostics from the document.
pub(super) fn check(ctx: &Ctx<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let doc = &ctx.a.doc;
    if doc.utf16 {
        out.push(
            Diagnostic::new(
                &INVALID_UTF8,
                Span::new(0, 0),
                "the file is UTF-16, not UTF-8: it was judged transcoded to UTF-8, and offsets count bytes of that text",
            )
            .label("UTF-16 byte-order mark")
            .help("export the report as UTF-8"),
        );
    }
    if let Some(&first) = doc.invalid_utf8.first() {
        let bytes: usize = doc.invalid_utf8.iter().map(|s| s.len()).sum();
        out.push(
            Diagnostic::new(
                &INVALID_UTF8,
                first,
                format!("{bytes} byte(s) are not valid UTF-8 and were read as '?'"),
            )
            .label("invalid UTF-8")
            .help("export the report as UTF-8"),
        );
    }
    for &(region, mention) in &ctx.a.hidden {
        out.push(
            Diagnostic::new(&HIDDEN_TEXT, mention, "3D documentation here is not report text (code block, HTML comment or struck-through text) and does not count")
                .label("not visible in the report")
                .secondary(region, "hidden region")
                .help("move the statement into the visible report text"),
        );
    }
    out
}

/// For each hidden region, the first hit of 3D documentation in it.
pub fn hidden_text(regions: &[Span], hits: &[Hit]) -> Vec<(Span, Span)> {
    // Hits are in document order: a region's are one run, found by binary
    // search (a file of many hidden blocks stays linear).
    debug_assert!(hits.windows(2).all(|w| w[0].span.start <= w[1].span.start));
    regions
        .iter()
        .filter_map(|&r| {
            let first = hits.partition_point(|h| h.span.start < r.start);
            hits[first..]
                .iter()
                .take_while(|h| h.span.start < r.end)
                .find(|h| {
                    r.contains(h.span)
                        && matches!(h.target, Target::Concept { concept, .. } if DOCUMENTATION.contains(&concept))
                })
                .map(|h| (r, h.span))
        })
        .collect()
}
