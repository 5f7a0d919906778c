//! radlint's integration tests: one binary, one module per subject.
//! Fixtures are data in `fixtures/`; these modules only run them.

mod browser;
mod cli;
mod configuration;
mod everyday;
mod exports;
mod fixtures;
mod formats;
mod hostile;
mod lexicon;
mod metadata;
mod properties;
mod qa_report;
mod readme;
mod regressions;
mod snapshots;
mod sweep;
mod workflow;

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under the repository root.
pub fn at(rel: &str) -> PathBuf {
    root().join(rel)
}

/// The binary, run from the repository root, with `NO_COLOR` and `COLUMNS`
/// cleared so tests see what a terminal user sees, whatever shell runs them.
pub fn radlint() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("radlint").expect("binary built");
    // COLUMNS sizes human output; tests that want it set it.
    cmd.env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .current_dir(root());
    cmd
}

/// `radlint check --no-config --no-progress --format FORMAT`, to add
/// arguments to: a check as a sweep runs it, with no configuration found.
pub fn check_cmd(format: &str) -> assert_cmd::Command {
    let mut cmd = radlint();
    cmd.args(["check", "--no-config", "--no-progress", "--format", format]);
    cmd
}

/// `radlint check --no-config --no-progress --format jsonl ARGS`: its
/// reports, parsed, and its standard error.
pub fn checked_jsonl(args: &[&str]) -> (Vec<serde_json::Value>, String) {
    let out = check_cmd("jsonl")
        .args(args)
        .output()
        .expect("radlint runs");
    let reports = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    (reports, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A JSON-lines report's failing rules: errors and warnings not
/// suppressed, sorted, once each (as the summary and the QA report count).
pub fn failing_rules(report: &serde_json::Value) -> Vec<&str> {
    let mut rules: Vec<&str> = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["severity"] != "note" && d.get("suppressed").is_none())
        .filter_map(|d| d["rule"].as_str())
        .collect();
    rules.sort_unstable();
    rules.dedup();
    rules
}

/// A JSON-lines report claims a code its documentation does not support.
pub fn claims_unsupported(report: &serde_json::Value) -> bool {
    report["claimed"]
        .as_array()
        .is_some_and(|c| c.iter().any(|c| *c != report["supports"]))
}

/// The built-in engine (compiled once per test; cheap).
pub fn engine() -> radlint::Engine {
    radlint::Engine::builtin().expect("the built-in lexicon compiles")
}

/// Check one file with the library, as the CLI would read it.
pub fn check_file(engine: &radlint::Engine, path: &Path, claim: Option<&str>) -> radlint::Outcome {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc = radlint::document::Document::new(bytes, radlint::document::Format::for_path(path));
    let options = radlint::CheckOptions {
        claim: claim.and_then(radlint::verdict::Code::parse),
        ..Default::default()
    };
    engine.check(doc, &options)
}
