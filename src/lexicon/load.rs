//! Loading: TOML files read, checked and merged into one [`Lexicon`].
//!
//! Takes the built-in files (embedded with `include_str!`) and any extra
//! files or folders, parses each into its `raw` shape and hands on the
//! merged [`Lexicon`], or a [`LexiconError`] pointing at the file and byte
//! span that is wrong (an unknown concept, an empty phrase, a bad CPT code).

use super::raw::RawFile;
use super::{
    BundleEntry, Concept, ContextExample, FrameEntry, Lexicon, LexiconError, Origin, ProductEntry,
    SectionEntry, SourceFile, Sourced, TriggerEntry,
};
use crate::span::Span;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The built-in lexicon files, in load order.
const BUILTIN: &[(&str, &str)] = &[
    (
        "lexicon/manifest.toml",
        include_str!("../../lexicon/manifest.toml"),
    ),
    (
        "lexicon/sections.toml",
        include_str!("../../lexicon/sections.toml"),
    ),
    (
        "lexicon/context.toml",
        include_str!("../../lexicon/context.toml"),
    ),
    (
        "lexicon/rendering.toml",
        include_str!("../../lexicon/rendering.toml"),
    ),
    (
        "lexicon/supervision.toml",
        include_str!("../../lexicon/supervision.toml"),
    ),
    (
        "lexicon/workstation.toml",
        include_str!("../../lexicon/workstation.toml"),
    ),
    (
        "lexicon/statements.toml",
        include_str!("../../lexicon/statements.toml"),
    ),
    (
        "lexicon/report.toml",
        include_str!("../../lexicon/report.toml"),
    ),
    (
        "lexicon/bundled.toml",
        include_str!("../../lexicon/bundled.toml"),
    ),
    ("lexicon/meta.toml", include_str!("../../lexicon/meta.toml")),
];

impl Lexicon {
    /// The built-in lexicon.
    pub fn builtin() -> Result<Lexicon, LexiconError> {
        let mut lexicon = Lexicon::default();
        for (name, text) in BUILTIN {
            lexicon.add_file(name, text, true)?;
        }
        Ok(lexicon)
    }

    /// The built-in lexicon plus `extra` files (or every `.toml` in extra folders).
    pub fn with_extra(extra: &[PathBuf]) -> Result<Lexicon, LexiconError> {
        let mut lexicon = Lexicon::builtin()?;
        for path in extra {
            for file in toml_files(path)? {
                let text = std::fs::read_to_string(&file).map_err(|source| LexiconError::Io {
                    path: file.clone(),
                    source,
                })?;
                lexicon.add_file(&file.display().to_string(), &text, false)?;
            }
            if !lexicon.version.ends_with("+local") {
                lexicon.version.push_str("+local");
            }
        }
        Ok(lexicon)
    }

