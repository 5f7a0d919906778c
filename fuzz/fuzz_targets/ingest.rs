//! Ingest and segmentation of arbitrary bytes, as text and as markdown: no
//! panic, and every span the stages hand on lies on char boundaries inside
//! the text, in order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use radlint::document::{Document, Format};
use radlint::lexicon::Lexicon;
use radlint::segment::Segmenter;
use radlint::span::Span;
use std::sync::OnceLock;

fn segmenter() -> &'static Segmenter {
    static SEGMENTER: OnceLock<Segmenter> = OnceLock::new();
    SEGMENTER.get_or_init(|| {
        let lexicon = Lexicon::builtin().expect("the built-in lexicon loads");
        Segmenter::new(&lexicon)
    })
}

fn assert_span(text: &str, span: Span) {
    let (s, e) = (span.start as usize, span.end as usize);
    assert!(
        s <= e && e <= text.len(),
        "span {s}..{e} outside 0..{}",
        text.len()
    );
    assert!(
        text.is_char_boundary(s) && text.is_char_boundary(e),
        "span {s}..{e} splits a char"
    );
}

fuzz_target!(|data: &[u8]| {
    for format in [Format::Text, Format::Markdown] {
        let doc = Document::new(data.to_vec(), format);
        // Offsets are the file's bytes, except for a UTF-16 file (by its
        // byte-order mark), judged as transcoded to UTF-8.
        if !doc.utf16 {
            assert_eq!(
                doc.text.len(),
                data.len(),
                "ingest keeps every byte's offset"
            );
        }
        assert_eq!(
            doc.visible.len(),
            doc.text.len(),
            "visible text keeps offsets"
        );
        for &span in doc
            .headings
            .iter()
            .chain(&doc.hidden)
            .chain(&doc.invalid_utf8)
        {
            assert_span(&doc.text, span);
        }
        let segments = segmenter().segment(&doc);
        for section in &segments.sections {
            assert_span(&doc.text, section.span);
            if let Some(h) = section.heading {
                assert_span(&doc.text, h);
            }
        }
        let mut last = 0;
        for sentence in &segments.sentences {
            assert_span(&doc.text, sentence.span);
            assert!(sentence.span.start >= last, "sentences out of order");
            last = sentence.span.start;
            assert!((sentence.section as usize) < segments.sections.len());
        }
    }
});
