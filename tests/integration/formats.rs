//! The machine formats through the binary: SARIF (checked by Microsoft's SARIF
//! Multitool when `SARIF_MULTITOOL` names it), CSV, GitHub workflow commands,
//! and every format's independence from the thread count.

use crate::at;
use crate::radlint;
use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

const REPORTS: &str = "fixtures/reports";
const FULL: &str = "fixtures/rules/workstation-missing/pass.txt";

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().expect("runs").stdout).expect("utf-8")
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// The JSON-lines view of the same inputs, to check the other formats against.
fn jsonl(args: &[&str]) -> Vec<Value> {
    stdout(radlint().args(["check", "--format", "jsonl"]).args(args))
        .lines()
        .map(json)
        .collect()
}

fn sarif(args: &[&str]) -> Value {
    json(&stdout(
        radlint().args(["check", "--format", "sarif"]).args(args),
    ))
}

/// The one run's results.
fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().expect("results")
}

/// Check what every SARIF log must hold, and return the results.
fn check_sarif(log: &Value) -> &Vec<Value> {
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "radlint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("driver rules");
    for rule in radlint::rules::ALL.iter().map(|r| r.id).chain(["verdict"]) {
        let found = rules.iter().find(|r| r["id"] == rule);
        let found = found.unwrap_or_else(|| panic!("rule {rule} not in the driver"));
        for key in ["name", "shortDescription", "fullDescription", "help"] {
            assert!(found.get(key).is_some(), "rule {rule} has no {key}");
        }
        assert!(
            ["error", "warning", "note"].contains(
                &found["defaultConfiguration"]["level"]
                    .as_str()
                    .unwrap_or("")
            ),
            "{found}"
        );
    }
    let results = results(log);
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        let rule = rules.get(index).expect("ruleIndex in range");
        assert_eq!(rule["id"], result["ruleId"], "{result}");
        assert!(
            ["error", "warning", "note"].contains(&result["level"].as_str().unwrap_or("")),
            "{result}"
        );
        assert!(result["message"]["text"].is_string(), "{result}");
        let location = &result["locations"][0]["physicalLocation"];
        assert!(location["artifactLocation"]["uri"].is_string(), "{result}");
        assert!(
            location["region"]["startLine"]
                .as_u64()
                .is_some_and(|l| l >= 1),
            "{result}"
        );
    }
    results
}

#[test]
fn sarif_has_a_result_per_diagnostic_and_a_verdict_per_report() {
    let reports = jsonl(&[REPORTS]);
    let diagnostics: usize = reports
        .iter()
        .map(|r| r["diagnostics"].as_array().map_or(0, Vec::len))
        .sum();
    // By default a verdict only where there is a diagnostic: an archive's
    // clean reports add nothing (GitHub code scanning takes 25,000 results
    // a run).
    let with_problems = reports
        .iter()
        .filter(|r| r["diagnostics"].as_array().is_some_and(|d| !d.is_empty()))
        .count();
    assert!(with_problems < reports.len());
    let log = sarif(&[REPORTS]);
    let results = check_sarif(&log);
    assert_eq!(results.len(), diagnostics + with_problems);
    let log = sarif(&["--sarif-verdicts", "all", REPORTS]);
    let results = check_sarif(&log);
    assert_eq!(results.len(), diagnostics + reports.len());
    for report in &reports {
        let path = report["path"].as_str().expect("path");
        let mine: Vec<&Value> = results
            .iter()
            .filter(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == path)
            .collect();
        let verdict = mine
            .iter()
            .find(|r| r["ruleId"] == "verdict")
            .unwrap_or_else(|| panic!("no verdict for {path}"));
        assert_eq!(verdict["level"], "note");
        assert_eq!(verdict["message"]["text"], report["verdict"]);
        assert_eq!(verdict["properties"]["supports"], report["supports"]);
        assert_eq!(verdict["properties"]["in_scope"], report["in_scope"]);
        // Each diagnostic is a result at the same place as in JSON.
        for d in report["diagnostics"].as_array().expect("diagnostics") {
            let found = mine.iter().any(|r| {
                let region = &r["locations"][0]["physicalLocation"]["region"];
                r["ruleId"] == d["rule"]
                    && r["level"] == d["severity"]
                    && r["message"]["text"] == d["message"]
                    && region["startLine"] == d["line"]
                    && region["startColumn"] == d["column"]
                    && region["byteOffset"] == d["start"]
                    && region["byteLength"].as_u64()
                        == Some(d["end"].as_u64().unwrap_or(0) - d["start"].as_u64().unwrap_or(0))
            });
            assert!(found, "{path}: no result for {d}");
        }
    }
}

