//! FHIR R4 DiagnosticReport resources: as NDJSON (one resource a line, as a
//! Bulk Data export writes them, streamed), as a Bundle, or as one
//! resource (a JSON document, read whole up to the size limit).
//!
//! The report text is the `presentedForm` attachments (`text/plain`,
//! `text/markdown`, `text/html`; base64 `data`), in order; without one, the
//! narrative `text.div` (XHTML, read as the text a browser shows); the
//! `conclusion` follows when the text does not already hold it. An
//! attachment given only by `url` is not fetched (radlint makes no network
//! request): without other text, the record is reported as unreadable.
//! Metadata: `resultsInterpreter` (signer), `effectiveDateTime`,
//! `effectivePeriod.start` or `issued` (date), `code` (exam), and an
//! `identifier` typed `ACSN` or with an accession system (accession).

use super::{Extracted, Record, read_line_limited};
use crate::meta::Meta;
use base64::Engine as _;
use serde_json::Value;
use std::collections::VecDeque;
use std::io::{BufRead, Read};

/// Reads a FHIR export record by record.
pub struct Reader<R> {
    reader: R,
    source: String,
    line: u64,
    max: u64,
    pending: VecDeque<Extracted>,
    /// Each line is a resource (NDJSON), once the first one parsed alone.
    lines: bool,
    done: bool,
}

impl<R: BufRead> Reader<R> {
    /// A reader of `reader`, named `source` in ids of records without one;
    /// records (or documents) over `max` bytes are reported, not read.
    pub fn new(reader: R, source: &str, max: u64) -> Reader<R> {
        Reader {
            reader,
            source: source.to_owned(),
            line: 0,
            max,
            pending: VecDeque::new(),
            lines: false,
            done: false,
        }
    }

    fn bad(&self, line: u64, reason: String) -> Extracted {
        Extracted::Bad {
            id: format!("{}:{line}", self.source),
            line,
            reason,
        }
    }

    /// The next line's items into `pending`; false at the end.
    fn advance(&mut self) -> bool {
        let mut buf = Vec::new();
        let fits = match read_line_limited(&mut self.reader, &mut buf, self.max) {
            Ok(None) => return false,
            Ok(Some(fits)) => fits,
            Err(e) => {
                self.line += 1;
                let bad = self.bad(self.line, format!("cannot read: {e}"));
                self.pending.push_back(bad);
                self.done = true;
                return true;
            }
        };
        self.line += 1;
        let line = self.line;
        if !fits {
            let bad = self.bad(
                line,
                format!(
                    "record larger than --max-file-size ({} bytes); not read",
                    self.max
                ),
            );
            self.pending.push_back(bad);
            return true;
        }
        let text = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf);
        if text.iter().all(u8::is_ascii_whitespace) {
            return true;
        }
        match serde_json::from_slice::<Value>(text) {
            Ok(value) => {
                self.lines = true;
                resource(&value, &self.source, line, &mut self.pending);
            }
            // The first record does not end with its line: a JSON
            // document (a Bundle, or a resource written over many lines).
            Err(e) if !self.lines && e.is_eof() => {
                let mut whole = text.to_vec();
                let room = self
                    .max
                    .saturating_sub(whole.len() as u64)
                    .saturating_add(1);
                if let Err(e) = (&mut self.reader).take(room).read_to_end(&mut whole) {
                    let bad = self.bad(line, format!("cannot read: {e}"));
                    self.pending.push_back(bad);
                } else if whole.len() as u64 > self.max {
                    let bad = self.bad(
                        line,
                        format!(
                            "a FHIR document larger than --max-file-size ({} bytes); not read \
                             (a Bulk Data export, one resource a line, is read record by record)",
                            self.max
                        ),
                    );
                    self.pending.push_back(bad);
                } else {
                    match serde_json::from_slice::<Value>(&whole) {
                        Ok(value) => resource(&value, &self.source, line, &mut self.pending),
                        Err(e) => {
                            let bad = self.bad(line, format!("not valid JSON: {e}"));
                            self.pending.push_back(bad);
                        }
                    }
                }
                self.done = true;
            }
            Err(e) => {
                let bad = self.bad(line, format!("not valid JSON: {e}"));
                self.pending.push_back(bad);
            }
        }
        true
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Extracted;

    fn next(&mut self) -> Option<Extracted> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.done || !self.advance() {
                return None;
            }
        }
    }
}

