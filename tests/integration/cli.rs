//! The binary's contract: exit codes, stdin, formats, subcommands, errors.

use crate::at;
use crate::radlint;
use assert_cmd::Command;

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().expect("runs").stdout).expect("utf-8")
}

const FULL: &str = "fixtures/rules/workstation-missing/pass.txt";
const NO_SUPERVISION: &str = "fixtures/rules/supervision-missing/fail.txt";

#[test]
fn exit_0_when_clean_1_on_errors_2_on_usage() {
    radlint().args(["check", FULL]).assert().code(0);
    radlint().args(["check", NO_SUPERVISION]).assert().code(1);
    radlint()
        .args(["check", "--format", "yaml", FULL])
        .assert()
        .code(2);
    radlint().args(["explain", "no-such-rule"]).assert().code(2);
}

#[test]
fn an_out_of_scope_report_is_clean() {
    radlint()
        .args([
            "check",
            "fixtures/reports/ct-abdomen-pelvis-reformats-only.txt",
        ])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("out of scope"));
}

#[test]
fn stdin_is_read_with_a_name() {
    let text = std::fs::read_to_string(at(FULL)).expect("fixture");
    let out = stdout(
        radlint()
            .args([
                "check",
                "--format",
                "jsonl",
                "--stdin-name",
                "dictation",
                "-",
            ])
            .write_stdin(text),
    );
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON line");
    assert_eq!(v["path"], "dictation");
    assert_eq!(v["supports"], "76377");
}

#[test]
fn jsonl_carries_the_documented_fields() {
    let out = stdout(radlint().args(["check", "--format", "jsonl", NO_SUPERVISION, FULL]));
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    let first = &lines[0];
    for key in [
        "path",
        "supports",
        "in_scope",
        "elements",
        "diagnostics",
        "lexicon_version",
        "verdict",
        "claimed",
        "cpt_year",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    assert_eq!(first["supports"], serde_json::Value::Null);
    assert_eq!(first["elements"]["supervision"]["status"], "missing");
    assert_eq!(first["elements"]["rendering"]["status"], "present");
    assert!(
        first["elements"]["rendering"]["span"]["line"]
            .as_u64()
            .is_some()
    );
    let d = first["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["rule"] == "supervision-missing")
        .expect("the supervision diagnostic");
    for key in [
        "severity", "message", "help", "start", "end", "line", "column",
    ] {
        assert!(d.get(key).is_some(), "diagnostic missing {key}");
    }
    assert_eq!(lines[1]["supports"], "76377");
}

#[test]
fn json_is_one_document_with_the_same_reports() {
    let out = stdout(radlint().args(["check", "--format", "json", FULL, NO_SUPERVISION]));
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(v["reports"].as_array().map(Vec::len), Some(2));
    assert!(v["lexicon_version"].is_string());
}

#[test]
fn claim_option_is_judged() {
    let console = "fixtures/reports/cbct-dental-implant-console.txt";
    radlint().args(["check", console]).assert().code(0);
    radlint()
        .args(["check", "--claim", "76377", console])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("claim-unsupported"));
    radlint()
        .args(["check", "--claim", "76378", console])
        .assert()
        .code(2);
}

#[test]
fn human_output_has_no_colour_in_a_pipe_and_ends_with_the_verdict() {
    let out = stdout(radlint().args(["check", "fixtures/reports/cbct-dental-implant-console.txt"]));
    assert!(!out.contains('\u{1b}'), "escape codes in piped output");
    assert!(
        out.trim_end()
            .ends_with("supports 76376 (76377 needs: an independent workstation)"),
        "{out}"
    );
    let coloured = stdout(radlint().args(["check", "--color", "always", FULL]));
    assert!(coloured.contains('\u{1b}'));
}

#[test]
fn directories_are_walked_in_sorted_order() {
    let out = stdout(radlint().args(["check", "--format", "jsonl", "fixtures/reports"]));
    let paths: Vec<String> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("JSON")["path"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(paths.len() >= 20);
    assert!(paths.iter().all(|p| !p.ends_with(".toml")));
}

#[test]
fn unreadable_and_binary_files_are_reported_and_the_sweep_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("a-binary.txt"), b"EXAM: CT\0\x01\x02").expect("write");
    std::fs::copy(at(FULL), dir.path().join("b-good.txt")).expect("copy");
    let out = stdout(
        radlint()
            .args(["check", "--format", "jsonl"])
            .arg(dir.path())
            .arg("no/such/file.txt"),
    );
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["diagnostics"][0]["rule"], "input-unreadable");
    assert!(
        lines[0]["verdict"]
            .as_str()
            .unwrap_or("")
            .contains("binary")
    );
    assert_eq!(lines[1]["supports"], "76377");
    assert_eq!(lines[2]["diagnostics"][0]["rule"], "input-unreadable");
    radlint().args(["check"]).arg(dir.path()).assert().code(1);
}

