//! Project configuration: `radlint.toml` or `.radlint.toml`.
//!
//! Found by walking up from each checked path (the first directory holding
//! either file wins; `radlint.toml` before `.radlint.toml`), and, in a walk,
//! below it: a subdirectory's file governs the reports under it (see
//! [`crate::walk`]); or named with `--config`; `--no-config` ignores them. Paths and globs in the file are
//! relative to the file's directory. Every key is optional:
//!
//! ```toml
//! include = ["reports/**"]          # walked files to check (default: every .txt/.md)
//! exclude = ["drafts/**", "*.bak.md"]
//! lexicon = ["lexicon/local.toml"]  # added to the built-in lexicon
//! template = false                  # judge every report as a template
//! cpt_year = 2026
//!
//! [[claim]]                         # the code claimed for matching files
//! paths = ["templates/ct-3d-*.md"]  # the last matching [[claim]] wins
//! code = "76377"
//!
//! [rules]                           # "off", "error", "warning" or "note"
//! supervision-not-concurrent = "error"
//! indication-rule-out-only = "off"
//! ```
//!
//! Unknown keys and bad values are errors pointing into the file. Command-
//! line options override the file: `--claim`, `--cpt-year`, `--include` and
//! `--template` replace its values; `--exclude` and `--lexicon` add to them.
//! Rule levels change what is reported and the exit status, never a verdict.

use crate::rules::{self, Level, Levels};
use crate::span::{LineIndex, Span};
use crate::verdict::Code;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// File names looked for, in order, in each directory.
pub const FILE_NAMES: [&str; 2] = ["radlint.toml", ".radlint.toml"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    include: Option<Spanned<Vec<Spanned<String>>>>,
    exclude: Option<Spanned<Vec<Spanned<String>>>>,
    lexicon: Option<Spanned<Vec<Spanned<String>>>>,
    template: Option<Spanned<bool>>,
    cpt_year: Option<Spanned<u16>>,
    #[serde(default)]
    claim: Vec<Spanned<RawClaim>>,
    #[serde(default)]
    rules: BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaim {
    paths: Vec<Spanned<String>>,
    code: Spanned<String>,
}

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// radlint's default.
    Default,
    /// A command-line option.
    Flag(&'static str),
    /// A line of a configuration file.
    File(PathBuf, usize),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::Flag(flag) => write!(f, "{flag}"),
            Origin::File(path, line) => write!(f, "{}:{line}", path.display()),
        }
    }
}

/// A value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Valued<T> {
    /// The value.
    pub value: T,
    /// Its origin.
    pub origin: Origin,
}

impl<T> Valued<T> {
    fn default(value: T) -> Valued<T> {
        Valued {
            value,
            origin: Origin::Default,
        }
    }
}

/// One `[[claim]]`.
#[derive(Clone, Debug)]
pub struct ClaimRule {
    /// The globs, as written.
    pub paths: Vec<String>,
    /// The code.
    pub code: Code,
    /// Where.
    pub origin: Origin,
    set: GlobSet,
}

/// A configuration file, read and checked.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file (absolute).
    pub path: Option<PathBuf>,
    /// Globs of walked files to check.
    pub include: Option<Valued<Vec<String>>>,
    /// Globs of walked files to skip.
    pub exclude: Option<Valued<Vec<String>>>,
    /// Extra lexicon files (absolute).
    pub lexicon: Option<Valued<Vec<PathBuf>>>,
    /// Template mode.
    pub template: Option<Valued<bool>>,
    /// CPT year.
    pub cpt_year: Option<Valued<u16>>,
    /// Claims per glob, in file order.
    pub claims: Vec<ClaimRule>,
    /// Rule levels.
    pub rules: BTreeMap<&'static str, Valued<Level>>,
}

/// A configuration file that cannot be used; `span` points into `text`.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", file.display())]
pub struct ConfigError {
    /// The file.
    pub file: PathBuf,
    /// Its text (empty when it could not be read).
    pub text: String,
    /// Where, when known.
    pub span: Option<Span>,
    /// What is wrong.
    pub message: String,
}

impl Config {
    /// Read and check one file.
    pub fn load(file: &Path) -> Result<Config, ConfigError> {
        let file = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
        let text = std::fs::read_to_string(&file).map_err(|e| ConfigError {
            file: file.clone(),
            text: String::new(),
            span: None,
            message: format!("cannot read: {e}"),
        })?;
        Config::parse(&file, text)
    }

