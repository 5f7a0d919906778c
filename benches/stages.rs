//! Time each stage of a check over reports held in memory (no I/O):
//!
//!     cargo bench --bench stages -- TREE [LIMIT]
//!
//! (STAGE=name runs one stage, for a profiler.) Where a sweep spends its
//! time apart from reading files: the per-byte figures say which stage to
//! work on.
use radlint::document::{Document, Format};
use radlint::report::{self, Checked, Colors, Settings, renderer};
use radlint::{CheckOptions, Engine};
use std::time::Instant;

fn main() {
    // (cargo bench adds `--bench`.)
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let root = args.next().expect("a folder of reports");
    let limit: usize = args.next().map_or(20_000, |n| n.parse().expect("a number"));
    let mut texts = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.expect("walk");
        if texts.len() == limit {
            break;
        }
        if entry.file_type().is_file() {
            let format = Format::for_path(entry.path());
            texts.push((std::fs::read(entry.path()).expect("read"), format));
        }
    }
    let bytes: usize = texts.iter().map(|(t, _)| t.len()).sum();
    let engine = Engine::builtin().expect("lexicon");
    let only = std::env::var("STAGE").ok();
    let wants = |name: &str| only.as_deref().is_none_or(|o| o == name);
    let time = |name: &str, f: &mut dyn FnMut() -> usize| {
        if !wants(name) {
            return;
        }
        let start = Instant::now();
        let n = f();
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{name:<12} {:>8.1} ms {:>6.2} ns/byte  ({n})",
            secs * 1e3,
            secs * 1e9 / bytes as f64
        );
    };
    let docs: Vec<Document> = texts
        .iter()
        .map(|(t, f)| Document::new(t.clone(), *f))
        .collect();
    time("document", &mut || {
        texts
            .iter()
            .map(|(t, f)| Document::new(t.clone(), *f).text.len())
            .sum()
    });
    let m = engine.matcher();
    // Patterns compile on first use: once, before any stage is timed, so
    // each stage's figure is what a long sweep sees.
    let warm = CheckOptions::default();
    for d in &docs {
        engine.check(d.clone(), &warm);
    }
    time("raw scope", &mut || {
        docs.iter()
            .filter(|d| m.may_be_in_scope_raw(&d.visible))
            .count()
    });
    // What a stage needs is prepared only when that stage runs, so that a
    // profile of one stage is mostly of that stage.
    let norms: Vec<_> = if wants("find_in") {
        docs.iter().map(|d| m.normalize(&d.visible)).collect()
    } else {
        Vec::new()
    };
    time("normalize", &mut || {
        docs.iter()
            .map(|d| m.normalize(&d.visible).text().len())
            .sum()
    });
    time("find_in", &mut || {
        norms.iter().map(|n| m.find_in(n).len()).sum()
    });
    time("analyze", &mut || {
        docs.iter()
            .map(|d| engine.analyze(d.clone()).mentions.len())
            .sum()
    });
    let options = CheckOptions::default();
    time("check", &mut || {
        docs.iter()
            .filter(|d| {
                engine
                    .check((*d).clone(), &options)
                    .verdict
                    .supports
                    .is_some()
            })
            .count()
    });
    if !wants("render jsonl") {
        return;
    }
    let checked: Vec<Checked> = docs
        .iter()
        .map(|d| Checked {
            path: "archive/2020/01/report-0000000.txt".to_owned(),
            line: None,
            outcome: Box::new(engine.check(d.clone(), &options)),
        })
        .collect();
    let jsonl = renderer(
        report::Format::Jsonl,
        Settings {
            lexicon_version: engine.lexicon.version.clone(),
            cpt_year: engine.lexicon.cpt_year,
            redact: false,
            colors: Colors(false),
            all_verdicts: false,
            width: None,
            redact_meta: false,
            summary: false,
            run: Default::default(),
        },
    );
    time("render jsonl", &mut || {
        checked
            .iter()
            .map(|c| jsonl.render(c).map_or(0, |b| b.len()))
            .sum()
    });
}