#[test]
fn invalid_utf8_is_a_warning_not_a_crash() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut bytes = std::fs::read(at(FULL)).expect("fixture");
    bytes.extend_from_slice(b"\nSigned: Dr. Ren\xe9 Roe\n");
    let path = dir.path().join("latin1.txt");
    std::fs::write(&path, bytes).expect("write");
    let out = stdout(radlint().args(["check", "--format", "jsonl"]).arg(&path));
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    assert_eq!(v["supports"], "76377");
    assert_eq!(v["diagnostics"][0]["rule"], "input-invalid-utf8");
    assert_eq!(v["diagnostics"][0]["severity"], "warning");
}

#[test]
fn a_bad_lexicon_is_exit_2_and_points_into_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("extra.toml");
    std::fs::write(&path, "[concept.rendering]\npatterns = ['(unclosed']\n").expect("write");
    let output = radlint()
        .args(["check", "--lexicon"])
        .arg(&path)
        .arg(FULL)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("invalid pattern"), "{err}");
    assert!(err.contains("extra.toml:2:"), "{err}");
    std::fs::write(&path, "[concept.rendring]\nphrases = ['x']\n").expect("write");
    let output = radlint()
        .args(["check", "--lexicon"])
        .arg(&path)
        .arg(FULL)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown concept `rendring`"));
}

#[test]
fn an_extra_lexicon_adds_phrases() {
    let dir = tempfile::tempdir().expect("temp dir");
    let lexicon = dir.path().join("local.toml");
    std::fs::write(
        &lexicon,
        "[[product]]\nname = \"Acme 3D Suite\"\nphrases = [\"acme suite\"]\n",
    )
    .expect("write");
    let report = dir.path().join("r.txt");
    let text = std::fs::read_to_string(at("fixtures/rules/workstation-missing/fail.txt"))
        .expect("fixture");
    let text = text.replacen(
        "images were created under",
        "images were created on the Acme Suite under",
        1,
    );
    assert!(text.contains("Acme Suite"), "the fixture changed: {text}");
    std::fs::write(&report, &text).expect("write");
    let before = stdout(radlint().args(["check", "--format", "jsonl"]).arg(&report));
    let after = stdout(
        radlint()
            .args(["check", "--format", "jsonl", "--lexicon"])
            .arg(&lexicon)
            .arg(&report),
    );
    let b: serde_json::Value = serde_json::from_str(before.trim()).expect("JSON");
    let a: serde_json::Value = serde_json::from_str(after.trim()).expect("JSON");
    assert_eq!(b["supports"], "76376", "{text}");
    assert_eq!(a["supports"], "76377");
    assert!(
        a["lexicon_version"]
            .as_str()
            .unwrap_or("")
            .ends_with("+local")
    );
}

#[test]
fn rules_and_explain() {
    let list = stdout(radlint().arg("rules"));
    for rule in radlint::rules::ALL {
        assert!(list.contains(rule.id), "{} not listed", rule.id);
    }
    let long = stdout(radlint().args(["explain", "supervision-missing"]));
    assert!(long.contains("Why it matters"));
    assert!(long.contains("Source: CPT 76376/76377"));
    assert!(long.contains("Fixed:"));
}

#[test]
fn help_states_the_exit_codes() {
    let help = stdout(radlint().args(["check", "--help"]));
    assert!(help.contains("2  usage or configuration error"));
}

#[test]
fn reports_are_never_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("r.txt");
    std::fs::copy(at(NO_SUPERVISION), &path).expect("copy");
    let before = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    let bytes = std::fs::read(&path).expect("read");
    radlint().args(["check"]).arg(&path).assert().code(1);
    assert_eq!(std::fs::read(&path).expect("read"), bytes);
    assert_eq!(
        std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("mtime"),
        before
    );
}