#[test]
fn sarif_regions_hold_the_span_as_a_snippet_unless_redacted() {
    let path = "fixtures/reports/cbct-dental-implant-console.txt";
    let text = std::fs::read_to_string(at(path)).expect("fixture");
    let log = sarif(&[path]);
    let located: Vec<&Value> = check_sarif(&log)
        .iter()
        .filter(|r| r["ruleId"] != "verdict")
        .collect();
    assert!(!located.is_empty());
    for r in &located {
        let region = &r["locations"][0]["physicalLocation"]["region"];
        let start = region["byteOffset"].as_u64().expect("byteOffset") as usize;
        let len = region["byteLength"].as_u64().expect("byteLength") as usize;
        assert_eq!(region["snippet"]["text"], text[start..start + len], "{r}");
        assert!(region["endLine"].as_u64() >= region["startLine"].as_u64());
        assert!(region["endColumn"].is_u64());
    }
    let redacted = stdout(radlint().args(["check", "--format", "sarif", "--redact", REPORTS]));
    check_sarif(&json(&redacted));
    assert!(!redacted.contains("snippet"), "a snippet in redacted SARIF");
}

#[test]
fn sarif_is_valid_for_no_inputs_and_for_unreadable_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let out = stdout(radlint().args(["check", "--format", "sarif"]).arg(&empty));
    let log = json(&out);
    assert!(check_sarif(&log).is_empty());

    std::fs::write(dir.path().join("a-binary.txt"), b"EXAM: CT\0\x01\x02").expect("write");
    std::fs::copy(at(FULL), dir.path().join("b good.txt")).expect("copy");
    let log = json(&stdout(
        radlint()
            .args(["check", "--format", "sarif", "--sarif-verdicts", "all"])
            .arg(dir.path())
            .arg("no/such/file.txt"),
    ));
    let results = check_sarif(&log);
    let unreadable: Vec<&Value> = results
        .iter()
        .filter(|r| r["ruleId"] == "input-unreadable")
        .collect();
    assert_eq!(unreadable.len(), 2, "{results:?}");
    assert!(unreadable.iter().all(|r| r["level"] == "error"));
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "verdict" && r["properties"]["supports"] == "76377")
    );
}

#[test]
fn sarif_uris_are_relative_percent_encoded_references() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("my reports")).expect("mkdir");
    std::fs::copy(at(FULL), dir.path().join("my reports/a,b #1.txt")).expect("copy");
    let output = Command::cargo_bin("radlint")
        .expect("binary built")
        .current_dir(dir.path())
        .args(["check", "--format", "sarif", "--sarif-verdicts", "all"])
        .arg("my reports")
        .output()
        .expect("runs");
    let log = json(&String::from_utf8(output.stdout).expect("utf-8"));
    let uris: Vec<&Value> = check_sarif(&log)
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        .collect();
    assert!(!uris.is_empty());
    assert!(
        uris.iter().all(|u| *u == "my%20reports/a%2Cb%20%231.txt"),
        "{uris:?}"
    );
}

#[test]
fn export_records_are_located_by_id_with_their_line() {
    let export = "{\"id\": \"acc 1\", \"text\": \"CT face. 3D volume rendering.\"}\n";
    let log = json(&stdout(
        radlint()
            .args(["check", "--format", "sarif", "--input", "jsonl", "-"])
            .write_stdin(export),
    ));
    let results = check_sarif(&log);
    assert!(!results.is_empty());
    for r in results {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "acc%201"
        );
        assert_eq!(r["properties"]["input_line"], 1);
    }
}