    /// Check `text` as the contents of `file`.
    pub fn parse(file: &Path, text: String) -> Result<Config, ConfigError> {
        let error = |span: Option<std::ops::Range<usize>>, message: String| ConfigError {
            file: file.to_owned(),
            text: text.clone(),
            span: span.map(|r| Span::new(r.start, r.end)),
            message,
        };
        let raw: Raw = toml::from_str(&text)
            .map_err(|e| error(e.span(), e.message().trim_end().to_owned()))?;
        let dir = file.parent().unwrap_or(Path::new(".")).to_owned();
        let index = LineIndex::new(&text);
        let origin = |span: std::ops::Range<usize>| {
            Origin::File(file.to_owned(), index.line_col(&text, span.start as u32).0)
        };
        let globs =
            |list: Spanned<Vec<Spanned<String>>>| -> Result<Valued<Vec<String>>, ConfigError> {
                let at = origin(list.span());
                let mut out = Vec::new();
                for g in list.into_inner() {
                    if let Err(e) = Glob::new(g.get_ref()) {
                        return Err(error(Some(g.span()), format!("invalid glob: {}", e.kind())));
                    }
                    out.push(g.into_inner());
                }
                Ok(Valued {
                    value: out,
                    origin: at,
                })
            };
        let mut config = Config {
            path: Some(file.to_owned()),
            ..Config::default()
        };
        if let Some(list) = raw.include {
            config.include = Some(globs(list)?);
        }
        if let Some(list) = raw.exclude {
            config.exclude = Some(globs(list)?);
        }
        if let Some(list) = raw.lexicon {
            let at = origin(list.span());
            let mut paths = Vec::new();
            for p in list.into_inner() {
                let path = dir.join(p.get_ref());
                if !path.exists() {
                    return Err(error(
                        Some(p.span()),
                        format!("no lexicon file or directory at {}", path.display()),
                    ));
                }
                paths.push(path);
            }
            config.lexicon = Some(Valued {
                value: paths,
                origin: at,
            });
        }
        if let Some(t) = raw.template {
            config.template = Some(Valued {
                origin: origin(t.span()),
                value: t.into_inner(),
            });
        }
        if let Some(y) = raw.cpt_year {
            if !(2006..=2100).contains(y.get_ref()) {
                return Err(error(Some(y.span()), "a CPT year from 2006 to 2100".into()));
            }
            config.cpt_year = Some(Valued {
                origin: origin(y.span()),
                value: y.into_inner(),
            });
        }
        for claim in raw.claim {
            let at = claim.span();
            let claim = claim.into_inner();
            let code = Code::parse(claim.code.get_ref()).ok_or_else(|| {
                error(
                    Some(claim.code.span()),
                    "a claimed code is \"76376\" or \"76377\"".into(),
                )
            })?;
            if claim.paths.is_empty() {
                return Err(error(
                    Some(at),
                    "a [[claim]] needs at least one glob in `paths`".into(),
                ));
            }
            let mut set = GlobSetBuilder::new();
            let mut paths = Vec::new();
            for g in claim.paths {
                let glob = Glob::new(g.get_ref())
                    .map_err(|e| error(Some(g.span()), format!("invalid glob: {}", e.kind())))?;
                set.add(glob);
                paths.push(g.into_inner());
            }
            let set = set
                .build()
                .map_err(|e| error(Some(at.clone()), format!("invalid globs: {e}")))?;
            config.claims.push(ClaimRule {
                paths,
                code,
                origin: origin(at),
                set,
            });
        }
        for (id, level) in raw.rules {
            let rule = rules::find(&id).ok_or_else(|| {
                error(
                    Some(level.span()),
                    format!("`{id}` is not a rule id (see `radlint rules`)"),
                )
            })?;
            let value = Level::parse(level.get_ref()).ok_or_else(|| {
                error(
                    Some(level.span()),
                    "a rule level is \"off\", \"error\", \"warning\" or \"note\"".into(),
                )
            })?;
            config.rules.insert(
                rule.id,
                Valued {
                    value,
                    origin: origin(level.span()),
                },
            );
        }
        Ok(config)
    }

    /// The directory paths in the file are relative to.
    pub fn dir(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }

    /// The code claimed for `path` by the last matching `[[claim]]`.
    pub fn claim_for(&self, path: &Path) -> Option<&ClaimRule> {
        if self.claims.is_empty() {
            return None;
        }
        let dir = self.dir()?;
        let abs = std::path::absolute(path).ok()?;
        let rel = abs.strip_prefix(dir).ok()?;
        self.claims.iter().rev().find(|c| c.set.is_match(rel))
    }

