//! A sentence as the frames read it: a token string (chunks as
//! `@class.kind#N`, other words in lower case, `, ; : ( )` as tokens, a
//! table's `|` as `:`) and
//! where each token came from; and whether a negator governs a match.

use super::{Chunk, Reader};
use crate::span::Span;

/// A sentence as the frames read it, and where each token came from.
#[derive(Debug, Default)]
pub struct Tokens {
    /// ` tok  tok  tok `: each token between single spaces.
    pub text: String,
    /// (offset in `text`, span in the document, chunk index) per token.
    at: Vec<(usize, Span, Option<usize>)>,
}

impl Tokens {
    /// The tokens of one sentence's folded text, with its chunks in order.
    pub(super) fn build(&mut self, folded: &str, chunks: &[Chunk], reader: &Reader) {
        self.text.clear();
        self.at.clear();
        let bytes = folded.as_bytes();
        let end = bytes.len();
        let mut c = 0;
        let mut i = 0;
        while i < end {
            if c < chunks.len() && chunks[c].span.start as usize == i {
                let chunk = chunks[c];
                self.push(
                    &format!("@{}#{}", reader.tag(chunk.tag), c),
                    chunk.span,
                    Some(c),
                );
                i = chunk.span.end as usize;
                c += 1;
                continue;
            }
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                let len = bytes[i..end]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'\'')
                    .count();
                // A chunk may start inside this run only at a word start,
                // which the run's end is not: stop the word at the chunk.
                let len = match chunks.get(c) {
                    Some(ch) if (ch.span.start as usize) < i + len => ch.span.start as usize - i,
                    _ => len,
                };
                let len = len.max(1);
                self.push(&folded[i..i + len], Span::new(i, i + len), None);
                i += len;
                continue;
            }
            if matches!(b, b',' | b';' | b':' | b'(' | b')') {
                self.push(&folded[i..=i], Span::new(i, i + 1), None);
            } else if b == b'|'
                && self
                    .at
                    .last()
                    .is_some_and(|&(o, _, _)| self.text.as_bytes()[o] != b':')
            {
                // A table's cell boundary is a field's colon ("| Radiologist
                // present | No |"); one for a run of empty cells.
                self.push(":", Span::new(i, i + 1), None);
            }
            i += 1;
            // Skip the rest of a multi-byte character.
            while i < end && !folded.is_char_boundary(i) {
                i += 1;
            }
        }
    }

    fn push(&mut self, token: &str, span: Span, chunk: Option<usize>) {
        self.text.push(' ');
        self.at.push((self.text.len(), span, chunk));
        self.text.push_str(token);
        self.text.push(' ');
    }

    /// The span and tag of the token that holds offset `at` of the token
    /// string.
    pub(super) fn at(&self, at: usize, chunks: &[Chunk]) -> (Span, Option<u16>) {
        match self.at.get(self.index(at)) {
            Some(&(_, span, chunk)) => (span, chunk.map(|c| chunks[c].tag)),
            None => (Span::default(), None),
        }
    }

    /// The index of the token that holds offset `at` of the token string.
    pub(super) fn index(&self, at: usize) -> usize {
        self.at
            .partition_point(|&(o, _, _)| o <= at)
            .saturating_sub(1)
    }

    /// Where token `i` came from.
    pub(super) fn span(&self, i: usize) -> Span {
        self.at.get(i).map_or(Span::default(), |&(_, span, _)| span)
    }

    /// True when a chunk tagged `negator` stands in the two tokens before
    /// `first..=last` or in the one after, with no `, ; : ( )` between, or
    /// inside them: "were not created by me", "I did not make them", "the
    /// radiologist was not present". A negator inside that a `contrast`
    /// chunk (`marker.contrast`: "but") follows
    /// governs something else ("done not on an independent workstation but
    /// on the console, by myself"), unless it stands right before an action.
    pub(super) fn governs(
        &self,
        (negator, determiner, contrast): (u16, Option<u16>, Option<u16>),
        actions: &[bool],
        (first, last): (usize, usize),
        chunks: &[Chunk],
    ) -> bool {
        let tag = |i: usize| {
            self.at
                .get(i)
                .and_then(|&(_, _, c)| c)
                .map(|c| chunks[c].tag)
        };
        let is = |i: usize| tag(i) == Some(negator);
        let action = |i: usize| tag(i).is_some_and(|t| actions[usize::from(t)]);
        let breaks = |i: usize| {
            self.at.get(i).is_some_and(|&(o, _, _)| {
                matches!(self.text.as_bytes()[o], b',' | b';' | b':' | b'(' | b')')
            })
        };
        let before = (first.saturating_sub(2)..first)
            .rev()
            .take_while(|&i| !breaks(i))
            .any(is);
        let after = !breaks(last + 1) && is(last + 1);
        // "no radiologist post-processing", "without physician involvement":
        // a determiner's denial reaches only the statement it heads.
        let headed = first > 0 && determiner.is_some() && tag(first - 1) == determiner;
        // Scanning back, remember whether a contrast follows.
        let mut but_after = false;
        let inside = (first..=last).rev().any(|i| {
            but_after |= contrast.is_some() && tag(i) == contrast;
            is(i) && (!but_after || action(i + 1))
        });
        inside || before || after || headed
    }
}
