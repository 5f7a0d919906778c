//! The QA report: one self-contained HTML page a compliance manager opens
//! offline (no fonts, scripts, styles or images from anywhere: a content
//! security policy forbids every request), drawn from the sweep's
//! [`Aggregates`] and the rows [`Summary`] kept, so its numbers are the
//! `--summary` JSON's. Charts are inline SVG drawn here; the only script
//! sorts and filters tables, and the page reads the same without it (and
//! prints, with a print stylesheet).
//!
//! It holds no report text: paths (or pseudonyms), metadata as output may
//! show it, codes, rule ids, verdict lines, line numbers, and the rules'
//! own explanations.

use super::aggregate::{Aggregates, GroupRow, OTHER, UNATTRIBUTED};
use super::summary::{PAGE_ROWS, Row};
use super::{Checked, RenderError, Renderer, Settings, Summary};
use crate::verdict::Code;
use std::fmt::Write;

/// Groups a breakdown's chart draws (its table lists every group).
const CHART_GROUPS: usize = 15;

/// Groups a breakdown's table lists; the JSON summary has them all.
const TABLE_GROUPS: usize = 200;

/// The HTML QA report.
#[derive(Debug)]
pub struct HtmlRenderer {
    /// Settings.
    pub settings: Settings,
}

impl Renderer for HtmlRenderer {
    /// The page is drawn at the end, from the summary: nothing per report.
    fn render(&self, _checked: &Checked) -> Result<Vec<u8>, RenderError> {
        Ok(Vec::new())
    }

    fn footer(&self, summary: &Summary) -> Result<Vec<u8>, RenderError> {
        Ok(page(summary, &self.settings).into_bytes())
    }
}

/// Escape text for HTML content and quoted attributes.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn pct(share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_owned(), |s| format!("{:.1}%", s * 100.0))
}

fn of(n: u64, all: u64) -> String {
    match all {
        0 => n.to_string(),
        _ => format!("{n} <small>({:.1}%)</small>", 100.0 * n as f64 / all as f64),
    }
}

fn page(summary: &Summary, settings: &Settings) -> String {
    let a = summary.aggregates();
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(HEAD);
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n");
    let _ = write!(
        out,
        "<header><h1>3D rendering documentation: QA report</h1>\
         <p class=\"run\">{} read on {} · radlint {} · lexicon {} · CPT {} bundling rules</p></header>\n<main>\n",
        count(a.read, "report"),
        esc(&settings.run.date),
        esc(&settings.run.version),
        esc(&settings.lexicon_version),
        settings.cpt_year,
    );
    headline(&mut out, &a);
    elements(&mut out, &a);
    for (dimension, title) in [
        ("signer", "By signing radiologist"),
        ("modality", "By modality"),
        ("exam", "By exam"),
        ("month", "By month"),
    ] {
        match a.by.get(dimension) {
            Some(groups) => breakdown(&mut out, dimension, title, groups),
            None => withheld(&mut out, dimension, title),
        }
    }
    let (risk, risk_total) = summary.at_risk();
    claims(&mut out, &a, risk, risk_total, settings);
    rules(&mut out, &a);
    let (problems, problems_total) = summary.problems();
    problem_table(&mut out, problems, problems_total, settings);
    judged_with(&mut out, &a, settings);
    out.push_str("</main>\n");
    out.push_str("<script>\n");
    out.push_str(SCRIPT);
    out.push_str("</script>\n");
    out.push_str("</body>\n</html>\n");
    out
}

