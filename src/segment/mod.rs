//! Segment: a document's visible text becomes sections and sentences.
//!
//! Takes a [`Document`] and the lexicon's heading names and abbreviations, and
//! hands on [`Segments`]: sections (a heading and the text up to the next known
//! heading) and sentences, all as spans.
//!
//! Headings are `NAME:` at the start of a line (with or without text after
//! it), a line that is only a known name (`IMPRESSION`, `Findings`), markdown
//! headings, and `**Name:**` (whose markup is already blank in the visible
//! text). A heading whose name is not a known section (`LIVER:`, `### Kidneys`)
//! is a sub-heading: it ends a sentence but not the section, so structured
//! findings stay in FINDINGS. Text before the first heading is the `title`
//! section, where exam titles usually stand.
//!
//! A sentence ends at `.`, `!` or `?` followed by white space and then anything
//! but a lower-case letter, except after an abbreviation, an initial or a list
//! number; at a blank line; before a list item or sub-heading; and at a line
//! break after a short line when the next line starts a new statement (a long
//! line followed by more text is taken as wrapped, and so is a line ending in
//! a word that cannot end a statement: "No\n3D reconstructions ..."). A heading alone on its
//! line and the first sentence after it are one sentence, so
//! "3D RECONSTRUCTIONS:\nNot performed." is judged as a whole.

mod sentences;

use crate::document::Document;
use crate::lexicon::{Concept, Lexicon, SectionKind};
use crate::span::{Span, line_breaks};
use sentences::Splitter;
use std::collections::HashMap;

/// A section: its heading (none for the title) and its whole extent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section {
    /// What it is.
    pub kind: SectionKind,
    /// The heading's name, without markup or colon.
    pub heading: Option<Span>,
    /// From the heading (or the start of the text) to the next section.
    pub span: Span,
}

/// A sentence and the section it is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Trimmed extent.
    pub span: Span,
    /// Index into [`Segments::sections`].
    pub section: u32,
}

/// The segmentation of one document.
#[derive(Clone, Debug, Default)]
pub struct Segments {
    /// In document order; the first is always the title.
    pub sections: Vec<Section>,
    /// In document order.
    pub sentences: Vec<Sentence>,
}

impl Segments {
    /// The sentence containing byte `offset`, if any.
    pub fn sentence_at(&self, offset: u32) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.start <= offset);
        (i > 0 && offset < self.sentences[i - 1].span.end).then(|| i - 1)
    }

    /// The section containing byte `offset`.
    pub fn section_at(&self, offset: u32) -> usize {
        self.sections
            .partition_point(|s| s.span.start <= offset)
            .saturating_sub(1)
    }

    /// Merge consecutive sentences so that `span` lies in one (a phrase
    /// wrapped across what looked like a boundary).
    pub fn join(&mut self, span: Span) {
        let (Some(a), Some(b)) = (
            self.sentence_at(span.start),
            self.sentence_at(span.end.saturating_sub(1)),
        ) else {
            return;
        };
        if a < b && self.sentences[a].section == self.sentences[b].section {
            self.sentences[a].span.end = self.sentences[b].span.end;
            self.sentences.drain(a + 1..=b);
        }
    }
}

/// Heading names and sentence rules, built once from the lexicon.
#[derive(Debug, Clone)]
pub struct Segmenter {
    names: HashMap<String, SectionKind>,
    /// Keywords, padded with a space each side (" findings ").
    keywords: Vec<(String, SectionKind)>,
    /// Modality words (the lexicon's tomographic modality phrases): a long
    /// heading that names one is the exam's title ("CT ANGIOGRAPHY ABDOMEN
    /// WITH 3D POST-PROCESSING"), whatever else it mentions.
    modalities: Vec<String>,
    /// Abbreviations, without their point: a point after one does not end
    /// a sentence ("Dr. Roe").
    abbreviations: AsciiWords,
    /// Words a line that ends on carries on into the next ("of", "the").
    continues: AsciiWords,
}

