//! The commands, run: what `main` calls once the arguments are parsed.
//!
//! Output goes to the writers passed in; nothing here exits the process.

use crate::cli::{CheckArgs, Cli, ColorChoice, Command};
use crate::document::{Document, Format as TextFormat};
use crate::lexicon::{Lexicon, LexiconError};
use crate::report::{Checked, Colors, Format, render_human, render_json_value};
use crate::rules;
use crate::verdict::Code;
use crate::walk::{self, Input};
use crate::{CheckOptions, Engine};
use rayon::prelude::*;
use std::io::{self, IsTerminal, Read, Write};

/// The process exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// No error diagnostics.
    Clean = 0,
    /// At least one error diagnostic.
    Findings = 1,
    /// Usage or configuration error.
    Usage = 2,
}

/// Run a parsed command line.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Exit> {
    match cli.command {
        Command::Check(args) => check(&args, out, err),
        Command::Rules => {
            list_rules(out)?;
            Ok(Exit::Clean)
        }
        Command::Explain { rule } => explain(&rule, out, err),
    }
}

fn colors(choice: ColorChoice) -> Colors {
    Colors(match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    })
}

fn check(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Exit> {
    let engine = match Lexicon::with_extra(&args.lexicon).and_then(Engine::new) {
        Ok(engine) => engine,
        Err(e) => {
            err.write_all(&render_lexicon_error(&e))?;
            return Ok(Exit::Usage);
        }
    };
    let options = CheckOptions {
        claim: args.claim.as_deref().and_then(Code::parse),
        cpt_year: args.cpt_year,
    };
    let forced = match (args.markdown, args.text) {
        (true, _) => Some(TextFormat::Markdown),
        (_, true) => Some(TextFormat::Text),
        _ => None,
    };
    let inputs = walk::inputs(&args.paths);
    let stdin = if inputs.contains(&Input::Stdin) {
        let mut buf = Vec::new();
        io::stdin().read_to_end(&mut buf)?;
        Some(buf)
    } else {
        None
    };
    let checked: Vec<Checked> = inputs
        .par_iter()
        .map(|input| {
            check_one(
                &engine,
                input,
                stdin.as_deref(),
                forced,
                &options,
                &args.stdin_name,
            )
        })
        .collect();
    let colors = colors(args.color);
    let version = engine.lexicon.version.as_str();
    let year = options.cpt_year.unwrap_or(engine.lexicon.cpt_year);
    match args.format {
        Format::Human => {
            for c in &checked {
                out.write_all(&render_human(c, colors))?;
            }
            if checked.len() > 1 {
                writeln!(out, "{}", summary_line(&checked))?;
            }
        }
        Format::Jsonl => {
            for c in &checked {
                serde_json::to_writer(&mut *out, &render_json_value(c, version, year))
                    .map_err(io::Error::other)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Json => {
            let reports: Vec<_> = checked
                .iter()
                .map(|c| render_json_value(c, version, year))
                .collect();
            let doc = serde_json::json!({ "lexicon_version": version, "cpt_year": year, "reports": reports });
            serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(if checked.iter().any(Checked::has_errors) {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

fn check_one(
    engine: &Engine,
    input: &Input,
    stdin: Option<&[u8]>,
    forced: Option<TextFormat>,
    options: &CheckOptions,
    stdin_name: &str,
) -> Checked {
    let (path, bytes, format) = match input {
        Input::Broken(_, reason) => {
            return Checked::Failed {
                path: input.name(),
                reason: reason.clone(),
            };
        }
        Input::Stdin => (
            stdin_name.to_owned(),
            stdin.unwrap_or_default().to_vec(),
            TextFormat::Text,
        ),
        Input::File(p) => match std::fs::read(p) {
            Ok(bytes) => (input.name(), bytes, TextFormat::for_path(p)),
            Err(e) => {
                return Checked::Failed {
                    path: input.name(),
                    reason: walk::describe(&e),
                };
            }
        },
    };
    if bytes.contains(&0) {
        return Checked::Failed {
            path,
            reason: "binary file (contains NUL bytes); not a report".to_owned(),
        };
    }
    if u32::try_from(bytes.len()).is_err() {
        return Checked::Failed {
            path,
            reason: "file too large (4 GiB or more)".to_owned(),
        };
    }
    let doc = Document::new(bytes, forced.unwrap_or(format));
    Checked::Report {
        path,
        outcome: Box::new(engine.check(doc, options)),
    }
}

fn summary_line(checked: &[Checked]) -> String {
    let mut counts = [0usize; 5];
    for c in checked {
        match c {
            Checked::Failed { .. } => counts[4] += 1,
            Checked::Report { outcome, .. } => {
                match (outcome.verdict.in_scope, outcome.verdict.supports) {
                    (_, Some(Code::C76377)) => counts[0] += 1,
                    (_, Some(Code::C76376)) => counts[1] += 1,
                    (true, None) => counts[2] += 1,
                    (false, None) => counts[3] += 1,
                }
            }
        }
    }
    format!(
        "checked {} reports: {} support 76377, {} support 76376, {} support neither, {} out of scope, {} unreadable",
        checked.len(),
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        counts[4]
    )
}

fn list_rules(out: &mut dyn Write) -> io::Result<()> {
    let width = rules::ALL.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for rule in rules::ALL {
        writeln!(
            out,
            "{:width$}  {:7}  {}",
            rule.id,
            rule.severity.name(),
            rule.summary
        )?;
    }
    Ok(())
}

fn explain(id: &str, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Exit> {
    let Some(rule) = rules::find(id) else {
        writeln!(
            err,
            "error: no rule named `{id}`; `radlint rules` lists them"
        )?;
        return Ok(Exit::Usage);
    };
    writeln!(out, "{} ({})", rule.id, rule.severity.name())?;
    writeln!(out)?;
    writeln!(out, "What it checks: {}", rule.summary)?;
    if let Some(e) = rule.element {
        writeln!(out, "Element: {}", e.need())?;
    }
    writeln!(out)?;
    writeln!(out, "Why it matters: {}", rule.why)?;
    writeln!(out)?;
    writeln!(out, "Source: {}", rule.source)?;
    writeln!(out)?;
    writeln!(out, "Fails:\n    {}", rule.example.replace('\n', "\n    "))?;
    writeln!(out)?;
    writeln!(out, "Fixed:\n    {}", rule.fix.replace('\n', "\n    "))?;
    writeln!(out)?;
    writeln!(
        out,
        "radlint suggests wording; it never writes attestations into a report."
    )?;
    Ok(Exit::Clean)
}

/// A lexicon error, pointing into the TOML file when it can.
pub fn render_lexicon_error(e: &LexiconError) -> Vec<u8> {
    use ariadne::{Config, IndexType, Label, Report, ReportKind, Source};
    let mut buf = Vec::new();
    match e {
        LexiconError::Invalid {
            file,
            text,
            span: Some(span),
            message,
        } if !text.is_empty() => {
            let range = span.range();
            let _ = Report::build(ReportKind::Error, (file.clone(), range.clone()))
                .with_config(
                    Config::default()
                        .with_index_type(IndexType::Byte)
                        .with_color(false),
                )
                .with_message(format!("invalid lexicon: {message}"))
                .with_label(Label::new((file.clone(), range)).with_message(message))
                .finish()
                .write((file.clone(), Source::from(text.as_str())), &mut buf);
        }
        _ => {
            let _ = writeln!(buf, "error: invalid lexicon: {e}");
        }
    }
    buf
}