fn headline(out: &mut String, a: &Aggregates) {
    let s = &a.supports;
    let cards = [
        ("Reports read", a.read.to_string(), "judged by radlint"),
        (
            "About 3D rendering",
            of(a.in_scope, a.read),
            "in scope: the report mentions 3D rendering or claims a code",
        ),
        (
            "Support 76377",
            of(s.c76377, a.in_scope),
            "of the reports in scope",
        ),
        (
            "Support 76376",
            of(s.c76376, a.in_scope),
            "of the reports in scope",
        ),
        (
            "Support neither",
            of(s.neither, a.in_scope),
            "of the reports in scope",
        ),
        (
            "Claims not supported",
            of(a.claims.unsupported, a.claims.claimed),
            "of the reports that claim a code",
        ),
        (
            "76377 claimed, 76376 documented",
            a.claims.downgraded.to_string(),
            "claims that only support the lower code",
        ),
        (
            "Compliance",
            pct(a.compliance),
            "in scope, a code supported, no claim unsupported",
        ),
    ];
    out.push_str("<section id=\"headline\"><h2>Headline</h2><div class=\"cards\">\n");
    for (title, value, note) in cards {
        let _ = writeln!(
            out,
            "<div class=\"card\"><div class=\"label\">{title}</div><div class=\"value\">{value}</div><div class=\"note\">{note}</div></div>"
        );
    }
    if a.skipped > 0 {
        let why: Vec<String> = a
            .skipped_because
            .iter()
            .map(|(reason, n)| format!("{} ({n})", esc(reason)))
            .collect();
        let _ = writeln!(
            out,
            "<p class=\"warn\">{} inputs could not be read: {}</p>",
            a.skipped,
            why.join("; ")
        );
    }
    out.push_str("</div></section>\n");
}

/// A horizontal bar chart: one bar a row, its share of 100%.
fn bars(out: &mut String, id: &str, rows: &[(String, Option<f64>, String)]) {
    let (label_w, bar_w, row_h) = (300.0, 400.0, 24.0);
    let height = row_h * rows.len() as f64 + 8.0;
    let width = label_w + bar_w + 90.0;
    let _ = writeln!(
        out,
        "<svg class=\"chart\" id=\"{id}\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">"
    );
    for (i, (label, share, note)) in rows.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let w = share.map_or(0.0, |s| (s * bar_w).max(1.0));
        let shown: String = match label.chars().count() {
            n if n > 30 => label.chars().take(29).chain(['…']).collect(),
            _ => label.clone(),
        };
        let _ = writeln!(
            out,
            "<g><title>{}: {} ({})</title><text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect class=\"track\" x=\"{label_w}\" y=\"{:.1}\" width=\"{bar_w}\" height=\"{:.1}\"/>\
             <rect class=\"bar\" x=\"{label_w}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\"/>\
             <text x=\"{:.0}\" y=\"{:.1}\">{}</text></g>",
            esc(label),
            pct(*share),
            esc(note),
            label_w - 8.0,
            y + 16.0,
            esc(&shown),
            y + 3.0,
            row_h - 8.0,
            y + 3.0,
            row_h - 8.0,
            label_w + bar_w + 8.0,
            y + 16.0,
            pct(*share),
        );
    }
    out.push_str("</svg>\n");
}

fn elements(out: &mut String, a: &Aggregates) {
    out.push_str(
        "<section id=\"elements\"><h2>Element pass rates</h2>\
         <p>Among the reports in scope where each element was judged (where 3D rendering is not documented, only it is).</p>\n",
    );
    let rows: Vec<(String, Option<f64>, String)> = a
        .elements
        .iter()
        .map(|(name, r)| {
            let note = format!("{} of {}", r.holds, count(r.judged, "report"));
            ((*name).to_owned(), r.rate, note)
        })
        .collect();
    bars(out, "chart-elements", &rows);
    out.push_str("</section>\n");
}

/// A breakdown whose field output withholds: said, not drawn.
fn withheld(out: &mut String, dimension: &str, title: &str) {
    let why = match dimension {
        "signer" => "Signers are withheld (<code>--redact-meta</code>): no breakdown by signer.",
        _ => {
            "Exam titles are report text, withheld (<code>--redact</code>): no breakdown by exam; \
             the modality breakdown stands."
        }
    };
    let _ = writeln!(
        out,
        "<section id=\"by-{dimension}\"><h2>{title}</h2><p class=\"note\">{why}</p></section>"
    );
}

/// "1 report", "2 reports".
fn count(n: u64, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        _ => format!("{n} {noun}s"),
    }
}