/// Words compared without regard to ASCII case: lower-cased and sorted, so
/// that a word is looked up where it lies in the text, with no copy.
#[derive(Debug, Clone)]
struct AsciiWords {
    words: Vec<Box<[u8]>>,
    /// The longest word's length: most words asked about are longer.
    longest: usize,
}

impl AsciiWords {
    fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> AsciiWords {
        let mut words: Vec<Box<[u8]>> = words
            .into_iter()
            .map(|w| w.as_bytes().to_ascii_lowercase().into_boxed_slice())
            .collect();
        words.sort_unstable();
        words.dedup();
        let longest = words.iter().map(|w| w.len()).max().unwrap_or(0);
        AsciiWords { words, longest }
    }

    /// True when `word`, in any ASCII case, is one of them.
    fn contains(&self, word: &str) -> bool {
        if word.len() > self.longest {
            return false;
        }
        let lower = word.bytes().map(|b| b.to_ascii_lowercase());
        self.words
            .binary_search_by(|w| w.iter().copied().cmp(lower.clone()))
            .is_ok()
    }
}

/// Words from which a loose heading naming a modality is an exam title.
const TITLE_WORDS: usize = 4;

impl Segmenter {
    /// Build from the lexicon's `[[section]]` and `[sentence]` tables.
    pub fn new(lexicon: &Lexicon) -> Segmenter {
        let mut names = HashMap::new();
        let mut keywords = Vec::new();
        for entry in &lexicon.sections {
            for name in &entry.names {
                names.insert(label_key(name), entry.kind);
            }
            for word in &entry.keywords {
                keywords.push((format!(" {} ", label_key(word)), entry.kind));
            }
        }
        let abbreviations = AsciiWords::new(
            lexicon
                .abbreviations
                .iter()
                .map(|a| a.trim_end_matches('.')),
        );
        let continues = AsciiWords::new(lexicon.continues.iter().map(String::as_str));
        let modalities = lexicon
            .concepts
            .get(&Concept::ModalityTomographic)
            .map(|c| {
                c.phrases
                    .iter()
                    .map(|p| label_key(&p.value))
                    .filter(|k| !k.is_empty())
                    .map(|k| format!(" {k} "))
                    .collect()
            })
            .unwrap_or_default();
        Segmenter {
            names,
            keywords,
            modalities,
            abbreviations,
            continues,
        }
    }

    /// The section a heading label names. `loose` also accepts labels that
    /// merely contain a keyword ("3D VOLUME RENDERED IMAGES").
    pub fn classify(&self, label: &str, loose: bool) -> Option<SectionKind> {
        let key = label_key(label);
        if key.is_empty() {
            return None;
        }
        if let Some(&kind) = self.names.get(&key) {
            return Some(kind);
        }
        if !loose {
            return None;
        }
        let padded = format!(" {key} ");
        let long = key.split(' ').count() >= TITLE_WORDS;
        if long && self.modalities.iter().any(|m| padded.contains(m.as_str())) {
            return Some(SectionKind::Exam);
        }
        self.keywords
            .iter()
            .find(|(word, _)| padded.contains(word.as_str()))
            .map(|&(_, kind)| kind)
    }

