//! The everyday paths, through the binary: what a radiologist at a
//! terminal, a QA team's sweep and a pre-commit hook each see.

use crate::radlint;
use serde_json::Value;

/// A report documenting everything for 76377.
const FULL: &str = "fixtures/rules/workstation-missing/pass.txt";
/// A report with an error (no supervision stated).
const NO_SUPERVISION: &str = "fixtures/rules/supervision-missing/fail.txt";

fn jsonl(args: &[&str], stdin: &str) -> Vec<Value> {
    let out = radlint()
        .args(["check", "--no-config", "--no-progress", "--format", "jsonl"])
        .args(args)
        .write_stdin(stdin)
        .output()
        .expect("runs");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

fn human(args: &[&str]) -> (String, String) {
    let out = radlint()
        .args(["check", "--no-config", "--no-progress"])
        .args(args)
        .output()
        .expect("runs");
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

/// One rule for the summary, whatever the verdicts: human output prints it
/// after more than one report, or with `--summary`; never for one report
/// unasked, failing or clean.
#[test]
fn the_summary_follows_one_rule_for_clean_and_failing_reports() {
    for one in [FULL, NO_SUPERVISION] {
        let (out, _) = human(&[one]);
        assert!(!out.contains("summary:"), "{one}: {out}");
        let (out, _) = human(&["--summary", one]);
        assert!(out.contains("summary: 1 reports read"), "{one}: {out}");
    }
    let clean = "fixtures/rules/supervision-missing/pass.txt";
    for two in [[FULL, clean], [NO_SUPERVISION, FULL]] {
        let (out, _) = human(&two);
        assert!(out.contains("summary: 2 reports read"), "{two:?}: {out}");
    }
    // A report that cannot be read is one checked, too.
    let (out, _) = human(&[FULL, "no/such/report.txt"]);
    assert!(out.contains("1 skipped"), "{out}");
    // Other formats: only when asked, and on standard error.
    let out = radlint()
        .args([
            "check",
            "--no-config",
            "--format",
            "jsonl",
            FULL,
            NO_SUPERVISION,
        ])
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("summary:"));
}

/// Where 3D rendering is not documented, the other elements are not judged:
/// the rendering diagnostic and the claim, not six errors about work that
/// was not done, and the verdict says so in one line.
#[test]
fn a_report_without_rendering_gets_one_root_cause_not_six() {
    let mri = "EXAM: MRI BRAIN\nINDICATION: Seizures.\n\
               TECHNIQUE: Sagittal 3D T1 MPRAGE, axial FLAIR. Multiplanar reformats from the 3D T1 acquisition.\n\
               FINDINGS: No mass.\nIMPRESSION: Normal.\n";
    let rows = jsonl(&["--claim", "76377", "-"], mri);
    let row = &rows[0];
    let rules: Vec<&str> = row["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule"))
        .collect();
    assert!(!rules.is_empty(), "{row}");
    assert!(
        rules
            .iter()
            .all(|r| r.starts_with("rendering-") || r.starts_with("claim-")),
        "{rules:?}"
    );
    assert!(rules.contains(&"claim-unsupported"), "{rules:?}");
    for element in ["supervision", "workstation", "findings", "indication"] {
        assert_eq!(
            row["elements"][element]["status"], "not_evaluated",
            "{element}: {row}"
        );
    }
    let verdict = row["verdict"].as_str().expect("verdict");
    assert!(
        verdict.ends_with("(the other elements were not judged)"),
        "{verdict}"
    );
    // The claim names the root cause only.
    let claim = row["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "claim-unsupported")
        .expect("a claim diagnostic");
    let message = claim["message"].as_str().expect("message");
    assert!(
        message.ends_with("missing: a statement that 3D rendering was performed"),
        "{message}"
    );
    // The summary's pass rates count an element only where it was judged:
    // one report with rendering and supervision, one without rendering.
    let out = radlint()
        .args(["check", "--no-config", "--no-progress", "--claim", "76376"])
        .args([NO_SUPERVISION, "-"])
        .write_stdin(mri)
        .output()
        .expect("runs");
    let out = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        out.contains("rendering 50.0%, supervision 0.0%, workstation 100.0%"),
        "{out}"
    );
}

