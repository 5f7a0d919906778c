//! Walk: the paths on the command line become report inputs, lazily and in a
//! stable order, with the ones that cannot be walked reported rather than
//! dropped.
//!
//! A file named on the command line is checked whatever its extension or the
//! command line's globs, unless a configuration file's globs exclude it
//! (the caller asks [`Filter::wants_named`]); a directory is walked with walkdir, depth-first, each directory's
//! entries sorted by name (so the order is the same on every run and
//! machine), links followed, for `.txt`, `.md` and `.markdown` files that
//! pass `--include`/`--exclude`; `-` is standard input. What cannot be walked
//! is an input of its own, in its place, and the sweep goes on: a link loop,
//! a dangling link, a directory that cannot be listed, a directory named
//! like a report, anything else named like one that is not a regular file.
//! Nothing is collected: the walk holds the sorted listings of the
//! directories it is in (walkdir's), and nothing per report.
//!
//! A directory below the walk's root that holds a configuration file
//! (`radlint.toml`, `.radlint.toml`) opens a scope: the caller is told, and
//! the inputs found below it carry the caller's tag for that scope, so that
//! each report is judged under its nearest configuration, as it is when it is
//! named on the command line. A scope's filter is its enclosing one with the
//! file's globs added: each configuration above a file filters the walk.
//! Scopes open and close by the depth walkdir gives each entry.

use globset::{Glob, GlobSet, GlobSetBuilder};
use std::ffi::OsString;
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
/// below the file's directory). In a path glob `*` and `?` match `/` too
/// (globset's `literal_separator` is off, as it always was here), so
/// `drafts/*` covers the whole `drafts` tree, as `drafts/**` does.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    include: Option<Globs>,
    exclude: Globs,
    /// The configuration files' globs, each anchored at its directory,
    /// outermost first.
    anchored: Vec<Anchored>,
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
            anchored: Vec::new(),
        })
    }

    /// Add a configuration file's globs, relative to `dir`. Its `include`
    /// applies only when the command line gave none. A file is wanted only
    /// when every configuration added lets it through.
    pub fn with_config(
        mut self,
        dir: &Path,
        include: &[String],
        exclude: &[String],
    ) -> Result<Filter, String> {
        self.anchored.push(Anchored {
            dir: std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned()),
            include: Globs::optional(include)?,
            exclude: Globs::new(exclude)?,
        });
        Ok(self)
    }

    /// True when a walked file `rel` below the walk's root (`root`, made
    /// absolute once per walk) should be checked.
    pub fn wants(&self, root: &Path, rel: &Path) -> bool {
        if self.exclude.hit(rel) {
            return false;
        }
        if self.anchored.is_empty() {
            return self.include.as_ref().is_none_or(|inc| inc.hit(rel));
        }
        let abs = root.join(rel);
        let below = |a: &Anchored| abs.strip_prefix(&a.dir).map_or(abs.clone(), Path::to_owned);
        self.anchored.iter().all(|a| {
            let rel_a = below(a);
            !a.exclude.hit(&rel_a)
                && (self.include.is_some() || a.include.as_ref().is_none_or(|inc| inc.hit(&rel_a)))
        }) && self.include.as_ref().is_none_or(|inc| inc.hit(rel))
    }
}

impl Filter {
    /// True when a file named on the command line should be checked: the
    /// configuration files' globs apply to it as to a walked file (so a
    /// pre-commit hook, which names files, and `radlint check .` agree);
    /// the command line's own globs and the extensions filter the walk
    /// only (a file named is wanted whatever its name).
    pub fn wants_named(&self, path: &Path) -> bool {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        self.anchored.iter().all(|a| {
            let rel = abs.strip_prefix(&a.dir).unwrap_or(&abs);
            !a.exclude.hit(rel)
                && (self.include.is_some() || a.include.as_ref().is_none_or(|inc| inc.hit(rel)))
        })
    }
}

fn wanted_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// The inputs named by `paths`, produced lazily, every one under `filter`
/// (configuration files below the paths open no scope).
pub fn inputs(paths: Vec<PathBuf>, filter: Filter) -> impl Iterator<Item = Input> {
    paths.into_iter().flat_map(move |path| {
        scoped(path, (), filter.clone(), |_: &Path, _: &()| Ok(None)).map(|((), input)| input)
    })
}

