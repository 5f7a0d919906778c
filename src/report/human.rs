//! Human output: rustc-style diagnostics (ariadne, counting bytes) and a
//! verdict line per report.

use super::{Checked, RenderError, Renderer, Settings};
use crate::rules::{Diagnostic, Severity};
use crate::span::LineIndex;
use ariadne::{CharSet, Color, Config, IndexType, Label, Report, ReportKind, Source};
use std::io::Write;
use std::ops::Range;

/// Whether to colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colors(pub bool);

/// Human output.
#[derive(Debug)]
pub struct HumanRenderer {
    /// Settings.
    pub settings: Settings,
}

impl Renderer for HumanRenderer {
    fn header(&self) -> Result<Vec<u8>, RenderError> {
        Ok(if self.settings.redact {
            b"(redacted: report text is not shown)\n".to_vec()
        } else {
            Vec::new()
        })
    }

    fn render(&self, checked: &Checked) -> Result<Vec<u8>, RenderError> {
        Ok(if self.settings.redact {
            render_redacted(checked)
        } else {
            render_human(checked, self.settings.colors)
        })
    }
}

/// One line a diagnostic, no report text: `path:line:col: severity[rule]: message`.
fn render_redacted(checked: &Checked) -> Vec<u8> {
    let mut out = Vec::new();
    let Checked { path, outcome, .. } = checked;
    match &outcome.unreadable {
        Some(reason) => {
            let _ = writeln!(out, "{path}: error[input-unreadable]: {reason}");
        }
        None => {
            let text = outcome.analysis.doc.text.as_str();
            let index = LineIndex::new(text);
            for d in &outcome.diagnostics {
                let (line, col) = index.line_col(text, d.span.start);
                let allowed = if d.active() { "" } else { "suppressed " };
                let _ = writeln!(
                    out,
                    "{path}:{line}:{col}: {allowed}{}[{}]: {} (bytes {}..{})",
                    d.severity.name(),
                    d.rule.id,
                    d.message,
                    d.span.start,
                    d.span.end
                );
            }
            let _ = writeln!(out, "{path}: {}", outcome.verdict.summary);
        }
    }
    out
}

/// Render one checked report with its source snippets.
pub fn render_human(checked: &Checked, colors: Colors) -> Vec<u8> {
    let mut out = Vec::new();
    let Checked { path, outcome, .. } = checked;
    match &outcome.unreadable {
        Some(reason) => {
            let _ = writeln!(
                out,
                "{}: {path}: {reason}",
                paint("error[input-unreadable]", Color::Red, colors)
            );
        }
        None => {
            let text = outcome.analysis.doc.text.as_str();
            let config = Config::default()
                .with_index_type(IndexType::Byte)
                .with_color(colors.0)
                .with_char_set(CharSet::Unicode);
            let index = LineIndex::new(text);
            for d in &outcome.diagnostics {
                match &d.suppressed {
                    None => render_diagnostic(&mut out, path, text, d, config),
                    Some(s) => {
                        // One line: the finding, and the report's own reason.
                        let (line, col) = index.line_col(text, d.span.start);
                        let _ = writeln!(
                            out,
                            "{path}:{line}:{col}: {} {}[{}]: {}\n  = allowed: {}",
                            paint("suppressed", Color::Cyan, colors),
                            d.severity.name(),
                            d.rule.id,
                            d.message,
                            s.reason
                        );
                    }
                }
            }
            let verdict = &outcome.verdict.summary;
            let color = match outcome.verdict.supports {
                Some(_) => Color::Green,
                None if outcome.verdict.in_scope => Color::Red,
                None => Color::White,
            };
            let _ = writeln!(out, "{path}: {}", paint(verdict, color, colors));
        }
    }
    // ariadne 0.6 colours the header of a custom report kind ("note") even
    // with colour off: strip escape sequences rather than print them into a pipe.
    if colors.0 {
        out
    } else {
        anstream::adapter::strip_bytes(&out).into_vec()
    }
}

fn render_diagnostic(out: &mut Vec<u8>, path: &str, text: &str, d: &Diagnostic, config: Config) {
    let id = path.to_owned();
    let (kind, color) = match d.severity {
        Severity::Error => (ReportKind::Error, Color::Red),
        Severity::Warning => (ReportKind::Warning, Color::Yellow),
        Severity::Note => (ReportKind::Custom("note", Color::Cyan), Color::Cyan),
    };
    let primary = visible_range(text, d.span.range());
    let mut report = Report::build(kind, (id.clone(), primary.clone()))
        .with_config(config)
        .with_code(d.rule.id)
        .with_message(&d.message);
    if !text.is_empty() {
        report = report.with_label(
            Label::new((id.clone(), primary))
                .with_message(&d.label)
                .with_color(color)
                .with_order(0),
        );
        for (i, label) in d.labels.iter().enumerate() {
            report = report.with_label(
                Label::new((id.clone(), visible_range(text, label.span.range())))
                    .with_message(&label.message)
                    .with_color(Color::Blue)
                    .with_order(i as i32 + 1),
            );
        }
    }
    if !d.help.is_empty() {
        report = report.with_help(&d.help);
    }
    let _ = report.finish().write((id, Source::from(text)), &mut *out);
}

/// ariadne cannot point at nothing: widen an empty span to the next character.
fn visible_range(text: &str, range: Range<usize>) -> Range<usize> {
    if range.start < range.end || text.is_empty() {
        return range;
    }
    let start = range.start.min(text.len());
    match text[start..].chars().next() {
        Some(c) => start..start + c.len_utf8(),
        None => {
            let prev = text[..start].chars().next_back().map_or(0, char::len_utf8);
            start - prev..start
        }
    }
}

fn paint(s: &str, color: Color, colors: Colors) -> String {
    if colors.0 {
        format!("{}", ariadne::Fmt::fg(s, color))
    } else {
        s.to_owned()
    }
}
