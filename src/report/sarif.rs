//! SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.
//!
//! Takes checked reports and hands on one SARIF log with one run: the tool's
//! driver lists every rule in [`rules::ALL`] plus a `verdict` rule, and each
//! report adds one result per diagnostic and, when it has any, one `verdict`
//! result (level note, at line 1, with `supports` and `in_scope`
//! properties); with [`Settings::all_verdicts`] every report adds its
//! verdict. An input that could not be read adds one `input-unreadable`
//! result instead. GitHub code scanning takes at most 25,000 results a run,
//! and an archive's clean reports would pass that at about 13,000 reports
//! with a verdict each: by default a clean report adds nothing (its
//! rendering is empty, and the caller writes no separator for it), so the
//! stream is valid JSON for any number of inputs.
//!
//! Locations are the report's path as a relative URI reference (forward
//! slashes, everything but unreserved characters percent-encoded; absolute
//! paths become `file://` URIs), or an export record's id with its line in the
//! result's `input_line` property. The run's properties name the lexicon
//! version and CPT year; a report judged under others (a configuration below
//! a walked directory) names its own in each of its results' properties.
//! Regions give 1-based lines and columns in
//! Unicode code points (the run's `columnKind`), with `endColumn` just past
//! the span as SARIF defines it, and the span's bytes as `byteOffset` and
//! `byteLength`. A diagnostic's secondary labels (a negation trigger and its
//! scope) are its `relatedLocations`, and its suggested wording is its `help`
//! property. A region's `snippet` is the only report text in the log; with
//! `redact` there is none.

use super::{Checked, RenderError, Renderer, Settings};
use crate::Outcome;
use crate::rules::{self, Diagnostic, Rule, Severity};
use crate::span::{LineIndex, Span};
use crate::verdict::Code;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::json;
use std::path::Path;
use url::Url;

/// SARIF output.
#[derive(Debug)]
pub struct SarifRenderer {
    /// Settings.
    pub settings: Settings,
}

/// The schema GitHub and the SARIF tools recognise.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where the tool is documented: the package's homepage or repository. SARIF
/// wants an absolute URI here, so with neither in `Cargo.toml` there is none.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|uri| !uri.is_empty())
}

/// The `name` of [`VERDICT`] (SARIF wants a name that is not its id).
const VERDICT_NAME: &str = "SupportedCode";

/// The extra rule every report's verdict is reported under.
const VERDICT: Rule = Rule {
    id: "verdict",
    severity: Severity::Note,
    element: None,
    summary: "the code the report's documentation supports: 76377, 76376 or neither",
    why: "Billing and QA teams act on the verdict: a report that supports neither code, or a different code than claimed, needs an addendum before the claim goes out.",
    source: "docs/domain.md, The verdict (elements 1, 2 and 4-7 must hold; element 3 decides 76377 or 76376)",
    example: "(a report whose verdict is \"supports neither: needs concurrent physician supervision\")",
    fix: "Add what each error result names; `radlint explain RULE` shows each rule's fixed wording.",
};

/// The rule of an input that could not be read.
const UNREADABLE: &str = "input-unreadable";

impl Renderer for SarifRenderer {
    fn header(&self) -> Result<Vec<u8>, RenderError> {
        let version = env!("CARGO_PKG_VERSION");
        let mut driver = json!({
            "name": "radlint",
            "fullName": format!("radlint {version}"),
            "version": version,
            "semanticVersion": version,
            "rules": driver_rules(),
        });
        if let (Some(uri), Some(driver)) = (information_uri(), driver.as_object_mut()) {
            driver.insert("informationUri".to_owned(), uri.into());
        }
        let properties = json!({
            "lexicon_version": self.settings.lexicon_version,
            "cpt_year": self.settings.cpt_year,
            "redacted": self.settings.redact,
        });
        Ok(format!(
            "{{\"$schema\": \"{SCHEMA}\", \"version\": \"2.1.0\", \"runs\": [{{\n\
             \"tool\": {{\"driver\": {}}},\n\
             \"columnKind\": \"unicodeCodePoints\",\n\
             \"properties\": {},\n\
             \"results\": [\n",
            serde_json::to_string(&driver)?,
            serde_json::to_string(&properties)?,
        )
        .into_bytes())
    }

    fn render(&self, checked: &Checked) -> Result<Vec<u8>, RenderError> {
        let results = results(checked, &self.settings);
        let mut out = Vec::new();
        for (i, result) in results.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(b",\n");
            }
            serde_json::to_writer(&mut out, result)?;
        }
        Ok(out)
    }

    fn separator(&self) -> &'static [u8] {
        b",\n"
    }

    fn footer(&self, _summary: &super::Summary) -> Result<Vec<u8>, RenderError> {
        Ok(b"\n],\n\"invocations\": [{\"executionSuccessful\": true}]\n}]}\n".to_vec())
    }
}

/// A SARIF `result`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression>,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    properties: serde_json::Map<String, serde_json::Value>,
}

/// SARIF's record of a result allowed in the source, with the report's reason.
#[derive(Debug, Serialize)]
struct SarifSuppression {
    kind: &'static str,
    justification: String,
    location: Location,
}

