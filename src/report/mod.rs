//! Views of checked reports. Every output format renders the same
//! [`Checked`] values through one [`Renderer`] interface, so nothing a format
//! shows is decided here.
//!
//! A sweep streams: `render` is called for each report on worker threads and
//! returns bytes; the caller writes `header`, then each report's bytes in path
//! order with `separator` between them, then `footer`. Output is therefore
//! the same whatever the thread count, and no format holds the archive.
//!
//! With `redact`, no format writes report text: no snippets and no matched
//! phrases, only paths (or export ids), spans, rule ids and verdicts.
//! Messages never quote the report, so they are kept.

mod aggregate;
mod csv;
mod github;
mod html;
mod human;
mod json;
mod pseudonym;
mod sarif;
mod summary;

pub use aggregate::{Aggregates, GroupRow, MAX_GROUPS};
pub use human::{Colors, HumanRenderer, render_human};
pub use json::{JsonRenderer, JsonlRenderer, ReportJson, report_json};
pub use pseudonym::Pseudonyms;
pub use summary::{PAGE_ROWS, Row, Stats, Summary};

use crate::Outcome;

/// One input and its outcome (an input that could not be read has an
/// outcome too: see [`Outcome::unreadable`]).
#[derive(Debug)]
pub struct Checked {
    /// Display name: the path, `<stdin>`, or an export's id.
    pub path: String,
    /// Line of a JSON-lines export this report came from.
    pub line: Option<u64>,
    /// The judgement.
    pub outcome: Box<Outcome>,
}

impl Checked {
    /// True when it counts as an error for the exit status.
    pub fn has_errors(&self) -> bool {
        self.outcome.has_errors()
    }
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// rustc-style diagnostics and a verdict line per report.
    Human,
    /// One JSON object per report per line.
    Jsonl,
    /// One JSON document with every report.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and SARIF viewers.
    Sarif,
    /// One CSV row per report, for spreadsheets.
    Csv,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// A QA report: one self-contained HTML page with the sweep's breakdowns.
    Html,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 7] = [
        Format::Human,
        Format::Jsonl,
        Format::Json,
        Format::Sarif,
        Format::Csv,
        Format::Github,
        Format::Html,
    ];

    /// The name a user types (`--format NAME`) and configuration files hold.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Jsonl => "jsonl",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Csv => "csv",
            Format::Github => "github",
            Format::Html => "html",
        }
    }

    /// One line on what the format is for.
    pub fn description(self) -> &'static str {
        match self {
            Format::Human => "rustc-style diagnostics and a verdict line per report",
            Format::Jsonl => "One JSON object per report per line",
            Format::Json => "One JSON document with every report",
            Format::Sarif => "SARIF 2.1.0, for GitHub code scanning and SARIF viewers",
            Format::Csv => "One CSV row per report, for spreadsheets",
            Format::Github => "GitHub Actions workflow commands (annotations)",
            Format::Html => {
                "A QA report: one self-contained HTML page (breakdowns by signer, exam, month; claims at risk)"
            }
        }
    }
}

/// What every renderer needs to know besides the report.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Lexicon version, for machine output.
    pub lexicon_version: String,
    /// CPT year used for bundling.
    pub cpt_year: u16,
    /// Write no report text.
    pub redact: bool,
    /// Colour human output.
    pub colors: Colors,
    /// SARIF: a `verdict` result for every report, not only for those with
    /// a diagnostic.
    pub all_verdicts: bool,
    /// Human output: the width to fit source lines to (the terminal's, or
    /// COLUMNS); unknown, only lines over a kilobyte are cut.
    pub width: Option<usize>,
    /// Signers withheld and dates cut to the month (`--redact-meta`).
    pub redact_meta: bool,
    /// JSON: the summary's aggregates in the document (`--summary`).
    pub summary: bool,
    /// What the QA report says of the run.
    pub run: RunInfo,
}

/// The run, as the QA report names it.
#[derive(Clone, Debug, Default)]
pub struct RunInfo {
    /// radlint's version.
    pub version: String,
    /// When it ran (UTC), or `SOURCE_DATE_EPOCH`'s date for reproducible pages.
    pub date: String,
    /// The command line (paths withheld under `--redact`).
    pub command: String,
    /// The file beside the page that lists every report with a problem,
    /// when the page's tables are full (see [`PAGE_ROWS`]).
    pub problems_csv: Option<String>,
}

/// A suppression's reason as output shows it: the reason is the report's own
/// text, so `--redact` withholds it.
pub fn shown_reason(s: &crate::rules::Suppression, redact: bool) -> &str {
    if redact {
        "(reason redacted)"
    } else {
        &s.reason
    }
}

/// A report or header a format could not write: a serializer failed. Never
/// expected (every value written is plain data), but a format says so rather
/// than write an empty record that a reader would take for a report.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// JSON, JSON lines or SARIF.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// CSV.
    #[error("cannot write CSV: {0}")]
    Csv(#[from] ::csv::Error),
    /// A name as serde writes it, for a CSV cell.
    #[error("cannot name a value: {0}")]
    Name(#[from] serde_plain::Error),
}

/// A streaming output format. `render` runs on worker threads.
pub trait Renderer: Sync {
    /// Bytes before the first report.
    fn header(&self) -> Result<Vec<u8>, RenderError> {
        Ok(Vec::new())
    }
    /// One report's bytes (empty: nothing to say about it, and no
    /// separator is written for it).
    fn render(&self, checked: &Checked) -> Result<Vec<u8>, RenderError>;
    /// Bytes between two reports.
    fn separator(&self) -> &'static [u8] {
        b""
    }
    /// Bytes after the last report, with the sweep's summary (a format
    /// that is a view of the whole sweep draws it here).
    fn footer(&self, _summary: &Summary) -> Result<Vec<u8>, RenderError> {
        Ok(Vec::new())
    }
}

/// The renderer for `format`.
pub fn renderer(format: Format, settings: Settings) -> Box<dyn Renderer> {
    match format {
        Format::Human => Box::new(HumanRenderer { settings }),
        Format::Jsonl => Box::new(JsonlRenderer { settings }),
        Format::Json => Box::new(JsonRenderer { settings }),
        Format::Sarif => Box::new(sarif::SarifRenderer { settings }),
        Format::Csv => Box::new(csv::CsvRenderer { settings }),
        Format::Github => Box::new(github::GithubRenderer {
            redact: settings.redact,
        }),
        Format::Html => Box::new(html::HtmlRenderer { settings }),
    }
}
