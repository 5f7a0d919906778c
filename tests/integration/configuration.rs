//! Project configuration, suppressions and templates, through the binary.

use crate::{at, radlint};
use serde_json::Value;
use std::path::Path;

/// The wrist CT whose only finding is "under my supervision" (a warning,
/// supervision-not-concurrent): it supports 76377.
fn wrist() -> String {
    std::fs::read_to_string(at("fixtures/rules/supervision-not-concurrent/fail.txt"))
        .expect("fixture")
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn jsonl(dir: &Path, args: &[&str]) -> Vec<Value> {
    let out = radlint()
        .current_dir(dir)
        .args(["check", "--format", "jsonl"])
        .args(args)
        .output()
        .expect("runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

fn rules(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .map(|ds| {
            ds.iter()
                .filter_map(|d| d["rule"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_config_found_walking_up_sets_claims_excludes_and_levels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "radlint.toml",
        "exclude = [\"drafts/**\"]\n\n[[claim]]\npaths = [\"templates/ct-3d-*.txt\"]\ncode = \"76376\"\n\n\
         [rules]\nsupervision-not-concurrent = \"error\"\n",
    );
    write(d, "templates/ct-3d-wrist.txt", &wrist());
    write(d, "templates/other.txt", &wrist());
    write(d, "drafts/wrist.txt", &wrist());
    // Checked from a subdirectory: the file above is found.
    let reports = jsonl(&d.join("templates"), &["."]);
    let paths: Vec<&str> = reports.iter().filter_map(|r| r["path"].as_str()).collect();
    assert_eq!(paths, ["./ct-3d-wrist.txt", "./other.txt"]);
    // The glob's claim applies to its file only; the claim mismatches what is documented.
    assert_eq!(reports[0]["claimed"], serde_json::json!(["76376"]));
    assert!(rules(&reports[0]).contains(&"claim-mismatch".to_owned()));
    assert_eq!(reports[1]["claimed"], serde_json::json!([]));
    // The severity change is reported, and decides the exit status; the verdict stands.
    let d1 = reports[1]["diagnostics"]
        .as_array()
        .and_then(|ds| {
            ds.iter()
                .find(|x| x["rule"] == "supervision-not-concurrent")
        })
        .expect("the diagnostic");
    assert_eq!(d1["severity"], "error");
    assert_eq!(reports[1]["supports"], "76377");
    radlint()
        .current_dir(d)
        .args(["check", "templates/other.txt"])
        .assert()
        .code(1);
    // The walk from the root also skips drafts/ (anchored at the file's directory).
    assert_eq!(jsonl(d, &["."]).len(), 2);
    // --no-config: defaults again.
    let plain = jsonl(d, &["--no-config", "."]);
    assert_eq!(plain.len(), 3);
    radlint()
        .current_dir(d)
        .args(["check", "--no-config", "templates/other.txt"])
        .assert()
        .code(0);
}

#[test]
fn rules_turned_off_are_not_reported_and_a_named_config_wins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "report.txt", &wrist());
    write(
        d,
        "radlint.toml",
        "[rules]\nsupervision-not-concurrent = \"error\"\n",
    );
    write(
        d,
        "quiet.toml",
        "[rules]\nsupervision-not-concurrent = \"off\"\n",
    );
    let quiet = jsonl(d, &["--config", "quiet.toml", "report.txt"]);
    assert!(!rules(&quiet[0]).contains(&"supervision-not-concurrent".to_owned()));
    assert_eq!(quiet[0]["supports"], "76377");
}

#[test]
fn a_walk_judges_each_report_under_its_nearest_config_as_naming_it_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "radlint.toml",
        "exclude = [\"drafts/**\"]\n[rules]\nsupervision-not-concurrent = \"error\"\n",
    );
    write(
        d,
        "wrist/radlint.toml",
        "exclude = [\"old-*.txt\"]\ncpt_year = 2025\nlexicon = [\"local.toml\"]\n\n\
         [[claim]]\npaths = [\"*.txt\"]\ncode = \"76376\"\n\n\
         [rules]\nsupervision-not-concurrent = \"note\"\n",
    );
    write(
        d,
        "wrist/local.toml",
        "[[product]]\nname = \"Acme 3D Suite\"\nphrases = [\"acme suite\"]\n",
    );
    for rel in [
        "top.txt",
        "wrist/a.txt",
        "wrist/deeper/b.txt",
        "wrist/old-c.txt",
        "wrist/drafts/d.txt",
        "wrist2/e.txt",
        "drafts/f.txt",
    ] {
        write(d, rel, &wrist());
    }
    let walked = jsonl(d, &["."]);
    let paths: Vec<&str> = walked.iter().filter_map(|r| r["path"].as_str()).collect();
    // Both files' excludes apply below wrist/ (each anchored at its own
    // directory): drafts/ only at the top, old-*.txt only below wrist/.
    assert_eq!(
        paths,
        [
            "./top.txt",
            "./wrist/a.txt",
            "./wrist/deeper/b.txt",
            "./wrist/drafts/d.txt",
            "./wrist2/e.txt"
        ]
    );
    let severity = |report: &Value| {
        report["diagnostics"]
            .as_array()
            .and_then(|ds| {
                ds.iter()
                    .find(|x| x["rule"] == "supervision-not-concurrent")
            })
            .map(|x| x["severity"].clone())
    };
    for (report, claimed, level) in [
        (&walked[0], serde_json::json!([]), "error"),
        (&walked[1], serde_json::json!(["76376"]), "note"),
        (&walked[2], serde_json::json!(["76376"]), "note"),
        (&walked[3], serde_json::json!(["76376"]), "note"),
        // A sibling whose name starts the same is not below wrist/.
        (&walked[4], serde_json::json!([]), "error"),
    ] {
        assert_eq!(report["claimed"], claimed, "{}", report["path"]);
        assert_eq!(severity(report), Some(level.into()), "{}", report["path"]);
        // Each line names the lexicon and CPT year it was judged under.
        let nested = claimed != serde_json::json!([]);
        let version = report["lexicon_version"].as_str().unwrap_or("");
        assert_eq!(version.ends_with("+local"), nested, "{}", report["path"]);
        assert_eq!(report["cpt_year"] == 2025, nested, "{}", report["path"]);
    }
    // Named one by one (as pre-commit names them), the same verdicts and
    // diagnostics.
    let named = jsonl(
        d,
        &[
            "top.txt",
            "wrist/a.txt",
            "wrist/deeper/b.txt",
            "wrist/drafts/d.txt",
            "wrist2/e.txt",
        ],
    );
    for (w, n) in walked.iter().zip(&named) {
        assert_eq!(w["lexicon_version"], n["lexicon_version"], "{}", n["path"]);
        assert_eq!(w["cpt_year"], n["cpt_year"], "{}", n["path"]);
        assert_eq!(w["supports"], n["supports"], "{}", n["path"]);
        assert_eq!(w["claimed"], n["claimed"], "{}", n["path"]);
        assert_eq!(w["diagnostics"], n["diagnostics"], "{}", n["path"]);
    }
    // A CSV row too.
    let out = radlint()
        .current_dir(d)
        .args(["check", "--format", "csv", "."])
        .output()
        .expect("runs");
    let csv = String::from_utf8_lossy(&out.stdout);
    let local: Vec<bool> = csv
        .lines()
        .skip(1)
        .map(|row| row.contains("+local"))
        .collect();
    assert_eq!(local, [false, true, true, true, false], "{csv}");
    // In SARIF, the results of a report judged under another lexicon and
    // year than the run's say so.
    let out = radlint()
        .current_dir(d)
        .args(["check", "--format", "sarif", "."])
        .output()
        .expect("runs");
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("SARIF");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for result in results {
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or("");
        let nested = uri.contains("wrist/");
        let version = result["properties"]["lexicon_version"].as_str();
        assert_eq!(
            version.is_some_and(|v| v.ends_with("+local")),
            nested,
            "{uri}"
        );
        assert_eq!(result["properties"]["cpt_year"] == 2025, nested, "{uri}");
    }
    // A walk started inside wrist/ uses its file as the root's.
    let inside = jsonl(&d.join("wrist"), &["."]);
    assert_eq!(inside.len(), 3);
    assert!(
        inside
            .iter()
            .all(|r| r["claimed"] == serde_json::json!(["76376"]))
    );
    // A configuration named on the command line, or none, governs every report.
    for flags in [
        &["--no-config", "."][..],
        &["--config", "radlint.toml", "."],
    ] {
        let all = jsonl(d, flags);
        assert!(
            all.iter().all(|r| r["claimed"] == serde_json::json!([])),
            "{flags:?}"
        );
    }
    // A nested file that cannot be read stops the sweep, as the top one
    // does: a usage error pointing into it.
    write(
        d,
        "wrist/deeper/radlint.toml",
        "[rules]\nno-such-rule = \"off\"\n",
    );
    let out = radlint()
        .current_dir(d)
        .args(["check", "--format", "json", "."])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("radlint.toml:2:"), "{err}");
    assert!(err.contains("not a rule id"), "{err}");
}

#[test]
fn a_bad_config_is_a_usage_error_pointing_into_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(d, "report.txt", &wrist());
    for (text, line, says) in [
        (
            "exclude = [\"x\"]\ncolour = true\n",
            2,
            "unknown field `colour`",
        ),
        ("[rules]\nno-such-rule = \"off\"\n", 2, "not a rule id"),
        ("[[claim]]\npaths = [\"*\"]\ncode = \"76370\"\n", 3, "76376"),
    ] {
        write(d, "radlint.toml", text);
        let out = radlint()
            .current_dir(d)
            .args(["check", "report.txt"])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{text}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("radlint.toml:{line}:")),
            "{text}: {err}"
        );
        assert!(err.contains(says), "{text}: {err}");
    }
}