/// The months from `first` to `last` (YYYY-MM), in order.
fn months_between(first: &str, last: &str) -> Vec<String> {
    let parse = |m: &str| -> Option<(i32, u32)> {
        Some((m.get(..4)?.parse().ok()?, m.get(5..7)?.parse().ok()?))
    };
    let (Some((mut y, mut m)), Some(end)) = (parse(first), parse(last)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while (y, m) <= end && out.len() < 1200 {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

fn breakdown(out: &mut String, dimension: &str, title: &str, groups: &[GroupRow]) {
    let _ = writeln!(out, "<section id=\"by-{dimension}\"><h2>{title}</h2>");
    let in_scope: Vec<&GroupRow> = groups.iter().filter(|g| g.in_scope > 0).collect();
    if in_scope.is_empty() {
        out.push_str("<p>No report in scope.</p></section>\n");
        return;
    }
    // Months on a continuous axis, the latest 24 up to the last with a
    // report in scope (a month without one is an empty bar, said so): is
    // it getting better? Other breakdowns: the groups with most reports in
    // scope.
    let rows: Vec<(String, Option<f64>, String)> = if dimension == "month" {
        let dated: Vec<&GroupRow> = in_scope
            .iter()
            .copied()
            .filter(|g| g.key != UNATTRIBUTED && g.key != OTHER)
            .collect();
        let first = dated.iter().map(|g| g.key.as_str()).min().unwrap_or("");
        let last = dated.iter().map(|g| g.key.as_str()).max().unwrap_or("");
        let all = months_between(first, last);
        let shown = &all[all.len().saturating_sub(24)..];
        let _ = writeln!(
            out,
            "<p>Compliance rate of the reports in scope, month by month{}.</p>",
            match (shown.first(), shown.last()) {
                (Some(a), Some(b)) if a != b => format!(", {a} to {b}"),
                (Some(a), _) => format!(", {a}"),
                _ => String::new(),
            }
        );
        shown
            .iter()
            .map(|month| match dated.iter().find(|g| &g.key == month) {
                Some(g) => {
                    let note = format!("{} of {} in scope", g.compliant, g.in_scope);
                    (month.clone(), g.compliance, note)
                }
                None => (month.clone(), None, "no report in scope".to_owned()),
            })
            .collect()
    } else {
        let charted: Vec<&GroupRow> = in_scope.iter().copied().take(CHART_GROUPS).collect();
        let _ = writeln!(
            out,
            "<p>Compliance rate of the reports in scope, for the {} with most reports in scope.</p>",
            count(charted.len() as u64, "group")
        );
        charted
            .iter()
            .map(|g| {
                let note = format!("{} of {} in scope", g.compliant, g.in_scope);
                (g.key.clone(), g.compliance, note)
            })
            .collect()
    };
    bars(out, &format!("chart-{dimension}"), &rows);
    let mut listed: Vec<&GroupRow> = in_scope.iter().copied().take(TABLE_GROUPS).collect();
    if dimension == "month" {
        listed.sort_by(|a, b| a.key.cmp(&b.key));
    }
    let _ = writeln!(
        out,
        "<table class=\"sortable\" id=\"table-{dimension}\"><thead><tr>\
         <th>{}</th><th class=\"n\">Read</th><th class=\"n\">In scope</th><th class=\"n\">76377</th>\
         <th class=\"n\">76376</th><th class=\"n\">Neither</th><th class=\"n\">Claims not supported</th>\
         <th class=\"n\">Compliance</th><th>Most frequent gap</th><th>Most frequent failing rule</th></tr></thead><tbody>",
        esc(&capitalised(dimension))
    );
    for g in &listed {
        let key = match g.key.as_str() {
            UNATTRIBUTED | OTHER => format!("<em>{}</em>", esc(&g.key)),
            key => esc(key),
        };
        let top = g.top_rule.as_ref().map_or_else(String::new, |r| {
            format!("<a href=\"#rule-{0}\">{0}</a> ({1})", r.rule, r.reports)
        });
        let gap = g
            .top_gap
            .as_ref()
            .map_or_else(String::new, |e| format!("{} ({})", e.element, e.reports));
        let _ = writeln!(
            out,
            "<tr><td>{key}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\" data-sort=\"{}\">{}</td><td>{gap}</td><td>{top}</td></tr>",
            g.read,
            g.in_scope,
            g.supports_76377,
            g.supports_76376,
            g.neither,
            g.claims_unsupported,
            g.compliance.map_or(-1.0, |c| c),
            pct(g.compliance),
        );
    }
    out.push_str("</tbody></table>\n");
    let unlisted = groups.len() - listed.len();
    if unlisted > 0 {
        let _ = writeln!(
            out,
            "<p class=\"note\">{} not listed ({} in scope past the first {TABLE_GROUPS}, the others with no report in scope); \
             <code>--summary --format json</code> gives them all.</p>",
            count(unlisted as u64, "group"),
            in_scope.len() - listed.len()
        );
    }
    out.push_str("</section>\n");
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn codes(codes: &[Code]) -> String {
    codes
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn claims(out: &mut String, a: &Aggregates, rows: &[Row], total: u64, settings: &Settings) {
    let _ = writeln!(
        out,
        "<section id=\"claims\"><h2>Claims at risk</h2>\
         <p>{} a code (by option, configuration or in the text); {} a code the documentation does not support, {} of them 76377 where only 76376 is documented.</p>",
        match a.claims.claimed {
            1 => "1 report claims".to_owned(),
            n => format!("{n} reports claim"),
        },
        match a.claims.unsupported {
            1 => "1 claims".to_owned(),
            n => format!("{n} claim"),
        },
        a.claims.downgraded
    );
    if rows.is_empty() {
        out.push_str("<p>No claim at risk.</p></section>\n");
        return;
    }
    out.push_str(
        "<table class=\"sortable\" id=\"table-claims\"><thead><tr><th>Report</th><th>Signer</th>\
         <th>Date</th><th>Claimed</th><th>Documented</th><th>Risk</th></tr></thead><tbody>\n",
    );
    for r in rows {
        let risk = if r.downgraded {
            "76377 claimed, only 76376 documented"
        } else {
            "claimed code not documented"
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"date\">{}</td><td>{}</td><td>{}</td><td>{risk}</td></tr>",
            report_cell(r),
            cell(&r.signer, settings.redact_meta),
            opt(&r.date),
            codes(&r.claimed),
            r.supports.map_or("neither", Code::as_str),
        );
    }
    out.push_str("</tbody></table>\n");
    more(out, rows.len(), total, settings);
    out.push_str("</section>\n");
}

fn more(out: &mut String, shown: usize, total: u64, settings: &Settings) {
    if total > shown as u64 {
        let rest = match &settings.run.problems_csv {
            Some(name) => format!(
                "every report with a problem is listed in <a href=\"{0}\">{0}</a>, beside this page",
                esc(name)
            ),
            None => "written with <code>--output FILE</code>, the page lists every report with a problem in \
                     <code>FILE.problems.csv</code> beside it; <code>--format csv</code> lists every report"
                .to_owned(),
        };
        let _ = writeln!(
            out,
            "<p class=\"note more\">{} more are not listed here (the page lists {PAGE_ROWS}): {rest}.</p>",
            total - shown as u64
        );
    }
}

/// A metadata cell: the value, *withheld* when output withholds the field,
/// or *unattributed* when the report does not say.
fn cell(value: &Option<String>, withheld: bool) -> String {
    match (value, withheld) {
        (None, true) => "<em>withheld</em>".to_owned(),
        _ => opt(value),
    }
}

fn opt(value: &Option<String>) -> String {
    value
        .as_deref()
        .map_or_else(|| format!("<em>{UNATTRIBUTED}</em>"), esc)
}

fn report_cell(r: &Row) -> String {
    match r.input_line {
        Some(line) => format!("{} <small>line {line}</small>", esc(&r.path)),
        None => esc(&r.path),
    }
}

fn rules(out: &mut String, a: &Aggregates) {
    out.push_str("<section id=\"rules\"><h2>Most frequent failing rules</h2>\n");
    if a.rules.is_empty() {
        out.push_str("<p>No rule failed.</p></section>\n");
        return;
    }
    out.push_str("<p>Errors and warnings, by the reports they failed in (bars: the share of all reports read). Each explanation is what <code>radlint explain RULE</code> prints.</p>\n");
    let rows: Vec<(String, Option<f64>, String)> = a
        .rules
        .iter()
        .take(CHART_GROUPS)
        .map(|r| {
            let share = (a.read > 0).then(|| r.reports as f64 / a.read as f64);
            (r.rule.to_owned(), share, count(r.reports, "report"))
        })
        .collect();
    bars(out, "chart-rules", &rows);
    for r in a.rules.iter().take(20) {
        let explanation =
            crate::rules::find(r.rule).map_or_else(String::new, |rule| rule.explanation());
        let summary = crate::rules::find(r.rule).map_or("", |rule| rule.summary);
        let _ = writeln!(
            out,
            "<details id=\"rule-{0}\"><summary><code>{0}</code>: {1} — {2}</summary><pre>{3}</pre></details>",
            r.rule,
            count(r.reports, "report"),
            esc(summary),
            esc(&explanation)
        );
    }
    out.push_str("</section>\n");
}

fn problem_table(out: &mut String, rows: &[Row], total: u64, settings: &Settings) {
    let _ = writeln!(
        out,
        "<section id=\"problems\"><h2>Reports with problems</h2>\
         <p>{} in scope: a failing rule, no code supported, or a claim the documentation does not support.</p>",
        count(total, "report")
    );
    if rows.is_empty() {
        out.push_str("</section>\n");
        return;
    }
    out.push_str(
        "<p class=\"filter\"><label>Filter: <input type=\"search\" id=\"filter\" data-table=\"table-problems\" \
         placeholder=\"path, signer, rule, verdict…\"></label> <span id=\"filter-count\"></span></p>\n\
         <table class=\"sortable\" id=\"table-problems\"><thead><tr><th>Report</th><th>Signer</th><th>Date</th>\
         <th>Exam</th><th>Verdict</th><th>Failing rules</th><th class=\"n\">Line of the first error or warning</th></tr></thead><tbody>\n",
    );
    for r in rows {
        let rules: Vec<String> = r
            .rules
            .iter()
            .map(|id| format!("<a href=\"#rule-{id}\">{id}</a>"))
            .collect();
        let exam = cell(&r.exam, settings.redact);
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"date\">{}</td><td>{exam}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            report_cell(r),
            cell(&r.signer, settings.redact_meta),
            opt(&r.date),
            esc(&r.verdict),
            rules.join(" "),
            r.first_line.map(|l| l.to_string()).unwrap_or_default(),
        );
    }
    out.push_str("</tbody></table>\n");
    more(out, rows.len(), total, settings);
    out.push_str("</section>\n");
}

fn judged_with(out: &mut String, a: &Aggregates, settings: &Settings) {
    out.push_str("<section id=\"judged-with\"><h2>How this was judged</h2><ul>\n");
    for w in &a.judged_with {
        let _ = writeln!(
            out,
            "<li>lexicon {}, CPT {} bundling rules: {}</li>",
            esc(&w.lexicon_version),
            w.cpt_year,
            count(w.reports, "report")
        );
    }
    let _ = writeln!(
        out,
        "<li>radlint {}, run on {}</li><li>command: <code>{}</code></li>",
        esc(&settings.run.version),
        esc(&settings.run.date),
        esc(&settings.run.command)
    );
    out.push_str(
        "<li>Compliance: a report in scope whose documentation supports 76377 or 76376 and that claims no code it does not support.</li>\
         <li>A report is in scope when it mentions 3D rendering or claims a code. Metadata (signer, date, exam) is read from labelled fields only; \
         <em>unattributed</em> means the report does not say.</li>\
         <li>This page holds no report text: paths (or pseudonyms under --redact), metadata, codes, rule ids and verdicts.</li>\
         </ul></section>\n",
    );
}

const HEAD: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="generator" content="radlint">
<title>radlint QA report</title>
<style>
"#;

/// Sorting by a column header, and the problems table's filter. The page
/// reads the same without it.
const SCRIPT: &str = include_str!("html/script.js");

/// The page's styles, screen and print.
const STYLE: &str = include_str!("html/style.css");