/// Help never asks for an attestation of what the report says did not
/// happen: a console report is told what it supports, not to write "on an
/// independent workstation"; a review-only or automatic one is not told to
/// write "under my concurrent supervision".
#[test]
fn help_never_suggests_attesting_what_the_report_contradicts() {
    let report = |technique: &str| {
        format!(
            "EXAM: CT LEFT ANKLE\nINDICATION: Pilon fracture; operative planning.\n\
             TECHNIQUE: Axial CT. {technique}\n\
             FINDINGS: The 3D images show articular step-off.\nIMPRESSION: Pilon fracture.\n\
             Electronically signed: Dr. A. Smith\n"
        )
    };
    let attestations = [
        "independent workstation (",
        "under my concurrent supervision",
        "I personally performed",
    ];
    for (technique, rule) in [
        (
            "3D volume rendered images were created by me on the scanner console.",
            "workstation-console",
        ),
        (
            "3D volume rendered images were created by the technologist on an independent workstation and reviewed by me afterwards.",
            "supervision-review-only",
        ),
        (
            "3D volume rendered images were created by me, not on an independent workstation.",
            "workstation-missing",
        ),
        (
            "3D volume rendered images were generated automatically by the scanner software on a Vitrea workstation.",
            "supervision-automated",
        ),
        (
            "3D volume rendered images were made on a Vitrea workstation. I did not supervise their creation.",
            "supervision-negated",
        ),
        (
            "3D volume rendered images were made on a Vitrea workstation. Supervision was not concurrent.",
            "supervision-missing",
        ),
    ] {
        let rows = jsonl(&["-"], &report(technique));
        let diagnostics = rows[0]["diagnostics"].as_array().expect("diagnostics");
        let d = diagnostics
            .iter()
            .find(|d| d["rule"] == rule)
            .unwrap_or_else(|| panic!("{rule} for {technique:?}: {diagnostics:?}"));
        let help = d["help"].as_str().expect("help");
        assert!(
            !attestations.iter().any(|a| help.contains(a)),
            "{rule}: {help}"
        );
    }
    // Where nothing is said, help gives example wording.
    let rows = jsonl(&["-"], &report("3D volume rendered images were created."));
    let help = rows[0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "supervision-missing")
        .and_then(|d| d["help"].as_str())
        .expect("supervision-missing with help")
        .to_owned();
    assert!(help.contains("under my concurrent supervision"), "{help}");
}

/// `cat report.txt | radlint check` reads standard input; with nothing
/// piped (a terminal, or `/dev/null` as hooks and CI steps are often given)
/// it says how to name a report, exit 2. `radlint report.txt` is told the
/// subcommand it left out.
#[test]
fn no_path_reads_a_pipe_and_a_missing_subcommand_gets_a_hint() {
    let report = std::fs::read_to_string(crate::at(FULL)).expect("fixture");
    let out = radlint()
        .args(["check", "--no-config", "--no-progress"])
        .write_stdin(report)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert!(stdout.contains("<stdin>: supports 76377"), "{stdout}");
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("radlint"))
        .args(["check", "--no-config"])
        .current_dir(crate::root())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).expect("utf-8");
    assert!(stderr.contains("`-` to read standard input"), "{stderr}");
    let out = radlint().arg(FULL).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).expect("utf-8");
    assert!(
        stderr.contains(&format!("hint: to check it: radlint check {FULL}")),
        "{stderr}"
    );
}