    /// Parse one file and merge it in.
    pub fn add_file(&mut self, name: &str, text: &str, builtin: bool) -> Result<(), LexiconError> {
        let invalid =
            |span: Option<std::ops::Range<usize>>, message: String| LexiconError::Invalid {
                file: name.to_owned(),
                text: text.to_owned(),
                span: span.map(|r| Span::new(r.start, r.end)),
                message,
            };
        let raw: RawFile = toml::from_str(text)
            .map_err(|e| invalid(e.span(), e.message().trim_end().to_owned()))?;
        let file = u16::try_from(self.files.len())
            .map_err(|_| invalid(None, "too many lexicon files".into()))?;
        self.files.push(SourceFile {
            name: name.to_owned(),
            text: text.to_owned(),
            builtin,
        });
        let sourced = |list: Vec<Spanned<String>>| -> Result<Vec<Sourced>, LexiconError> {
            list.into_iter()
                .map(|s| {
                    let r = s.span();
                    let value = s.into_inner();
                    if value.trim().is_empty() {
                        return Err(invalid(Some(r), "empty phrase or pattern".into()));
                    }
                    Ok(Sourced {
                        value,
                        origin: Origin {
                            file,
                            span: Span::new(r.start, r.end),
                        },
                    })
                })
                .collect()
        };

        if let Some(manifest) = raw.lexicon {
            if !builtin {
                return Err(invalid(
                    None,
                    "only the built-in lexicon has a [lexicon] table; remove it".into(),
                ));
            }
            self.version = manifest.version;
            self.cpt_year = manifest.cpt_year;
        }
        for (canonical, variants) in raw.normalize {
            let variants = sourced(variants)?;
            match self.normalize.iter_mut().find(|(c, _)| *c == canonical) {
                Some((_, list)) => list.extend(variants),
                None => self.normalize.push((canonical, variants)),
            }
        }
        for s in raw.section {
            let names = s.names.into_iter().map(|n| n.into_inner()).collect();
            self.sections.push(SectionEntry {
                kind: s.kind,
                names,
                keywords: s.keywords,
            });
        }
        if let Some(sentence) = raw.sentence {
            self.abbreviations.extend(sentence.abbreviations);
            self.continues.extend(sentence.continues);
        }
        if let Some(context) = raw.context {
            if let Some(window) = context.window {
                self.window = window;
            }
            self.finding_prepositions
                .extend(context.finding_prepositions);
            self.determiners.extend(context.determiners);
            self.anaphors.extend(context.anaphors);
        }
        for t in raw.trigger {
            self.triggers.push(TriggerEntry {
                kind: t.kind,
                direction: t.direction,
                window: t.window,
                phrases: sourced(t.phrases)?,
                patterns: sourced(t.patterns)?,
            });
        }
        for (key, entry) in raw.concept {
            let r = entry.span();
            let entry = entry.into_inner();
            let concept = Concept::from_name(&key).ok_or_else(|| {
                let known: Vec<_> = Concept::ALL.iter().map(|c| c.name()).collect();
                invalid(
                    Some(r.clone()),
                    format!(
                        "unknown concept `{key}`; known concepts: {}",
                        known.join(", ")
                    ),
                )
            })?;
            let phrases = sourced(entry.phrases)?;
            let patterns = sourced(entry.patterns)?;
            let target = self.concepts.entry(concept).or_default();
            if entry.replace {
                target.phrases.clear();
                target.patterns.clear();
            }
            if let Some(d) = entry.description {
                target.description = d;
            }
            target.phrases.extend(phrases);
            target.patterns.extend(patterns);
            target.examples.matches.extend(entry.examples.matches);
            target.examples.no_match.extend(entry.examples.no_match);
        }
        for p in raw.product {
            let r = p.name.span();
            let name = p.name.into_inner();
            if self
                .products
                .iter()
                .any(|q| q.name.eq_ignore_ascii_case(&name))
            {
                return Err(invalid(
                    Some(r),
                    format!(
                        "duplicate product `{name}`: add phrases to the existing entry instead"
                    ),
                ));
            }
            self.products.push(ProductEntry {
                name,
                vendor: p.vendor.unwrap_or_default(),
                phrases: sourced(p.phrases)?,
                patterns: sourced(p.patterns)?,
            });
        }
        for b in raw.bundle {
            if self.bundles.iter().any(|x| x.id == *b.id.get_ref()) {
                return Err(invalid(
                    Some(b.id.span()),
                    format!("duplicate bundle id `{}`", b.id.get_ref()),
                ));
            }
            let mut codes = Vec::new();
            for code in b.codes {
                let r = code.span();
                let c = code.into_inner();
                codes.push(parse_code_range(&c).ok_or_else(|| {
                    invalid(
                        Some(r),
                        format!(
                            "`{c}` is not a CPT code (`74175`, `0159T`) or range (`70544-70549`)"
                        ),
                    )
                })?);
            }
            for e in &b.excludes {
                if e != "76376" && e != "76377" {
                    return Err(invalid(
                        None,
                        format!(
                            "bundle `{}` excludes `{e}`; only 76376 and 76377 can be excluded",
                            b.id.get_ref()
                        ),
                    ));
                }
            }
            self.bundles.push(BundleEntry {
                id: b.id.into_inner(),
                label: b.label,
                titles: sourced(b.titles)?,
                patterns: sourced(b.patterns)?,
                codes,
                excludes: b.excludes,
                since: b.since,
                until: b.until,
                source: b.source,
            });
        }
        for (class, kinds) in raw.vocabulary {
            for (kind, phrases) in kinds {
                let phrases = phrases.into_iter().map(|p| p.to_lowercase()).collect();
                self.vocabulary.push((class.clone(), kind, phrases));
            }
        }
        for f in raw.frame {
            let r = f.span();
            let f = f.into_inner();
            self.frames.push(FrameEntry {
                name: f.name,
                pattern: f.pattern,
                denies: f.denies,
                only_supervision: f.only_supervision,
                examples: f.example,
                origin: Origin {
                    file,
                    span: Span::new(r.start, r.end),
                },
            });
        }
        if let Some(meta) = raw.meta {
            if let Some(order) = &meta.date.numeric_order
                && !matches!(order.as_str(), "mdy" | "dmy")
            {
                return Err(invalid(
                    None,
                    format!("[meta.date] numeric_order is `{order}`; write \"mdy\" or \"dmy\""),
                ));
            }
            self.meta.extend(meta);
        }
        if let Some(sense) = raw.sense {
            let b = sense.bare_3d;
            let words = |v: Vec<String>| v.into_iter().map(|w| w.to_lowercase());
            self.bare_3d.not_before.extend(words(b.not_before));
            self.bare_3d.not_after.extend(words(b.not_after));
            self.bare_3d.rendering.extend(b.rendering);
            self.bare_3d.other.extend(b.other);
        }
        if let Some(scope) = raw.scope {
            self.scope_keywords.extend(sourced(scope.keywords)?);
        }
        for e in raw.example {
            let r = e.span();
            let e = e.into_inner();
            let concept = Concept::from_name(&e.concept).ok_or_else(|| {
                invalid(
                    Some(r.clone()),
                    format!("unknown concept `{}` in example", e.concept),
                )
            })?;
            self.examples.push(ContextExample {
                text: e.text,
                concept,
                context: e.context,
                origin: Origin {
                    file,
                    span: Span::new(r.start, r.end),
                },
            });
        }
        Ok(())
    }
}