#[derive(Debug, Serialize)]
struct Message {
    text: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Debug, Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Snippet>,
}

impl Region {
    /// Line 1, for what is about the whole file.
    fn file() -> Region {
        Region {
            start_line: 1,
            start_column: None,
            end_line: None,
            end_column: None,
            byte_offset: None,
            byte_length: None,
            snippet: None,
        }
    }
}

#[derive(Debug, Serialize)]
struct Snippet {
    text: String,
}

/// The driver's rules: every rule, then `verdict` (so `ruleIndex` of a rule
/// is its place in [`rules::ALL`]).
fn driver_rules() -> Vec<serde_json::Value> {
    rules::ALL
        .iter()
        .copied()
        .chain(std::iter::once(&VERDICT))
        .map(|rule| {
            let tag = rule.element.map_or_else(
                || rule.id.split('-').next().unwrap_or(rule.id),
                |e| e.name(),
            );
            json!({
                "id": rule.id,
                "name": if rule.id == VERDICT.id {
                    VERDICT_NAME.to_owned()
                } else {
                    camel_case(rule.id)
                },
                "shortDescription": {"text": sentence(rule.summary)},
                "fullDescription": {"text": rule.why},
                "help": {"text": help_text(rule)},
                "defaultConfiguration": {"level": rule.severity.name()},
                "properties": {"tags": ["cpt-76376-76377", tag]},
            })
        })
        .collect()
}

fn rule_index(id: &str) -> usize {
    rules::ALL
        .iter()
        .position(|r| r.id == id)
        .unwrap_or(rules::ALL.len())
}

/// `workstation-missing` -> `WorkstationMissing`.
fn camel_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect()
}

/// A summary as a sentence: capitalised, ending in a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

fn help_text(rule: &Rule) -> String {
    format!(
        "Source: {}\n\nFails:\n    {}\n\nFixed:\n    {}\n\nradlint suggests wording; it never writes attestations into a report.",
        rule.source,
        rule.example.replace('\n', "\n    "),
        rule.fix.replace('\n', "\n    ")
    )
}

/// The results of one input: none for a clean report unless every
/// verdict is asked for.
fn results(checked: &Checked, settings: &Settings) -> Vec<SarifResult> {
    let redact = settings.redact;
    let uri = uri_of(&checked.path);
    let outcome = &checked.outcome;
    let mut properties = serde_json::Map::new();
    if let Some(line) = checked.line {
        properties.insert("input_line".to_owned(), line.into());
    }
    // A report judged under another lexicon or CPT year than the run's (a
    // configuration below a walked directory) says which.
    if *outcome.lexicon_version != *settings.lexicon_version
        || outcome.cpt_year != settings.cpt_year
    {
        properties.insert(
            "lexicon_version".to_owned(),
            (*outcome.lexicon_version).into(),
        );
        properties.insert("cpt_year".to_owned(), outcome.cpt_year.into());
    }
    match &outcome.unreadable {
        Some(reason) => vec![SarifResult {
            rule_id: UNREADABLE,
            rule_index: rule_index(UNREADABLE),
            level: Severity::Error.name(),
            message: Message {
                text: reason.clone(),
            },
            locations: [at_file(uri)],
            related_locations: Vec::new(),
            suppressions: Vec::new(),
            properties,
        }],
        None => {
            let text = outcome.analysis.doc.text.as_str();
            let index = LineIndex::new(text);
            let located = |span: Span| Located {
                uri: &uri,
                text,
                index: &index,
                redact,
                span,
            };
            let mut out: Vec<SarifResult> = outcome
                .diagnostics
                .iter()
                .map(|d| diagnostic_result(d, &located, &properties, redact))
                .collect();
            if settings.all_verdicts || !out.is_empty() {
                out.push(verdict_result(outcome, uri.clone(), properties));
            }
            out
        }
    }
}

/// What a region needs.
struct Located<'a> {
    uri: &'a str,
    text: &'a str,
    index: &'a LineIndex,
    redact: bool,
    span: Span,
}

impl Located<'_> {
    fn location(&self, id: Option<usize>, message: Option<String>) -> Location {
        let (start_line, start_column) = self.index.line_col(self.text, self.span.start);
        let (end_line, end_column) = self.index.line_col(self.text, self.span.end);
        let snippet = self
            .text
            .get(self.span.range())
            .filter(|s| !self.redact && !s.is_empty())
            .map(|s| Snippet { text: s.to_owned() });
        Location {
            id,
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: self.uri.to_owned(),
                },
                region: Region {
                    start_line,
                    start_column: Some(start_column),
                    end_line: Some(end_line),
                    end_column: Some(end_column),
                    byte_offset: Some(self.span.start),
                    byte_length: Some(self.span.len()),
                    snippet,
                },
            },
            message: message.map(|text| Message { text }),
        }
    }
}

