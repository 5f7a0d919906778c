//! Command-line arguments (clap derive types only; `app` runs them).

use clap::{Args, Parser, Subcommand, ValueEnum};
use radlint::report::Format;
use std::path::PathBuf;
use std::sync::LazyLock;

/// Exit codes, shown in `--help`.
pub const EXIT_CODES: &str = "\
Exit status:
  0  no report has an error diagnostic
  1  at least one report has an error diagnostic (or could not be read)
  2  usage or configuration error (bad arguments, bad lexicon)
Nothing checked (an empty folder, every file excluded): 0, with a warning on stderr";

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
    Check(Box<CheckArgs>),
    /// List the rules.
    Rules,
    /// Explain a rule: what it checks, why payers care, its source, an example and its fix.
    Explain {
        /// Rule id, e.g. supervision-missing.
        rule: String,
    },
    /// Show the effective lexicon, or run a custom lexicon file's examples.
    Lexicon(LexiconArgs),
    /// Show the effective configuration (radlint.toml) and where each value came from.
    Config(ConfigArgs),
    /// Print a shell completion script (e.g. `radlint completions bash > /etc/bash_completion.d/radlint`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `radlint man > radlint.1`.
    Man,
}

/// `radlint check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories (walked for .txt, .md, .markdown); `-` reads standard input, as does
    /// no path when standard input is a pipe or a file.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Judge every report against this claimed code.
    #[arg(long, value_name = "CODE", value_parser = ["76376", "76377"])]
    pub claim: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg(Format::Human))]
    pub format: FormatArg,
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
    /// When to colour human output: auto colours on a terminal, unless
    /// NO_COLOR is set (CLICOLOR=0 turns it off, CLICOLOR_FORCE=1 on).
    #[command(flatten)]
    pub color: colorchoice_clap::Color,
    /// Name to show for standard input.
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    pub stdin_name: String,
    /// What the paths hold: report files, JSON-lines exports (one report per line), FHIR
    /// DiagnosticReports (NDJSON, a Bundle or one resource) or HL7 v2 ORU messages.
    #[arg(long, value_enum, default_value_t = InputKind::Files)]
    pub input: InputKind,
    /// With --input jsonl: the field holding a report's id.
    #[arg(long, value_name = "FIELD", default_value = "id")]
    pub id_field: String,
    /// With --input jsonl: the field holding a report's text.
    #[arg(long, value_name = "FIELD", default_value = "text")]
    pub text_field: String,
    /// With --input jsonl: the field holding a metadata value, as KEY=FIELD, KEY one of signer,
    /// date, exam, modality, accession (default: the field named KEY). A record's field wins over
    /// what its text says. Repeatable.
    #[arg(long, value_name = "KEY=FIELD", value_parser = parse_meta_field)]
    pub meta_field: Vec<(MetaKey, String)>,
    /// Only walk files matching this glob (a glob without '/' matches file names). Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip walked files matching this glob. Repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// SARIF: which reports add a `verdict` result.
    #[arg(long, value_enum, value_name = "WHICH", default_value = "problems")]
    pub sarif_verdicts: SarifVerdicts,
    /// Check files named on the command line even where radlint.toml's `include`/`exclude`
    /// leave them out (they are skipped, with a note, otherwise).
    #[arg(long)]
    pub force: bool,
    /// Worker threads (default: one per core).
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Reports larger than this are reported, not read (bytes; K, M, G suffixes).
    #[arg(long, value_name = "SIZE", default_value = "10M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Write no report text in any output (spans, rule ids and verdicts only), and name reports
    /// by pseudonyms, not paths or ids: in input order, or keyed by the RADLINT_REDACT_KEY
    /// environment variable (the same token for a report in every run with that key).
    #[arg(long)]
    pub redact: bool,
    /// Withhold the signers read from reports and cut their dates to the month, in every output.
    /// (--redact alone withholds exam titles and accession numbers, which are report text, and
    /// keeps signers and dates, which are staff and study facts; the modality is always kept.)
    #[arg(long)]
    pub redact_meta: bool,
    /// Print the summary even for one report (human format prints it after more than one;
    /// other formats print it only when asked, to stderr).
    #[arg(long)]
    pub summary: bool,
    /// No progress bar (there is none anyway when stderr is not a terminal).
    #[arg(long)]
    pub no_progress: bool,
    /// Write the output to FILE, atomically: a temporary file beside it, renamed
    /// into place when the sweep is complete (never a report file).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Judge reports as templates: placeholders (`[***]`, `***`, `{{name}}`, `___`, `<<name>>`)
    /// may stand for findings and indication; attestations must be written out.
    #[arg(long)]
    pub template: bool,
    /// Configuration.
    #[command(flatten)]
    pub config: ConfigChoice,
}

