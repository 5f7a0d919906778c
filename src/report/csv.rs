//! CSV output: one row per report, for billing teams' spreadsheets.
//!
//! Takes checked reports and hands on a header row, then one row per input
//! with its verdict, each element's status and the rules that failed; the
//! `csv` crate does the quoting, so paths with commas, quotes or line breaks
//! stay one cell. A row never holds report text: only the path (or export
//! id), statuses, counts, rule ids and the verdict line.

use super::{Checked, RenderError, Renderer, Settings};
use crate::rules::{Element, Severity};
use crate::verdict::Code;

/// CSV output.
#[derive(Debug)]
pub struct CsvRenderer {
    /// Settings.
    pub settings: Settings,
}

/// The columns, in order.
pub const COLUMNS: [&str; 22] = [
    "path",
    "input_line",
    "in_scope",
    "supports",
    "rendering",
    "supervision",
    "workstation",
    "findings",
    "indication",
    "modality",
    "unbundled",
    "errors",
    "warnings",
    "failing_rules",
    "verdict",
    "lexicon_version",
    "suppressed",
    "signer",
    "date",
    "exam",
    "exam_modality",
    "accession",
];

impl Renderer for CsvRenderer {
    fn header(&self) -> Result<Vec<u8>, RenderError> {
        write_row(COLUMNS.iter().map(|c| (*c).to_owned()))
    }

    fn render(&self, checked: &Checked) -> Result<Vec<u8>, RenderError> {
        write_row(row(checked, &self.settings)?)
    }
}

/// One record, quoted as needed, ending in a newline.
fn write_row(cells: impl IntoIterator<Item = String>) -> Result<Vec<u8>, RenderError> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(cells)?;
    writer
        .into_inner()
        .map_err(|e| RenderError::Csv(e.into_error().into()))
}

fn row(checked: &Checked, settings: &Settings) -> Result<Vec<String>, RenderError> {
    let outcome = &checked.outcome;
    let count = |s: Severity| {
        outcome
            .diagnostics
            .iter()
            .filter(|d| d.severity == s && d.active())
            .count()
            .to_string()
    };
    let mut cells = vec![
        checked.path.clone(),
        checked.line.map(|l| l.to_string()).unwrap_or_default(),
        outcome.verdict.in_scope.to_string(),
        supports(outcome.verdict.supports).to_owned(),
    ];
    // An input that was not read has no element to show; a status is named
    // as in JSON (serde_plain writes a unit variant's serde name).
    for &e in &Element::ALL {
        cells.push(match outcome.unreadable {
            Some(_) => String::new(),
            None => serde_plain::to_string(&outcome.elements.get(e).status)?,
        });
    }
    cells.push(count(Severity::Error));
    cells.push(count(Severity::Warning));
    cells.push(outcome.failing_rules().join(";"));
    cells.push(outcome.verdict.summary.clone());
    cells.push(outcome.lexicon_version.to_string());
    // "rule: reason" per suppressed diagnostic, joined by " | ".
    let suppressed: Vec<String> = outcome
        .diagnostics
        .iter()
        .filter_map(|d| {
            let s = d.suppressed.as_ref()?;
            Some(format!(
                "{}: {}",
                d.rule.id,
                super::shown_reason(s, settings.redact)
            ))
        })
        .collect();
    cells.push(suppressed.join(" | "));
    // Metadata: empty where the report does not say (or output withholds it).
    let meta = &outcome.meta;
    for value in [
        &meta.signer,
        &meta.date,
        &meta.exam,
        &meta.modality,
        &meta.accession,
    ] {
        cells.push(value.clone().unwrap_or_default());
    }
    Ok(cells)
}

fn supports(code: Option<Code>) -> &'static str {
    code.map_or("neither", Code::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_when_needed() {
        let row = write_row(["a,b.txt", "say \"3D\"", "plain"].map(str::to_owned));
        assert_eq!(
            row.expect("a row"),
            b"\"a,b.txt\",\"say \"\"3D\"\"\",plain\r\n"
        );
    }

    #[test]
    fn an_unreadable_input_is_a_full_row() {
        let settings = Settings {
            lexicon_version: "v".to_owned(),
            cpt_year: 2026,
            redact: false,
            colors: super::super::Colors(false),
            all_verdicts: false,
            width: None,
            redact_meta: false,
            summary: false,
            run: Default::default(),
        };
        let failed = Checked {
            path: "x.txt".to_owned(),
            line: None,
            outcome: Box::new(crate::Outcome::unreadable(
                "binary".to_owned(),
                "test".into(),
                2026,
            )),
        };
        let cells = row(&failed, &settings).expect("a row");
        assert_eq!(cells.len(), COLUMNS.len());
        assert_eq!(cells[13], "input-unreadable");
        assert_eq!(cells[14], "not judged: binary");
    }
}
