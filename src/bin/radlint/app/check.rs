//! `radlint check`: a stream. Inputs come lazily from the walk (or from a
//! JSON-lines export), grouped by the configuration file that governs them;
//! they are judged in bounded batches on the rayon pool while this thread
//! walks and writes, and their rendered bytes are written in input order, so
//! memory stays flat and output is the same whatever the thread count.

use super::input::{Item, Skipped, read_file, read_limited, records};
use super::named;
use super::terminal::{output_width, progress_bar, same_terminal};
use super::{Exit, colors, render_config_error, render_lexicon_error};
use crate::cli::{CheckArgs, ConfigChoice, InputKind, SarifVerdicts};
use radlint::config::{Config, ConfigError, Effective, Overrides, Valued};
use radlint::document::{Document, Format as TextFormat};
use radlint::lexicon::Lexicon;
use radlint::matcher::Speed;
use radlint::report::{Checked, Format, Pseudonyms, Settings, Stats, Summary, renderer};
use radlint::verdict::Code;
use radlint::walk::{self, Filter, Input};
use radlint::{CheckOptions, Engine};
use rayon::prelude::*;
use std::cell::RefCell;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{Arc, mpsc};

/// One report as its format wrote it.
type Rendered = Result<Vec<u8>, radlint::report::RenderError>;

/// Reports judged per batch: enough to keep every core busy, few enough that
/// a batch's output is small.
const BATCH: usize = 256;

/// Everything a worker needs to judge one item.
struct Job<'a> {
    forced: Option<TextFormat>,
    max_size: u64,
    stdin_name: &'a str,
    stdin: Option<Vec<u8>>,
}

/// How the reports under one configuration file are checked.
struct Profile {
    config: Config,
    engine: Arc<Engine>,
    filter: Filter,
    options: CheckOptions,
}

impl Profile {
    /// The options for one report: a `[[claim]]` matching its path applies
    /// unless `--claim` was given.
    fn options_for(&self, path: Option<&Path>) -> CheckOptions {
        let mut options = self.options.clone();
        if options.claim.is_none()
            && let Some(rule) = path.and_then(|p| self.config.claim_for(p))
        {
            options.claim = Some(rule.code);
        }
        options
    }
}

/// The configuration file for `path` as `choice` says: a named file, none,
/// or the nearest one.
fn config_file(choice: &ConfigChoice, path: &Path) -> Option<PathBuf> {
    if choice.no_config {
        None
    } else if let Some(file) = &choice.config {
        Some(std::path::absolute(file).unwrap_or_else(|_| file.clone()))
    } else if path.as_os_str() == "-" {
        radlint::config::find_file(Path::new("."))
    } else {
        radlint::config::find_file(path)
    }
}

/// The configuration for `path` as `choice` says.
pub(super) fn config_for(choice: &ConfigChoice, path: &Path) -> Result<Config, ConfigError> {
    config_file(choice, path).map_or_else(|| Ok(Config::default()), |f| Config::load(&f))
}

fn overrides(args: &CheckArgs) -> Overrides {
    Overrides {
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        lexicon: args.lexicon.clone(),
        template: args.template,
        cpt_year: args.cpt_year,
        claim: args.claim.as_deref().and_then(Code::parse),
    }
}

/// The profiles made so far: one for each configuration file (and each
/// scope it governs), one engine for each distinct lexicon.
struct Profiles<'a> {
    args: &'a CheckArgs,
    speed: Speed,
    flags: Overrides,
    /// Each profile with its configuration file and the profile whose
    /// filter it refines (none: the command line's).
    made: Vec<(Option<PathBuf>, Option<usize>, Arc<Profile>)>,
    engines: Vec<(Vec<PathBuf>, Arc<Engine>)>,
}

