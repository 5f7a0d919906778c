//! The hostile-input matrix: every entry of a tree nobody cleaned gets an
//! answer (a verdict or a per-file diagnostic) in every format, within a
//! bounded time, and the good report among them is still judged correctly.

#![cfg(unix)]

use crate::{at, radlint};
use serde_json::Value;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::Duration;

/// A hang guard, not a benchmark: the whole matrix takes well under a second.
const GUARD: Duration = Duration::from_secs(120);

/// What an entry must get.
enum Expect {
    /// Judged, supporting this code (None: neither).
    Supports(Option<&'static str>),
    /// Judged, raising this rule.
    Raises(&'static str),
    /// Reported unreadable, the reason saying this.
    Unreadable(&'static str),
}

fn good() -> String {
    std::fs::read_to_string(at("fixtures/rules/workstation-missing/pass.txt")).expect("fixture")
}

fn utf16(text: &str, little: bool) -> Vec<u8> {
    let mut out = if little {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        out.extend(if little {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

/// Build the tree; hand on each entry's file name and what it must get.
fn build(root: &Path) -> Vec<(Vec<u8>, Expect)> {
    use std::os::unix::fs::symlink;
    let good = good();
    let mut entries: Vec<(Vec<u8>, Expect)> = Vec::new();
    let mut file = |name: &[u8], bytes: &[u8], expect: Expect| {
        std::fs::write(root.join(OsStr::from_bytes(name)), bytes).expect("write");
        entries.push((name.to_vec(), expect));
    };
    file(
        b"00-good.txt",
        good.as_bytes(),
        Expect::Supports(Some("76377")),
    );
    file(b"01-empty.txt", b"", Expect::Supports(None));
    file(b"02-blank.txt", b"  \n\t\r\n \n", Expect::Supports(None));
    file(
        b"03-binary.txt",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        Expect::Unreadable("binary"),
    );
    file(
        b"04-utf16le.txt",
        &utf16(&good, true),
        Expect::Supports(Some("76377")),
    );
    file(
        b"05-utf16be.md",
        &utf16(&good, false),
        Expect::Raises("input-invalid-utf8"),
    );
    let latin1: Vec<u8> = good
        .replacen(
            "FINDINGS:",
            "FINDINGS: M\u{e9}n\u{e9}trier-like folds absent.",
            1,
        )
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    file(b"06-latin1.txt", &latin1, Expect::Supports(Some("76377")));
    let mut nul = good.clone().into_bytes();
    nul.insert(nul.len() / 2, 0);
    file(b"07-nul-inside.txt", &nul, Expect::Unreadable("binary"));
    let line = "lorem ipsum 3D dolor sit amet ".repeat(70_000);
    file(
        b"08-long-line.txt",
        format!("{line}\n{good}").as_bytes(),
        Expect::Supports(Some("76377")),
    );
    let big = good.repeat(16 * 1024 * 1024 / good.len() + 1);
    file(
        b"09-16mb.txt",
        big.as_bytes(),
        Expect::Unreadable("max-file-size"),
    );
    let headings: String = (0..100_000).map(|i| format!("## H{i}\n")).collect();
    file(
        b"10-headings.md",
        format!("{headings}\n{good}").as_bytes(),
        Expect::Supports(Some("76377")),
    );
    let numbered: String = (0..100_000).map(|i| format!("NOTE N{i}:\n")).collect();
    file(
        b"11-headings.txt",
        format!("{numbered}\n{good}").as_bytes(),
        Expect::Supports(Some("76377")),
    );
    let nested = format!(
        "{} 3D\n\n{}{}{}\n\n{good}",
        ">".repeat(10_000),
        (0..2_000)
            .map(|i| format!("{}- 3D\n", "  ".repeat(i)))
            .collect::<String>(),
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    file(
        b"12-nested.md",
        nested.as_bytes(),
        Expect::Supports(Some("76377")),
    );
    file(
        b"13-unclosed-fence.md",
        format!("```\n{good}").as_bytes(),
        Expect::Raises("input-hidden-text"),
    );
    let zero_width = good.replacen("volume", "vol\u{200b}ume", 1).replacen(
        "FINDINGS:",
        "FINDINGS: Cafe\u{301} au lait spots noted.",
        1,
    );
    file(
        b"14-zero-width.txt",
        zero_width.as_bytes(),
        Expect::Supports(Some("76377")),
    );
    for name in [
        &b"15 sp ace, #1 %.txt"[..],
        "16-\u{fc}n\u{ef}.md".as_bytes(),
        b"17-new\nline.txt",
        "18-\u{202e}rtl.txt".as_bytes(),
        b"19-\xff\xfe.txt",
        b"-20-dash.txt",
    ] {
        file(name, good.as_bytes(), Expect::Supports(Some("76377")));
    }
    std::fs::create_dir(root.join("21-dir.txt")).expect("mkdir");
    entries.push((b"21-dir.txt".to_vec(), Expect::Unreadable("directory")));
    std::fs::create_dir(root.join("22-loop")).expect("mkdir");
    symlink(root, root.join("22-loop").join("back.md")).expect("link");
    entries.push((b"back.md".to_vec(), Expect::Unreadable("link loop")));
    symlink(root.join("missing.txt"), root.join("23-dangling.txt")).expect("link");
    entries.push((b"23-dangling.txt".to_vec(), Expect::Unreadable("dangling")));
    entries
}

fn run(root: &Path, format: &str) -> (Option<i32>, Vec<u8>) {
    let out = radlint()
        .timeout(GUARD)
        .args(["check", "--no-config", "--no-progress", "--format"])
        .args(format.split(' '))
        .arg(root)
        .output()
        .expect("runs");
    assert!(
        out.stderr.is_empty() || format == "human",
        "{format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), out.stdout)
}

#[test]
fn every_hostile_entry_gets_an_answer_in_every_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let entries = build(root);

    let (code, out) = run(root, "jsonl");
    assert_eq!(code, Some(1));
    let rows: Vec<Value> = String::from_utf8_lossy(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(rows.len(), entries.len(), "one answer per entry: {rows:#?}");
    for (name, expect) in &entries {
        let name = String::from_utf8_lossy(name);
        let row = rows
            .iter()
            .find(|r| {
                r["path"]
                    .as_str()
                    .and_then(|p| Path::new(p).file_name())
                    .is_some_and(|f| f.to_string_lossy() == name)
            })
            .unwrap_or_else(|| panic!("{name:?} got no answer"));
        let rules: Vec<&str> = row["diagnostics"]
            .as_array()
            .map(|d| d.iter().filter_map(|d| d["rule"].as_str()).collect())
            .unwrap_or_default();
        match expect {
            Expect::Supports(code) => {
                assert_eq!(
                    row["supports"].as_str(),
                    *code,
                    "{name:?}: {}",
                    row["verdict"]
                );
                assert!(!rules.contains(&"input-unreadable"), "{name:?}");
            }
            Expect::Raises(rule) => assert!(rules.contains(rule), "{name:?}: {rules:?}"),
            Expect::Unreadable(why) => {
                assert_eq!(rules, ["input-unreadable"], "{name:?}");
                assert!(
                    row["verdict"].as_str().is_some_and(|v| v.contains(why)),
                    "{name:?}: {}",
                    row["verdict"]
                );
            }
        }
    }

    // The same answers in every other format, each well-formed.
    let (code, json) = run(root, "json");
    assert_eq!(code, Some(1));
    let json: Value = serde_json::from_slice(&json).expect("one JSON document");
    assert_eq!(json["reports"].as_array().map(Vec::len), Some(rows.len()));

    let (code, sarif) = run(root, "sarif --sarif-verdicts all");
    assert_eq!(code, Some(1));
    let sarif: Value = serde_json::from_slice(&sarif).expect("SARIF is JSON");
    let verdicts = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["ruleId"] == "verdict" || r["ruleId"] == "input-unreadable")
        .count();
    assert_eq!(verdicts, rows.len());

    let (code, csv) = run(root, "csv");
    assert_eq!(code, Some(1));
    let records = csv::Reader::from_reader(&csv[..])
        .records()
        .collect::<Result<Vec<_>, _>>()
        .expect("CSV parses");
    assert_eq!(records.len(), rows.len());

    let (code, github) = run(root, "github");
    assert_eq!(code, Some(1));
    let github = String::from_utf8_lossy(&github);
    assert!(
        github.lines().all(|l| l.starts_with("::")),
        "one command per line"
    );
    let answers = github
        .lines()
        .filter(|l| l.contains("title=verdict::") || l.contains("title=input-unreadable::"))
        .count();
    assert_eq!(answers, rows.len());

    let (code, human) = run(root, "human");
    assert_eq!(code, Some(1));
    let human = String::from_utf8_lossy(&human);
    let unreadable = entries
        .iter()
        .filter(|(_, e)| matches!(e, Expect::Unreadable(_)))
        .count();
    let summary = format!("{} reports read", rows.len() - unreadable);
    assert!(human.contains(&summary), "{human}");
}

#[test]
fn a_file_that_vanishes_mid_walk_is_reported_or_absent_never_lost() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let good = good();
    let names: Vec<String> = (0..3000).map(|i| format!("r{i:05}.txt")).collect();
    for n in &names {
        std::fs::write(root.join(n), &good).expect("write");
    }
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("radlint"))
        .args(["check", "--no-config", "--format", "jsonl", "-j", "1"])
        .arg(root)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // Delete the second half while the sweep runs.
    for n in &names[1500..] {
        let _ = std::fs::remove_file(root.join(n));
    }
    let out = child.wait_with_output().expect("wait");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}", out.status);
    let rows: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    // Every file that survived is judged; a vanished one is either absent
    // (gone before the walk listed it) or reported, never half-judged.
    for n in &names[..1500] {
        let row = rows
            .iter()
            .find(|r| r["path"].as_str().is_some_and(|p| p.ends_with(n.as_str())))
            .unwrap_or_else(|| panic!("{n} was not judged"));
        assert_eq!(row["supports"], "76377", "{n}");
    }
    for row in &rows {
        let judged = row["supports"] == "76377";
        let reported = row["diagnostics"][0]["rule"] == "input-unreadable"
            && row["verdict"]
                .as_str()
                .is_some_and(|v| v.contains("no such file"));
        assert!(judged || reported, "{row}");
    }
}

#[test]
fn output_is_written_whole_or_not_at_all_and_never_over_a_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let reports = root.join("reports");
    std::fs::create_dir(&reports).expect("mkdir");
    std::fs::write(reports.join("a.txt"), good()).expect("write");
    let result = root.join("result.json");
    std::fs::write(&result, "previous result").expect("write");

    // A complete run replaces the file, and prints nothing.
    let out = radlint()
        .args(["check", "--no-config", "--format", "json", "--output"])
        .arg(&result)
        .arg(&reports)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let written: Value =
        serde_json::from_slice(&std::fs::read(&result).expect("read")).expect("whole JSON");
    assert_eq!(written["reports"][0]["supports"], "76377");

    // A run that fails (here, on a bad lexicon) leaves the old file as it was.
    std::fs::write(&result, "previous result").expect("write");
    let bad = root.join("bad.toml");
    std::fs::write(&bad, "[concept.rendering\n").expect("write");
    radlint()
        .args(["check", "--no-config", "--format", "json", "--lexicon"])
        .arg(&bad)
        .arg("--output")
        .arg(&result)
        .arg(&reports)
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read_to_string(&result).expect("read"),
        "previous result"
    );

    // A report the check reads is never the output.
    let report = reports.join("a.txt");
    radlint()
        .args(["check", "--no-config", "--output"])
        .arg(&report)
        .arg(&reports)
        .assert()
        .code(2);
    assert_eq!(std::fs::read_to_string(&report).expect("read"), good());

    // No temporary file is left behind.
    let strays: Vec<_> = std::fs::read_dir(root)
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".radlint-"))
        .collect();
    assert!(strays.is_empty(), "{strays:?}");
}

#[test]
fn a_broken_lexicon_is_exit_2_pointing_into_the_file_never_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("a.txt");
    std::fs::write(&report, good()).expect("write");
    for (text, line, says) in [
        ("[concept.rendering\nphrases = ['x']\n", 1, "expected `]`"),
        (
            "[concept.rendering]\nphrases = 'volume'\n",
            2,
            "invalid type",
        ),
        (
            "[concept.rendring]\nphrases = ['x']\n",
            1,
            "unknown concept `rendring`",
        ),
        (
            "[concept.rendering]\npatterns = ['(x']\n",
            2,
            "invalid pattern",
        ),
        (
            "[concept.rendering]\npatterns = ['\\w{1000}{1000}']\n",
            2,
            "size limit",
        ),
        (
            "[concept.rendering]\nphrases = ['x']\n[concept.rendering]\nphrases = ['y']\n",
            3,
            "duplicate key",
        ),
        ("[concept.rendering]\nphrases = ['  ']\n", 2, "empty phrase"),
        (
            "[[product]]\nname = 'vitrea'\nphrases = ['x']\n",
            2,
            "duplicate product",
        ),
        (
            "[[bundle]]\nid = 'cardiac-mr'\nlabel = 'x'\ntitles = ['x']\nexcludes = ['76376']\nsource = 'x'\n",
            2,
            "duplicate bundle id",
        ),
        ("[concept.rendering]\nphrases = [1]\n", 2, "invalid type"),
        (
            "[lexicon]\nversion = 'mine'\n",
            1,
            "missing field `cpt_year`",
        ),
    ] {
        let lexicon = dir.path().join("extra.toml");
        std::fs::write(&lexicon, text).expect("write");
        let out = radlint()
            .timeout(GUARD)
            .args(["check", "--no-config", "--lexicon"])
            .arg(&lexicon)
            .arg(&report)
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}: {err}");
        assert!(err.contains(says), "{text}: {err}");
        assert!(
            err.contains(&format!("extra.toml:{line}:")),
            "{text}: {err}"
        );
        assert!(!err.contains("panicked"), "{text}: {err}");
    }
}