/// Errors the SARIF Multitool reports for `file`, with its other findings.
fn multitool_findings(tool: &Path, file: &Path) -> (Vec<String>, Vec<String>) {
    let out = file.with_extension("validation.sarif");
    let output = std::process::Command::new(tool)
        .arg("validate")
        .args(["--rule-kind", "Sarif;Gh", "--level", "Error;Warning;Note"])
        .arg("--output")
        .arg(&out)
        .arg(file)
        .output()
        .expect("the SARIF Multitool runs");
    let console = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "the multitool failed:\n{console}");
    let text = std::fs::read_to_string(&out)
        .unwrap_or_else(|e| panic!("no validation log ({e}):\n{console}"));
    let log = json(&text);
    let run = &log["runs"][0];
    let describe = |r: &Value| {
        format!(
            "{} {} {}",
            r["level"].as_str().unwrap_or("warning"),
            r["ruleId"].as_str().unwrap_or(""),
            r["message"]
        )
    };
    let (mut errors, mut others) = (Vec::new(), Vec::new());
    for r in run["results"].as_array().into_iter().flatten() {
        if r["level"] == "error" {
            errors.push(describe(r));
        } else {
            others.push(describe(r));
        }
    }
    for invocation in run["invocations"].as_array().into_iter().flatten() {
        assert_eq!(invocation["executionSuccessful"], true, "{console}");
        for n in invocation["toolExecutionNotifications"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if n["level"] == "error" {
                errors.push(format!("tool: {}", n["message"]));
            }
        }
    }
    (errors, others)
}

#[test]
fn sarif_passes_microsofts_sarif_multitool() {
    let Some(tool) = std::env::var_os("SARIF_MULTITOOL").filter(|v| !v.is_empty()) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "SARIF_MULTITOOL is not set: .ci/run installs the SARIF Multitool and sets it"
        );
        let _ = writeln!(
            std::io::stderr(),
            "skipped sarif_passes_microsofts_sarif_multitool: SARIF_MULTITOOL is not set (see .ci/run)"
        );
        return;
    };
    let tool = Path::new(&tool);
    let dir = tempfile::tempdir().expect("temp dir");

    // The harness finds errors: a URI with a space is one.
    let broken = dir.path().join("broken.sarif");
    std::fs::write(
        &broken,
        r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "a", "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a b.txt"}}}]}]}]}"#,
    )
    .expect("write");
    let (errors, _) = multitool_findings(tool, &broken);
    assert!(
        !errors.is_empty(),
        "the multitool found no error in a broken log"
    );

    // A sweep, and a redacted sweep with unreadable files and odd names.
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).expect("mkdir");
    std::fs::write(inputs.join("a-binary.txt"), b"EXAM: CT\0\x01").expect("write");
    std::fs::copy(at(FULL), inputs.join("b good, #1.txt")).expect("copy");
    let sweeps = [
        ("sweep.sarif", vec!["check", "--format", "sarif", REPORTS]),
        (
            // Suppressions, used and unused, with their justifications.
            "suppressed.sarif",
            vec![
                "check",
                "--format",
                "sarif",
                "fixtures/rules/suppression-unused",
            ],
        ),
        (
            "redacted.sarif",
            vec!["check", "--format", "sarif", "--redact", "no/such.txt"],
        ),
    ];
    // An absolute path with a '..' segment (SARIF1002 rejects such file URIs).
    let dotted = inputs.join("..").join("inputs");
    for (name, args) in sweeps {
        let mut cmd = radlint();
        cmd.args(&args);
        if name == "redacted.sarif" {
            cmd.arg(&inputs).arg(&dotted);
        }
        let file = dir.path().join(name);
        std::fs::write(&file, stdout(&mut cmd)).expect("write");
        let (errors, others) = multitool_findings(tool, &file);
        assert!(
            errors.is_empty(),
            "{name}: the SARIF Multitool reports errors:\n{}\n(and {} other findings)",
            errors.join("\n"),
            others.len()
        );
    }
}

/// CSV records as maps from column to value.
fn csv_rows(text: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.expect("a well-formed record");
            assert_eq!(r.len(), headers.len(), "{r:?}");
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect();
    (headers, rows)
}

const CSV_COLUMNS: [&str; 22] = [
    "path",
    "input_line",
    "in_scope",
    "supports",
    "rendering",
    "supervision",
    "workstation",
    "findings",
    "indication",
    "modality",
    "unbundled",
    "errors",
    "warnings",
    "failing_rules",
    "verdict",
    "lexicon_version",
    "suppressed",
    "signer",
    "date",
    "exam",
    "exam_modality",
    "accession",
];

