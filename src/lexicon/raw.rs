//! The lexicon files' TOML shapes, as serde reads them.
//!
//! Takes nothing but a file's text (through `toml::from_str`) and hands on
//! its tables as written, with the spans of the strings an error may need
//! to point at; `load` checks them and merges them into the model.

use super::{Context, Direction, Examples, SectionKind, TriggerKind};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    pub(super) lexicon: Option<RawManifest>,
    #[serde(default)]
    pub(super) normalize: BTreeMap<String, Vec<Spanned<String>>>,
    #[serde(default)]
    pub(super) section: Vec<RawSection>,
    pub(super) sentence: Option<RawSentence>,
    pub(super) context: Option<RawContext>,
    #[serde(default)]
    pub(super) trigger: Vec<RawTrigger>,
    #[serde(default)]
    pub(super) concept: BTreeMap<String, Spanned<RawConcept>>,
    #[serde(default)]
    pub(super) product: Vec<RawProduct>,
    #[serde(default)]
    pub(super) bundle: Vec<RawBundle>,
    #[serde(default)]
    pub(super) example: Vec<Spanned<RawExample>>,
    pub(super) scope: Option<RawScope>,
    pub(super) sense: Option<RawSense>,
    /// class -> kind -> phrases
    #[serde(default)]
    pub(super) vocabulary: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    pub(super) frame: Vec<Spanned<RawFrame>>,
    pub(super) meta: Option<super::MetaLexicon>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFrame {
    pub(super) name: String,
    pub(super) pattern: String,
    #[serde(default)]
    pub(super) denies: bool,
    #[serde(default)]
    pub(super) only_supervision: bool,
    #[serde(default)]
    pub(super) example: Vec<super::FrameExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSense {
    pub(super) bare_3d: RawBare3d,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBare3d {
    pub(super) not_before: Vec<String>,
    pub(super) not_after: Vec<String>,
    #[serde(default)]
    pub(super) rendering: Vec<String>,
    #[serde(default)]
    pub(super) other: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScope {
    pub(super) keywords: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawManifest {
    pub(super) version: String,
    pub(super) cpt_year: u16,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSection {
    pub(super) kind: SectionKind,
    pub(super) names: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) keywords: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSentence {
    #[serde(default)]
    pub(super) abbreviations: Vec<String>,
    #[serde(default)]
    pub(super) continues: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawContext {
    pub(super) window: Option<usize>,
    #[serde(default)]
    pub(super) finding_prepositions: Vec<String>,
    #[serde(default)]
    pub(super) determiners: Vec<String>,
    #[serde(default)]
    pub(super) anaphors: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTrigger {
    pub(super) kind: TriggerKind,
    #[serde(default)]
    pub(super) direction: Direction,
    pub(super) window: Option<u8>,
    #[serde(default)]
    pub(super) phrases: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) patterns: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConcept {
    pub(super) description: Option<String>,
    #[serde(default)]
    pub(super) replace: bool,
    #[serde(default)]
    pub(super) phrases: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) examples: Examples,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProduct {
    pub(super) name: Spanned<String>,
    pub(super) vendor: Option<String>,
    #[serde(default)]
    pub(super) phrases: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) patterns: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBundle {
    pub(super) id: Spanned<String>,
    pub(super) label: String,
    #[serde(default)]
    pub(super) titles: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) codes: Vec<Spanned<String>>,
    pub(super) excludes: Vec<String>,
    pub(super) since: Option<u16>,
    pub(super) until: Option<u16>,
    pub(super) source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExample {
    pub(super) text: String,
    pub(super) concept: String,
    pub(super) context: Context,
}
