//! Properties over every fixture report: a verdict does not depend on line
//! endings, a BOM or where lines are wrapped; spans are sound; inserting a
//! negation never raises a verdict.

use crate::{at, engine};
use proptest::prelude::*;
use radlint::document::{Document, Format};
use radlint::span::LineIndex;
use radlint::verdict::Code;
use radlint::{CheckOptions, Engine, Outcome};
use std::sync::OnceLock;

struct Case {
    name: String,
    text: String,
    format: Format,
}

fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let mut out = Vec::new();
        for dir in ["fixtures/reports", "fixtures/sets/broad-coverage"] {
            for entry in walkdir::WalkDir::new(at(dir)).sort_by_file_name() {
                let entry = entry.expect("walk");
                let path = entry.path();
                let format = Format::for_path(path);
                if !path.extension().is_some_and(|e| e == "txt" || e == "md") {
                    continue;
                }
                let bytes = std::fs::read(path).expect("read");
                let Ok(text) = String::from_utf8(bytes) else {
                    continue;
                };
                let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
                out.push(Case {
                    name: path.display().to_string(),
                    text,
                    format,
                });
            }
        }
        out
    })
}

fn shared_engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(engine)
}

fn check(text: &str, format: Format) -> Outcome {
    shared_engine().check(
        Document::new(text.as_bytes().to_vec(), format),
        &CheckOptions::default(),
    )
}

fn rank(o: &Outcome) -> u8 {
    match o.verdict.supports {
        None => 0,
        Some(Code::C76376) => 1,
        Some(Code::C76377) => 2,
    }
}

/// Re-wrap prose at `width`, keeping headings, list items and blank lines.
fn rewrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut para: Vec<&str> = Vec::new();
    let flush = |para: &mut Vec<&str>, out: &mut String| {
        // A heading label ("CLINICAL INFORMATION:") stays whole, as in any template.
        let mut words: Vec<String> = Vec::new();
        let joined = para.join(" ");
        let rest = match joined.trim_start().split_once(':') {
            Some((label, rest)) if label.len() <= 40 && label.split_whitespace().count() <= 5 => {
                words.push(format!("{}:", label.trim()));
                rest.to_owned()
            }
            _ => joined.clone(),
        };
        words.extend(rest.split_whitespace().map(str::to_owned));
        let mut line = String::new();
        for w in &words {
            if !line.is_empty() && line.len() + 1 + w.len() > width {
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(w);
        }
        if !line.is_empty() {
            out.push_str(&line);
            out.push('\n');
        }
        para.clear();
    };
    for l in text.lines() {
        let t = l.trim();
        let keep = t.is_empty()
            || t.starts_with(['#', '|', '`', '<', '>'])
            || t.ends_with(':')
            || (t.len() <= 40 && !t.chars().any(char::is_lowercase));
        let starts = t.starts_with(['-', '*'])
            || t.chars().next().is_some_and(|c| c.is_ascii_digit())
            || t.split_once(':').is_some_and(|(label, _)| {
                label.len() <= 40 && label.split_whitespace().count() <= 5
            });
        if keep {
            flush(&mut para, &mut out);
            out.push_str(l);
            out.push('\n');
        } else {
            if starts {
                flush(&mut para, &mut out);
            }
            para.push(l);
        }
    }
    flush(&mut para, &mut out);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn line_endings_and_bom_do_not_change_the_verdict(i in 0usize..1000, bom in any::<bool>()) {
        let case = &cases()[i % cases().len()];
        let lf = check(&case.text, case.format);
        let mut crlf = case.text.replace('\n', "\r\n");
        if bom {
            crlf.insert(0, '\u{feff}');
        }
        let other = check(&crlf, case.format);
        prop_assert_eq!(&lf.verdict.summary, &other.verdict.summary, "{}", case.name);
        let ids = |o: &Outcome| o.diagnostics.iter().map(|d| d.rule.id).collect::<Vec<_>>();
        prop_assert_eq!(ids(&lf), ids(&other), "{}", case.name);
    }

    #[test]
    fn rewrapping_does_not_change_the_verdict(i in 0usize..1000, width in 8usize..140) {
        let case = &cases()[i % cases().len()];
        prop_assume!(case.format == Format::Text);
        let original = check(&case.text, case.format);
        let wrapped = rewrap(&case.text, width);
        let other = check(&wrapped, case.format);
        prop_assert!(wrapped != case.text || width >= 60, "nothing was re-wrapped in {}", case.name);
        prop_assert_eq!(&original.verdict.supports, &other.verdict.supports, "{} at width {}:\n{}", case.name, width, wrapped);
        let ids = |o: &Outcome| { let mut v: Vec<_> = o.diagnostics.iter().map(|d| d.rule.id).collect(); v.sort_unstable(); v };
        prop_assert_eq!(ids(&original), ids(&other), "{} at width {}:\n{}", case.name, width, wrapped);
    }

    #[test]
    fn spans_lie_on_char_boundaries_and_agree_with_line_columns(i in 0usize..1000) {
        let case = &cases()[i % cases().len()];
        let text = case.text.replace('\n', "\r\n");
        let outcome = check(&text, case.format);
        let index = LineIndex::new(&text);
        for d in &outcome.diagnostics {
            let r = d.span.range();
            prop_assert!(r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end), "{}: {:?}", case.name, r);
            let (line, col) = index.line_col(&text, d.span.start);
            let before = &text[..r.start];
            let expected_line = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |p| p + 1);
            prop_assert_eq!((line, col), (expected_line, before[line_start..].chars().count() + 1));
        }
    }

    #[test]
    fn a_negation_before_the_rendering_statement_never_raises_the_verdict(i in 0usize..1000) {
        let case = &cases()[i % cases().len()];
        let original = check(&case.text, case.format);
        let Some(span) = original.elements.rendering.span else { return Ok(()) };
        let mut negated = case.text.clone();
        negated.insert_str(span.start as usize, "No ");
        let other = check(&negated, case.format);
        prop_assert!(rank(&other) <= rank(&original), "{}", case.name);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// The out-of-scope shortcut on raw text never says no where the test on
    /// the normalised text says yes: texts built from keyword fragments,
    /// folded spellings, dashes, line breaks and zero-width characters.
    #[test]
    fn the_raw_scope_test_is_a_superset_of_the_normalised_one(
        pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "3", "D", "d", "three", "Three", "dimensional", "-", "\u{2011}", "\u{2013}",
                " ", "\n", "\r\n", "\t", "\u{200b}", "\u{00ad}", "ren", "der", "VR", "v", "r",
                "model", "mod", "el", "7637", "6", "7", "ssd", "x", "'", "\u{2019}", "surface",
                "print", "volumetr", "ic", ".", "days", "_", "é", "s",
            ]),
            0..12,
        )
    ) {
        let text: String = pieces.concat();
        let m = shared_engine().matcher();
        let normalised = m.may_be_in_scope(&m.normalize(&text));
        prop_assert!(!normalised || m.may_be_in_scope_raw(&text), "{text:?}");
    }
}