#[test]
fn csv_has_a_header_and_a_row_per_report_agreeing_with_json() {
    let (headers, rows) = csv_rows(&stdout(
        radlint().args(["check", "--format", "csv", REPORTS]),
    ));
    assert_eq!(headers, CSV_COLUMNS);
    let reports = jsonl(&[REPORTS]);
    assert_eq!(rows.len(), reports.len());
    for (row, report) in rows.iter().zip(&reports) {
        assert_eq!(row["path"], report["path"].as_str().unwrap_or(""));
        assert_eq!(row["input_line"], "");
        assert_eq!(row["in_scope"], report["in_scope"].to_string());
        assert_eq!(
            row["supports"],
            report["supports"].as_str().unwrap_or("neither")
        );
        assert_eq!(row["verdict"], report["verdict"].as_str().unwrap_or(""));
        assert_eq!(
            row["lexicon_version"],
            report["lexicon_version"].as_str().unwrap_or("")
        );
        for element in radlint::rules::Element::ALL {
            let name = element.name();
            assert_eq!(
                row[name],
                report["elements"][name]["status"].as_str().unwrap_or("")
            );
        }
        let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
        let count = |s: &str| diagnostics.iter().filter(|d| d["severity"] == s).count();
        assert_eq!(row["errors"], count("error").to_string());
        assert_eq!(row["warnings"], count("warning").to_string());
        let mut failing: Vec<&str> = diagnostics
            .iter()
            .filter(|d| d["severity"] != "note")
            .filter_map(|d| d["rule"].as_str())
            .collect();
        failing.sort_unstable();
        failing.dedup();
        assert_eq!(row["failing_rules"], failing.join(";"));
        for (column, key) in [
            ("signer", "signer"),
            ("date", "date"),
            ("exam", "exam"),
            ("exam_modality", "modality"),
            ("accession", "accession"),
        ] {
            assert_eq!(row[column], report["meta"][key].as_str().unwrap_or(""));
        }
    }
    let row = |file: &str| {
        let path = format!("{REPORTS}/{file}");
        rows.iter()
            .find(|r| r["path"] == path)
            .unwrap_or_else(|| panic!("no row for {path}"))
    };
    let console = row("cbct-dental-implant-console.txt");
    assert_eq!(console["supports"], "76376");
    assert_eq!(console["workstation"], "missing");
    assert_eq!(console["in_scope"], "true");
    let vitrea = row("ct-face-trauma-vitrea.txt");
    assert_eq!(vitrea["supports"], "76377");
    assert_eq!(vitrea["workstation"], "present");
    assert_eq!(vitrea["errors"], "0");
}

#[test]
fn csv_quotes_odd_paths_and_reports_unreadable_inputs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut names = vec!["a, b.txt".to_owned()];
    if cfg!(unix) {
        names.push("say \"3D\".txt".to_owned());
        names.push("two\nlines.txt".to_owned());
    }
    for name in &names {
        std::fs::copy(at(FULL), dir.path().join(name)).expect("copy");
    }
    std::fs::write(dir.path().join("z-binary.txt"), b"EXAM: CT\0").expect("write");
    let out = stdout(radlint().args(["check", "--format", "csv"]).arg(dir.path()));
    let (_, rows) = csv_rows(&out);
    assert_eq!(rows.len(), names.len() + 1, "{out}");
    let mut sorted = names.clone();
    sorted.sort();
    for (row, name) in rows.iter().zip(&sorted) {
        let path = dir.path().join(name).display().to_string();
        assert_eq!(row["path"], path);
        assert_eq!(row["supports"], "76377");
    }
    let binary = rows.last().expect("the binary file's row");
    assert!(binary["path"].ends_with("z-binary.txt"));
    assert_eq!(binary["in_scope"], "false");
    assert_eq!(binary["supports"], "neither");
    assert_eq!(binary["errors"], "1");
    assert_eq!(binary["failing_rules"], "input-unreadable");
    assert!(
        binary["verdict"].starts_with("not judged: binary"),
        "{binary:?}"
    );
    for element in radlint::rules::Element::ALL {
        assert_eq!(binary[element.name()], "");
    }
    // The raw text quotes the comma and doubles the quote.
    let comma = dir.path().join("a, b.txt").display().to_string();
    assert!(out.contains(&format!("\"{comma}\"")), "{out}");
    if cfg!(unix) {
        let quote = dir.path().join("say \"\"3D\"\".txt").display().to_string();
        assert!(out.contains(&format!("\"{quote}\"")), "{out}");
    }
}