    /// The rule levels, for [`crate::CheckOptions`].
    pub fn levels(&self) -> Levels {
        self.rules.iter().map(|(id, v)| (*id, v.value)).collect()
    }
}

/// The nearest configuration file at or above `path`.
pub fn find_file(path: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(path).ok()?;
    let start = if abs.is_dir() {
        abs.as_path()
    } else {
        abs.parent()?
    };
    start.ancestors().find_map(|dir| {
        FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|f| f.is_file())
    })
}

/// A TOML string.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// The effective configuration, as TOML with each value's origin in a
/// comment: what `radlint config --show` prints.
pub struct Effective {
    /// The configuration file, if any.
    pub file: Option<PathBuf>,
    /// `include`.
    pub include: Valued<Vec<String>>,
    /// `exclude`.
    pub exclude: Valued<Vec<String>>,
    /// `lexicon`.
    pub lexicon: Valued<Vec<PathBuf>>,
    /// `template`.
    pub template: Valued<bool>,
    /// `cpt_year` (None: the lexicon's).
    pub cpt_year: Valued<Option<u16>>,
    /// A code claimed on the command line, over every `[[claim]]`.
    pub claim: Option<Valued<Code>>,
    /// `[[claim]]`.
    pub claims: Vec<ClaimRule>,
    /// `[rules]`.
    pub rules: BTreeMap<&'static str, Valued<Level>>,
}

/// A list from the file with the command line's items added; its origin is
/// the file's line when the file set it, else the flag.
fn appended<T: Clone>(
    file: &Option<Valued<Vec<T>>>,
    flag: &[T],
    name: &'static str,
) -> Valued<Vec<T>> {
    let mut list = file.clone().unwrap_or_else(|| Valued::default(Vec::new()));
    if !flag.is_empty() {
        list.value.extend(flag.iter().cloned());
        if list.origin == Origin::Default {
            list.origin = Origin::Flag(name);
        }
    }
    list
}

/// What the command line says, for merging over a file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--include`.
    pub include: Vec<String>,
    /// `--exclude`.
    pub exclude: Vec<String>,
    /// `--lexicon`.
    pub lexicon: Vec<PathBuf>,
    /// `--template`.
    pub template: bool,
    /// `--cpt-year`.
    pub cpt_year: Option<u16>,
    /// `--claim`.
    pub claim: Option<Code>,
}

impl Effective {
    /// The file's values under the command line's.
    pub fn merge(config: &Config, flags: &Overrides) -> Effective {
        let include = if flags.include.is_empty() {
            config
                .include
                .clone()
                .unwrap_or_else(|| Valued::default(Vec::new()))
        } else {
            Valued {
                value: flags.include.clone(),
                origin: Origin::Flag("--include"),
            }
        };
        let exclude = appended(&config.exclude, &flags.exclude, "--exclude");
        let lexicon = appended(&config.lexicon, &flags.lexicon, "--lexicon");
        let template = if flags.template {
            Valued {
                value: true,
                origin: Origin::Flag("--template"),
            }
        } else {
            config
                .template
                .clone()
                .unwrap_or_else(|| Valued::default(false))
        };
        let cpt_year = match (flags.cpt_year, &config.cpt_year) {
            (Some(y), _) => Valued {
                value: Some(y),
                origin: Origin::Flag("--cpt-year"),
            },
            (None, Some(v)) => Valued {
                value: Some(v.value),
                origin: v.origin.clone(),
            },
            (None, None) => Valued::default(None),
        };
        Effective {
            file: config.path.clone(),
            include,
            exclude,
            lexicon,
            template,
            cpt_year,
            claim: flags.claim.map(|c| Valued {
                value: c,
                origin: Origin::Flag("--claim"),
            }),
            claims: config.claims.clone(),
            rules: config.rules.clone(),
        }
    }

