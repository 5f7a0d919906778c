//! Ingest: a report's bytes become text, and the text a reader sees.
//!
//! Takes the raw bytes of one report and hands on a [`Document`] holding:
//! - `text`: the bytes decoded as UTF-8. A BOM, CRLF and lone CR are kept, so
//!   every span is a byte offset into the file as it was read. Invalid UTF-8 is
//!   decoded lossily *byte for byte*: each invalid byte becomes `?`, so offsets
//!   still agree with the file, and the bytes are recorded for a warning.
//! - `visible`: the same length as `text`, with everything a reader does not
//!   see replaced by spaces (line breaks kept). For plain text only the BOM is
//!   blanked; for markdown, pulldown-cmark decides: fenced and indented code,
//!   HTML blocks and comments, inline HTML, struck-through text, front matter,
//!   link destinations and markup characters are not report text.
//! - the markdown headings, and the hidden regions (for a note when they hold
//!   3D documentation that does not count).

use crate::span::Span;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::path::Path;

/// How a report's text is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Plain text: every byte is report text.
    Text,
    /// CommonMark: only what a reader of the rendered page sees is report text.
    Markdown,
}

impl Format {
    /// The format implied by a file name: `.md` and `.markdown` are markdown,
    /// anything else is text.
    pub fn for_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown") => {
                Format::Markdown
            }
            _ => Format::Text,
        }
    }
}

/// One decoded report. See the module docs for the invariants.
#[derive(Debug, Clone)]
pub struct Document {
    /// The decoded text; same byte length as the file.
    pub text: String,
    /// `text` with what a reader does not see blanked; same byte length.
    pub visible: String,
    /// How it was read.
    pub format: Format,
    /// Markdown headings (ATX or setext), as spans of their source lines.
    pub headings: Vec<Span>,
    /// Markdown regions that are not report text: code blocks, HTML, comments.
    pub hidden: Vec<Span>,
    /// Runs of bytes that were not valid UTF-8 (now `?`).
    pub invalid_utf8: Vec<Span>,
    /// The file was UTF-16 (it began with a UTF-16 byte-order mark) and was
    /// transcoded: offsets count bytes of the UTF-8 text, not of the file.
    pub utf16: bool,
}

impl Document {
    /// Decode `bytes` and work out what a reader sees.
    pub fn new(bytes: Vec<u8>, format: Format) -> Document {
        let (bytes, utf16) = match from_utf16(&bytes) {
            Some(utf8) => (utf8, true),
            None => (bytes, false),
        };
        let (text, invalid_utf8) = decode_lossy(bytes);
        let (visible, headings, hidden) = match format {
            Format::Text => (blank_bom(&text), Vec::new(), Vec::new()),
            Format::Markdown => markdown_visible(&text),
        };
        debug_assert_eq!(visible.len(), text.len());
        Document {
            text,
            visible,
            format,
            headings,
            hidden,
            invalid_utf8,
            utf16,
        }
    }

    /// The original text of a span.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// The visible text of a span.
    pub fn visible_slice(&self, span: Span) -> &str {
        self.visible.get(span.range()).unwrap_or("")
    }

    /// Take `spans` (on char boundaries) out of what a reader sees: their
    /// bytes become spaces, line breaks stay, so offsets and lines hold.
    pub fn blank(&mut self, spans: &[Span]) {
        if spans.is_empty() {
            return;
        }
        let mut visible = std::mem::take(&mut self.visible).into_bytes();
        for span in spans {
            for b in &mut visible[span.range()] {
                if *b != b'\n' && *b != b'\r' {
                    *b = b' ';
                }
            }
        }
        // Every byte of whole chars became a space or stayed a line break:
        // still UTF-8, and the same length.
        self.visible = String::from_utf8(visible)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    }
}

/// True when `bytes` begin with a UTF-16 byte-order mark (little or big
/// endian). Such a file is text, whatever NUL bytes its ASCII holds.
pub fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// A UTF-16 file (by its byte-order mark) as UTF-8, the mark kept as a UTF-8
/// BOM; unpaired surrogates and an odd last byte become `?`.
fn from_utf16(bytes: &[u8]) -> Option<Vec<u8>> {
    if !is_utf16(bytes) {
        return None;
    }
    let little = bytes[0] == 0xFF;
    let units = bytes.chunks(2).map(|pair| match (pair, little) {
        ([a, b], true) => u16::from_le_bytes([*a, *b]),
        ([a, b], false) => u16::from_be_bytes([*a, *b]),
        _ => u16::from(b'?'),
    });
    let text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or('?'))
        .collect();
    Some(text.into_bytes())
}

