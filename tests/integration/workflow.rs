//! Fitting users' workflows: the pre-commit manifest, completions, man page.

use crate::radlint;

/// The manifest's fields, read as the flat `key: value` YAML it is.
fn manifest() -> std::collections::HashMap<String, String> {
    let text = std::fs::read_to_string(crate::at(".pre-commit-hooks.yaml")).expect("manifest");
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.trim_start_matches(['-', ' ']).split_once(": "))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

#[test]
fn the_pre_commit_manifest_names_a_hook_that_runs() {
    let m = manifest();
    assert_eq!(m.get("id").map(String::as_str), Some("radlint"));
    assert_eq!(m.get("language").map(String::as_str), Some("rust"));
    assert_eq!(m.get("types").map(String::as_str), Some("[text]"));
    let files = m.get("files").expect("a files pattern");
    let re = regex::Regex::new(files).expect("files is a regex");
    assert!(
        re.is_match("templates/ct-3d-face.md")
            && re.is_match("reports/a.txt")
            && !re.is_match("a.json")
    );
    // pre-commit runs `entry` with the staged files appended: run it the same way.
    let entry = m.get("entry").expect("an entry");
    let mut words = entry.split_whitespace();
    assert_eq!(
        words.next(),
        Some("radlint"),
        "the entry runs the binary cargo installs"
    );
    let args: Vec<&str> = words.collect();
    radlint()
        .args(&args)
        .arg("fixtures/rules/workstation-missing/pass.txt")
        .assert()
        .code(0);
    radlint()
        .args(&args)
        .arg("fixtures/rules/supervision-missing/fail.txt")
        .assert()
        .code(1);
}

#[test]
fn completions_and_man_page() {
    let out = radlint()
        .args(["completions", "bash"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("radlint") && text.contains("--claim"),
        "{text}"
    );
    let man = radlint().arg("man").output().expect("runs");
    let text = String::from_utf8_lossy(&man.stdout);
    assert!(
        man.status.success() && text.contains(".TH radlint"),
        "{text}"
    );
    radlint().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn lexicon_show_and_test() {
    let all = radlint().arg("lexicon").output().expect("runs");
    let text = String::from_utf8_lossy(&all.stdout);
    assert!(all.status.success());
    assert!(
        text.contains("[supervision]") && text.contains("[bundled base exams"),
        "{text}"
    );
    let one = radlint()
        .args(["lexicon", "workstation"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&one.stdout);
    assert!(
        text.contains("independent workstation") && !text.contains("[supervision]"),
        "{text}"
    );
    radlint().args(["lexicon", "workstatoin"]).assert().code(2);

    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("good.toml");
    std::fs::write(
        &good,
        "[[product]]\nname = \"Acme Suite\"\nphrases = [\"acme suite\"]\n\n\
         [concept.workstation.examples]\nmatch = [\"3D on an independent workstation.\"]\nno_match = [\"At the console.\"]\n",
    )
    .expect("write");
    let out = radlint()
        .args(["lexicon", "--test"])
        .arg(&good)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 passed, 0 failed"));

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[concept.console.examples]\nmatch = [\"on an independent workstation\"]\n",
    )
    .expect("write");
    let out = radlint()
        .args(["lexicon", "--test"])
        .arg(&bad)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAIL console"));
}