fn diagnostic_result<'a>(
    d: &Diagnostic,
    located: &impl Fn(Span) -> Located<'a>,
    properties: &serde_json::Map<String, serde_json::Value>,
    redact: bool,
) -> SarifResult {
    let suppressions = d
        .suppressed
        .iter()
        .map(|s| SarifSuppression {
            kind: "inSource",
            justification: super::shown_reason(s, redact).to_owned(),
            location: located(s.directive).location(None, None),
        })
        .collect();
    let related_locations = d
        .labels
        .iter()
        .enumerate()
        .map(|(i, label)| located(label.span).location(Some(i + 1), Some(label.message.clone())))
        .collect();
    let mut properties = properties.clone();
    if !d.help.is_empty() {
        properties.insert("help".to_owned(), d.help.clone().into());
    }
    SarifResult {
        rule_id: d.rule.id,
        rule_index: rule_index(d.rule.id),
        level: d.severity.name(),
        message: Message {
            text: d.message.clone(),
        },
        locations: [located(d.span).location(None, None)],
        related_locations,
        suppressions,
        properties,
    }
}

fn verdict_result(
    outcome: &Outcome,
    uri: String,
    mut properties: serde_json::Map<String, serde_json::Value>,
) -> SarifResult {
    let verdict = &outcome.verdict;
    properties.insert(
        "supports".to_owned(),
        verdict.supports.map(Code::as_str).into(),
    );
    properties.insert("in_scope".to_owned(), verdict.in_scope.into());
    // The report's metadata (as output may show it), where it says any.
    if outcome.meta != crate::meta::Meta::default()
        && let Ok(meta) = serde_json::to_value(&outcome.meta)
    {
        properties.insert("meta".to_owned(), meta);
    }
    properties.insert(
        "claimed".to_owned(),
        outcome
            .claimed
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .into(),
    );
    SarifResult {
        rule_id: VERDICT.id,
        rule_index: rules::ALL.len(),
        level: Severity::Note.name(),
        message: Message {
            text: verdict.summary.clone(),
        },
        locations: [at_file(uri)],
        related_locations: Vec::new(),
        suppressions: Vec::new(),
        properties,
    }
}

fn at_file(uri: String) -> Location {
    Location {
        id: None,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri },
            region: Region::file(),
        },
        message: None,
    }
}

/// Bytes left as they are in a relative reference's segments: RFC 3986's
/// unreserved characters. Everything else is percent-encoded, so spaces, `%`,
/// `#`, `?` and a `:` in a first segment cannot change what the URI means.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A display path as a URI reference: relative paths stay relative, with `/`
/// between segments; absolute paths become `file://` URIs (the url crate's,
/// with `.` and `..` segments resolved as RFC 3986 resolves them, since SARIF
/// viewers reject file URIs that keep them: SARIF1002).
fn uri_of(path: &str) -> String {
    let file = Path::new(path);
    if file.is_absolute()
        && let Ok(uri) = Url::from_file_path(file)
        // Parsing the serialisation removes dot segments.
        && let Ok(uri) = Url::parse(uri.as_str())
    {
        return uri.into();
    }
    let separators: &[char] = if cfg!(windows) { &['/', '\\'] } else { &['/'] };
    let segments: Vec<String> = path
        .split(separators)
        .map(|segment| utf8_percent_encode(segment, SEGMENT).to_string())
        .collect();
    segments.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_references() {
        assert_eq!(uri_of("fixtures/reports/a.txt"), "fixtures/reports/a.txt");
        assert_eq!(uri_of("my reports/a,b#1.txt"), "my%20reports/a%2Cb%231.txt");
        assert_eq!(uri_of("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri_of("c:report.txt"), "c%3Areport.txt");
        assert_eq!(uri_of("100%.txt"), "100%25.txt");
        assert_eq!(uri_of("r\u{e9}sum\u{e9}.md"), "r%C3%A9sum%C3%A9.md");
        if !cfg!(windows) {
            assert_eq!(uri_of("/tmp/x y/a.txt"), "file:///tmp/x%20y/a.txt");
            assert_eq!(uri_of("a\\b.txt"), "a%5Cb.txt");
            // Dot segments are resolved in file URIs, kept in relative ones.
            assert_eq!(
                uri_of("/srv/qa/../archive/a.txt"),
                "file:///srv/archive/a.txt"
            );
            assert_eq!(uri_of("/srv/./a.txt"), "file:///srv/a.txt");
            assert_eq!(uri_of("../archive/a.txt"), "../archive/a.txt");
        }
    }

    #[test]
    fn rule_names_are_camel_case() {
        assert_eq!(camel_case("workstation-missing"), "WorkstationMissing");
        assert_eq!(camel_case("input-invalid-utf8"), "InputInvalidUtf8");
        assert_eq!(camel_case("verdict"), "Verdict");
    }

    #[test]
    fn every_rule_has_its_index() {
        for (i, rule) in rules::ALL.iter().enumerate() {
            assert_eq!(rule_index(rule.id), i);
        }
        assert_eq!(rule_index(UNREADABLE), rule_index("input-unreadable"));
        assert!(rules::find(UNREADABLE).is_some());
        assert!(
            rules::find(VERDICT.id).is_none(),
            "verdict would be listed twice"
        );
        assert_eq!(driver_rules().len(), rules::ALL.len() + 1);
    }
}
