//! Clauses about other images: supervision stated in a clause that speaks of
//! reformats or MIPs and not of 3D rendering ("Sagittal and coronal MPR
//! images were generated at my direction.") is not supervision of the 3D
//! work.
//!
//! A clause runs between full stops, semicolons, `!` and `?` within its
//! section, so line breaks (which can end a sentence) do not change it. Built
//! once per report in one pass over the text; each question is then two
//! binary searches, so asking it of every mention or role stays linear.

use super::Ctx;
use crate::lexicon::Concept;
use crate::span::Span;

/// The clause ends of a report and where its reformat and rendering
/// mentions stand.
#[derive(Debug, Default)]
pub(crate) struct OtherImages {
    /// Offsets of the bytes that end a clause, in order.
    ends: Vec<u32>,
    /// MPR and MIP mentions, by start (one layer: they do not overlap).
    reformats: Vec<Span>,
    /// Rendering mentions, by start.
    renderings: Vec<Span>,
}

impl OtherImages {
    pub(crate) fn of(ctx: &Ctx<'_>) -> OtherImages {
        let text = ctx.a.doc.visible.as_bytes();
        let ends = (0..text.len())
            .filter(|&i| {
                matches!(text[i], b';' | b'!' | b'?')
                    || (text[i] == b'.' && text.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()))
            })
            .map(|i| i as u32)
            .collect();
        let spans = |concepts: &[Concept]| {
            let mut v: Vec<Span> = ctx
                .a
                .mentions
                .iter()
                .filter(|m| m.concept().is_some_and(|c| concepts.contains(&c)))
                .map(|m| m.span)
                .collect();
            v.sort_unstable_by_key(|s| s.start);
            v
        };
        OtherImages {
            ends,
            reformats: spans(&[Concept::Mpr, Concept::Mip]),
            renderings: spans(&[Concept::Rendering]),
        }
    }

    /// True when `span`, in section `section`, stands in a clause that names
    /// reformats or MIPs and no 3D rendering.
    pub(crate) fn about(&self, ctx: &Ctx<'_>, span: Span, section: u32) -> bool {
        let section = ctx.segments().sections[section as usize].span;
        let before = self.ends.partition_point(|&e| e < span.start);
        let start = before
            .checked_sub(1)
            .map_or(section.start, |i| (self.ends[i] + 1).max(section.start));
        let end = self
            .ends
            .get(self.ends.partition_point(|&e| e < span.end))
            .map_or(section.end, |&e| e.min(section.end));
        // Spans of one layer do not overlap: the first that starts in the
        // clause is the one that may end in it.
        let within = |spans: &[Span]| {
            spans
                .get(spans.partition_point(|s| s.start < start))
                .is_some_and(|s| s.end <= end)
        };
        within(&self.reformats) && !within(&self.renderings)
    }
}