/// Run `command` with standard output and standard error on one
/// pseudo-terminal (util-linux `script`), as at a terminal; what the
/// terminal received.
fn on_one_terminal(command: &str) -> String {
    let out = std::process::Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .current_dir(crate::root())
        .env("TERM", "xterm")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("util-linux `script` runs (the CI image has it)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The progress spinner never draws over output on the same terminal (a
/// sweep in tmux lost diagnostic headers); with `-o FILE` the terminal is
/// free, and it is drawn.
#[test]
fn the_spinner_is_not_drawn_over_output_on_the_same_terminal() {
    let bin = assert_cmd::cargo::cargo_bin("radlint");
    let bin = bin.display();
    // About 1,500 reports: a sweep long enough for the spinner to tick.
    let seen = on_one_terminal(&format!("{bin} check --no-config fixtures"));
    assert!(seen.contains("summary:"), "{seen}");
    assert!(!seen.contains("reports checked"), "a spinner was drawn");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("out.txt");
    let seen = on_one_terminal(&format!(
        "{bin} check --no-config -o {} fixtures",
        file.display()
    ));
    assert!(seen.contains("reports checked"), "no spinner: {seen}");
}

/// An export passed as a file is judged as asked (one report) with a hint
/// naming `--input jsonl`, by its extension or its first line.
#[test]
fn an_export_passed_as_a_file_gets_a_hint() {
    let dir = tempfile::tempdir().expect("temp dir");
    let records = "{\"id\": \"a\", \"text\": \"CT ANKLE. No 3D.\"}\n{\"id\": \"b\", \"text\": \"CT KNEE.\"}\n";
    let named = dir.path().join("export.jsonl");
    let sniffed = dir.path().join("export.txt");
    std::fs::write(&named, records).expect("write");
    std::fs::write(&sniffed, format!("\u{feff}{records}")).expect("write");
    for file in [&named, &sniffed] {
        let out = radlint()
            .args(["check", "--no-config", "--no-progress"])
            .arg(file)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("looks like a JSON-lines export") && stderr.contains("--input jsonl"),
            "{}: {stderr}",
            file.display()
        );
        let out = radlint()
            .args(["check", "--no-config", "--no-progress", "--input", "jsonl"])
            .arg(file)
            .output()
            .expect("runs");
        quiet(&out);
        assert!(String::from_utf8_lossy(&out.stdout).contains("summary: 2 reports read"));
    }
    // A report is not an export.
    let out = radlint()
        .args(["check", "--no-config", "--no-progress", FULL])
        .output()
        .expect("runs");
    quiet(&out);
}

/// Nothing on standard error.
fn quiet(out: &std::process::Output) {
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The README's quick start for a template repository works as given: with
/// its `radlint.toml`, the hook (which names staged files) passes a commit
/// of the README and a finished template, refuses a template with its
/// attestation left out, and agrees with `radlint check .`.
#[test]
fn the_pre_commit_quick_start_works_on_a_template_repository() {
    let readme = std::fs::read_to_string(crate::at("README.md")).expect("README");
    let marker = "# radlint.toml at the root of a template repository";
    let start = readme.find(marker).expect("the quick start's radlint.toml");
    let config = &readme[start..start + readme[start..].find("```").expect("block end")];
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let write = |rel: &str, text: &str| {
        let path = d.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("radlint.toml", config);
    write(
        "README.md",
        "# CT templates\n\nEach template documents 3D rendering for 76377.\n",
    );
    let template = "EXAM: CT RIGHT WRIST WITHOUT CONTRAST\n\
        CLINICAL HISTORY: [***]\n\
        TECHNIQUE: Axial images of the wrist. 3D volume rendered images were created on an \
        independent workstation under my concurrent supervision.\n\
        FINDINGS: [***]\n\
        The 3D images demonstrate [***].\n\
        IMPRESSION: [***]\n";
    write("templates/ct-wrist-3d.txt", template);
    write(
        "templates/ct-ankle-3d.txt",
        &template.replace(" under my concurrent supervision", ""),
    );
    let hook = |files: &[&str]| {
        let out = radlint()
            .current_dir(d)
            .args(["check", "--no-progress"])
            .args(files)
            .output()
            .expect("runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stderr) = hook(&["README.md", "templates/ct-wrist-3d.txt"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("README.md skipped"), "{stderr}");
    let (code, stderr) = hook(&["README.md"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("nothing was checked"), "{stderr}");
    let (code, _) = hook(&["templates/ct-ankle-3d.txt"]);
    assert_eq!(code, Some(1));
    // `--force` checks the named file the configuration leaves out.
    let (code, _) = hook(&["--force", "README.md"]);
    assert_eq!(code, Some(1));
    // The sweep agrees: the README is not walked, the templates are.
    let out = radlint()
        .current_dir(d)
        .args(["check", "--no-progress", "--format", "jsonl", "."])
        .output()
        .expect("runs");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let paths: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("json")["path"].clone())
        .collect();
    assert_eq!(paths.len(), 2, "{stdout}");
    assert!(!stdout.contains("README.md"), "{stdout}");
}

/// `--redact` names reports by pseudonyms, not by their paths or export ids
/// (which often carry an MRN or a name): by input order, or keyed by
/// RADLINT_REDACT_KEY so that the same report keeps its token across runs.
#[test]
fn redact_replaces_paths_and_ids_with_pseudonyms() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("MRN0042-SMITH-JOHN");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::copy(crate::at(FULL), folder.join("ct-knee-MRN0042.txt")).expect("copy");
    std::fs::copy(
        crate::at(NO_SUPERVISION),
        folder.join("ct-wrist-MRN0042.txt"),
    )
    .expect("copy");
    let export = dir.path().join("export.jsonl");
    std::fs::write(
        &export,
        "{\"id\": \"MRN0042-acc-9\", \"text\": \"CT KNEE. 3D volume rendered images were created.\"}\n",
    )
    .expect("write");
    let run = |key: Option<&str>, format: &str, args: &[&std::path::Path], jsonl: bool| {
        let mut cmd = radlint();
        cmd.env_remove("RADLINT_REDACT_KEY").args([
            "check",
            "--no-config",
            "--no-progress",
            "--redact",
            "--format",
            format,
        ]);
        if jsonl {
            cmd.args(["--input", "jsonl"]);
        }
        if let Some(key) = key {
            cmd.env("RADLINT_REDACT_KEY", key);
        }
        let out = cmd.args(args).output().expect("runs");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    for format in ["human", "jsonl", "json", "sarif", "csv", "github"] {
        for key in [None, Some("a secret")] {
            let out = run(key, format, &[&folder], false) + &run(key, format, &[&export], true);
            assert!(!out.contains("MRN0042"), "{format} {key:?}: {out}");
            assert!(!out.contains("SMITH"), "{format}: {out}");
        }
    }
    let paths = |out: &str| -> Vec<String> {
        out.lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).expect("json")["path"]
                    .as_str()
                    .expect("path")
                    .to_owned()
            })
            .collect()
    };
    let plain = paths(&run(None, "jsonl", &[&folder], false));
    assert_eq!(plain, ["report-000001", "report-000002"]);
    let keyed = paths(&run(Some("a secret"), "jsonl", &[&folder], false));
    assert!(
        keyed.iter().all(|p| p.starts_with("r-") && p.len() == 18),
        "{keyed:?}"
    );
    assert_ne!(keyed[0], keyed[1]);
    // The same key gives the same token in another run, whatever the order.
    let second = folder.join("ct-wrist-MRN0042.txt");
    let again = paths(&run(Some("a secret"), "jsonl", &[&second], false));
    assert_eq!(again[0], keyed[1]);
    let other_key = paths(&run(Some("another"), "jsonl", &[&second], false));
    assert_ne!(other_key[0], keyed[1]);
}

/// Long report lines (dictation is often a paragraph a line) are shown as a
/// window around the span sized to the terminal (COLUMNS honoured), with an
/// ellipsis, so the underline stays under its words; with no width known
/// (a pipe, a file), lines are shown whole up to a kilobyte.
#[test]
fn long_lines_are_windowed_to_the_terminal_width() {
    let line = |out: &str| -> Vec<String> {
        out.lines()
            .filter(|l| l.contains(" | ") || l.contains(" │ "))
            .map(str::to_owned)
            .collect()
    };
    for columns in [60usize, 80, 120] {
        let out = radlint()
            .env("COLUMNS", columns.to_string())
            .args(["check", "--no-config", "--no-progress", NO_SUPERVISION])
            .output()
            .expect("runs");
        let out = String::from_utf8(out.stdout).expect("utf-8");
        let source = line(&out);
        assert!(!source.is_empty(), "{out}");
        for l in &source {
            assert!(l.chars().count() <= columns, "{columns}: {l:?}");
        }
        assert!(out.contains('…'), "{columns}: {out}");
        // The underline is under the span's first word.
        let shown = source.iter().find(|l| l.contains("3D")).expect("the line");
        let marks = source
            .iter()
            .find(|l| l.contains('^'))
            .expect("the underline");
        let column = |l: &str, needle: &str| l.find(needle).map(|b| l[..b].chars().count());
        assert_eq!(column(marks, "^"), column(shown, "3D volume"), "{out}");
    }
    // No width known: the line whole, as before.
    let out = radlint()
        .args(["check", "--no-config", "--no-progress", NO_SUPERVISION])
        .output()
        .expect("runs");
    let out = String::from_utf8(out.stdout).expect("utf-8");
    assert!(!out.contains('…'), "{out}");
    assert!(out.contains(
        "3D volume rendered images were created on an independent workstation (Vitrea)."
    ));
}

/// Small faults of the sweep: a file named twice is checked once; an export
/// record with a lone surrogate escape is read (as U+FFFD), and one nested
/// past serde_json's limit says so instead of "not a JSON object".
#[test]
fn a_file_named_twice_and_odd_export_records() {
    let out = radlint()
        .args(["check", "--no-config", "--no-progress", "--format", "jsonl"])
        .args([FULL, FULL, &format!("./{FULL}")])
        .output()
        .expect("runs");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("checked once"));
    let deep = format!("{}1{}", "{\"a\":".repeat(130), "}".repeat(130));
    let export = format!(
        "{{\"id\": \"deep\", \"text\": \"CT 3D\", \"extra\": {deep}}}\n\
         {{\"id\": \"cut\", \"text\": \"CT KNEE \\ud800 3D volume rendered images were created.\"}}\n"
    );
    let rows = jsonl(&["--input", "jsonl", "-"], &export);
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0]["verdict"]
            .as_str()
            .is_some_and(|v| v.contains("nested more than 128 levels")),
        "{}",
        rows[0]
    );
    assert_eq!(rows[1]["path"], "cut");
    assert_eq!(rows[1]["in_scope"], true, "{}", rows[1]);
}

