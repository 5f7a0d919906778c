//! Walk: the paths on the command line become report inputs, lazily and in a
//! stable order, with the ones that cannot be walked reported rather than
//! dropped.
//!
//! A file named on the command line is checked whatever its extension or the
//! globs; a directory is walked depth-first with each directory's entries
//! sorted by name (so the order is the same on every run and machine), links
//! followed and link loops reported, for `.txt`, `.md` and `.markdown` files
//! that pass `--include`/`--exclude`; `-` is standard input. Nothing is
//! collected: a walk of half a million files holds one directory listing at a
//! time.

use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Extensions a directory walk picks up.
pub const EXTENSIONS: &[&str] = &["txt", "md", "markdown"];

/// One input to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file.
    File(PathBuf),
    /// Standard input.
    Stdin,
    /// A path that could not be walked, and why.
    Broken(PathBuf, String),
}

impl Input {
    /// Display name.
    pub fn name(&self) -> String {
        match self {
            Input::File(p) | Input::Broken(p, _) => p.display().to_string(),
            Input::Stdin => "<stdin>".to_owned(),
        }
    }
}

/// `--include` / `--exclude` globs, and a configuration file's. A glob
/// without `/` matches file names; one with `/` matches the path below the
/// directory given on the command line (or, for a configuration file's globs,
/// below the file's directory).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    include: Option<Globs>,
    exclude: Globs,
    /// A configuration file's globs, anchored at its directory.
    anchored: Option<Anchored>,
}

#[derive(Debug, Clone, Default)]
struct Globs {
    names: GlobSet,
    paths: GlobSet,
}

#[derive(Debug, Clone)]
struct Anchored {
    dir: PathBuf,
    include: Option<Globs>,
    exclude: Globs,
}

impl Globs {
    fn new(globs: &[String]) -> Result<Globs, String> {
        let (mut names, mut paths) = (GlobSetBuilder::new(), GlobSetBuilder::new());
        for g in globs {
            let glob = Glob::new(g).map_err(|e| format!("invalid glob `{g}`: {e}"))?;
            if g.contains('/') {
                paths.add(glob);
            } else {
                names.add(glob);
            }
        }
        let build = |b: GlobSetBuilder| b.build().map_err(|e| e.to_string());
        Ok(Globs {
            names: build(names)?,
            paths: build(paths)?,
        })
    }

    fn optional(globs: &[String]) -> Result<Option<Globs>, String> {
        if globs.is_empty() {
            Ok(None)
        } else {
            Globs::new(globs).map(Some)
        }
    }

    fn hit(&self, rel: &Path) -> bool {
        let name = rel.file_name().map_or(rel, Path::new);
        self.names.is_match(name) || self.paths.is_match(rel)
    }
}

impl Filter {
    /// Build from the command line's globs; an invalid glob is an error naming it.
    pub fn new(include: &[String], exclude: &[String]) -> Result<Filter, String> {
        Ok(Filter {
            include: Globs::optional(include)?,
            exclude: Globs::new(exclude)?,
            anchored: None,
        })
    }

    /// Add a configuration file's globs, relative to `dir`. Its `include`
    /// applies only when the command line gave none.
    pub fn with_config(
        mut self,
        dir: &Path,
        include: &[String],
        exclude: &[String],
    ) -> Result<Filter, String> {
        self.anchored = Some(Anchored {
            dir: std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned()),
            include: Globs::optional(include)?,
            exclude: Globs::new(exclude)?,
        });
        Ok(self)
    }

    /// True when a walked file `rel` below the walk's root (`root`, made
    /// absolute once per walk) should be checked.
    pub fn wants(&self, root: &Path, rel: &Path) -> bool {
        let anchored = self.anchored.as_ref().map(|a| {
            let abs = root.join(rel);
            let rel = abs.strip_prefix(&a.dir).map_or(abs.clone(), Path::to_owned);
            (a, rel)
        });
        if self.exclude.hit(rel) || anchored.as_ref().is_some_and(|(a, r)| a.exclude.hit(r)) {
            return false;
        }
        match (&self.include, &anchored) {
            (Some(inc), _) => inc.hit(rel),
            (None, Some((a, r))) => a.include.as_ref().is_none_or(|inc| inc.hit(r)),
            (None, None) => true,
        }
    }
}

