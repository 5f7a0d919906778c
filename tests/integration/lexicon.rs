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

fn concept_hits(engine: &radlint::Engine, text: &str, concept: Concept) -> usize {
    engine
        .matcher()
        .find(text)
        .iter()
        .filter(|h| matches!(h.target, Target::Concept { concept: c, .. } if c == concept))
        .count()
}

#[test]
fn concept_examples_match_and_do_not_match() {
    let engine = engine();
    let mut failures = Vec::new();
    for (concept, entry) in &engine.lexicon.concepts {
        for text in &entry.examples.matches {
            if concept_hits(&engine, text, *concept) == 0 {
                failures.push(format!("`{}` should match: {text}", concept.name()));
            }
        }
        for text in &entry.examples.no_match {
            if concept_hits(&engine, text, *concept) > 0 {
                failures.push(format!("`{}` should not match: {text}", concept.name()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} example failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn context_examples_get_their_context() {
    let engine = engine();
    let mut failures = Vec::new();
    for example in &engine.lexicon.examples {
        let analysis = engine.analyze(Document::new(
            example.text.clone().into_bytes(),
            Format::Text,
        ));
        let contexts: Vec<_> = analysis
            .mentions
            .iter()
            .filter(|m| m.is(example.concept))
            .map(|m| m.context)
            .collect();
        if !contexts.contains(&example.context) {
            failures.push(format!(
                "{:?}: `{}` should be {:?}, got {contexts:?}",
                example.text,
                example.concept.name(),
                example.context
            ));
        }
    }
    assert!(!engine.lexicon.examples.is_empty());
    assert!(
        failures.is_empty(),
        "{} context failures:\n{}",
        failures.len(),
        failures.join("\n")
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