#[test]
fn github_has_a_line_per_diagnostic_and_a_verdict_notice_per_report() {
    let out = stdout(radlint().args(["check", "--format", "github", REPORTS]));
    let reports = jsonl(&[REPORTS]);
    let mut lines = out.lines();
    for report in &reports {
        let path = report["path"].as_str().expect("path");
        for d in report["diagnostics"].as_array().expect("diagnostics") {
            let line = lines.next().expect("a line per diagnostic");
            let command = match d["severity"].as_str() {
                Some("error") => "error",
                Some("warning") => "warning",
                _ => "notice",
            };
            let head = format!("::{command} file={path},line={},", d["line"]);
            assert!(line.starts_with(&head), "{line}\nexpected {head}");
            let (properties, message) = line[2..].split_once("::").expect("two parts");
            let rule = d["rule"].as_str().unwrap_or("");
            assert!(properties.contains(",endLine="), "{line}");
            assert!(properties.ends_with(&format!(",title={rule}")), "{line}");
            if properties.contains(",col=") {
                let col = format!(",line={},col={},endLine=", d["line"], d["column"]);
                assert!(properties.contains(&col), "{line}");
                assert!(properties.contains(",endColumn="), "{line}");
            }
            assert_eq!(message, d["message"].as_str().unwrap_or(""));
        }
        let verdict = lines.next().expect("a verdict line");
        assert_eq!(
            verdict,
            format!(
                "::notice file={path},line=1,title=verdict::{}",
                report["verdict"].as_str().unwrap_or("")
            )
        );
    }
    assert_eq!(
        lines.next(),
        None,
        "more lines than diagnostics and verdicts"
    );
}

#[test]
fn github_escapes_paths_and_messages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (name, escaped) = if cfg!(unix) {
        ("100%,a:b\nc.txt", "./100%25%2Ca%3Ab%0Ac.txt")
    } else {
        ("100%,a b.txt", ".\\100%25%2Ca b.txt")
    };
    std::fs::copy(at(FULL), dir.path().join(name)).expect("copy");
    std::fs::copy(
        at("fixtures/rules/modality-not-tomographic/fail.txt"),
        dir.path().join("m.txt"),
    )
    .expect("copy");
    std::fs::write(dir.path().join("z-binary.txt"), b"EXAM: CT\0").expect("write");
    let output = Command::cargo_bin("radlint")
        .expect("binary built")
        .current_dir(dir.path())
        .args(["check", "--format", "github", "."])
        .output()
        .expect("runs");
    let out = String::from_utf8(output.stdout).expect("utf-8");
    let lines: Vec<&str> = out.lines().collect();
    let sep = std::path::MAIN_SEPARATOR;
    // The path is a property: '%', line breaks, ':' and ',' are escaped.
    assert_eq!(
        lines.first().copied(),
        Some(format!("::notice file={escaped},line=1,title=verdict::supports 76377").as_str()),
        "{out}"
    );
    // A message is data: ':' and ',' stay as they are.
    let verdict = format!(
        "::notice file=.{sep}m.txt,line=1,title=verdict::supports neither: needs a tomographic base exam (CT, MR, US)"
    );
    assert!(lines.contains(&verdict.as_str()), "{out}");
    assert_eq!(
        lines.last().copied(),
        Some(
            format!(
                "::error file=.{sep}z-binary.txt,title=input-unreadable::binary file (contains NUL bytes); not a report"
            )
            .as_str()
        ),
        "{out}"
    );
}

#[test]
fn every_format_is_the_same_whatever_the_thread_count() {
    for format in ["sarif", "csv", "github", "jsonl", "json", "human"] {
        let run = |jobs: &str| {
            radlint()
                .args([
                    "check", "--color", "never", "--format", format, "--jobs", jobs, REPORTS,
                ])
                .output()
                .expect("runs")
        };
        let (one, two) = (run("1"), run("2"));
        assert_eq!(one.status.code(), Some(1), "{format}");
        assert!(!one.stdout.is_empty(), "{format}");
        assert!(
            one.stdout == two.stdout,
            "{format}: --jobs 1 and --jobs 2 differ"
        );
        assert_eq!(one.stderr, two.stderr, "{format}");
    }
}