fn parse_code_range(s: &str) -> Option<(String, String)> {
    let is_code = |c: &str| {
        c.len() == 5
            && c[..4].bytes().all(|b| b.is_ascii_digit())
            && (c.as_bytes()[4].is_ascii_digit() || c.as_bytes()[4] == b'T')
    };
    match s.split_once('-') {
        Some((lo, hi)) if is_code(lo) && is_code(hi) && lo <= hi => Some((lo.into(), hi.into())),
        None if is_code(s) => Some((s.into(), s.into())),
        _ => None,
    }
}

fn toml_files(path: &Path) -> Result<Vec<PathBuf>, LexiconError> {
    let io = |source| LexiconError::Io {
        path: path.to_owned(),
        source,
    };
    if !path.is_dir() {
        std::fs::metadata(path).map_err(io)?;
        return Ok(vec![path.to_owned()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_ranges_parse() {
        assert_eq!(
            parse_code_range("74175"),
            Some(("74175".into(), "74175".into()))
        );
        assert_eq!(
            parse_code_range("0159T"),
            Some(("0159T".into(), "0159T".into()))
        );
        assert_eq!(
            parse_code_range("70544-70549").map(|r| r.1),
            Some("70549".into())
        );
        assert_eq!(parse_code_range("7454"), None);
        assert_eq!(parse_code_range("70549-70544"), None);
    }

    #[test]
    fn unknown_concept_points_into_the_file() {
        let mut lexicon = Lexicon::default();
        let text = "[concept.renderingg]\nphrases = [\"x\"]\n";
        let err = lexicon
            .add_file("extra.toml", text, false)
            .expect_err("must fail");
        match err {
            LexiconError::Invalid { span, message, .. } => {
                assert!(
                    message.contains("unknown concept `renderingg`"),
                    "{message}"
                );
                assert!(span.is_some());
            }
            LexiconError::Io { .. } => panic!("wrong error"),
        }
    }

    #[test]
    fn empty_phrase_is_an_error_at_its_span() {
        let mut lexicon = Lexicon::default();
        let text = "[concept.rendering]\nphrases = [\"3d images\", \"  \"]\n";
        let err = lexicon
            .add_file("extra.toml", text, false)
            .expect_err("must fail");
        match err {
            LexiconError::Invalid { span, message, .. } => {
                assert_eq!(message, "empty phrase or pattern");
                let span = span.expect("span");
                assert_eq!(&text[span.range()], "\"  \"");
            }
            LexiconError::Io { .. } => panic!("wrong error"),
        }
    }

    #[test]
    fn extra_files_cannot_set_the_version() {
        let mut lexicon = Lexicon::default();
        let err = lexicon
            .add_file(
                "x.toml",
                "[lexicon]\nversion = \"9\"\ncpt_year = 2020\n",
                false,
            )
            .expect_err("must fail");
        assert!(err.to_string().contains("[lexicon]"));
    }
}
