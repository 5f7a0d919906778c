//! Human output: rustc-style diagnostics (ariadne, counting bytes) and a
//! verdict line per report.

use super::{Checked, RenderError, Renderer, Settings};
use crate::rules::{Diagnostic, Severity};
use crate::span::{Columns, LineIndex, Span};
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
            render_human_within(checked, self.settings.colors, self.settings.width)
        })
    }
}

/// A report's name on its verdict line: an export's record also says the
/// line of the export it starts on, so a person can find it there
/// (diagnostics' `line:col` count lines of the record's text).
fn named(checked: &Checked) -> String {
    let Some(line) = checked.line else {
        return checked.path.clone();
    };
    // A record without an id is already named SOURCE:LINE.
    let mut about = match checked.path.ends_with(&format!(":{line}")) {
        true => Vec::new(),
        false => vec![format!("line {line} of the export")],
    };
    // What the record's fields say, so that a person can find it in the
    // system it came from.
    let meta = &checked.outcome.meta;
    about.extend(
        [&meta.signer, &meta.date, &meta.exam]
            .into_iter()
            .flatten()
            .cloned(),
    );
    match about.is_empty() {
        true => checked.path.clone(),
        false => format!("{} ({})", checked.path, about.join(", ")),
    }
}

/// One line a diagnostic, no report text: `path:line:col: severity[rule]: message`.
fn render_redacted(checked: &Checked) -> Vec<u8> {
    let mut out = Vec::new();
    let Checked { path, outcome, .. } = checked;
    match &outcome.unreadable {
        Some(reason) => {
            let _ = writeln!(out, "{}: error[input-unreadable]: {reason}", named(checked));
        }
        None => {
            let text = outcome.analysis.doc.text.as_str();
            let index = LineIndex::new(text);
            let mut columns = index.columns(text);
            for d in &outcome.diagnostics {
                let (line, col) = columns.line_col(d.span.start);
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
            let _ = writeln!(out, "{}: {}", named(checked), outcome.verdict.summary);
        }
    }
    out
}

/// Render one checked report with its source snippets, lines whole (but
/// those over a kilobyte).
pub fn render_human(checked: &Checked, colors: Colors) -> Vec<u8> {
    render_human_within(checked, colors, None)
}

/// Render one checked report with its source snippets, each line that does
/// not fit `width` columns (with the gutter) shown as a window around the
/// span; with no width, only lines over a kilobyte.
pub fn render_human_within(checked: &Checked, colors: Colors, width: Option<usize>) -> Vec<u8> {
    let mut out = Vec::new();
    let Checked { path, outcome, .. } = checked;
    match &outcome.unreadable {
        Some(reason) => {
            let _ = writeln!(
                out,
                "{}: {}: {reason}",
                paint("error[input-unreadable]", Color::Red, colors),
                named(checked)
            );
        }
        None => {
            let text = outcome.analysis.doc.text.as_str();
            let config = Config::default()
                .with_index_type(IndexType::Byte)
                .with_color(colors.0)
                .with_char_set(CharSet::Unicode);
            let index = LineIndex::new(text);
            // Split into lines once per report, not once per diagnostic.
            let source = Source::from(text);
            let mut columns = index.columns(text);
            // The gutter ("123 | ") and the label's arrow take about ten
            // columns of a terminal's width.
            let fits = width.map(|w| w.saturating_sub(10).max(MIN_WINDOW));
            let too_long = |s: Span| {
                let line = &text[index.line_range(text, s.start)];
                match fits {
                    // Bytes first: a line no longer in bytes fits in characters.
                    Some(w) => line.len() > w && line.chars().nth(w).is_some(),
                    None => line.len() > LONG_LINE,
                }
            };
            let window = fits.unwrap_or(WINDOW);
            for d in &outcome.diagnostics {
                match &d.suppressed {
                    None if std::iter::once(d.span)
                        .chain(d.labels.iter().map(|l| l.span))
                        .any(too_long) =>
                    {
                        render_long_line(
                            &mut out,
                            path,
                            (text, &index, &mut columns),
                            (d, window),
                            colors,
                        );
                    }
                    None => render_diagnostic(&mut out, path, (text, &source), d, config),
                    Some(s) => {
                        // One line: the finding, and the report's own reason.
                        let (line, col) = columns.line_col(d.span.start);
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
            let _ = writeln!(out, "{}: {}", named(checked), paint(verdict, color, colors));
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

fn render_diagnostic(
    out: &mut Vec<u8>,
    path: &str,
    (text, source): (&str, &Source<&str>),
    d: &Diagnostic,
    config: Config,
) {
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
    let _ = report.finish().write((id, source), &mut *out);
}

/// A line longer than this (in bytes) is shown as a window around the span,
/// not whole: a paragraph dictated as one line of a megabyte would otherwise
/// be printed once per diagnostic on it.
const LONG_LINE: usize = 1024;

/// Characters of a long line shown around the span, when the width is not
/// known.
const WINDOW: usize = 100;

/// The narrowest window shown, however narrow the terminal.
const MIN_WINDOW: usize = 20;

/// A diagnostic on a long line: rustc's layout without the box drawing,
/// the line cut to a window of `window` characters around the span, with
/// an ellipsis where it was cut; other labels are listed by position.
fn render_long_line(
    out: &mut Vec<u8>,
    path: &str,
    (text, index, columns): (&str, &LineIndex, &mut Columns<'_>),
    (d, window): (&Diagnostic, usize),
    colors: Colors,
) {
    // The gutter and the ellipses come out of the window.
    let gutter = " ".repeat(columns.line_col(d.span.start).0.to_string().len());
    let width = window;
    let window = window.saturating_sub(gutter.len() + 5).max(MIN_WINDOW);
    let (kind, color) = match d.severity {
        Severity::Error => ("error", Color::Red),
        Severity::Warning => ("warning", Color::Yellow),
        Severity::Note => ("note", Color::Cyan),
    };
    let (line, col) = columns.line_col(d.span.start);
    let _ = writeln!(
        out,
        "{}: {}",
        paint(&format!("{kind}[{}]", d.rule.id), color, colors),
        d.message
    );
    let _ = writeln!(out, "  --> {path}:{line}:{col}");
    let range = index.line_range(text, d.span.start);
    let line_start = range.start;
    let whole = &text[range];
    let (from, to) = (
        d.span.start as usize - line_start,
        (d.span.end as usize).clamp(d.span.start as usize, line_start + whole.len()) - line_start,
    );
    // The window, by characters: up to a third of it before the span.
    let before: Vec<(usize, char)> = whole[..from]
        .char_indices()
        .rev()
        .take(window / 3)
        .collect();
    let start = before.last().map_or(from, |&(i, _)| i);
    let end = whole[from..]
        .char_indices()
        .nth(window - before.len())
        .map_or(whole.len(), |(i, _)| from + i);
    let shown = &whole[start..end];
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < whole.len() { "…" } else { "" };
    let marks = whole[from..to.min(end).max(from)].chars().count().max(1);
    let pad = lead.chars().count() + whole[start..from].chars().count();
    let _ = writeln!(out, "{gutter} |");
    let _ = writeln!(out, "{line} | {lead}{shown}{tail}");
    // The label beside the marks if it fits the width, else on a line of
    // its own: an underline that wraps is no longer under its words.
    let marks_line = format!(
        "{gutter} | {}{}",
        " ".repeat(pad),
        paint(&"^".repeat(marks), color, colors)
    );
    if pad + marks + 1 + d.label.chars().count() <= width {
        let _ = writeln!(out, "{marks_line} {}", d.label);
    } else {
        let _ = writeln!(out, "{marks_line}\n{gutter} = {}", d.label);
    }
    for label in &d.labels {
        let (l, c) = columns.line_col(label.span.start);
        let _ = writeln!(out, "{gutter} = also at {l}:{c}: {}", label.message);
    }
    if !d.help.is_empty() {
        let _ = writeln!(out, "{gutter} = help: {}", d.help);
    }
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