    /// As TOML, each value followed by its origin.
    pub fn render(&self, lexicon_cpt_year: u16) -> String {
        let mut out = String::new();
        let mut line = |key: &str, value: String, origin: &dyn std::fmt::Display| {
            out.push_str(&format!("{key} = {value}  # {origin}\n"));
        };
        let paths: Vec<String> = self
            .lexicon
            .value
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        if self.include.value.is_empty() {
            // Empty means no glob narrows the walk: say what it picks up.
            line(
                "include",
                "[]".into(),
                &"default: every .txt, .md and .markdown file",
            );
        } else {
            line("include", list(&self.include.value), &self.include.origin);
        }
        line("exclude", list(&self.exclude.value), &self.exclude.origin);
        line("lexicon", list(&paths), &self.lexicon.origin);
        line(
            "template",
            self.template.value.to_string(),
            &self.template.origin,
        );
        match self.cpt_year.value {
            Some(y) => line("cpt_year", y.to_string(), &self.cpt_year.origin),
            None => line(
                "cpt_year",
                lexicon_cpt_year.to_string(),
                &Origin::Flag("the lexicon's"),
            ),
        }
        let mut out = format!(
            "# configuration file: {}\n{out}",
            self.file
                .as_ref()
                .map_or("none".to_owned(), |f| f.display().to_string())
        );
        if let Some(claim) = &self.claim {
            out.push_str(&format!(
                "# every report is judged against {} ({}), over any [[claim]]\n",
                claim.value.as_str(),
                claim.origin
            ));
        }
        for c in &self.claims {
            out.push_str(&format!(
                "\n[[claim]]  # {}\npaths = {}\ncode = {}\n",
                c.origin,
                list(&c.paths),
                quote(c.code.as_str())
            ));
        }
        out.push_str("\n[rules]\n");
        for rule in rules::ALL {
            let (level, origin) = match self.rules.get(rule.id) {
                Some(v) => (v.value, v.origin.clone()),
                None => (Level::At(rule.severity), Origin::Default),
            };
            out.push_str(&format!(
                "{} = {}  # {origin}\n",
                rule.id,
                quote(level.name())
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("/repo/radlint.toml"), text.to_owned())
    }

    #[test]
    fn reads_every_key() {
        let c = parse(
            "include = [\"reports/**\"]\nexclude = [\"drafts/**\"]\ntemplate = true\ncpt_year = 2025\n\
             [[claim]]\npaths = [\"templates/ct-3d-*.md\"]\ncode = \"76377\"\n\
             [rules]\nfindings-missing = \"warning\"\nsupervision-not-concurrent = \"off\"\n",
        )
        .expect("ok");
        assert_eq!(c.include.expect("ok").value, ["reports/**"]);
        assert_eq!(
            c.template.expect("ok").origin,
            Origin::File("/repo/radlint.toml".into(), 3)
        );
        assert_eq!(c.cpt_year.expect("ok").value, 2025);
        assert_eq!(c.claims[0].code, Code::C76377);
        assert_eq!(
            c.rules["findings-missing"].value,
            Level::At(rules::Severity::Warning)
        );
        assert_eq!(c.rules["supervision-not-concurrent"].value, Level::Off);
    }

    #[test]
    fn the_command_line_replaces_scalars_and_adds_to_lists() {
        let c =
            parse("include = [\"a/**\"]\nexclude = [\"b/**\"]\ncpt_year = 2025\n").expect("valid");
        let flags = Overrides {
            include: vec!["*.md".into()],
            exclude: vec!["*.bak".into()],
            cpt_year: Some(2026),
            ..Overrides::default()
        };
        let e = Effective::merge(&c, &flags);
        assert_eq!(e.include.value, ["*.md"]);
        assert_eq!(e.include.origin, Origin::Flag("--include"));
        assert_eq!(e.exclude.value, ["b/**", "*.bak"]);
        assert_eq!(
            e.exclude.origin,
            Origin::File("/repo/radlint.toml".into(), 2)
        );
        assert_eq!(e.cpt_year.value, Some(2026));
        let bare = Effective::merge(&Config::default(), &flags);
        assert_eq!(bare.exclude.origin, Origin::Flag("--exclude"));
        assert_eq!(bare.lexicon.origin, Origin::Default);
    }

    #[test]
    fn errors_point_at_the_value() {
        for (text, culprit, says) in [
            ("colour = true\n", "colour", "unknown field"),
            (
                "[rules]\nno-such-rule = \"off\"\n",
                "\"off\"",
                "not a rule id",
            ),
            (
                "[rules]\nfindings-missing = \"loud\"\n",
                "\"loud\"",
                "rule level",
            ),
            (
                "[[claim]]\npaths = [\"a\"]\ncode = \"76370\"\n",
                "\"76370\"",
                "76376",
            ),
            ("exclude = [\"a/[\"]\n", "\"a/[\"", "invalid glob"),
            ("template = \"yes\"\n", "\"yes\"", "bool"),
        ] {
            let e = parse(text).expect_err("an error");
            let span = e.span.expect("a span");
            assert!(
                text[span.range()].contains(culprit),
                "{text}: {:?}",
                &text[span.range()]
            );
            assert!(e.message.contains(says), "{text}: {}", e.message);
        }
    }
}
