//! The QA report's numbers (`--format html`) and the summary as data
//! (`--summary --format json`), checked against counts computed here from
//! the same reports' JSON lines; the page's caps and the CSV beside it.

use crate::{check_cmd, claims_unsupported, failing_rules};
use serde_json::Value;
use std::collections::BTreeMap;

const INPUTS: [&str; 2] = ["fixtures/reports", "fixtures/meta"];

fn jsonl(args: &[&str]) -> Vec<Value> {
    crate::checked_jsonl(args).0
}

#[test]
fn the_summary_as_json_agrees_with_the_json_lines() {
    let out = check_cmd("json")
        .args(["--summary"])
        .args(INPUTS)
        .output()
        .expect("radlint runs");
    let document: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert!(
        out.stderr.is_empty(),
        "the summary is in the document, not on stderr"
    );
    let s = &document["summary"];
    let reports = jsonl(&INPUTS);
    assert_eq!(
        document["reports"].as_array().map(Vec::len),
        Some(reports.len())
    );
    let in_scope: Vec<&Value> = reports.iter().filter(|r| r["in_scope"] == true).collect();
    let count = |f: &dyn Fn(&Value) -> bool| in_scope.iter().filter(|r| f(r)).count() as u64;
    assert_eq!(s["read"].as_u64(), Some(reports.len() as u64));
    assert_eq!(s["in_scope"].as_u64(), Some(in_scope.len() as u64));
    assert_eq!(
        s["supports"]["76377"].as_u64(),
        Some(count(&|r| r["supports"] == "76377"))
    );
    assert_eq!(
        s["supports"]["76376"].as_u64(),
        Some(count(&|r| r["supports"] == "76376"))
    );
    assert_eq!(
        s["supports"]["neither"].as_u64(),
        Some(count(&|r| r["supports"].is_null()))
    );
    let compliant = count(&|r| !r["supports"].is_null() && !claims_unsupported(r));
    assert_eq!(s["compliant"].as_u64(), Some(compliant));
    // Rules by reports, over every report read.
    let mut rules: BTreeMap<&str, u64> = BTreeMap::new();
    for r in &reports {
        for rule in failing_rules(r) {
            *rules.entry(rule).or_default() += 1;
        }
    }
    let listed: BTreeMap<&str, u64> = s["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| {
            (
                r["rule"].as_str().unwrap_or(""),
                r["reports"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(listed, rules);
    // Each breakdown: every report in exactly one group, counted as here.
    for (dimension, key) in [
        ("signer", "signer"),
        ("modality", "modality"),
        ("exam", "exam"),
        ("month", "date"),
    ] {
        let mut expected: BTreeMap<String, (u64, u64, u64)> = BTreeMap::new();
        for r in &reports {
            let mut group = r["meta"][key].as_str().unwrap_or("unattributed").to_owned();
            if dimension == "month" && group != "unattributed" {
                group.truncate(7);
            }
            if dimension == "exam" && group != "unattributed" {
                group = group
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_uppercase();
            }
            let e = expected.entry(group).or_default();
            e.0 += 1;
            if r["in_scope"] == true {
                e.1 += 1;
                e.2 += u64::from(!r["supports"].is_null() && !claims_unsupported(r));
            }
        }
        let got: BTreeMap<String, (u64, u64, u64)> = s["by"][dimension]
            .as_array()
            .expect("a breakdown")
            .iter()
            .map(|g| {
                let n = |k: &str| g[k].as_u64().unwrap_or(0);
                (
                    g["key"].as_str().unwrap_or("").to_owned(),
                    (n("read"), n("in_scope"), n("compliant")),
                )
            })
            .collect();
        assert_eq!(got, expected, "by {dimension}");
    }
}

/// `n` reports that mention 3D rendering and nothing else: each has problems.
fn thin_archive(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..n {
        let text = format!(
            "EXAM: CT HEAD\nSigned: Dr. Ann Lee{}\n3D images were created.\n",
            i % 3
        );
        std::fs::write(dir.path().join(format!("r{i:04}.txt")), text).expect("write");
    }
    dir
}

#[test]
fn past_the_cap_the_page_links_a_csv_of_every_report_with_a_problem() {
    let archive = thin_archive(radlint::report::PAGE_ROWS + 5);
    let out_dir = tempfile::tempdir().expect("temp dir");
    let page = out_dir.path().join("qa.html");
    let run = check_cmd("html")
        .args(["-o"])
        .arg(&page)
        .arg(archive.path())
        .output()
        .expect("radlint runs");
    assert_eq!(run.status.code(), Some(1));
    let html = std::fs::read_to_string(&page).expect("the page");
    let table = html
        .split("id=\"table-problems\"")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .expect("the problems table");
    assert_eq!(
        table.matches("<tr>").count() - 1,
        radlint::report::PAGE_ROWS,
        "header + capped rows"
    );
    assert!(html.contains("5 more are not listed here"), "the note");
    assert!(html.contains("<a href=\"qa.problems.csv\">"), "the link");
    let csv = std::fs::read_to_string(out_dir.path().join("qa.problems.csv")).expect("the CSV");
    assert_eq!(
        csv.lines().count(),
        radlint::report::PAGE_ROWS + 5 + 1,
        "header + every row"
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("qa.problems.csv"));
    // Under the cap: no CSV, no note.
    let small = thin_archive(3);
    let page = out_dir.path().join("small.html");
    check_cmd("html")
        .args(["-o"])
        .arg(&page)
        .arg(small.path())
        .assert()
        .code(1);
    assert!(!out_dir.path().join("small.problems.csv").exists());
    assert!(
        !std::fs::read_to_string(&page)
            .expect("page")
            .contains("more are not listed")
    );
}

#[test]
fn the_page_is_the_same_for_any_thread_count_and_makes_no_request() {
    let page = |jobs: &str| {
        check_cmd("html")
            .args(["-j", jobs])
            .args(INPUTS)
            .env("SOURCE_DATE_EPOCH", "1796515200")
            .output()
            .expect("radlint runs")
            .stdout
    };
    let html = String::from_utf8(page("1")).expect("utf-8");
    // The same page, but for the command line it names.
    let two = String::from_utf8(page("2")).expect("utf-8");
    assert!(
        html.contains("-j 1") && html.replace("-j 1", "-j 2") == two,
        "pages differ"
    );
    assert!(
        html.contains("2026-12-06 00:00 UTC"),
        "SOURCE_DATE_EPOCH dates the run"
    );
    assert!(
        html.contains("default-src 'none'"),
        "a policy that forbids every request"
    );
    for outside in ["http:", "https:", "src=", "@import", "url("] {
        assert!(
            !html.contains(outside),
            "the page refers outside itself: {outside}"
        );
    }
}

#[test]
fn a_withheld_field_has_no_breakdown_rather_than_one_unattributed_group() {
    let summary = |flag: &str| -> Value {
        let out = check_cmd("json")
            .args(["--summary", flag])
            .args(INPUTS)
            .output()
            .expect("radlint runs");
        serde_json::from_slice::<Value>(&out.stdout).expect("JSON")["summary"].clone()
    };
    let hidden = summary("--redact-meta");
    assert!(hidden["by"].get("signer").is_none(), "{}", hidden["by"]);
    assert!(
        hidden["by"]["exam"].as_array().is_some_and(|g| g.len() > 5),
        "exams stay"
    );
    assert_eq!(hidden["withheld"], serde_json::json!(["signer"]));
    let redacted = summary("--redact");
    assert!(redacted["by"].get("exam").is_none() && redacted["by"].get("signer").is_some());
    assert_eq!(redacted["withheld"], serde_json::json!(["exam"]));
    let html = String::from_utf8(
        check_cmd("html")
            .args(["--redact-meta"])
            .args(INPUTS)
            .output()
            .expect("radlint runs")
            .stdout,
    )
    .expect("utf-8");
    assert!(html.contains("Signers are withheld") && !html.contains("id=\"table-signer\""));
    assert!(
        html.contains("<em>withheld</em>"),
        "signer cells say withheld, not unattributed"
    );
}

#[cfg(unix)]
#[test]
fn an_output_file_gets_the_mode_a_new_file_gets_not_a_temporary_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let plain = dir.path().join("plain.txt");
    std::fs::write(&plain, "x").expect("write");
    let page = dir.path().join("qa.html");
    check_cmd("html")
        .args(["-o"])
        .arg(&page)
        .arg("fixtures/reports/xr-chest-2-views.txt")
        .assert()
        .code(0);
    let mode = |p: &std::path::Path| p.metadata().expect("exists").permissions().mode() & 0o777;
    assert_eq!(
        mode(&page),
        mode(&plain),
        "as std::fs::write would create it (umask applied)"
    );
    // An existing file keeps its mode.
    std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    check_cmd("html")
        .args(["-o"])
        .arg(&page)
        .arg("fixtures/reports/xr-chest-2-views.txt")
        .assert()
        .code(0);
    assert_eq!(mode(&page), 0o640);
}
