//! The commands, run: what `main` calls once the arguments are parsed.
//!
//! `check` (in `check.rs`, with its inputs in `input.rs`) is the sweep; the
//! other commands print what radlint knows: rules, the lexicon, the
//! configuration. Output goes to the writers passed in; nothing here exits
//! the process.

mod check;
mod input;
mod named;
mod output;
mod page;
mod terminal;

use crate::cli::{Cli, Command, ConfigArgs, LexiconArgs};
use check::config_for;
use output::check;
use radlint::Engine;
use radlint::config::{ConfigError, Effective, Overrides};
use radlint::lexicon::{Lexicon, LexiconError};
use radlint::matcher::Speed;
use radlint::report::Colors;
use radlint::rules;
use radlint::span::Span;
use std::io::{self, Write};

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
        Command::Check(mut args) => {
            if args.paths.is_empty() {
                // `cat report.txt | radlint check`: standard input, as a
                // filter reads it; at a terminal (or from nothing), a hint.
                if !terminal::stdin_is_piped() {
                    writeln!(
                        err,
                        "error: no report to check: name files or folders (`radlint check reports/`), \
                         or `-` to read standard input (`radlint check - < report.txt`)"
                    )?;
                    return Ok(Exit::Usage);
                }
                args.paths.push("-".into());
            }
            check(&args, out, err)
        }
        Command::Rules => {
            list_rules(out)?;
            Ok(Exit::Clean)
        }
        Command::Explain { rule } => explain(&rule, out, err),
        Command::Lexicon(args) => lexicon(&args, out, err),
        Command::Config(args) => show_config(&args, out, err),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "radlint", out);
            Ok(Exit::Clean)
        }
        Command::Man => {
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(out)?;
            Ok(Exit::Clean)
        }
    }
}

/// `--color` as anstream resolves it for standard output: the flag, then
/// NO_COLOR, CLICOLOR_FORCE and CLICOLOR, then whether stdout is a terminal.
fn colors(choice: colorchoice_clap::Color) -> Colors {
    choice.write_global();
    Colors(anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never)
}