/// What a walk does at a configuration file below its root, as the caller
/// says: open a scope for the file's directory (its tag, and the filter of
/// the walk below it), carry on in the enclosing scope (`Ok(None)`), or stop
/// the walk (`Err`, once the caller has reported why).
pub type Scope<T> = Result<Option<(T, Filter)>, ()>;

/// The inputs named by `path`, produced lazily, each with the tag of the
/// scope it was found in: `tag` and `filter` at the top, and what `nested`
/// answers for each configuration file found below (called with the file
/// and the enclosing scope's tag).
pub fn scoped<'a, T, F>(
    path: PathBuf,
    tag: T,
    filter: Filter,
    nested: F,
) -> Box<dyn Iterator<Item = (T, Input)> + 'a>
where
    T: Clone + 'a,
    F: FnMut(&Path, &T) -> Scope<T> + 'a,
{
    if path.as_os_str() == "-" {
        return Box::new(std::iter::once((tag, Input::Stdin)));
    }
    match std::fs::metadata(&path) {
        Err(e) => Box::new(std::iter::once((tag, Input::Broken(path, describe(&e))))),
        Ok(meta) if !meta.is_dir() => Box::new(std::iter::once((tag, Input::File(path)))),
        Ok(_) => Box::new(Walk {
            // By name, as `sort_by_file_name` sorts, but comparing whole
            // paths: a directory's entries are its path joined with their
            // names, so the order is the same, and the walk takes half the
            // time (`file_name` splits the path at each comparison).
            entries: WalkDir::new(&path)
                .follow_links(true)
                .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
                .into_iter(),
            // Absolute once per walk, not once per file (a syscall each).
            root_abs: std::path::absolute(&path).unwrap_or_else(|_| path.clone()),
            root: path,
            scopes: vec![Opened {
                depth: 0,
                tag,
                filter,
            }],
            nested,
            dirs: Vec::new(),
            entered: None,
            stopped: false,
        }),
    }
}

/// A walk below one directory: walkdir's entries made inputs, each tagged
/// with the scope it is in.
struct Walk<T, F> {
    entries: walkdir::IntoIter,
    root: PathBuf,
    root_abs: PathBuf,
    /// The scopes the walk is in, innermost last; the first is the root's.
    scopes: Vec<Opened<T>>,
    nested: F,
    /// The directories the walk is in, the root first (index = depth).
    dirs: Vec<Dir>,
    /// The depth of a directory below the root just entered: its
    /// configuration file, if any, opens a scope at its first entry.
    entered: Option<usize>,
    /// The caller stopped the walk.
    stopped: bool,
}

/// A directory the walk is in: its path, and how many of its entries
/// walkdir reported without a path so far.
struct Dir {
    path: PathBuf,
    unnamed: usize,
}

/// A scope: the tag and filter of the inputs below the directory at `depth`
/// (the root's scope has 0, and is never closed).
struct Opened<T> {
    depth: usize,
    tag: T,
    filter: Filter,
}

impl<T: Clone, F: FnMut(&Path, &T) -> Scope<T>> Walk<T, F> {
    /// The innermost scope.
    fn scope(&self) -> &Opened<T> {
        // The root's scope is never closed.
        &self.scopes[self.scopes.len() - 1]
    }

    /// `input`, tagged with the innermost scope.
    fn tagged(&self, input: Input) -> (T, Input) {
        (self.scope().tag.clone(), input)
    }

    /// True when a walked file should be checked.
    fn wanted(&self, path: &Path) -> bool {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        wanted_extension(path) && self.scope().filter.wants(&self.root_abs, rel)
    }

