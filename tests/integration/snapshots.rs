//! Snapshots of the human output: reviewing a snapshot is reading what a
//! radiologist sees. One per whole report, plus the negation case.

use crate::{at, check_file, engine};
use radlint::report::{Checked, Colors, render_human};

fn human(name: &str, claim: Option<&str>) -> String {
    let engine = engine();
    let outcome = check_file(&engine, &at(name), claim);
    let checked = Checked {
        path: name.to_owned(),
        line: None,
        outcome: Box::new(outcome),
    };
    String::from_utf8(render_human(&checked, Colors(false))).expect("utf-8")
}

#[test]
fn whole_reports() {
    let mut names: Vec<String> = std::fs::read_dir(at("fixtures/reports"))
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt") || n.ends_with(".md"))
        .collect();
    names.sort();
    for name in names {
        let path = format!("fixtures/reports/{name}");
        insta::assert_snapshot!(name.clone(), human(&path, None));
    }
}

#[test]
fn claimed_mpr_only() {
    insta::assert_snapshot!(human(
        "fixtures/rules/rendering-mpr-only/fail.txt",
        Some("76377")
    ));
}

#[test]
fn negated_rendering_shows_trigger_and_scope() {
    insta::assert_snapshot!(human("fixtures/rules/rendering-negated/fail.txt", None));
}
