//! Sweeps: redaction, JSON-lines exports, hostile trees, globs, the summary.

use crate::at;
use crate::radlint;
use assert_cmd::Command;
use std::path::Path;

fn jsonl(cmd: &mut Command) -> Vec<serde_json::Value> {
    let out = cmd.output().expect("runs");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// A report whose every statement carries a word that appears nowhere else:
/// if any of them reaches the output, report text leaked.
const MARKED: &str = "EXAM: CT FACE WITHOUT CONTRAST Quixotrel\n\
CLINICAL HISTORY: Zembrulax fell from a ladder; complex fracture, surgical planning.\n\
TECHNIQUE: Axial images Vorpalindo. 3D volume rendered images were created on an independent Vitrea workstation under my concurrent supervision Plumbifax.\n\
FINDINGS:\n\
Comminuted Gravelith fracture of the orbital floor. The 3D images demonstrate the Snarkwidget fragment.\n\
IMPRESSION:\n\
1. Orbital floor fracture Bandersnatchy. CPT 76376.\n";

const MARKERS: &[&str] = &[
    "Quixotrel",
    "Zembrulax",
    "Vorpalindo",
    "Plumbifax",
    "Gravelith",
    "Snarkwidget",
    "Bandersnatchy",
];

#[test]
fn redacted_output_carries_no_report_text_in_any_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("r.txt"), MARKED).expect("write");
    for format in ["human", "jsonl", "json", "sarif", "csv", "github", "html"] {
        let out = radlint()
            .args(["check", "--redact", "--color", "always", "--format", format])
            .arg(dir.path())
            .output()
            .expect("runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        // Named by its pseudonym, not its path.
        assert!(
            text.contains("report-000001") && !text.contains("r.txt"),
            "{format}: the report is not in the output:\n{text}"
        );
        for marker in MARKERS {
            assert!(
                !text.to_lowercase().contains(&marker.to_lowercase()),
                "{format} leaks `{marker}`:\n{text}"
            );
        }
    }
    // Without --redact the human output shows the evidence, so the test can fail.
    let plain = radlint()
        .args(["check"])
        .arg(dir.path().join("r.txt"))
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&plain.stdout).contains("Bandersnatchy"));
}

#[test]
fn human_redacted_output_says_so_and_keeps_rule_ids_and_spans() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("r.txt"), MARKED).expect("write");
    let out = radlint()
        .args(["check", "--redact"])
        .arg(dir.path().join("r.txt"))
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("(redacted"), "{text}");
    assert!(text.contains("[claim-mismatch]"), "{text}");
    assert!(text.contains("bytes "), "{text}");
}

#[test]
fn jsonl_exports_are_read_line_by_line_and_bad_lines_do_not_stop_the_sweep() {
    let good = std::fs::read_to_string(at("fixtures/rules/workstation-missing/pass.txt"))
        .expect("fixture");
    let lines = [
        serde_json::json!({"acc": "A-1", "body": good}).to_string(),
        "{not json".to_owned(),
        String::new(),
        serde_json::json!({"acc": 42, "other": "x"}).to_string(),
        serde_json::json!({"acc": "A-4", "body": "XR CHEST 2 VIEWS. Clear lungs."}).to_string(),
    ];
    let rows = jsonl(
        radlint()
            .args([
                "check",
                "--input",
                "jsonl",
                "--id-field",
                "acc",
                "--text-field",
                "body",
                "--format",
                "jsonl",
                "-",
            ])
            .write_stdin(lines.join("\n")),
    );
    assert_eq!(rows.len(), 4, "{rows:#?}");
    assert_eq!(
        (rows[0]["path"].as_str(), rows[0]["input_line"].as_u64()),
        (Some("A-1"), Some(1))
    );
    assert_eq!(rows[0]["supports"], "76377");
    assert_eq!(rows[1]["input_line"], 2);
    assert_eq!(rows[1]["diagnostics"][0]["rule"], "input-unreadable");
    assert!(
        rows[1]["verdict"]
            .as_str()
            .unwrap_or("")
            .contains("not valid JSON")
    );
    assert_eq!(
        (rows[2]["path"].as_str(), rows[2]["input_line"].as_u64()),
        (Some("42"), Some(4))
    );
    assert!(
        rows[2]["verdict"]
            .as_str()
            .unwrap_or("")
            .contains("no string field `body`")
    );
    assert_eq!(rows[3]["in_scope"], false);
    radlint()
        .args(["check", "--input", "jsonl", "-"])
        .write_stdin(lines.join("\n"))
        .assert()
        .code(1);
}