/// UTF-8 decoding that keeps byte offsets: each invalid byte becomes `?`.
fn decode_lossy(bytes: Vec<u8>) -> (String, Vec<Span>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, Vec::new()),
        Err(err) => {
            let mut bytes = err.into_bytes();
            let mut invalid = Vec::new();
            let mut at = 0;
            while at < bytes.len() {
                match std::str::from_utf8(&bytes[at..]) {
                    Ok(_) => break,
                    Err(e) => {
                        let start = at + e.valid_up_to();
                        let len = e.error_len().unwrap_or(bytes.len() - start);
                        for b in &mut bytes[start..start + len] {
                            *b = b'?';
                        }
                        match invalid.last_mut() {
                            Some(Span { end, .. }) if *end as usize == start => {
                                *end = (start + len) as u32
                            }
                            _ => invalid.push(Span::new(start, start + len)),
                        }
                        at = start + len;
                    }
                }
            }
            // Every invalid byte is now ASCII, so this cannot fail; fall back to
            // an empty text rather than panic if it ever did.
            (String::from_utf8(bytes).unwrap_or_default(), invalid)
        }
    }
}

fn blank_bom(text: &str) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => format!("   {rest}"),
        None => text.to_owned(),
    }
}

/// Blank everything but the text events a reader sees, keeping line breaks.
fn markdown_visible(text: &str) -> (String, Vec<Span>, Vec<Span>) {
    let mut visible: Vec<u8> = text
        .bytes()
        .map(|b| if b == b'\n' || b == b'\r' { b } else { b' ' })
        .collect();
    let mut headings = Vec::new();
    let mut hidden: Vec<Span> = Vec::new();
    let mut hidden_depth = 0usize;
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(tag) => match tag {
                Tag::Heading { .. } => headings.push(trim_line_end(text, range)),
                Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_) | Tag::Strikethrough => {
                    if hidden_depth == 0 {
                        hidden.push(Span::new(range.start, range.end));
                    }
                    hidden_depth += 1;
                }
                _ => {}
            },
            Event::End(
                TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::MetadataBlock(_)
                | TagEnd::Strikethrough,
            ) => hidden_depth = hidden_depth.saturating_sub(1),
            Event::Text(_) | Event::Code(_) if hidden_depth == 0 => {
                visible[range.clone()].copy_from_slice(&text.as_bytes()[range]);
            }
            Event::Html(_) | Event::InlineHtml(_) if hidden_depth == 0 => {
                hidden.push(Span::new(range.start, range.end));
            }
            _ => {}
        }
    }
    // Only ASCII spaces were written over whole events, whose ranges lie on
    // char boundaries, so the bytes are valid UTF-8.
    let visible = String::from_utf8(visible).unwrap_or_else(|e| {
        String::from_utf8_lossy(e.as_bytes())
            .chars()
            .map(|c| if c == '\u{fffd}' { ' ' } else { c })
            .collect()
    });
    (visible, headings, hidden)
}

fn trim_line_end(text: &str, range: std::ops::Range<usize>) -> Span {
    let s = &text[range.clone()];
    let trimmed = s.trim_end_matches(['\r', '\n']);
    Span::new(range.start, range.start + trimmed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> Document {
        Document::new(s.as_bytes().to_vec(), Format::Markdown)
    }

    #[test]
    fn invalid_utf8_keeps_offsets() {
        let doc = Document::new(b"caf\xe9 3D\xff\xfe images".to_vec(), Format::Text);
        assert_eq!(doc.text, "caf? 3D?? images");
        assert_eq!(doc.invalid_utf8, vec![Span::new(3, 4), Span::new(7, 9)]);
    }

    #[test]
    fn bom_is_kept_in_text_and_blanked_in_visible() {
        let doc = Document::new("\u{feff}EXAM: CT".as_bytes().to_vec(), Format::Text);
        assert!(doc.text.starts_with('\u{feff}'));
        assert_eq!(doc.visible, "   EXAM: CT");
    }

    #[test]
    fn code_blocks_and_comments_are_hidden() {
        let doc = md("Seen.\n\n```\n3D under my supervision\n```\n\n<!-- 3D images -->\n\nok\n");
        assert!(!doc.visible.contains("3D"));
        assert!(doc.visible.contains("Seen."));
        assert!(doc.visible.contains("ok"));
        assert_eq!(doc.hidden.len(), 2);
        assert_eq!(doc.visible.len(), doc.text.len());
    }

    #[test]
    fn link_destinations_are_not_text_but_link_text_is() {
        let doc = md("See [3D images](http://example.org/volume-rendering) here.\n");
        assert!(doc.visible.contains("3D images"));
        assert!(!doc.visible.contains("volume-rendering"));
    }

    #[test]
    fn headings_are_recorded() {
        let doc = md("# Report\n\n## Findings\ntext\n");
        assert_eq!(doc.headings.len(), 2);
        assert_eq!(doc.slice(doc.headings[1]), "## Findings");
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(Format::for_path(Path::new("a/b.MD")), Format::Markdown);
        assert_eq!(
            Format::for_path(Path::new("a/b.markdown")),
            Format::Markdown
        );
        assert_eq!(Format::for_path(Path::new("a/b.txt")), Format::Text);
    }
}
