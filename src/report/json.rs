//! JSON and JSON-lines output: the machine contract documented in the README.

use super::{Checked, RenderError, Renderer, Settings};
use crate::meta::Meta;
use crate::rules::{Element, ElementResult, Severity, Status};
use crate::span::{LineIndex, Span};
use crate::verdict::Code;
use serde::Serialize;
use std::collections::BTreeMap;

/// One report, as QA tooling reads it.
#[derive(Debug, Serialize)]
pub struct ReportJson<'a> {
    /// Path, `<stdin>`, or an export's id.
    pub path: &'a str,
    /// Line of a JSON-lines export (absent for files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_line: Option<u64>,
    /// Lexicon version.
    pub lexicon_version: &'a str,
    /// CPT year used for bundling.
    pub cpt_year: u16,
    /// Whether the report is about 3D rendering at all.
    pub in_scope: bool,
    /// "76377", "76376" or null.
    pub supports: Option<Code>,
    /// The one-line verdict.
    pub verdict: String,
    /// Codes claimed, by option or in the text.
    pub claimed: Vec<Code>,
    /// What the report says about itself (signer, date, exam, modality,
    /// accession; null where it does not say, or where output withholds it).
    pub meta: &'a Meta,
    /// Each element's status and evidence (empty for unreadable files).
    pub elements: BTreeMap<&'static str, ElementJson>,
    /// Diagnostics, sorted by position and rule.
    pub diagnostics: Vec<DiagnosticJson>,
}

/// An element's status.
#[derive(Debug, Serialize)]
pub struct ElementJson {
    /// present, weak, missing, negated, hypothetical, historical, fails.
    pub status: Status,
    /// Evidence, when any.
    pub span: Option<SpanJson>,
}

/// A span with its line and column (1-based; columns in characters).
#[derive(Debug, Serialize)]
pub struct SpanJson {
    /// Byte offset.
    pub start: u32,
    /// Byte offset, exclusive.
    pub end: u32,
    /// Line of `start`.
    pub line: usize,
    /// Column of `start`.
    pub column: usize,
}

/// A diagnostic.
#[derive(Debug, Serialize)]
pub struct DiagnosticJson {
    /// Rule id.
    pub rule: &'static str,
    /// error, warning, note.
    pub severity: Severity,
    /// Why it matters.
    pub message: String,
    /// Suggested wording.
    pub help: String,
    /// Byte offset.
    pub start: u32,
    /// Byte offset, exclusive.
    pub end: u32,
    /// Line of `start`.
    pub line: usize,
    /// Column of `start`.
    pub column: usize,
    /// Present when a directive in the report allows this diagnostic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<SuppressedJson>,
}

/// A suppression: the report's reason (withheld by `--redact`) and where the
/// directive stands.
#[derive(Debug, Serialize)]
pub struct SuppressedJson {
    /// Why, as the report says.
    pub reason: String,
    /// The directive.
    pub directive: SpanJson,
}

fn span_json(index: &LineIndex, text: &str, span: Span) -> SpanJson {
    let (line, column) = index.line_col(text, span.start);
    SpanJson {
        start: span.start,
        end: span.end,
        line,
        column,
    }
}

/// JSON lines: one report per line.
#[derive(Debug)]
pub struct JsonlRenderer {
    /// Settings.
    pub settings: Settings,
}

impl Renderer for JsonlRenderer {
    fn render(&self, checked: &Checked) -> Result<Vec<u8>, RenderError> {
        let mut out = serde_json::to_vec(&report_json(checked, &self.settings))?;
        out.push(b'\n');
        Ok(out)
    }
}

/// One JSON document: `{"lexicon_version", "cpt_year", "reports": [...]}`.
#[derive(Debug)]
pub struct JsonRenderer {
    /// Settings.
    pub settings: Settings,
}

impl Renderer for JsonRenderer {
    fn header(&self) -> Result<Vec<u8>, RenderError> {
        let version = serde_json::to_string(&self.settings.lexicon_version)?;
        Ok(format!(
            "{{\"lexicon_version\": {version}, \"cpt_year\": {}, \"reports\": [\n",
            self.settings.cpt_year
        )
        .into_bytes())
    }

    fn render(&self, checked: &Checked) -> Result<Vec<u8>, RenderError> {
        Ok(serde_json::to_vec(&report_json(checked, &self.settings))?)
    }

    fn separator(&self) -> &'static [u8] {
        b",\n"
    }

    fn footer(&self, summary: &super::Summary) -> Result<Vec<u8>, RenderError> {
        if !self.settings.summary {
            return Ok(b"\n]}\n".to_vec());
        }
        let aggregates = serde_json::to_string(&summary.aggregates())?;
        Ok(format!("\n],\n\"summary\": {aggregates}}}\n").into_bytes())
    }
}

/// The JSON value of one checked report. JSON output carries no report text,
/// redacted or not: messages never quote the report.
pub fn report_json<'a>(checked: &'a Checked, settings: &'a Settings) -> ReportJson<'a> {
    let outcome = &checked.outcome;
    let text = outcome.analysis.doc.text.as_str();
    let index = LineIndex::new(text);
    let element = |r: ElementResult| ElementJson {
        status: r.status,
        span: r.span.map(|s| span_json(&index, text, s)),
    };
    // An input that was not read has no element to show.
    let elements = match outcome.unreadable {
        Some(_) => BTreeMap::new(),
        None => Element::ALL
            .iter()
            .map(|&e| (e.name(), element(outcome.elements.get(e))))
            .collect(),
    };
    let diagnostics = outcome
        .diagnostics
        .iter()
        .map(|d| {
            let at = span_json(&index, text, d.span);
            DiagnosticJson {
                rule: d.rule.id,
                severity: d.severity,
                message: d.message.clone(),
                help: d.help.clone(),
                start: at.start,
                end: at.end,
                line: at.line,
                column: at.column,
                suppressed: d.suppressed.as_ref().map(|s| SuppressedJson {
                    reason: super::shown_reason(s, settings.redact).to_owned(),
                    directive: span_json(&index, text, s.directive),
                }),
            }
        })
        .collect();
    // A report says what it was judged under (configurations below a walked
    // directory may differ).
    ReportJson {
        path: &checked.path,
        input_line: checked.line,
        lexicon_version: &outcome.lexicon_version,
        cpt_year: outcome.cpt_year,
        in_scope: outcome.verdict.in_scope,
        supports: outcome.verdict.supports,
        verdict: outcome.verdict.summary.clone(),
        claimed: outcome.claimed.clone(),
        meta: &outcome.meta,
        elements,
        diagnostics,
    }
}