#[test]
fn config_show_prints_each_value_and_where_it_came_from() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "radlint.toml",
        "# QA settings\nexclude = [\"drafts/**\"]\n[rules]\nfindings-missing = \"warning\"\n",
    );
    let out = radlint()
        .current_dir(d)
        .args(["config", "--show"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("exclude = [\"drafts/**\"]  # "), "{text}");
    assert!(text.contains("radlint.toml:2"), "{text}");
    assert!(
        text.contains("findings-missing = \"warning\"  # "),
        "{text}"
    );
    assert!(text.contains("radlint.toml:4"), "{text}");
    assert!(text.contains("template = false  # default"), "{text}");
    assert!(
        text.contains("supervision-missing = \"error\"  # default"),
        "{text}"
    );
    // What it prints is TOML.
    let body: String = text.lines().map(|l| format!("{l}\n")).collect();
    toml::from_str::<toml::Table>(&body).expect("config --show prints TOML");
}

/// The wrist CT with a reasoned suppression above its TECHNIQUE section.
fn suppressed_wrist(reason: &str) -> String {
    wrist().replacen(
        "TECHNIQUE:",
        &format!("[radlint: allow supervision-not-concurrent: {reason}]\nTECHNIQUE:"),
        1,
    )
}

#[test]
fn a_suppression_carries_its_reason_into_every_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let reason = "attending watched in real time per policy QZ-77";
    write(d, "report.txt", &suppressed_wrist(reason));
    for format in ["human", "jsonl", "json", "sarif", "csv", "github"] {
        let out = radlint()
            .current_dir(d)
            .args([
                "check",
                "--no-config",
                "--color",
                "never",
                "--format",
                format,
                "report.txt",
            ])
            .output()
            .expect("runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(reason), "{format}: {text}");
        assert_eq!(out.status.code(), Some(0), "{format}");
        // --redact withholds the reason: it is the report's own text.
        let redacted = radlint()
            .current_dir(d)
            .args([
                "check",
                "--no-config",
                "--redact",
                "--format",
                format,
                "report.txt",
            ])
            .output()
            .expect("runs");
        assert!(
            !String::from_utf8_lossy(&redacted.stdout).contains("QZ-77"),
            "{format}"
        );
    }
    let log: Value = serde_json::from_slice(
        &radlint()
            .current_dir(d)
            .args(["check", "--format", "sarif", "report.txt"])
            .output()
            .expect("runs")
            .stdout,
    )
    .expect("SARIF");
    let suppressed: Vec<&Value> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["ruleId"], "supervision-not-concurrent");
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(suppressed[0]["suppressions"][0]["justification"], reason);
}