fn wanted_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// The inputs named by `paths`, produced lazily.
pub fn inputs(paths: Vec<PathBuf>, filter: Filter) -> impl Iterator<Item = Input> {
    paths
        .into_iter()
        .flat_map(move |path| expand(path, filter.clone()))
}

fn expand(path: PathBuf, filter: Filter) -> Box<dyn Iterator<Item = Input>> {
    if path.as_os_str() == "-" {
        return Box::new(std::iter::once(Input::Stdin));
    }
    match std::fs::metadata(&path) {
        Err(e) => Box::new(std::iter::once(Input::Broken(path, describe(&e)))),
        Ok(meta) if !meta.is_dir() => Box::new(std::iter::once(Input::File(path))),
        Ok(_) => {
            let root = path.clone();
            // Absolute once per walk, not once per file (a syscall each).
            let root_abs = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
            let walk = WalkDir::new(&path).follow_links(true).sort_by_file_name();
            Box::new(walk.into_iter().filter_map(move |entry| match entry {
                Ok(e) => {
                    let rel = e.path().strip_prefix(&root).unwrap_or(e.path());
                    let candidate =
                        e.depth() > 0 && wanted_extension(e.path()) && filter.wants(&root_abs, rel);
                    if !candidate {
                        None
                    } else if e.file_type().is_dir() {
                        Some(Input::Broken(
                            e.into_path(),
                            "is a directory, not a report".into(),
                        ))
                    } else if e.file_type().is_file() {
                        Some(Input::File(e.into_path()))
                    } else {
                        Some(Input::Broken(e.into_path(), "not a regular file".into()))
                    }
                }
                Err(e) => {
                    let p = e.path().map_or_else(|| root.clone(), Path::to_path_buf);
                    let reason = if e.loop_ancestor().is_some() {
                        "symbolic link loop; not followed".to_owned()
                    } else {
                        e.io_error().map_or_else(|| e.to_string(), describe)
                    };
                    Some(Input::Broken(p, reason))
                }
            }))
        }
    }
}

/// An I/O error in words, without the OS error code noise.
pub fn describe(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory (or a dangling link)".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_names_or_relative_paths() {
        let f = Filter::new(&["*.txt".into()], &["drafts/**".into(), "*-old.txt".into()])
            .expect("valid");
        let wants = |rel: &str| f.wants(Path::new("/root"), Path::new(rel));
        assert!(wants("2024/a.txt"));
        assert!(!wants("2024/a.md"));
        assert!(!wants("drafts/a.txt"));
        assert!(!wants("2024/a-old.txt"));
        assert!(Filter::new(&["[".into()], &[]).is_err());
    }

    #[test]
    fn configuration_globs_are_anchored_at_its_directory() {
        let f = Filter::new(&[], &[])
            .and_then(|f| {
                f.with_config(
                    Path::new("/repo"),
                    &["reports/**".into()],
                    &["*.bak.md".into()],
                )
            })
            .expect("valid");
        // Walking /repo/reports: the walk-relative path is "2024/a.md".
        assert!(f.wants(Path::new("/repo/reports"), Path::new("2024/a.md")));
        assert!(!f.wants(Path::new("/repo/reports"), Path::new("2024/a.bak.md")));
        assert!(!f.wants(Path::new("/repo/other"), Path::new("a.md")));
        // The command line's include replaces the file's.
        let g = Filter::new(&["*.md".into()], &[])
            .and_then(|f| f.with_config(Path::new("/repo"), &["reports/**".into()], &[]))
            .expect("valid");
        assert!(g.wants(Path::new("/repo/other"), Path::new("a.md")));
    }
}
