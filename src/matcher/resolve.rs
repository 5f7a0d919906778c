//! Overlap resolution: which candidate matches of a text become hits.
//!
//! Takes the candidate matches the search found (normalised offsets and
//! targets) and hands on the [`Hit`]s, in the original text's offsets,
//! sorted by start: leftmost-longest within each layer, and a trigger
//! inside an evidence or place phrase dropped.

use super::normalize::Normalized;
use super::{Hit, Target};
use crate::lexicon::Layer;

impl Target {
    fn layer(self) -> u8 {
        match self {
            Target::Concept { concept, .. } => match concept.layer() {
                Layer::Evidence => 0,
                Layer::Place => 1,
                Layer::Indication => 2,
                Layer::Study => 3,
            },
            Target::Bundle(_) => 4,
            Target::Trigger { .. } => 5,
        }
    }
}

/// The hits of one text from its candidate matches, resolved as the module
/// docs say.
pub(super) fn resolve(norm: &Normalized, mut found: Vec<(usize, usize, Target)>) -> Vec<Hit> {
    // Leftmost-longest within each layer.
    found.sort_by_key(|&(s, e, t)| (t.layer(), s, std::cmp::Reverse(e), ordinal(t)));
    let mut layer_end = (u8::MAX, 0usize);
    found.retain(|&(s, e, t)| {
        if layer_end.0 != t.layer() {
            layer_end = (t.layer(), 0);
        }
        let keep = s >= layer_end.1;
        if keep {
            layer_end.1 = e;
        }
        keep
    });
    let kept = found;
    // A trigger inside an evidence phrase is part of that phrase ("not" in
    // "the radiologist was not present"); one that merely overlaps it is
    // not ("not reconstructed" in "not reconstructed in 3D").
    // Within a layer, spans are sorted and do not overlap (leftmost-
    // longest): the only one that can hold a trigger is the last to start
    // at or before it. The evidence and place layers each hide triggers;
    // `kept` is in layer order, so each is a run of it.
    let evidence = kept.partition_point(|(_, _, t)| t.layer() == 0);
    let place = kept.partition_point(|(_, _, t)| t.layer() <= 1);
    let layers = [&kept[..evidence], &kept[evidence..place]];
    let inside = |spans: &[(usize, usize, Target)], s: usize, e: usize| {
        spans[..spans.partition_point(|&(ps, _, _)| ps <= s)]
            .last()
            .is_some_and(|&(_, pe, _)| e <= pe)
    };
    let mut hits: Vec<Hit> = kept
        .iter()
        .filter(|&&(s, e, t)| {
            !matches!(t, Target::Trigger { .. }) || !layers.iter().any(|l| inside(l, s, e))
        })
        .map(|&(s, e, target)| Hit {
            span: norm.original(s, e),
            target,
        })
        .collect();
    hits.sort_by_key(|h| (h.span.start, std::cmp::Reverse(h.span.end)));
    hits
}

fn ordinal(t: Target) -> (u8, u16) {
    match t {
        Target::Concept { concept, entry } => (concept as u8, entry),
        Target::Trigger { kind, .. } => (kind as u8, 0),
        Target::Bundle(i) => (0, i),
    }
}