    /// Split `doc` into sections and sentences.
    pub fn segment(&self, doc: &Document) -> Segments {
        let lines = lines(&doc.visible);
        let mut heads: Vec<Head> = Vec::new();
        for (i, &line) in lines.iter().enumerate() {
            let Some(head) = self.head(doc, line) else {
                continue;
            };
            // A bare name ("3D", "Findings") with no colon is a heading only
            // where a statement cannot be running on: after a blank line, a
            // finished sentence or another heading ("No\n3D\nreconstructions").
            // Two bare names in a row ("3D\nreconstructions") are a wrapped
            // phrase, not two sections.
            if head.bare && i > 0 {
                let after_heading = heads.last().filter(|h| h.line + 1 == i);
                let prev = doc.visible_slice(lines[i - 1].span()).trim();
                let after_statement = prev.is_empty() || prev.ends_with(['.', ':', '!', '?']);
                // After a heading alone on its line, a bare name is another
                // heading; after "EXAM: CT ... ISCHEMIA" it is the rest of a title.
                let heading_alone = after_heading.is_some_and(|h| {
                    doc.visible
                        .get(h.label.end as usize..lines[h.line].end as usize)
                        .unwrap_or("")
                        .trim_matches(|c: char| c == ':' || c == '*' || c.is_whitespace())
                        .is_empty()
                });
                match after_heading {
                    Some(h) if h.bare => continue,
                    Some(_) if heading_alone || after_statement => {}
                    Some(_) => continue,
                    None if !after_statement => continue,
                    None => {}
                }
            }
            heads.push(Head { line: i, ..head });
        }
        let mut sections = vec![Section {
            kind: SectionKind::Title,
            heading: None,
            span: Span::new(0, doc.visible.len()),
        }];
        for head in heads.iter().filter(|h| h.kind.is_some()) {
            let start = lines[head.line].start;
            if let Some(last) = sections.last_mut() {
                last.span.end = start;
            }
            sections.push(Section {
                kind: head.kind.unwrap_or(SectionKind::Other),
                heading: Some(head.label),
                span: Span {
                    start,
                    end: doc.visible.len() as u32,
                },
            });
        }
        if sections.len() > 1 && sections[0].span.is_empty() {
            sections.remove(0);
        }
        let mut label_lines = vec![false; lines.len()];
        for h in &heads {
            label_lines[h.line] = true;
        }
        // One list for every section's sentences, grown once.
        let mut sentences = Vec::with_capacity(lines.len());
        for (index, section) in sections.iter().enumerate() {
            let first = lines.partition_point(|l| l.start < section.span.start);
            let end = first + lines[first..].partition_point(|l| l.start < section.span.end);
            let mut splitter = Splitter {
                seg: self,
                doc,
                out: std::mem::take(&mut sentences),
                section: index as u32,
                current: None,
                heading_only: section.heading.is_some_and(|h| {
                    let at = lines.partition_point(|l| l.start <= h.start);
                    let rest = at
                        .checked_sub(1)
                        .map(|i| lines[i])
                        .filter(|l| h.start <= l.end)
                        .map_or("", |l| {
                            doc.visible
                                .get(h.end as usize..l.end as usize)
                                .unwrap_or("")
                        });
                    rest.trim_matches(|c: char| c == ':' || c == '*' || c.is_whitespace())
                        .is_empty()
                }),
            };
            splitter.run(&lines[first..end], &label_lines[first..end]);
            sentences = splitter.out;
        }
        Segments {
            sections,
            sentences,
        }
    }

    fn head(&self, doc: &Document, line: Line) -> Option<Head> {
        let text = doc.visible_slice(line.span());
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return None;
        }
        let lead = (text.len() - text.trim_start().len()) as u32;
        let label_span = |len: usize| {
            Span::new(
                (line.start + lead) as usize,
                (line.start + lead) as usize + len,
            )
        };
        // Headings are in document order: the one that could hold this line
        // is the last to start at or before it.
        let md = doc.headings[..doc.headings.partition_point(|h| h.start <= line.start)]
            .last()
            .is_some_and(|h| line.start < h.end.max(h.start + 1));
        if md {
            let label = trimmed.trim_end_matches(':').trim_end();
            return Some(Head {
                line: 0,
                bare: false,
                kind: self.classify(label, true),
                label: label_span(label.len()),
            });
        }
        // A label is short: look for its colon near the start only.
        let head = &trimmed[..floor_char_boundary(trimmed, LABEL_REACH)];
        if let Some((label, _)) = head.split_once(':')
            && is_label(label)
        {
            let label = label.trim_end();
            let caps = is_all_caps(label);
            return match self.classify(label, caps) {
                Some(kind) => Some(Head {
                    line: 0,
                    bare: false,
                    kind: Some(kind),
                    label: label_span(label.len()),
                }),
                None if caps => Some(Head {
                    line: 0,
                    bare: false,
                    kind: None,
                    label: label_span(label.len()),
                }),
                None => None,
            };
        }
        let bare = trimmed.trim_end_matches(':').trim_end();
        if !is_label(bare) {
            return None;
        }
        self.classify(bare, false).map(|kind| Head {
            line: 0,
            bare: !trimmed.ends_with(':'),
            kind: Some(kind),
            label: label_span(bare.len()),
        })
    }
}