fn lexicon(args: &LexiconArgs, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Exit> {
    let mut extra = args.lexicon.clone();
    extra.extend(args.test.iter().cloned());
    let engine =
        match Lexicon::with_extra(&extra).and_then(|l| Engine::with_speed(l, Speed::Startup)) {
            Ok(engine) => engine,
            Err(e) => {
                err.write_all(&render_lexicon_error(&e))?;
                return Ok(Exit::Usage);
            }
        };
    if let Some(file) = &args.test {
        // The file alone, for its own examples (it parsed above, so this does too).
        let text = std::fs::read_to_string(file)?;
        let mut own = Lexicon::default();
        if let Err(e) = own.add_file(&file.display().to_string(), &text, false) {
            err.write_all(&render_lexicon_error(&e))?;
            return Ok(Exit::Usage);
        }
        let (ran, failures) = radlint::selftest::run(&engine, &own);
        for f in &failures {
            writeln!(
                out,
                "FAIL {}: expected {}, got {}: {:?}",
                f.concept.name(),
                f.expected,
                f.got,
                f.text
            )?;
        }
        writeln!(
            out,
            "{} passed, {} failed",
            ran - failures.len(),
            failures.len()
        )?;
        return Ok(if failures.is_empty() {
            Exit::Clean
        } else {
            Exit::Findings
        });
    }
    let lexicon = &engine.lexicon;
    if let Some(name) = &args.concept {
        let Some(concept) = radlint::lexicon::Concept::from_name(name) else {
            let known: Vec<_> = radlint::lexicon::Concept::ALL
                .iter()
                .map(|c| c.name())
                .collect();
            writeln!(
                err,
                "error: no concept `{name}`; known: {}",
                known.join(", ")
            )?;
            return Ok(Exit::Usage);
        };
        return show_concept(lexicon, concept, out).map(|()| Exit::Clean);
    }
    writeln!(
        out,
        "lexicon {} (CPT year {})",
        lexicon.version, lexicon.cpt_year
    )?;
    let files: Vec<&str> = lexicon.files.iter().map(|f| f.name.as_str()).collect();
    writeln!(out, "files: {}", files.join(", "))?;
    for &concept in radlint::lexicon::Concept::ALL {
        show_concept(lexicon, concept, out)?;
    }
    writeln!(out, "\n[bundled base exams, CPT year {}]", lexicon.cpt_year)?;
    for b in lexicon
        .bundles
        .iter()
        .filter(|b| b.in_force(lexicon.cpt_year))
    {
        let codes: Vec<String> = b
            .codes
            .iter()
            .map(|(lo, hi)| {
                if lo == hi {
                    lo.clone()
                } else {
                    format!("{lo}-{hi}")
                }
            })
            .collect();
        writeln!(
            out,
            "  {} ({}): excludes {}; codes {}",
            b.id,
            b.label,
            b.excludes.join(", "),
            codes.join(", ")
        )?;
    }
    Ok(Exit::Clean)
}

fn show_concept(
    lexicon: &Lexicon,
    concept: radlint::lexicon::Concept,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "\n[{}]", concept.name())?;
    if concept == radlint::lexicon::Concept::Product {
        for p in &lexicon.products {
            let phrases: Vec<&str> = p.phrases.iter().map(|x| x.value.as_str()).collect();
            writeln!(out, "  {} ({}): {}", p.name, p.vendor, phrases.join(", "))?;
        }
        return Ok(());
    }
    let Some(entry) = lexicon.concepts.get(&concept) else {
        return writeln!(out, "  (not defined)");
    };
    writeln!(out, "  {}", entry.description)?;
    let phrases: Vec<&str> = entry.phrases.iter().map(|x| x.value.as_str()).collect();
    if !phrases.is_empty() {
        writeln!(out, "  phrases: {}", phrases.join(", "))?;
    }
    for p in &entry.patterns {
        writeln!(out, "  pattern: {}", p.value)?;
    }
    Ok(())
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
    if id == "statements" {
        return explain_statements(out, err);
    }
    let Some(rule) = rules::find(id) else {
        writeln!(
            err,
            "error: no rule named `{id}`; `radlint rules` lists them"
        )?;
        return Ok(Exit::Usage);
    };
    out.write_all(rule.explanation().as_bytes())?;
    Ok(Exit::Clean)
}

