//! GitHub Actions output: workflow commands that become annotations.
//!
//! Takes checked reports and hands on one line per diagnostic,
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::MESSAGE`
//! (`::warning`, `::notice` for notes), then one
//! `::notice file=…,line=1,title=verdict::SUMMARY` per report; an input that
//! could not be read is one `::error file=…,title=input-unreadable::REASON`.
//! Columns count characters and `endColumn` is the column just past the span,
//! as in SARIF; they are given only for a span on one line, since GitHub
//! ignores columns of an annotation that spans lines. Values are escaped as
//! the runner unescapes them, so a path or message cannot end a property or
//! start a new command. Messages never quote the report, so nothing here
//! depends on `redact`.

use super::{Checked, RenderError, Renderer};
use crate::rules::Severity;
use crate::span::LineIndex;
use std::fmt::Write;

/// GitHub Actions workflow commands. They hold no report text but a
/// suppression's reason (withheld by `--redact`), and GitHub shows no
/// lexicon version.
#[derive(Debug)]
pub struct GithubRenderer {
    /// `--redact`.
    pub redact: bool,
}

impl Renderer for GithubRenderer {
    fn render(&self, checked: &Checked) -> Result<Vec<u8>, RenderError> {
        let mut out = String::new();
        let file = escape_property(&checked.path);
        let outcome = &checked.outcome;
        match &outcome.unreadable {
            Some(reason) => {
                let _ = writeln!(
                    out,
                    "::error file={file},title=input-unreadable::{}",
                    escape_data(reason)
                );
            }
            None => {
                let text = outcome.analysis.doc.text.as_str();
                let index = LineIndex::new(text);
                for d in &outcome.diagnostics {
                    let (line, col) = index.line_col(text, d.span.start);
                    let (end_line, end_col) = index.line_col(text, d.span.end);
                    let at = if line == end_line {
                        format!("line={line},col={col},endLine={end_line},endColumn={end_col}")
                    } else {
                        format!("line={line},endLine={end_line}")
                    };
                    match &d.suppressed {
                        None => {
                            let _ = writeln!(
                                out,
                                "::{} file={file},{at},title={}::{}",
                                command(d.severity),
                                escape_property(d.rule.id),
                                escape_data(&d.message)
                            );
                        }
                        Some(s) => {
                            let _ = writeln!(
                                out,
                                "::notice file={file},{at},title={}::{}",
                                escape_property(&format!("{} (suppressed)", d.rule.id)),
                                escape_data(&format!(
                                    "{} Allowed: {}",
                                    d.message,
                                    super::shown_reason(s, self.redact)
                                ))
                            );
                        }
                    }
                }
                // An export's record also says what its fields say (signer,
                // date, exam), so that a person can find it.
                let meta = &outcome.meta;
                let about: Vec<&str> = [&meta.signer, &meta.date, &meta.exam]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                let verdict = match (checked.line, about.is_empty()) {
                    (Some(line), false) => format!(
                        "{} (line {line} of the export: {})",
                        outcome.verdict.summary,
                        about.join(", ")
                    ),
                    _ => outcome.verdict.summary.clone(),
                };
                let _ = writeln!(
                    out,
                    "::notice file={file},line=1,title=verdict::{}",
                    escape_data(&verdict)
                );
            }
        }
        Ok(out.into_bytes())
    }
}

/// The workflow command of a severity.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// Escape a command's message: `%`, CR and LF.
pub fn escape_data(s: &str) -> String {
    escape(s, false)
}

/// Escape a command's property value: as [`escape_data`], and `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(escape_data("100% sure"), "100%25 sure");
        assert_eq!(escape_data("a\r\nb\nc"), "a%0D%0Ab%0Ac");
        assert_eq!(escape_data("a: b, c"), "a: b, c");
        assert_eq!(
            escape_data("%0A"),
            "%250A",
            "an escape in the input stays literal"
        );
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("C:\\r,1.txt"), "C%3A\\r%2C1.txt");
        assert_eq!(escape_property("50%\n::x"), "50%25%0A%3A%3Ax");
        assert_eq!(escape_property("plain/path.txt"), "plain/path.txt");
    }

    #[test]
    fn an_unreadable_input_is_one_error() {
        let r = GithubRenderer { redact: false };
        let failed = Checked {
            path: "a,b:c.txt".to_owned(),
            line: None,
            outcome: Box::new(crate::Outcome::unreadable(
                "binary\nfile".to_owned(),
                "test".into(),
                2026,
            )),
        };
        assert_eq!(
            String::from_utf8_lossy(&r.render(&failed).expect("rendered")),
            "::error file=a%2Cb%3Ac.txt,title=input-unreadable::binary%0Afile\n"
        );
    }
}