#[derive(Clone, Copy, Debug)]
struct Head {
    line: usize,
    /// A name alone on its line, without a colon or markdown.
    bare: bool,
    /// `None` for a sub-heading.
    kind: Option<SectionKind>,
    label: Span,
}

/// A line without its terminator.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: u32,
    end: u32,
}

impl Line {
    fn span(self) -> Span {
        Span {
            start: self.start,
            end: self.end,
        }
    }
}

fn lines(text: &str) -> Vec<Line> {
    // Report lines are seldom shorter than this on average: one allocation.
    let mut out = Vec::with_capacity(text.len() / 24 + 1);
    let mut start = 0;
    for (end, next) in line_breaks(text) {
        out.push(Line {
            start: start as u32,
            end: end as u32,
        });
        start = next;
    }
    if start < text.len() {
        out.push(Line {
            start: start as u32,
            end: text.len() as u32,
        });
    }
    out
}

/// The largest char boundary of `s` at or below `at`.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Lower case, `&` as "and", words separated by single spaces.
fn label_key(label: &str) -> String {
    let mut key = String::with_capacity(label.len() + 4);
    let mut gap = false;
    for c in label.chars() {
        if c == '&' {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push_str("and");
            gap = true;
        } else if c.is_alphanumeric() {
            if gap && !key.is_empty() {
                key.push(' ');
            }
            gap = false;
            if c.is_ascii() {
                key.push(c.to_ascii_lowercase());
            } else {
                key.extend(c.to_lowercase());
            }
        } else {
            gap = true;
        }
    }
    key
}

/// The longest heading name [`is_label`] accepts, in bytes.
pub(crate) const LABEL_MAX: usize = 48;

/// How far into a line (or a sentence) the colon ending a label is looked
/// for: past the longest label, with room for markup and white space
/// around it.
pub(crate) const LABEL_REACH: usize = LABEL_MAX + 16;

/// A heading's name: short, a few words, letters and digits with little
/// punctuation.
pub(crate) fn is_label(label: &str) -> bool {
    let label = label.trim();
    if label.is_empty() || label.len() > LABEL_MAX {
        return false;
    }
    // Cheapest first: most lines fail at their first punctuation.
    label.chars().next().is_some_and(char::is_alphanumeric)
        && label.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | '/' | '&' | '-' | '(' | ')' | '\'' | '#')
        })
        && label.split_whitespace().count() <= 6
}