/// `radlint explain statements`: how supervision and the workstation are read
/// from statements, with the built-in vocabularies and every frame.
fn explain_statements(out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Exit> {
    let lexicon = match Lexicon::builtin() {
        Ok(lexicon) => lexicon,
        Err(e) => {
            err.write_all(&render_lexicon_error(&e))?;
            return Ok(Exit::Usage);
        }
    };
    writeln!(
        out,
        "Statements: who made the 3D images, where, and under whom\n\n\
         radlint reads each sentence about the 3D work (and the two either side of it)\n\
         as statements. Words of the vocabularies are tagged with a class and a kind;\n\
         frames, short patterns over those tags and plain words, fill the roles of a\n\
         statement: agent (who made the images), supervisor, place (where), sent (a\n\
         place the images only went to), not_place (a place denied), unnamed\n\
         (supervision by nobody named), not_concurrent. A negator.verb next to a\n\
         frame (\"were not made by me\", \"I did not create them\") denies its roles\n\
         instead of stating them, and so does a frame marked `denies`\n\
         (\"Radiologist present: No\"). A frame that only says who supervised (\"under\n\
         my supervision\") holds with the supervision-not-concurrent warning unless\n\
         the report says the supervision was concurrent, direct or in real time.\n\n\
         Supervision holds when the report's own account names the interpreting\n\
         physician as agent or supervisor; it fails when that account names someone\n\
         else, nobody, the machine, or supervision after the fact. A standard\n\
         attestation (template, footer, billing note, ticked box) gives way to the\n\
         report's own account. The workstation holds where the work was done on one;\n\
         a console in the report's own account gives 76376, and a console and a\n\
         workstation both stated for this study's images raise documentation-conflict.\n"
    )?;
    writeln!(
        out,
        "Vocabularies (lexicon/statements.toml; products come from workstation.toml):"
    )?;
    for (class, kind, words) in &lexicon.vocabulary {
        let shown: Vec<&str> = words.iter().take(6).map(String::as_str).collect();
        let more = words.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!(", ... ({more} more)")
        } else {
            String::new()
        };
        writeln!(out, "  {class}.{kind}: {}{more}", shown.join(", "))?;
    }
    writeln!(out, "\nFrames:")?;
    for frame in &lexicon.frames {
        let note = match (frame.denies, frame.only_supervision) {
            (true, _) => " (denies its roles)",
            (false, true) => " (says who supervised, not that it was concurrent)",
            (false, false) => "",
        };
        writeln!(out, "  {}: {}{note}", frame.name, frame.pattern)?;
        for example in &frame.examples {
            writeln!(out, "      e.g. {}", example.text.replace('\n', " "))?;
        }
    }
    writeln!(
        out,
        "\nPattern language: a word; (a|b) one of these; [a|b] optionally one (either may\n\
         list tags, as in (<place>|<agent.staff>)); <class> or\n\
         <class.kind> a tagged chunk; role:<class> the same, filling ROLE; ~N up to N other\n\
         tokens (never across another action); $ the end of the sentence."
    )?;
    Ok(Exit::Clean)
}

/// A lexicon error, pointing into the TOML file when it can.
pub fn render_lexicon_error(e: &LexiconError) -> Vec<u8> {
    match e {
        LexiconError::Invalid {
            file,
            text,
            span: Some(span),
            message,
        } if !text.is_empty() => render_file_error("invalid lexicon", file, text, *span, message),
        _ => format!("error: invalid lexicon: {e}\n").into_bytes(),
    }
}

/// A configuration error, pointing into the file when it can.
pub fn render_config_error(e: &ConfigError) -> Vec<u8> {
    match e.span {
        Some(span) if !e.text.is_empty() => render_file_error(
            "invalid configuration",
            &e.file.display().to_string(),
            &e.text,
            span,
            &e.message,
        ),
        _ => format!("error: invalid configuration: {e}\n").into_bytes(),
    }
}

/// An error in one of radlint's own TOML files, as rustc would show it.
fn render_file_error(what: &str, file: &str, text: &str, span: Span, message: &str) -> Vec<u8> {
    use ariadne::{Config, IndexType, Label, Report, ReportKind, Source};
    let mut buf = Vec::new();
    let range = span.range();
    let file = file.to_owned();
    let _ = Report::build(ReportKind::Error, (file.clone(), range.clone()))
        .with_config(
            Config::default()
                .with_index_type(IndexType::Byte)
                .with_color(false),
        )
        .with_message(format!("{what}: {message}"))
        .with_label(Label::new((file.clone(), range)).with_message(message))
        .finish()
        .write((file, Source::from(text)), &mut buf);
    buf
}

/// `radlint config --show`.
fn show_config(args: &ConfigArgs, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<Exit> {
    let config = match config_for(&args.config, &args.path) {
        Ok(c) => c,
        Err(e) => {
            err.write_all(&render_config_error(&e))?;
            return Ok(Exit::Usage);
        }
    };
    let effective = Effective::merge(&config, &Overrides::default());
    let cpt_year = match Lexicon::with_extra(&effective.lexicon.value) {
        Ok(l) => l.cpt_year,
        Err(e) => {
            err.write_all(&render_lexicon_error(&e))?;
            return Ok(Exit::Usage);
        }
    };
    out.write_all(effective.render(cpt_year).as_bytes())?;
    Ok(Exit::Clean)
}
