//! The README's rule table says what `radlint rules` says: the same ids, in
//! the same order, with the same severities and one-line summaries.

use crate::{at, radlint};

/// One rule as a row: id, severity, summary.
type Row = (String, String, String);

/// The rules as the binary lists them: `ID  SEVERITY  SUMMARY` a line.
fn registry() -> Vec<Row> {
    let out = radlint().arg("rules").output().expect("radlint rules runs");
    assert!(out.status.success(), "radlint rules failed: {out:?}");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    text.lines()
        .map(|line| {
            let mut parts = line.splitn(2, char::is_whitespace);
            let id = parts.next().unwrap_or_default();
            let rest = parts.next().unwrap_or_default().trim_start();
            let mut parts = rest.splitn(2, char::is_whitespace);
            let severity = parts.next().unwrap_or_default();
            let summary = parts.next().unwrap_or_default().trim();
            (id.to_owned(), severity.to_owned(), summary.to_owned())
        })
        .collect()
}

/// The rows of the first table under the README's `## Rules` heading, with
/// the backticks around each id taken off.
fn readme_table() -> Vec<Row> {
    let readme = std::fs::read_to_string(at("README.md")).expect("README.md");
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Rules\n"))
        .expect("the README has a `## Rules` section");
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2) // the header and the |---| line
        .map(|line| {
            let cells: Vec<&str> = line
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            let cell = |i: usize| cells.get(i).copied().unwrap_or_default().to_owned();
            (cell(0).trim_matches('`').to_owned(), cell(1), cell(2))
        })
        .collect()
}

fn show((id, severity, summary): &Row) -> String {
    format!("| `{id}` | {severity} | {summary} |")
}

#[test]
fn readme_rule_table_matches_radlint_rules() {
    let registry = registry();
    let readme = readme_table();
    assert!(!registry.is_empty(), "radlint rules printed nothing");
    let find = |rows: &[Row], id: &str| rows.iter().position(|r| r.0 == id);
    let mut differences = Vec::new();
    for (i, want) in registry.iter().enumerate() {
        match find(&readme, &want.0) {
            None => differences.push(format!(
                "{}: missing from the README; radlint rules (line {}) has\n  {}",
                want.0,
                i + 1,
                show(want)
            )),
            Some(j) if readme[j] != *want => differences.push(format!(
                "{}: README row {} differs\n  README:        {}\n  radlint rules: {}",
                want.0,
                j + 1,
                show(&readme[j]),
                show(want)
            )),
            Some(_) => {}
        }
    }
    for (j, got) in readme.iter().enumerate() {
        if find(&registry, &got.0).is_none() {
            differences.push(format!(
                "{}: README row {} names no rule radlint knows\n  {}",
                got.0,
                j + 1,
                show(got)
            ));
        }
    }
    if differences.is_empty() && readme.len() != registry.len() {
        differences.push(format!(
            "the README has {} rows, radlint rules {}: a row is repeated",
            readme.len(),
            registry.len()
        ));
    }
    // Same rows: then the same order, the registry's stable one.
    if differences.is_empty()
        && let Some(j) = (0..readme.len()).find(|&j| readme[j].0 != registry[j].0)
    {
        differences.push(format!(
            "README row {} is {}, but radlint rules lists {} there: order the table as \
                 radlint rules does",
            j + 1,
            readme[j].0,
            registry[j].0
        ));
    }
    assert!(
        differences.is_empty(),
        "the README's rule table (## Rules) differs from `radlint rules` ({} differences); \
         copy the rows from `radlint rules`:\n{}",
        differences.len(),
        differences.join("\n")
    );
}
