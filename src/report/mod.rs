//! Views of checked reports: every output format renders the same
//! [`Checked`] values, so nothing a format shows is decided here.
//!
//! Renderers return bytes for one report; the caller writes them in path
//! order, so output is the same whatever the thread count.

mod human;
mod json;

pub use human::{Colors, render_human};
pub use json::{ReportJson, render_json_value};

use crate::Outcome;

/// One input, judged or not.
#[derive(Debug)]
pub enum Checked {
    /// Read and judged.
    Report {
        /// Display name (path, or `<stdin>`).
        path: String,
        /// The judgement.
        outcome: Box<Outcome>,
    },
    /// Could not be read as a report.
    Failed {
        /// Display name.
        path: String,
        /// Why, without report text.
        reason: String,
    },
}

impl Checked {
    /// Display name.
    pub fn path(&self) -> &str {
        match self {
            Checked::Report { path, .. } | Checked::Failed { path, .. } => path,
        }
    }

    /// True when it counts as an error for the exit status.
    pub fn has_errors(&self) -> bool {
        match self {
            Checked::Report { outcome, .. } => outcome.has_errors(),
            Checked::Failed { .. } => true,
        }
    }
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics and a verdict line per report.
    Human,
    /// One JSON object per report per line.
    Jsonl,
    /// One JSON document with every report.
    Json,
}