#[test]
fn explain_statements_lists_the_vocabularies_and_every_frame() {
    let out = radlint()
        .args(["explain", "statements"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let lexicon = radlint::lexicon::Lexicon::builtin().expect("lexicon");
    assert!(!lexicon.frames.is_empty());
    for frame in &lexicon.frames {
        assert!(
            text.contains(&format!("  {}: {}", frame.name, frame.pattern)),
            "frame {} is not explained",
            frame.name
        );
    }
    assert!(text.contains("agent.physician:"), "{text}");
}

#[test]
fn a_diagnostic_on_a_long_line_shows_a_window_of_it_not_the_whole_line() {
    // One dictated paragraph of 20 KB, with the 3D statement far into it.
    let filler = "The alignment is anatomic and the joint spaces are preserved. ".repeat(320);
    let text = format!(
        "EXAM: CT WRIST\nTECHNIQUE: {filler}3D volume rendered images were created on the scanner console. {filler}\n"
    );
    let output = radlint()
        .args([
            "check",
            "--no-config",
            "--no-progress",
            "-",
            "--stdin-name",
            "long.txt",
        ])
        .write_stdin(text.clone())
        .output()
        .expect("runs");
    let out = String::from_utf8(output.stdout).expect("utf-8");
    // Each diagnostic shows at most a window of the line, cut with an ellipsis.
    assert!(out.len() < text.len(), "{} bytes of output", out.len());
    assert!(out.contains('…'), "{out}");
    // The position is the span's, in characters from the line's start.
    let column = text
        .lines()
        .nth(1)
        .and_then(|l| l.find("3D volume"))
        .expect("the statement is on line 2")
        + 1;
    assert!(out.contains(&format!("long.txt:2:{column}")), "{out}");
}

#[test]
fn markdown_on_stdin_is_read_as_markdown_when_its_name_says_so() {
    // The attestation is inside an HTML comment: not report text in markdown.
    let text = "# CT FACE\n\nINDICATION: Orbital floor fracture; surgical planning.\n\n\
TECHNIQUE: Axial images. 3D volume-rendered images were created.\n\
<!-- on an independent workstation (Vitrea) under my concurrent supervision -->\n\n\
FINDINGS: The 3D images demonstrate the orbital floor fracture.\n";
    let verdict = |name: &str| {
        let output = radlint()
            .args([
                "check",
                "--no-config",
                "--no-progress",
                "--format",
                "jsonl",
                "-",
                "--stdin-name",
                name,
            ])
            .write_stdin(text)
            .output()
            .expect("runs");
        let line = String::from_utf8(output.stdout).expect("utf-8");
        let record: serde_json::Value = serde_json::from_str(line.trim()).expect("one record");
        record["supports"].clone()
    };
    assert_eq!(verdict("report.md"), serde_json::Value::Null);
    // The same text named as plain text: the comment is text, and counts.
    assert_eq!(verdict("report.txt"), serde_json::json!("76377"));
}

#[test]
fn a_json_lines_export_that_starts_with_a_byte_order_mark_keeps_its_first_record() {
    let dir = tempfile::tempdir().expect("temp dir");
    let export = dir.path().join("export.jsonl");
    let record = |id: &str| {
        serde_json::json!({"id": id, "text": "EXAM: CT HEAD\nFINDINGS: Normal.\n"}).to_string()
    };
    std::fs::write(
        &export,
        format!("\u{feff}{}\n{}\n", record("first"), record("second")),
    )
    .expect("write");
    let output = radlint()
        .args([
            "check",
            "--no-config",
            "--no-progress",
            "--format",
            "jsonl",
            "--input",
            "jsonl",
        ])
        .arg(&export)
        .output()
        .expect("runs");
    let out = String::from_utf8(output.stdout).expect("utf-8");
    assert!(out.contains("\"first\""), "{out}");
    assert!(out.contains("\"second\""), "{out}");
    assert!(!out.contains("input-unreadable"), "{out}");
}

#[test]
fn nothing_checked_is_said_not_passed_over_in_silence() {
    let dir = tempfile::tempdir().expect("temp dir");
    radlint()
        .args(["check", "--no-config", "--no-progress"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stderr(predicates::str::contains("nothing was checked"));
    // One report checked: no such warning.
    radlint()
        .args(["check", "--no-config", "--no-progress", FULL])
        .assert()
        .code(0)
        .stderr(predicates::prelude::PredicateBooleanExt::not(
            predicates::str::contains("nothing was checked"),
        ));
}
