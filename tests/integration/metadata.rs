//! Report metadata (signer, date, exam, modality, accession) through the
//! binary: each form in fixtures/meta is read as its expected.toml says
//! (absent where the report does not say), an export's own fields win over
//! its text, and `--redact` / `--redact-meta` withhold what they promise.

use crate::radlint;
use serde_json::Value;
use std::collections::BTreeMap;

const KEYS: [&str; 5] = ["signer", "date", "exam", "modality", "accession"];

fn jsonl(args: &[&str]) -> Vec<Value> {
    crate::checked_jsonl(args).0
}

fn file_name(report: &Value) -> String {
    let path = report["path"].as_str().expect("a path");
    path.rsplit('/').next().unwrap_or(path).to_owned()
}

#[test]
fn every_metadata_fixture_reads_as_expected() {
    let text = std::fs::read_to_string(crate::at("fixtures/meta/expected.toml"))
        .expect("fixtures/meta/expected.toml");
    let expected: BTreeMap<String, BTreeMap<String, String>> =
        toml::from_str(&text).expect("expected.toml parses");
    let reports = jsonl(&["fixtures/meta"]);
    assert_eq!(reports.len(), expected.len(), "one report per table");
    let mut wrong = Vec::new();
    for report in &reports {
        let name = file_name(report);
        let want = expected
            .get(&name)
            .unwrap_or_else(|| panic!("{name} has no table in expected.toml"));
        for key in KEYS {
            let got = report["meta"][key].as_str();
            if got != want.get(key).map(String::as_str) {
                wrong.push(format!(
                    "{name}: {key} is {got:?}, expected {:?}",
                    want.get(key)
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The set covers absence and each field's presence.
    for key in KEYS {
        assert!(
            expected.values().any(|t| t.contains_key(key)),
            "{key} present somewhere"
        );
        assert!(
            expected.values().any(|t| !t.contains_key(key)),
            "{key} absent somewhere"
        );
    }
}

#[test]
fn redact_withholds_exam_titles_and_accessions_and_redact_meta_signers_and_days_only() {
    let file = "fixtures/meta/ct-signed-with-credentials.txt";
    let plain = &jsonl(&[file])[0]["meta"];
    for key in KEYS {
        assert!(plain[key].is_string(), "{key} is read: {plain}");
    }
    let redacted = &jsonl(&["--redact", file])[0]["meta"];
    assert_eq!(redacted["signer"], plain["signer"]);
    assert_eq!(redacted["date"], plain["date"]);
    assert_eq!(redacted["modality"], plain["modality"]);
    assert!(
        redacted["exam"].is_null() && redacted["accession"].is_null(),
        "{redacted}"
    );
    let hidden = &jsonl(&["--redact-meta", file])[0]["meta"];
    assert!(hidden["signer"].is_null(), "{hidden}");
    let month = plain["date"].as_str().expect("a date").get(..7);
    assert_eq!(hidden["date"].as_str(), month);
    for kept in ["modality", "exam", "accession"] {
        assert_eq!(hidden[kept], plain[kept], "--redact-meta keeps {kept}");
    }
}

#[test]
fn an_exports_own_fields_win_over_its_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let export = dir.path().join("export.jsonl");
    let text = "CT HEAD WITHOUT CONTRAST\\nSigned: Dr. Ann Lee, MD 01/02/2026";
    let records = [
        // Fields named as the keys are read without options.
        format!(r#"{{"id":"a","text":"{text}","signer":"Bo Chen","date":"2026-05-06T10:00:00Z"}}"#),
        // Fields named otherwise, by --meta-field; a date in any form.
        format!(
            r#"{{"id":"b","text":"{text}","reader":"Cy Diaz","exam_date":"20260708","acc":990}}"#
        ),
        // No fields: the text's.
        format!(r#"{{"id":"c","text":"{text}"}}"#),
    ];
    std::fs::write(&export, records.join("\n")).expect("write export");
    let export = export.to_str().expect("utf-8 path");
    let reports = jsonl(&[
        "--input",
        "jsonl",
        "--meta-field",
        "signer=reader",
        "--meta-field",
        "date=exam_date",
        "--meta-field",
        "accession=acc",
        export,
    ]);
    let meta = |i: usize, key: &str| reports[i]["meta"][key].as_str().map(str::to_owned);
    // `a` used the default field names, which --meta-field replaced: the
    // text's signer and date stand.
    assert_eq!(meta(0, "signer").as_deref(), Some("Ann Lee"));
    assert_eq!(meta(1, "signer").as_deref(), Some("Cy Diaz"));
    assert_eq!(meta(1, "date").as_deref(), Some("2026-07-08"));
    assert_eq!(meta(1, "accession").as_deref(), Some("990"));
    assert_eq!(meta(2, "date").as_deref(), Some("2026-01-02"));
    assert_eq!(meta(2, "modality").as_deref(), Some("CT"));
    let defaults = jsonl(&["--input", "jsonl", export]);
    assert_eq!(defaults[0]["meta"]["signer"], "Bo Chen");
    assert_eq!(defaults[0]["meta"]["date"], "2026-05-06");
}

#[test]
fn a_meta_field_option_that_names_no_key_is_a_usage_error() {
    radlint()
        .args([
            "check",
            "--input",
            "jsonl",
            "--meta-field",
            "surgeon=x",
            "-",
        ])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("the keys are signer, date, exam"));
}