fn is_all_caps(label: &str) -> bool {
    label.chars().any(char::is_alphabetic) && !label.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_keys() {
        assert_eq!(
            label_key("Findings & Impression:"),
            "findings and impression"
        );
        assert_eq!(
            label_key("CLINICAL  HISTORY/INDICATION"),
            "clinical history indication"
        );
        assert_eq!(label_key("&B"), "and b");
        assert_eq!(label_key("ÉTUDE 3-D"), "étude 3 d");
        assert_eq!(label_key(" -- "), "");
    }
    use crate::document::Format;

    fn split(text: &str, format: Format) -> (Document, Segments) {
        let lexicon = Lexicon::builtin().expect("built-in lexicon");
        let doc = Document::new(text.as_bytes().to_vec(), format);
        let segments = Segmenter::new(&lexicon).segment(&doc);
        (doc, segments)
    }

    fn sentences(text: &str) -> Vec<String> {
        let (doc, segments) = split(text, Format::Text);
        segments
            .sentences
            .iter()
            .map(|s| doc.slice(s.span).to_owned())
            .collect()
    }

    fn kinds(text: &str, format: Format) -> Vec<SectionKind> {
        split(text, format)
            .1
            .sections
            .iter()
            .map(|s| s.kind)
            .collect()
    }

    #[test]
    fn sentences_survive_abbreviations_decimals_and_initials() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Seen by Dr. Roe today. Fine.",
                &["Seen by Dr. Roe today.", "Fine."],
            ),
            ("A 3.5 cm mass. Stable.", &["A 3.5 cm mass.", "Stable."]),
            (
                "Compare e.g. the prior. Done.",
                &["Compare e.g. the prior.", "Done."],
            ),
            (
                "Measures approx. 4 cm. Next.",
                &["Measures approx. 4 cm.", "Next."],
            ),
            (
                "Signed A. Smith, MD. End.",
                &["Signed A. Smith, MD.", "End."],
            ),
            (
                "Done on syngo.via today. End.",
                &["Done on syngo.via today.", "End."],
            ),
            ("Is it broken? Yes!", &["Is it broken?", "Yes!"]),
        ];
        for (text, want) in cases {
            assert_eq!(sentences(text), *want, "{text}");
        }
    }

    #[test]
    fn numbered_lists_split_per_item_not_after_the_number() {
        let got = sentences("IMPRESSION:\n1. Fracture of the plateau.\n2. Effusion.\n");
        assert_eq!(
            got,
            ["IMPRESSION:\n1. Fracture of the plateau.", "2. Effusion."]
        );
        let inline = sentences("IMPRESSION: 1. Fracture. 2. Effusion.");
        assert_eq!(inline, ["IMPRESSION: 1. Fracture.", "2. Effusion."]);
    }

    #[test]
    fn wrapped_lines_stay_one_sentence_short_lines_do_not() {
        let wrapped = "TECHNIQUE: Axial images were obtained and 3D volume\nrendered images were created under my concurrent\nsupervision.\n";
        assert_eq!(sentences(wrapped).len(), 1);
        let list = "FINDINGS:\nNo contrast\n3D images were created\n";
        assert_eq!(
            sentences(list),
            ["FINDINGS:\nNo contrast", "3D images were created"]
        );
    }

    #[test]
    fn a_heading_alone_on_its_line_joins_the_next_sentence() {
        let got = sentences("3D RECONSTRUCTIONS:\nNot performed.\nFINDINGS: Normal.");
        assert_eq!(
            got,
            ["3D RECONSTRUCTIONS:\nNot performed.", "FINDINGS: Normal."]
        );
        // but a heading with text on its line does not swallow the next line
        let got = sentences("EXAM: CT FACE WITHOUT CONTRAST\nCPT: 70486\n");
        assert_eq!(got, ["EXAM: CT FACE WITHOUT CONTRAST", "CPT: 70486"]);
    }

    #[test]
    fn heading_forms() {
        use SectionKind::*;
        let text = "CT FACE\nCLINICAL HISTORY: Fall.\nTechnique: Axial.\nFINDINGS\nLIVER: Normal.\nImpression:\nFracture.\n";
        assert_eq!(
            kinds(text, Format::Text),
            [Title, History, Technique, Findings, Impression]
        );
        let md = "# CT Face\n\n## Findings\n\n### Liver\nNormal.\n\n**Impression:** Fracture.\n\n## 3D Volume Rendered Images\nShown.\n";
        assert_eq!(
            kinds(md, Format::Markdown),
            [Title, Findings, Impression, PostProcessing]
        );
    }

    #[test]
    fn crlf_and_lone_cr_are_line_breaks() {
        let text = "FINDINGS:\r\nNormal.\rIMPRESSION:\r\nNone.\r\n";
        assert_eq!(
            kinds(text, Format::Text),
            [SectionKind::Findings, SectionKind::Impression]
        );
    }

    #[test]
    fn join_merges_sentences_a_phrase_crosses() {
        let text = "FINDINGS:\nNo contrast\n3D images were created today\n";
        let (_, mut segments) = split(text, Format::Text);
        assert_eq!(segments.sentences.len(), 2);
        let at = text.find("contrast").expect("present");
        let span = Span::new(at, at + 12);
        segments.join(span);
        assert_eq!(segments.sentences.len(), 1);
    }
}