/// The items of one JSON value: a DiagnosticReport, a Bundle's entries, or
/// a resource of another type (skipped).
fn resource(value: &Value, source: &str, line: u64, out: &mut VecDeque<Extracted>) {
    let kind = value.get("resourceType").and_then(Value::as_str);
    match kind {
        Some("Bundle") => {
            let entries = value.get("entry").and_then(Value::as_array);
            for entry in entries.into_iter().flatten() {
                match entry.get("resource") {
                    Some(r) => resource(r, source, line, out),
                    None => out.push_back(Extracted::Skipped {
                        kind: "Bundle entry without a resource".to_owned(),
                    }),
                }
            }
        }
        Some("DiagnosticReport") => out.push_back(report(value, source, line)),
        Some(other) => out.push_back(Extracted::Skipped {
            kind: other.to_owned(),
        }),
        None => out.push_back(Extracted::Bad {
            id: format!("{source}:{line}"),
            line,
            reason: "not a FHIR resource (no `resourceType`)".to_owned(),
        }),
    }
}

fn text_of<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// One DiagnosticReport.
fn report(value: &Value, source: &str, line: u64) -> Extracted {
    let id = text_of(value, "id").map_or_else(|| format!("{source}:{line}"), str::to_owned);
    let bad = |reason: String| Extracted::Bad {
        id: id.clone(),
        line,
        reason,
    };
    let mut parts: Vec<String> = Vec::new();
    let mut markdown = false;
    let mut by_url = Vec::new();
    let forms = value.get("presentedForm").and_then(Value::as_array);
    for (i, form) in forms.into_iter().flatten().enumerate() {
        let kind = text_of(form, "contentType").unwrap_or("");
        let mime = kind
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let Some(data) = text_of(form, "data") else {
            if let Some(url) = text_of(form, "url") {
                by_url.push(format!("presentedForm[{i}] ({url})"));
            }
            continue;
        };
        if !matches!(mime.as_str(), "text/plain" | "text/markdown" | "text/html") {
            continue;
        }
        let compact: String = data.chars().filter(|c| !c.is_whitespace()).collect();
        let bytes = match base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
            Ok(bytes) => bytes,
            Err(e) => return bad(format!("presentedForm[{i}]: data is not base64 ({e})")),
        };
        let Ok(text) = String::from_utf8(bytes) else {
            return bad(format!("presentedForm[{i}]: data is not UTF-8 text"));
        };
        parts.push(match mime.as_str() {
            "text/html" => visible_text(&text),
            "text/markdown" => {
                markdown = true;
                text
            }
            _ => text,
        });
    }
    if parts.is_empty() {
        if !by_url.is_empty() {
            return bad(format!(
                "the report is an attachment given only by url: {}; radlint fetches nothing \
                 (export the attachment's data)",
                by_url.join(", ")
            ));
        }
        if let Some(div) = value.get("text").and_then(|t| text_of(t, "div")) {
            parts.push(visible_text(div));
        }
    }
    if let Some(conclusion) = text_of(value, "conclusion")
        && !parts.iter().any(|p| p.contains(conclusion))
    {
        parts.push(format!("CONCLUSION: {conclusion}"));
    }
    if parts.iter().all(|p| p.trim().is_empty()) {
        return bad(
            "no report text: no presentedForm with text data, no narrative, no conclusion"
                .to_owned(),
        );
    }
    Extracted::Report(Record {
        id,
        line,
        text: parts.join("\n\n"),
        markdown: markdown && parts.len() == 1,
        meta: meta(value),
    })
}

/// What a DiagnosticReport's fields say about it.
fn meta(value: &Value) -> Meta {
    let first = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
    };
    let code = value.get("code");
    let exam = code.and_then(|c| text_of(c, "text")).or_else(|| {
        code.and_then(|c| c.get("coding"))
            .and_then(Value::as_array)
            .and_then(|codings| codings.iter().find_map(|c| text_of(c, "display")))
    });
    let accession = value
        .get("identifier")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|identifier| {
            let typed = identifier
                .get("type")
                .and_then(|t| t.get("coding"))
                .and_then(Value::as_array)
                .is_some_and(|c| c.iter().any(|c| text_of(c, "code") == Some("ACSN")));
            let system = text_of(identifier, "system")
                .is_some_and(|s| s.to_ascii_lowercase().contains("accession"));
            typed || system
        })
        .and_then(|identifier| text_of(identifier, "value"));
    Meta {
        signer: first("resultsInterpreter")
            .and_then(|r| text_of(r, "display"))
            .map(str::to_owned),
        date: text_of(value, "effectiveDateTime")
            .or_else(|| {
                value
                    .get("effectivePeriod")
                    .and_then(|p| text_of(p, "start"))
            })
            .or_else(|| text_of(value, "issued"))
            .map(str::to_owned),
        exam: exam.map(str::to_owned),
        modality: None,
        accession: accession.map(str::to_owned),
    }
}

