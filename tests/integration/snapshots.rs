//! Snapshots of the output: reviewing a snapshot is reading what a
//! radiologist, a coder or a tool sees. The human output of each whole
//! report (through the library), the negation case, and every output format
//! through the binary over four reports.

use crate::{at, check_file, engine, radlint, root};
use radlint::report::{Checked, Colors, render_human};

fn human(name: &str, claim: Option<&str>) -> String {
    let engine = engine();
    let outcome = check_file(&engine, &at(name), claim);
    let checked = Checked {
        path: name.to_owned(),
        line: None,
        outcome: Box::new(outcome),
    };
    String::from_utf8(render_human(&checked, Colors(false))).expect("utf-8")
}

#[test]
fn whole_reports() {
    let mut names: Vec<String> = std::fs::read_dir(at("fixtures/reports"))
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt") || n.ends_with(".md"))
        .collect();
    names.sort();
    for name in names {
        let path = format!("fixtures/reports/{name}");
        insta::assert_snapshot!(name.clone(), human(&path, None));
    }
}

#[test]
fn claimed_mpr_only() {
    insta::assert_snapshot!(human(
        "fixtures/rules/rendering-mpr-only/fail.txt",
        Some("76377")
    ));
}

#[test]
fn negated_rendering_shows_trigger_and_scope() {
    insta::assert_snapshot!(human("fixtures/rules/rendering-negated/fail.txt", None));
}

/// Four bundled reports, one of each verdict: 76377, 76376, neither (an
/// error), and out of scope.
const FOUR: [&str; 4] = [
    "fixtures/reports/ct-face-trauma-vitrea.txt",
    "fixtures/reports/ct-calcaneus-no-workstation.txt",
    "fixtures/reports/ct-elbow-reviewed-by-radiologist.txt",
    "fixtures/reports/xr-chest-2-views.txt",
];

/// `radlint check --format FORMAT [ARGS] FOUR...` as a user runs it (no
/// configuration file, no colour), its stdout with what depends on the
/// machine or the release replaced by placeholders: the repository's
/// absolute path by `[root]`, radlint's version by `[version]`, and the
/// lexicon's version by `[lexicon]` (a lexicon release alone should not
/// change a snapshot; what it changes in the verdicts should).
fn output(format: &str, args: &[&str]) -> String {
    let out = radlint()
        .args([
            "check",
            "--no-config",
            "--color",
            "never",
            "--format",
            format,
        ])
        .args(args)
        .args(FOUR)
        .output()
        .expect("radlint runs");
    // The elbow report has an error diagnostic.
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    normalise(&text)
}

fn normalise(text: &str) -> String {
    let lexicon = lexicon_version();
    text.replace(&root().display().to_string(), "[root]")
        .replace(
            &format!("radlint {}", env!("CARGO_PKG_VERSION")),
            "radlint [version]",
        )
        .replace(
            &format!("\"{}\"", env!("CARGO_PKG_VERSION")),
            "\"[version]\"",
        )
        .replace(&lexicon, "[lexicon]")
}

/// The built-in lexicon's version, as the JSON output's header names it.
fn lexicon_version() -> String {
    let out = radlint()
        .args(["check", "--no-config", "--format", "json", FOUR[3]])
        .output()
        .expect("radlint runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let version = doc["lexicon_version"].as_str().expect("lexicon_version");
    assert!(
        version.len() >= 5,
        "a lexicon version this short could match anything: {version}"
    );
    version.to_owned()
}

#[test]
fn format_human() {
    insta::assert_snapshot!(output("human", &[]));
}

#[test]
fn format_human_redacted() {
    insta::assert_snapshot!(output("human", &["--redact"]));
}

#[test]
fn format_jsonl() {
    insta::assert_snapshot!(output("jsonl", &[]));
}

#[test]
fn format_json() {
    insta::assert_snapshot!(output("json", &[]));
}

/// Pretty-printed, keys sorted: the log's second line holds every rule's
/// description, too long to review as one line. Its layout and key order
/// are not part of the format; its content is.
#[test]
fn format_sarif() {
    let log: serde_json::Value =
        serde_json::from_str(&output("sarif", &[])).expect("SARIF is JSON");
    insta::assert_snapshot!(serde_json::to_string_pretty(&log).expect("serialises"));
}

#[test]
fn format_csv() {
    insta::assert_snapshot!(output("csv", &[]));
}

#[test]
fn format_github() {
    insta::assert_snapshot!(output("github", &[]));
}
