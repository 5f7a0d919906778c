//! Command-line arguments (clap derive types only; `app` runs them).

use crate::report::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Exit codes, shown in `--help`.
pub const EXIT_CODES: &str = "\
Exit status:
  0  no report has an error diagnostic
  1  at least one report has an error diagnostic (or could not be read)
  2  usage or configuration error (bad arguments, bad lexicon)";

/// Lint radiology reports for the documentation CPT 76376/76377 (3D rendering) require.
#[derive(Debug, Parser)]
#[command(name = "radlint", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check reports and print diagnostics and a verdict for each.
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// List the rules.
    Rules,
    /// Explain a rule: what it checks, why payers care, its source, an example and its fix.
    Explain {
        /// Rule id, e.g. supervision-missing.
        rule: String,
    },
}

/// `radlint check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories (walked for .txt, .md, .markdown); `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Judge every report against this claimed code.
    #[arg(long, value_name = "CODE", value_parser = ["76376", "76377"])]
    pub claim: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Read every input as markdown, whatever its extension.
    #[arg(long, conflicts_with = "text")]
    pub markdown: bool,
    /// Read every input as plain text, whatever its extension.
    #[arg(long)]
    pub text: bool,
    /// Add a lexicon file, or every .toml file in a directory, to the built-in lexicon.
    #[arg(long, value_name = "FILE|DIR")]
    pub lexicon: Vec<PathBuf>,
    /// CPT year for the bundling rules (default: the lexicon's).
    #[arg(long, value_name = "YEAR", value_parser = clap::value_parser!(u16).range(2006..=2100))]
    pub cpt_year: Option<u16>,
    /// When to colour human output (auto: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Name to show for standard input.
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    pub stdin_name: String,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}