    /// Come to an entry at `depth` (the root is 0): leave the directories
    /// and scopes it is not in, and, if it is the first entry of a
    /// directory just entered, open that directory's scope. False when the
    /// caller stopped the walk there.
    fn arrive(&mut self, depth: usize) -> bool {
        self.dirs.truncate(depth);
        while self.scopes.len() > 1 && self.scope().depth >= depth {
            self.scopes.pop();
        }
        // Looked for at the first entry, not at the directory: one that
        // cannot be listed opens no scope (its error is the outer scope's).
        if depth == 0 || self.entered.take() != Some(depth - 1) {
            return true;
        }
        // The root's own configuration is the caller's: it was found by
        // looking up from the root. Below it, the file that looking up from
        // a report would find: the first name that is a file.
        let Some(file) = self.dirs.get(depth - 1).and_then(|dir| {
            crate::config::FILE_NAMES
                .iter()
                .map(|name| dir.path.join(name))
                .find(|file| file.is_file())
        }) else {
            return true;
        };
        let outer = self.scope().tag.clone();
        match (self.nested)(&file, &outer) {
            Ok(Some((tag, filter))) => self.scopes.push(Opened {
                depth: depth - 1,
                tag,
                filter,
            }),
            Ok(None) => {}
            Err(()) => self.stopped = true,
        }
        !self.stopped
    }

    /// An entry walkdir could not walk, at `depth`, as an input.
    fn broken(&mut self, error: walkdir::Error, depth: usize) -> Input {
        if error.loop_ancestor().is_some() {
            let path = error
                .path()
                .map_or_else(|| self.root.clone(), Path::to_owned);
            return Input::Broken(path, "symbolic link loop; not followed".to_owned());
        }
        let path = error.path().map(Path::to_owned);
        let why = error
            .into_io_error()
            .map_or_else(|| "cannot be walked".to_owned(), |e| describe(&e));
        if let Some(path) = path {
            return Input::Broken(path, why);
        }
        // At depth 0, the root itself (a link to it, opened to check it).
        match depth.checked_sub(1).and_then(|up| self.dirs.get_mut(up)) {
            Some(dir) => {
                dir.unnamed += 1;
                unnamed(&dir.path, dir.unnamed - 1, why)
            }
            None => Input::Broken(self.root.clone(), why),
        }
    }
}

/// The `nth` error walkdir reported without a path in `dir`. walkdir names
/// neither a listing cut short nor a link to a directory that cannot be
/// opened (to check it for a loop); the links are found again here, in name
/// order as walkdir met them, and what is not one of them is the listing.
fn unnamed(dir: &Path, nth: usize, why: String) -> Input {
    let mut links: Vec<OsString> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_symlink()))
        .filter(|e| {
            let path = e.path();
            path.is_dir() && std::fs::File::open(path).is_err()
        })
        .map(|e| e.file_name())
        .collect();
    links.sort_unstable();
    match links.into_iter().nth(nth) {
        Some(name) => Input::Broken(dir.join(name), why),
        None => Input::Broken(
            dir.to_owned(),
            format!("listing stopped early ({why}); the rest not walked"),
        ),
    }
}

impl<T: Clone, F: FnMut(&Path, &T) -> Scope<T>> Iterator for Walk<T, F> {
    type Item = (T, Input);

    fn next(&mut self) -> Option<(T, Input)> {
        while !self.stopped {
            let entry = self.entries.next()?;
            let depth = entry
                .as_ref()
                .map_or_else(walkdir::Error::depth, |e| e.depth());
            if !self.arrive(depth) {
                return None;
            }
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    let input = self.broken(error, depth);
                    return Some(self.tagged(input));
                }
            };
            if entry.file_type().is_dir() {
                self.dirs.push(Dir {
                    path: entry.path().to_owned(),
                    unnamed: 0,
                });
                if depth == 0 {
                    continue;
                }
                self.entered = Some(depth);
                // A directory named like a report is reported (in the scope
                // it was found in), and walked.
                if self.wanted(entry.path()) {
                    let why = "is a directory, not a report".to_owned();
                    return Some(self.tagged(Input::Broken(entry.into_path(), why)));
                }
                continue;
            }
            if !self.wanted(entry.path()) {
                continue;
            }
            let regular = entry.file_type().is_file();
            let path = entry.into_path();
            return Some(self.tagged(if regular {
                Input::File(path)
            } else {
                Input::Broken(path, "not a regular file".into())
            }));
        }
        None
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
mod tests;