#[cfg(unix)]
#[test]
fn a_hostile_tree_gets_an_answer_for_every_entry_and_the_good_report_is_judged() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::copy(
        at("fixtures/rules/workstation-missing/pass.txt"),
        root.join("a-good.txt"),
    )
    .expect("copy");
    std::fs::write(root.join("b-binary.txt"), b"EXAM: CT\0\x01").expect("write");
    std::fs::create_dir(root.join("c-dir.txt")).expect("mkdir");
    symlink(root.join("missing.txt"), root.join("d-dangling.txt")).expect("link");
    std::fs::create_dir(root.join("e-loop")).expect("mkdir");
    symlink(root, root.join("e-loop").join("back")).expect("link");
    std::fs::write(root.join("f-huge.txt"), "x".repeat(4096)).expect("write");
    std::fs::write(root.join("g-notes.csv"), "not a report").expect("write");
    let rows = jsonl(
        radlint()
            .args(["check", "--format", "jsonl", "--max-file-size", "2K"])
            .arg(root),
    );
    let by_name = |name: &str| {
        rows.iter()
            .find(|r| {
                r["path"]
                    .as_str()
                    .is_some_and(|p| Path::new(p).ends_with(name))
            })
            .unwrap_or_else(|| panic!("{name} not reported: {rows:#?}"))
    };
    assert_eq!(by_name("a-good.txt")["supports"], "76377");
    for (name, why) in [
        ("b-binary.txt", "binary"),
        ("c-dir.txt", "directory"),
        ("d-dangling.txt", "dangling"),
        ("f-huge.txt", "max-file-size"),
    ] {
        let row = by_name(name);
        assert_eq!(row["diagnostics"][0]["rule"], "input-unreadable", "{name}");
        assert!(
            row["verdict"].as_str().unwrap_or("").contains(why),
            "{name}: {}",
            row["verdict"]
        );
    }
    assert!(
        rows.iter()
            .any(|r| r["verdict"].as_str().unwrap_or("").contains("link loop")),
        "the loop is reported: {rows:#?}"
    );
    assert!(
        !rows
            .iter()
            .any(|r| r["path"].as_str().unwrap_or("").ends_with(".csv"))
    );
}

#[test]
fn include_and_exclude_globs_filter_the_walk() {
    let paths = |args: &[&str]| -> Vec<String> {
        jsonl(
            radlint()
                .args(["check", "--format", "jsonl"])
                .args(args)
                .arg("fixtures/reports"),
        )
        .iter()
        .map(|r| {
            r["path"]
                .as_str()
                .unwrap_or("")
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .collect()
    };
    let md = paths(&["--include", "*.md"]);
    assert!(
        !md.is_empty() && md.iter().all(|p| p.ends_with(".md")),
        "{md:?}"
    );
    let no_ct = paths(&["--exclude", "ct-*"]);
    assert!(
        !no_ct.is_empty() && no_ct.iter().all(|p| !p.starts_with("ct-")),
        "{no_ct:?}"
    );
    radlint()
        .args(["check", "--include", "[", "fixtures/reports"])
        .assert()
        .code(2);
}

#[test]
fn the_summary_counts_verdicts_rules_and_skips() {
    let out = radlint()
        .args([
            "check",
            "--format",
            "jsonl",
            "--summary",
            "fixtures/reports",
            "no/such/dir",
        ])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("summary: 30 reports read"), "{err}");
    assert!(
        err.contains("supports 76377: 10 (43.5%), supports 76376: 5 (21.7%)"),
        "{err}"
    );
    assert!(
        err.contains("element pass rates (where judged): rendering"),
        "{err}"
    );
    assert!(err.contains("most frequent rules (reports):"), "{err}");
    assert!(err.contains("skipped: no such file or directory"), "{err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains("summary:"),
        "the summary stays out of machine output"
    );
    let human = radlint()
        .args(["check", "fixtures/reports"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&human.stdout).contains("summary: 30 reports read"));
}