/// Which configuration file to use.
#[derive(Debug, Args, Clone, Default)]
pub struct ConfigChoice {
    /// Use this configuration file instead of the nearest radlint.toml / .radlint.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long)]
    pub no_config: bool,
}

/// `radlint config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the effective configuration for PATH, with where each value came from
    /// (what `config` does; the flag spells it out, as in `radlint config --show`).
    #[arg(long)]
    pub show: bool,
    /// The file or directory whose configuration to show.
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,
    /// Configuration.
    #[command(flatten)]
    pub config: ConfigChoice,
}

/// `--format`: the library's [`Format`], named and described by the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatArg(pub Format);

impl ValueEnum for FormatArg {
    fn value_variants<'a>() -> &'a [Self] {
        static ALL: LazyLock<[FormatArg; 7]> = LazyLock::new(|| Format::ALL.map(FormatArg));
        &*ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.name()).help(self.0.description()))
    }
}

/// `--input`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputKind {
    /// Report files and directories of them.
    Files,
    /// JSON lines, `{"id": ..., "text": ...}` per line, from files or `-`.
    Jsonl,
    /// FHIR R4 DiagnosticReports: NDJSON (Bulk Data), a Bundle or one resource.
    Fhir,
    /// HL7 v2 ORU^R01 messages (MLLP framing and batch segments tolerated).
    Hl7,
}

/// "10M" -> 10 * 1024 * 1024.
fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => s.split_at(i),
        None => (s, ""),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size like 500K, 10M or 1G"))?;
    let factor: u64 = match unit.to_ascii_uppercase().trim_end_matches(['B', 'I']) {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(format!("`{s}` is not a size like 500K, 10M or 1G")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("`{s}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10M"), Ok(10 << 20));
        assert_eq!(parse_size("512"), Ok(512));
        assert_eq!(parse_size("2KiB"), Ok(2048));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5X").is_err());
    }
}

/// `radlint lexicon`.
#[derive(Debug, Args)]
pub struct LexiconArgs {
    /// Print the effective lexicon (the default): every concept, or only CONCEPT.
    #[arg(long, conflicts_with = "test")]
    pub show: bool,
    /// Concept to show, e.g. supervision.
    #[arg(value_name = "CONCEPT", conflicts_with = "test")]
    pub concept: Option<String>,
    /// Run FILE's examples against the built-in lexicon plus FILE.
    #[arg(long, value_name = "FILE")]
    pub test: Option<PathBuf>,
    /// Add a lexicon file or directory, as for `check`.
    #[arg(long, value_name = "FILE|DIR")]
    pub lexicon: Vec<PathBuf>,
}

/// `--sarif-verdicts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SarifVerdicts {
    /// Only reports with a diagnostic (keeps an archive under GitHub code scanning's
    /// 25,000 results a run)
    Problems,
    /// Every report
    All,
}

/// A metadata key `--meta-field` can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetaKey {
    /// The signing physician.
    Signer,
    /// The study's date.
    Date,
    /// The exam title.
    Exam,
    /// The modality.
    Modality,
    /// The accession number.
    Accession,
}

impl MetaKey {
    /// Every key, in the order `meta` objects list them.
    pub const ALL: [MetaKey; 5] = [
        MetaKey::Signer,
        MetaKey::Date,
        MetaKey::Exam,
        MetaKey::Modality,
        MetaKey::Accession,
    ];

    /// The key's name.
    pub fn name(self) -> &'static str {
        match self {
            MetaKey::Signer => "signer",
            MetaKey::Date => "date",
            MetaKey::Exam => "exam",
            MetaKey::Modality => "modality",
            MetaKey::Accession => "accession",
        }
    }
}

fn parse_meta_field(s: &str) -> Result<(MetaKey, String), String> {
    let (key, field) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}`: write KEY=FIELD, for instance signer=reading_md"))?;
    let key = MetaKey::ALL
        .into_iter()
        .find(|k| k.name() == key.trim())
        .ok_or_else(|| format!("`{key}`: the keys are signer, date, exam, modality, accession"))?;
    match field.trim() {
        "" => Err(format!("`{s}`: no field name after `=`")),
        field => Ok((key, field.to_owned())),
    }
}