/// The summary gives shares of the reports in scope and the claims at risk
/// (unsupported, and 76377 claimed where only 76376 is documented), and its
/// counts are those of the same run's JSON lines.
#[test]
fn the_summary_counts_shares_and_claims_at_risk_as_the_json_lines_do() {
    let dir = "fixtures/sets/who-worked-the-images-and-where";
    let rows = jsonl(&["--claim", "76377", dir], "");
    let in_scope = rows.iter().filter(|r| r["in_scope"] == true).count();
    let count = |code: &str| rows.iter().filter(|r| r["supports"] == code).count();
    let downgraded = count("76376");
    let unsupported = rows.len() - count("76377");
    assert!(downgraded > 0 && unsupported > downgraded);
    let out = radlint()
        .args([
            "check",
            "--no-config",
            "--no-progress",
            "--claim",
            "76377",
            dir,
        ])
        .output()
        .expect("runs");
    let out = String::from_utf8(out.stdout).expect("utf-8");
    let share = |n: usize| format!("{n} ({:.1}%)", 100.0 * n as f64 / in_scope as f64);
    assert!(
        out.contains(&format!(
            "supports 76377: {}, supports 76376: {}",
            share(count("76377")),
            share(downgraded)
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "claims: {} reports claim a code; not supported: {unsupported} (76377 claimed, only 76376 documented: {downgraded})",
            rows.len()
        )),
        "{out}"
    );
}
