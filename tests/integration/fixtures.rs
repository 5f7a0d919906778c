//! Fixtures as data: every rule's pass/fail pair, and the whole reports with
//! their expected verdicts in `fixtures/reports/expected.toml`.

use crate::{at, check_file, engine};
use radlint::verdict::Code;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    supports: String,
    in_scope: bool,
    #[serde(default)]
    rules: Vec<String>,
    claim: Option<String>,
    why: String,
}

fn rule_ids(outcome: &radlint::Outcome) -> Vec<&'static str> {
    outcome.diagnostics.iter().map(|d| d.rule.id).collect()
}

/// Every whole report gets its expected verdict and at least its listed rules.
#[test]
fn whole_reports_get_their_expected_verdicts() {
    check_folder("fixtures/reports", 20);
}

/// A second set, written by a different author from the SPEC alone, without
/// reading the lexicon: phrasing the lexicon was not written against.
#[test]
fn second_authors_reports_get_their_expected_verdicts() {
    check_folder("fixtures/holdout", 60);
}

/// A third set by another author, on layouts and dictation styles: no
/// headings, structured labels, all caps, lower case, addenda.
#[test]
fn third_authors_reports_get_their_expected_verdicts() {
    check_folder("fixtures/holdout2", 50);
}

/// A fourth set by another author, written from the SPEC alone (modalities,
/// supervision and workstation wordings, context traps), 45/50 right on first
/// contact: each miss was a gap fixed in the lexicon or the rules.
#[test]
fn fourth_authors_reports_get_their_expected_verdicts() {
    check_folder("fixtures/holdout3", 50);
}

/// A fifth set by another author, on wording: each element phrased the many
/// ways radiologists dictate it, British spellings, traps. 35/40 on first
/// contact.
#[test]
fn fifth_authors_reports_get_their_expected_verdicts() {
    check_folder("fixtures/holdout4", 40);
}

/// A sixth set by another author, on traps in both directions: look-alike
/// words in ordinary reports ("fever x 3d", "VR" as ventricular rate, "SSD"
/// as source-to-skin distance, a 3D-printed implant), unusual but valid
/// documentation, and easy-to-miss failures. 33/40 on first contact.
#[test]
fn sixth_authors_reports_get_their_expected_verdicts() {
    check_folder("fixtures/holdout5", 40);
}

/// A seventh set by another author, on context: negated findings on affirmed
/// 3D images, pseudo-negations, "but" ending a negation, offered, future,
/// historical and attempted 3D. 28/30 on first contact.
#[test]
fn seventh_authors_reports_get_their_expected_verdicts() {
    check_folder("fixtures/holdout6", 30);
}

/// An eighth set by another author, on dictation as it arrives: speech-
/// recognition spellings, template leftovers ("POST-PROCESSING WORKSTATION:
/// [___]"), every subspecialty, presence at the console as supervision.
/// 35/40 on first contact, one of the misses a false credit.
#[test]
fn eighth_authors_reports_get_their_expected_verdicts() {
    check_folder("fixtures/holdout7", 40);
}

/// A ninth set by another author, on documentation spread out and combined:
/// elements tied by reference across sentences, attestation tables, two
/// exams in one report, addenda that supply, correct or retract, 3D done
/// elsewhere. 26/30 on first contact, two of the misses false credits.
#[test]
fn ninth_authors_reports_get_their_expected_verdicts() {
    check_folder("fixtures/holdout8", 30);
}

/// A tenth set by another author, an auditor hunting false credit: places
/// named only as where images were sent or viewed, supervision of something
/// else (contrast, reformats) or by a fellow, bundled exams by code, 3D
/// deferred or attempted. 24/30 on first contact, all six misses false
/// credits; one expectation overridden (see fixtures/NOTES.md).
#[test]
fn tenth_authors_reports_get_their_expected_verdicts() {
    check_folder("fixtures/holdout9", 30);
}

fn check_folder(folder: &str, at_least: usize) {
    let dir = at(folder);
    let text = std::fs::read_to_string(dir.join("expected.toml")).expect("expected.toml");
    let expected: BTreeMap<String, Expected> = toml::from_str(&text).expect("expected.toml parses");
    let engine = engine();
    let mut failures = Vec::new();
    for (name, want) in &expected {
        let outcome = check_file(&engine, &dir.join(name), want.claim.as_deref());
        let got = outcome.verdict.supports.map_or("neither", Code::as_str);
        let ids = rule_ids(&outcome);
        if got != want.supports {
            failures.push(format!(
                "{name}: supports {got}, expected {} ({})\n  verdict: {}\n  rules: {ids:?}",
                want.supports, want.why, outcome.verdict.summary
            ));
        }
        if outcome.verdict.in_scope != want.in_scope {
            failures.push(format!(
                "{name}: in_scope {}, expected {}",
                outcome.verdict.in_scope, want.in_scope
            ));
        }
        for rule in &want.rules {
            if !ids.contains(&rule.as_str()) {
                failures.push(format!("{name}: expected rule {rule}, got {ids:?}"));
            }
        }
        if !want.in_scope && outcome.has_errors() {
            failures.push(format!("{name}: out of scope but has errors: {ids:?}"));
        }
    }
    let on_disk = std::fs::read_dir(&dir)
        .expect("fixtures/reports")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "expected.toml");
    for name in on_disk {
        if !expected.contains_key(&name) {
            failures.push(format!("{name}: no entry in expected.toml"));
        }
    }
    assert!(
        expected.len() >= at_least,
        "at least {at_least} whole reports in {folder}"
    );
    assert!(
        failures.is_empty(),
        "{} whole-report failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every rule has a fixture that fails for it and one that passes; the
/// failing one is reported under that rule id.
#[test]
fn every_rule_has_a_failing_and_a_passing_fixture() {
    let dir = at("fixtures/rules");
    let engine = engine();
    let mut failures = Vec::new();
    for rule in radlint::rules::ALL {
        if rule.id == "input-unreadable" {
            continue; // a file that cannot be read: tested through the binary (cli.rs)
        }
        let case = dir.join(rule.id);
        let find = |stem: &str| {
            ["txt", "md"]
                .iter()
                .map(|ext| case.join(format!("{stem}.{ext}")))
                .find(|p| p.exists())
        };
        let claim = std::fs::read_to_string(case.join("args"))
            .ok()
            .and_then(|a| {
                a.split_whitespace()
                    .skip_while(|w| *w != "--claim")
                    .nth(1)
                    .map(str::to_owned)
            });
        match (find("fail"), find("pass")) {
            (Some(fail), Some(pass)) => {
                let failing = check_file(&engine, &fail, claim.as_deref());
                if !rule_ids(&failing).contains(&rule.id) {
                    failures.push(format!(
                        "{}: fail fixture does not trigger it; got {:?}",
                        rule.id,
                        rule_ids(&failing)
                    ));
                }
                let passing = check_file(&engine, &pass, claim.as_deref());
                if rule_ids(&passing).contains(&rule.id) {
                    failures.push(format!("{}: pass fixture still triggers it", rule.id));
                }
            }
            _ => failures.push(format!(
                "{}: missing fixtures/rules/{}/fail.* or pass.*",
                rule.id, rule.id
            )),
        }
    }
    for entry in std::fs::read_dir(&dir)
        .expect("fixtures/rules")
        .filter_map(|e| e.ok())
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if radlint::rules::find(&name).is_none() {
            failures.push(format!("fixtures/rules/{name}: no such rule"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} rule-fixture failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
