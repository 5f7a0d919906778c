//! The built-in lexicon stays canonical, and every example in it runs.

use crate::engine;
use radlint::document::{Document, Format};
use radlint::lexicon::{Concept, Lexicon};
use radlint::matcher::Target;
use std::collections::HashMap;

#[test]
fn builtin_lexicon_is_canonical() {
    let lexicon = Lexicon::builtin().expect("parses");
    let engine = engine();
    let norm = |s: &str| engine.matcher().normalize_phrase(s).to_lowercase();
    let mut problems = Vec::new();
    let mut owner: HashMap<String, String> = HashMap::new();
    for &concept in radlint::rules::REQUIRED_CONCEPTS {
        if concept == Concept::Product {
            if lexicon.products.is_empty() {
                problems.push("no [[product]] entries".to_owned());
            }
            continue;
        }
        let Some(entry) = lexicon.concepts.get(&concept) else {
            problems.push(format!(
                "concept `{}` is used by the rules but not defined",
                concept.name()
            ));
            continue;
        };
        if entry.phrases.is_empty() && entry.patterns.is_empty() {
            problems.push(format!(
                "concept `{}` has no phrases or patterns",
                concept.name()
            ));
        }
        if entry.examples.matches.is_empty() {
            problems.push(format!(
                "concept `{}` has no examples that must match",
                concept.name()
            ));
        }
        let phrases: Vec<&str> = entry.phrases.iter().map(|p| p.value.as_str()).collect();
        let mut sorted = phrases.clone();
        sorted.sort_by_key(|p| p.to_lowercase());
        if phrases != sorted {
            let at = phrases
                .iter()
                .zip(&sorted)
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            problems.push(format!(
                "concept `{}`: phrases not sorted at `{}` (expected `{}`)",
                concept.name(),
                phrases[at],
                sorted[at]
            ));
        }
        for p in &phrases {
            if let Some(other) = owner.insert(norm(p), concept.name().to_owned()) {
                problems.push(format!(
                    "phrase `{p}` appears in `{other}` and `{}`",
                    concept.name()
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "lexicon problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_example_in_the_builtin_lexicon_behaves() {
    let engine = engine();
    let (ran, failures) = radlint::selftest::run(&engine, &engine.lexicon);
    assert!(ran > 150, "only {ran} examples ran");
    let lines: Vec<String> = failures
        .iter()
        .map(|f| {
            format!(
                "`{}` expected {}, got {}: {:?}",
                f.concept.name(),
                f.expected,
                f.got,
                f.text
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} example failures:\n{}",
        failures.len(),
        lines.join("\n")
    );
}

#[test]
fn every_product_and_bundle_title_is_found() {
    let engine = engine();
    for (i, product) in engine.lexicon.products.iter().enumerate() {
        for p in &product.phrases {
            let text = format!("Post-processing on {} today.", p.value);
            let hits = engine.matcher().find(&text);
            assert!(
                hits.iter().any(|h| matches!(h.target, Target::Concept { concept: Concept::Product, entry } if entry as usize == i)),
                "product phrase `{}` ({}) is not found",
                p.value,
                product.name
            );
        }
    }
    for (i, bundle) in engine.lexicon.bundles.iter().enumerate() {
        for t in &bundle.titles {
            let hits = engine
                .matcher()
                .find(&format!("EXAM: {} WITH CONTRAST", t.value.to_uppercase()));
            assert!(
                hits.iter().any(|h| h.target == Target::Bundle(i as u16)),
                "bundle title `{}` ({}) is not found",
                t.value,
                bundle.id
            );
        }
    }
}

/// The out-of-scope shortcut is safe only if every way of writing a scope
/// concept contains a scope keyword once normalised: its phrases, its
/// examples, and the spellings normalisation folds.
#[test]
fn every_scope_phrase_example_and_variant_contains_a_scope_keyword() {
    let engine = engine();
    let lexicon = &engine.lexicon;
    let m = engine.matcher();
    let scoped = |text: &str| {
        let normalised = m.may_be_in_scope(&m.normalize(text));
        // The raw test must say yes wherever the normalised one does.
        assert!(
            !normalised || m.may_be_in_scope_raw(text),
            "the raw scope test misses `{text}`"
        );
        normalised
    };
    let mut missing = Vec::new();
    for concept in [Concept::Rendering, Concept::PrintedModel] {
        let entry = &lexicon.concepts[&concept];
        let texts = entry
            .phrases
            .iter()
            .map(|p| p.value.clone())
            .chain(entry.examples.matches.iter().cloned());
        for text in texts {
            if !scoped(&text) {
                missing.push(format!("{}: `{text}`", concept.name()));
            }
        }
    }
    for text in [
        "3 D images",
        "3\u{2013} d",
        "ren\u{200b}dered in 3D",
        "Three-\n  Dimensional",
        "three\ndimensional",
        "3\u{2011}D",
        "VR",
        "CPT 76376",
        "76377",
    ] {
        if !scoped(text) {
            missing.push(format!("`{text}`"));
        }
    }
    for code in ["CPT 76376", "76377"] {
        if !scoped(code) {
            missing.push(code.to_owned());
        }
    }
    assert!(
        missing.is_empty(),
        "add a [scope] keyword for:\n{}",
        missing.join("\n")
    );
}

/// On every fixture the shortcut gives what the full pipeline gives.
#[test]
fn the_out_of_scope_shortcut_agrees_with_the_full_pipeline() {
    let engine = engine();
    let mut checked = 0;
    for dir in ["fixtures/reports", "fixtures/rules"] {
        for entry in walkdir::WalkDir::new(crate::at(dir)).sort_by_file_name() {
            let entry = entry.expect("walk");
            let path = entry.path();
            if !path.extension().is_some_and(|e| e == "txt" || e == "md") {
                continue;
            }
            let bytes = std::fs::read(path).expect("read");
            let doc = || Document::new(bytes.clone(), Format::for_path(path));
            let options = radlint::CheckOptions::default();
            let quick = engine.check(doc(), &options);
            let full = engine.check_fully(doc(), &options);
            assert_eq!(quick.verdict, full.verdict, "{}", path.display());
            assert_eq!(quick.elements, full.elements, "{}", path.display());
            let ids =
                |o: &radlint::Outcome| o.diagnostics.iter().map(|d| d.rule.id).collect::<Vec<_>>();
            assert_eq!(ids(&quick), ids(&full), "{}", path.display());
            checked += 1;
        }
    }
    assert!(checked > 60);
}