#[test]
fn a_suppressed_error_leaves_the_verdict_and_clears_the_exit_status() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    // No supervision at all: an error, and no code supported.
    let report = wrist().replace(" under my supervision", "");
    let allowed = format!(
        "<!-- radlint: allow-report supervision-missing: supervision is recorded in the PACS log -->\n{report}"
    );
    write(d, "a.md", &allowed);
    let reports = jsonl(d, &["--no-config", "a.md"]);
    assert_eq!(reports[0]["supports"], Value::Null);
    assert!(
        reports[0]["verdict"]
            .as_str()
            .is_some_and(|v| v.contains("concurrent physician supervision"))
    );
    radlint()
        .current_dir(d)
        .args(["check", "--no-config", "a.md"])
        .assert()
        .code(0);
}

#[test]
fn placeholders_are_slots_in_templates_and_never_documentation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let template = "EXAM: CT RIGHT WRIST WITHOUT CONTRAST\n\
        CLINICAL HISTORY: {{indication}}\n\
        TECHNIQUE: Axial images of the wrist. 3D volume rendered images were created on an \
        independent workstation under my concurrent supervision.\n\
        FINDINGS: [***]\n\
        The 3D images demonstrate ***.\n\
        IMPRESSION: ***\n";
    write(d, "ct-3d-wrist.txt", template);
    let filled = jsonl(d, &["--no-config", "--template", "ct-3d-wrist.txt"]);
    assert_eq!(filled[0]["supports"], "76377");
    assert_eq!(filled[0]["elements"]["indication"]["status"], "placeholder");
    assert!(
        filled[0]["verdict"]
            .as_str()
            .is_some_and(|v| v.starts_with("as a template") && v.contains("once its placeholders"))
    );
    // Not a template: the same text documents no indication.
    let report = jsonl(d, &["--no-config", "ct-3d-wrist.txt"]);
    assert_eq!(report[0]["supports"], Value::Null);
    // An attestation left as a placeholder does not count, template or not.
    let slot = template
        .replace("an \nindependent workstation", "<<workstation>>")
        .replace("an independent workstation", "<<workstation>>");
    write(d, "slot.txt", &slot);
    let slot = jsonl(d, &["--no-config", "--template", "slot.txt"]);
    assert_eq!(slot[0]["elements"]["workstation"]["status"], "missing");
    assert_ne!(slot[0]["supports"], "76377");
    let help = slot[0]["diagnostics"]
        .as_array()
        .and_then(|ds| ds.iter().find(|d| d["rule"] == "workstation-missing"))
        .and_then(|d| d["help"].as_str())
        .unwrap_or_default();
    assert!(
        help.starts_with("in a template, write this attestation out"),
        "{help}"
    );
}