/// HTML (or a narrative's XHTML) as the text a browser shows: blocks on
/// lines of their own, entities decoded, markup gone.
pub fn visible_text(html: &str) -> String {
    html2text::config::plain_no_decorate()
        .raw_mode(true)
        .allow_width_overflow()
        .string_from_read(html.as_bytes(), 100_000)
        .unwrap_or_else(|_| html.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Extracted> {
        Reader::new(text.as_bytes(), "export.ndjson", 1 << 20).collect()
    }

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    #[test]
    fn each_text_source_is_read() {
        let plain = format!(
            r#"{{"resourceType":"DiagnosticReport","id":"a","status":"final","code":{{"text":"CT HEAD"}},"presentedForm":[{{"contentType":"text/plain","data":"{}"}}]}}"#,
            b64("3D images were made.")
        );
        let html = format!(
            r#"{{"resourceType":"DiagnosticReport","id":"b","status":"final","code":{{"text":"CT"}},"presentedForm":[{{"contentType":"text/html; charset=utf-8","data":"{}"}}]}}"#,
            b64("<p>One &amp; two</p><p>Three</p>")
        );
        let div = r#"{"resourceType":"DiagnosticReport","id":"c","status":"final","code":{"text":"CT"},"text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Narrative</p></div>"},"conclusion":"Fracture."}"#;
        let items = read(&format!("{plain}\n{html}\n{div}\n"));
        let texts: Vec<&str> = items
            .iter()
            .map(|i| match i {
                Extracted::Report(r) => r.text.as_str(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(texts[0], "3D images were made.");
        assert!(
            texts[1].contains("One & two") && texts[1].contains("\nThree"),
            "{:?}",
            texts[1]
        );
        assert!(texts[2].starts_with("Narrative") && texts[2].ends_with("CONCLUSION: Fracture."));
    }

    #[test]
    fn bundles_other_resources_urls_and_bad_lines() {
        let bundle = format!(
            r#"{{"resourceType":"Bundle","type":"collection","entry":[{{"resource":{{"resourceType":"Patient","id":"p"}}}},{{"resource":{{"resourceType":"DiagnosticReport","id":"d","status":"final","code":{{"text":"CT"}},"presentedForm":[{{"contentType":"text/plain","data":"{}"}}]}}}}]}}"#,
            b64("text")
        );
        let url = r#"{"resourceType":"DiagnosticReport","id":"u","status":"final","code":{"text":"CT"},"presentedForm":[{"contentType":"application/pdf","url":"https://example.org/r.pdf"}]}"#;
        let items = read(&format!("{bundle}\n{url}\nnot json\n"));
        assert!(matches!(&items[0], Extracted::Skipped { kind } if kind == "Patient"));
        assert!(matches!(&items[1], Extracted::Report(r) if r.id == "d" && r.line == 1));
        assert!(
            matches!(&items[2], Extracted::Bad { id, reason, .. } if id == "u" && reason.contains("only by url"))
        );
        assert!(matches!(&items[3], Extracted::Bad { id, line: 3, .. } if id == "export.ndjson:3"));
    }

    #[test]
    fn a_document_over_many_lines_is_one_resource() {
        let doc = format!(
            "{{\n  \"resourceType\": \"DiagnosticReport\",\n  \"id\": \"x\",\n  \"status\": \"final\",\n  \"code\": {{\"text\": \"MR\"}},\n  \"presentedForm\": [{{\"contentType\": \"text/markdown\", \"data\": \"{}\"}}]\n}}\n",
            b64("# MR\n3D")
        );
        let items = read(&doc);
        assert_eq!(items.len(), 1);
        assert!(matches!(&items[0], Extracted::Report(r) if r.markdown && r.text == "# MR\n3D"));
    }

    #[test]
    fn metadata_comes_from_the_resources_fields() {
        let line = format!(
            r#"{{"resourceType":"DiagnosticReport","id":"m","status":"final","identifier":[{{"type":{{"coding":[{{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"ACSN"}}]}},"value":"A-77"}}],"code":{{"coding":[{{"display":"CT FACE"}}]}},"effectiveDateTime":"2026-03-04T10:00:00Z","resultsInterpreter":[{{"display":"Jane Smith"}}],"presentedForm":[{{"contentType":"text/plain","data":"{}"}}]}}"#,
            b64("x")
        );
        let Some(Extracted::Report(r)) = read(&line).into_iter().next() else {
            panic!("a report")
        };
        assert_eq!(r.meta.signer.as_deref(), Some("Jane Smith"));
        assert_eq!(r.meta.exam.as_deref(), Some("CT FACE"));
        assert_eq!(r.meta.accession.as_deref(), Some("A-77"));
        assert_eq!(r.meta.date.as_deref(), Some("2026-03-04T10:00:00Z"));
    }
}