impl<'a> Profiles<'a> {
    fn new(args: &'a CheckArgs, speed: Speed) -> Profiles<'a> {
        Profiles {
            args,
            speed,
            flags: overrides(args),
            made: Vec::new(),
            engines: Vec::new(),
        }
    }

    /// The profile of the reports governed by configuration file `file`
    /// (none: the defaults), its filter refining `outer`'s (a nested file's)
    /// or the command line's; made once. An error comes rendered.
    fn get(&mut self, file: Option<PathBuf>, outer: Option<usize>) -> Result<usize, Vec<u8>> {
        // Hundreds of staged files under one configuration read it once.
        if let Some(i) = self
            .made
            .iter()
            .position(|(f, o, _)| *f == file && *o == outer)
        {
            return Ok(i);
        }
        let config = file
            .as_deref()
            .map_or_else(|| Ok(Config::default()), Config::load)
            .map_err(|e| render_config_error(&e))?;
        let effective = Effective::merge(&config, &self.flags);
        let lexicon = effective.lexicon.value.clone();
        let engine = match self.engines.iter().find(|(l, _)| *l == lexicon) {
            Some((_, engine)) => Arc::clone(engine),
            None => {
                let engine = Lexicon::with_extra(&lexicon)
                    .and_then(|l| Engine::with_speed(l, self.speed))
                    .map_err(|e| render_lexicon_error(&e))?;
                let engine = Arc::new(engine);
                self.engines.push((lexicon, Arc::clone(&engine)));
                engine
            }
        };
        let base = match outer {
            Some(o) => Ok(self.made[o].2.filter.clone()),
            None => Filter::new(&self.args.include, &self.args.exclude),
        };
        let globs = |v: &Option<Valued<Vec<String>>>| {
            v.as_ref().map(|v| v.value.clone()).unwrap_or_default()
        };
        let filter = base
            .and_then(|f| match config.dir() {
                Some(dir) => f.with_config(dir, &globs(&config.include), &globs(&config.exclude)),
                None => Ok(f),
            })
            .map_err(|e| format!("error: {e}\n").into_bytes())?;
        let levels = config.levels();
        let options = CheckOptions {
            claim: self.flags.claim,
            cpt_year: effective.cpt_year.value,
            levels: (!levels.is_empty()).then(|| Arc::new(levels)),
            template: effective.template.value,
        };
        let profile = Profile {
            config,
            engine,
            filter,
            options,
        };
        self.made.push((file, outer, Arc::new(profile)));
        Ok(self.made.len() - 1)
    }

    fn profile(&self, i: usize) -> &Arc<Profile> {
        &self.made[i].2
    }

    /// The profile of a configuration file found below a walked directory,
    /// in the scope of profile `outer`: none when the command line named the
    /// configuration (or none), as every report then has it.
    fn nested(&mut self, file: &Path, outer: usize) -> Result<Option<usize>, Vec<u8>> {
        let choice = &self.args.config;
        if choice.no_config || choice.config.is_some() {
            return Ok(None);
        }
        let file = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
        self.get(Some(file), Some(outer)).map(Some)
    }
}

pub(super) fn check_to(
    args: &CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Exit> {
    // A few named files: start fast. A directory or an export: sweep fast.
    let sweep = args.input != InputKind::Files
        || args.paths.len() > 16
        || args.paths.iter().any(|p| p.is_dir());
    let speed = if sweep { Speed::Sweep } else { Speed::Startup };
    let mut profiles = Profiles::new(args, speed);
    let mut of_path = Vec::with_capacity(args.paths.len());
    for path in &args.paths {
        match profiles.get(config_file(&args.config, path), None) {
            Ok(i) => of_path.push(i),
            Err(rendered) => {
                err.write_all(&rendered)?;
                return Ok(Exit::Usage);
            }
        }
    }
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.map_or(0, usize::from))
        .build()
    {
        Ok(pool) => pool,
        Err(e) => {
            writeln!(err, "error: cannot start worker threads: {e}")?;
            return Ok(Exit::Usage);
        }
    };
    // A document's header (JSON, SARIF) names one lexicon and CPT year, the
    // first path's; each report names those it was judged under.
    let first = profiles.profile(of_path[0]);
    let engine = &first.engine;
    let mut settings = Settings {
        lexicon_version: engine.lexicon.version.clone(),
        cpt_year: first.options.cpt_year.unwrap_or(engine.lexicon.cpt_year),
        redact: args.redact,
        colors: colors(args.color),
        all_verdicts: args.sarif_verdicts == SarifVerdicts::All,
        width: output_width(args.output.is_some()),
        redact_meta: args.redact_meta,
        summary: args.summary && args.format.0 == Format::Json,
        run: super::page::run_info(args),
    };
    let page = args.format.0 == Format::Html;
    let json_summary = settings.summary;
    // The page's tables are capped; the reports with problems past the
    // cap go to a CSV beside the page.
    let mut overflow = super::page::Overflow::new(args.output.as_deref().filter(|_| page));
    settings.run.problems_csv = overflow.name();
    let renderer = renderer(args.format.0, settings);
    let reads_stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    named::warn_exports(args, err)?;
    let mut job = Job {
        forced: match (args.markdown, args.text) {
            (true, _) => Some(TextFormat::Markdown),
            (_, true) => Some(TextFormat::Text),
            _ => None,
        },
        max_size: args.max_file_size,
        stdin_name: &args.stdin_name,
        stdin: None,
    };
    let named_out = named::left_out(args, &of_path, |i| &profiles.profile(i).filter, err)?;
    // The walk opens a profile for each configuration file it finds below a
    // directory named on the command line (so this thread makes profiles
    // while the pool judges); one that cannot be read stops the sweep.
    let profiles = RefCell::new(profiles);
    let failed: RefCell<Option<Vec<u8>>> = RefCell::new(None);
    let skipped_kinds = Skipped::default();
    let skipped = &skipped_kinds;
    let (shared, failure) = (&profiles, &failed);
    let tagged = move |i: usize| Arc::clone(shared.borrow().profile(i));
    let items: Box<dyn Iterator<Item = (Arc<Profile>, Item)>> = match args.input {
        InputKind::Files => {
            if reads_stdin {
                job.stdin = Some(read_limited(io::stdin().lock(), args.max_file_size, 0)?);
            }
            Box::new(
                args.paths
                    .iter()
                    .zip(of_path.clone())
                    .zip(named_out)
                    .filter(|&(_, out)| !out)
                    .flat_map(move |((path, i), _)| {
                        let filter = shared.borrow().profile(i).filter.clone();
                        walk::scoped(path.clone(), i, filter, move |file, &outer| {
                            let made = shared.borrow_mut().nested(file, outer);
                            match made {
                                Ok(Some(j)) => {
                                    Ok(Some((j, shared.borrow().profile(j).filter.clone())))
                                }
                                Ok(None) => Ok(None),
                                Err(rendered) => {
                                    *failure.borrow_mut() = Some(rendered);
                                    Err(())
                                }
                            }
                        })
                        .map(move |(i, input)| (tagged(i), Item::Input(input)))
                    }),
            )
        }
        InputKind::Jsonl | InputKind::Fhir | InputKind::Hl7 => Box::new(
            args.paths
                .iter()
                .zip(of_path.clone())
                .zip(named_out)
                .filter(|&(_, out)| !out)
                .flat_map(move |((path, i), _)| {
                    records(args, path, Rc::clone(skipped)).map(move |item| (tagged(i), item))
                }),
        ),
    };
    // Drawn on standard error, so never where it would erase output: not
    // when the output goes to the same terminal (`-o FILE` frees it).
    let progress = progress_bar(args.no_progress || (args.output.is_none() && same_terminal()));
    let mut summary = Summary::default();
    summary.withhold(args.redact_meta, args.redact);
    let mut first = true;
    out.write_all(&renderer.header().map_err(io::Error::other)?)?;
    // A pipeline: this thread walks and writes while the pool judges the
    // batch before, so the walk and the output cost no worker's time. At
    // most two batches are in flight; results come back in input order.
    let (batch_tx, batch_rx) = mpsc::sync_channel::<Vec<(usize, (Arc<Profile>, Item))>>(1);
    // Under --redact, reports are named by pseudonyms (by input order, or
    // keyed by RADLINT_REDACT_KEY so a report keeps its token across runs).
    let pseudonyms = args.redact.then(|| {
        Pseudonyms::new(
            std::env::var_os("RADLINT_REDACT_KEY")
                .filter(|k| !k.is_empty())
                .map(|k| k.into_encoded_bytes()),
        )
    });
    let pseudonyms = &pseudonyms;
    let (done_tx, done_rx) = mpsc::sync_channel::<Vec<(Rendered, Stats)>>(1);
    let (job, renderer, pool) = (&job, &renderer, &pool);
    std::thread::scope(|scope| -> io::Result<()> {
        scope.spawn(move || {
            for batch in batch_rx {
                let done: Vec<(Rendered, Stats)> = pool.install(|| {
                    batch
                        .par_iter()
                        .map(|(index, (profile, item))| {
                            let mut checked = job.judge(profile, item);
                            if let Some(p) = pseudonyms {
                                checked.path = p.token(*index, &checked.path);
                            }
                            let meta = std::mem::take(&mut checked.outcome.meta);
                            checked.outcome.meta = meta.shown(args.redact, args.redact_meta);
                            // Breakdowns only where they are drawn.
                            let stats = match (page, json_summary) {
                                (true, _) => Stats::with_row(&checked),
                                (_, true) => Stats::with_groups(&checked),
                                _ => Stats::of(&checked),
                            };
                            (renderer.render(&checked), stats)
                        })
                        .collect()
                });
                if done_tx.send(done).is_err() {
                    break;
                }
            }
        });
        // Owned here, so that leaving early (a closed pipe) drops both ends
        // and the judging thread stops instead of waiting to send.
        let (batch_tx, done_rx) = (batch_tx, done_rx);
        let mut items = items.enumerate().peekable();
        let mut in_flight = 0usize;
        loop {
            if items.peek().is_some() {
                let batch: Vec<(usize, (Arc<Profile>, Item))> =
                    items.by_ref().take(BATCH).collect();
                if batch_tx.send(batch).is_err() {
                    break;
                }
                in_flight += 1;
                if in_flight < 2 {
                    continue;
                }
            } else if in_flight == 0 {
                break;
            }
            let Ok(done) = done_rx.recv() else { break };
            in_flight -= 1;
            if let Some(p) = &progress {
                p.inc(done.len() as u64);
            }
            for (bytes, stats) in done {
                summary.add(&stats);
                if let Some(row) = stats.row() {
                    overflow.add(row, summary.problems().0)?;
                }
                // A format that cannot write a report stops the sweep (exit 2)
                // rather than leave a hole a reader would not see.
                let bytes = bytes.map_err(io::Error::other)?;
                // A report a format has nothing to say about (a clean one
                // in SARIF) takes no separator.
                if bytes.is_empty() {
                    continue;
                }
                if !first {
                    out.write_all(renderer.separator())?;
                }
                first = false;
                out.write_all(&bytes)?;
            }
        }
        Ok(())
    })?;
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    // What was written is incomplete: no footer, no summary.
    if let Some(rendered) = failed.take() {
        err.write_all(&rendered)?;
        return Ok(Exit::Usage);
    }
    // The page links the CSV exactly when its tables are full, which is
    // when the CSV was written.
    if let Some(csv) = overflow.finish()? {
        writeln!(
            err,
            "radlint: note: the page lists {} reports with problems; all {} are in {}",
            radlint::report::PAGE_ROWS,
            summary.problems().1,
            csv.display()
        )?;
    }
    out.write_all(&renderer.footer(&summary).map_err(io::Error::other)?)?;
    // Records of other kinds in an export (a Bundle's Patients) are not
    // reports: counted, and said.
    let kinds = skipped_kinds.borrow();
    if !kinds.is_empty() {
        let total: u64 = kinds.values().sum();
        let each: Vec<String> = kinds.iter().map(|(k, n)| format!("{k}: {n}")).collect();
        writeln!(
            err,
            "radlint: note: {total} records that are not reports were skipped ({})",
            each.join(", ")
        )?;
    }
    // An empty folder or a glob that matched nothing is not a clean archive:
    // say so (on standard error; the exit status stays 0, as for a hook
    // given no report to check).
    if summary.checked() == 0 {
        err.write_all(
            b"radlint: warning: nothing was checked: no report was found in the paths \
              given, or configuration excluded them all\n",
        )?;
    }
    // The one rule for the summary: in human format, printed after more
    // than one report (a sweep), or when asked; in other formats, only when
    // asked, and on standard error so the document stays one format.
    let sweep = summary.checked() > 1;
    match args.format.0 {
        Format::Human if args.summary || sweep => out.write_all(summary.render().as_bytes())?,
        // JSON carries it in the document.
        Format::Json => {}
        _ if args.summary => err.write_all(summary.render().as_bytes())?,
        _ => {}
    }
    out.flush()?;
    Ok(if summary.errors() > 0 {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

impl Job<'_> {
    fn judge(&self, profile: &Profile, item: &Item) -> Checked {
        let engine = &profile.engine;
        match item {
            // Parsed here, on a worker. (An HL7 message is a report or a
            // failure, never skipped: the fallback only keeps the match whole.)
            Item::Hl7(frame) => match Item::of(frame.extract()) {
                Some(item) => self.judge(profile, &item),
                None => Checked {
                    path: frame.id_hint(),
                    line: Some(frame.line()),
                    outcome: Box::new(
                        engine.unreadable("not a report".to_owned(), &profile.options_for(None)),
                    ),
                },
            },
            Item::Input(input) => self.judge_input(profile, engine, input),
            Item::Record {
                id,
                line,
                text,
                meta,
                markdown,
            } => {
                let format = match markdown {
                    true => TextFormat::Markdown,
                    false => TextFormat::Text,
                };
                let doc = Document::new(text.clone().into_bytes(), self.forced.unwrap_or(format));
                let mut outcome = engine.check(doc, &profile.options_for(None));
                outcome.meta = engine.meta_with_fields(std::mem::take(&mut outcome.meta), meta);
                Checked {
                    path: id.clone(),
                    line: Some(*line),
                    outcome: Box::new(outcome),
                }
            }
            Item::BadRecord { id, line, reason } => Checked {
                path: id.clone(),
                line: Some(*line),
                outcome: Box::new(engine.unreadable(reason.clone(), &profile.options_for(None))),
            },
        }
    }

    fn judge_input(&self, profile: &Profile, engine: &Engine, input: &Input) -> Checked {
        let failed = |path: String, reason: String| Checked {
            path,
            line: None,
            outcome: Box::new(engine.unreadable(reason, &profile.options_for(None))),
        };
        let (path, bytes, format) = match input {
            Input::Broken(_, reason) => return failed(input.name(), reason.clone()),
            Input::Stdin => {
                let bytes = self.stdin.clone().unwrap_or_default();
                // Named by --stdin-name: read as the file it names would be
                // ("x.md" is markdown, so its comments are not report text).
                let format = TextFormat::for_path(std::path::Path::new(self.stdin_name));
                (self.stdin_name.to_owned(), bytes, format)
            }
            Input::File(p) => match read_file(p, self.max_size) {
                Ok(bytes) => (input.name(), bytes, TextFormat::for_path(p)),
                Err(reason) => return failed(input.name(), reason),
            },
        };
        if bytes.len() as u64 > self.max_size {
            return failed(
                path,
                format!(
                    "larger than --max-file-size ({} bytes); not read",
                    self.max_size
                ),
            );
        }
        if bytes.contains(&0) && !radlint::document::is_utf16(&bytes) {
            return failed(
                path,
                "binary file (contains NUL bytes); not a report".to_owned(),
            );
        }
        if u32::try_from(bytes.len()).is_err() {
            return failed(path, "file too large (4 GiB or more)".to_owned());
        }
        let doc = Document::new(bytes, self.forced.unwrap_or(format));
        let file = match input {
            Input::File(p) => Some(p.as_path()),
            _ => None,
        };
        Checked {
            path,
            line: None,
            outcome: Box::new(engine.check(doc, &profile.options_for(file))),
        }
    }
}