/// The summary says which lexicon and CPT year the reports were judged
/// under, and how many under each when nested configurations differ: what
/// an audit of a sweep must be able to cite.
#[test]
fn the_summary_names_the_lexicon_and_cpt_year_each_report_was_judged_under() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "wrist/radlint.toml",
        "cpt_year = 2025\nlexicon = [\"local.toml\"]\n",
    );
    write(
        d,
        "wrist/local.toml",
        "[[product]]\nname = \"Acme 3D Suite\"\nphrases = [\"acme suite\"]\n",
    );
    for rel in ["a.txt", "b.txt", "wrist/c.txt"] {
        write(d, rel, &wrist());
    }
    let version = radlint::lexicon::Lexicon::builtin()
        .expect("built-in lexicon")
        .version;
    let year = radlint::Engine::builtin().expect("engine").lexicon.cpt_year;
    let summary = |args: &[&str]| {
        let out = radlint()
            .current_dir(d)
            .args(["check", "--format", "jsonl", "--summary"])
            .args(args)
            .output()
            .expect("runs");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = summary(&["a.txt", "b.txt"]);
    assert!(
        err.contains(&format!(
            "  judged with: lexicon {version}, CPT {year} bundling rules\n"
        )),
        "{err}"
    );
    let err = summary(&["."]);
    assert!(
        err.contains(&format!(
            "  judged with: lexicon {version}, CPT {year} bundling rules (2 reports); \
             lexicon {version}+local, CPT 2025 bundling rules (1 report)\n"
        )),
        "{err}"
    );
}
