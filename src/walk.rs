//! Walk: the paths on the command line become report inputs, lazily and in a
//! stable order, with the ones that cannot be walked reported rather than
//! dropped.
//!
//! A file named on the command line is checked whatever its extension or the
//! globs; a directory is walked depth-first with each directory's entries
//! sorted by name (so the order is the same on every run and machine), links
//! followed and link loops reported, for `.txt`, `.md` and `.markdown` files
//! that pass `--include`/`--exclude`; `-` is standard input. Nothing is
//! collected: a walk of half a million files holds the sorted names of the
//! directories it is in, and nothing else.
//!
//! A directory below the walk's root that holds a configuration file
//! (`radlint.toml`, `.radlint.toml`) opens a scope: the caller is told, and
//! the inputs found below it carry the caller's tag for that scope, so that
//! each report is judged under its nearest configuration, as it is when it is
//! named on the command line. A scope's filter is its enclosing one with the
//! file's globs added: each configuration above a file filters the walk.
//!
//! The walk is `std::fs::read_dir` and a stack rather than walkdir: walkdir's
//! sorted mode holds each directory's listing as whole entries (a full path
//! each, about 270 bytes an entry measured), so a sweep's memory grew with
//! the largest folder; here a listing is a name and a file type per entry.

use globset::{Glob, GlobSet, GlobSetBuilder};
use std::ffi::OsString;
use std::fs::FileType;
use std::path::{Path, PathBuf};

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
        Ok(meta) => {
            // Absolute once per walk, not once per file (a syscall each).
            let root_abs = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
            let mut walk = Walk {
                root: path.clone(),
                root_abs,
                scopes: vec![Opened {
                    depth: 0,
                    tag,
                    filter,
                }],
                nested,
                stack: Vec::new(),
                pending: None,
                stopped: false,
            };
            let id = dir_id(&path, &meta);
            walk.enter(path, id);
            Box::new(walk)
        }
    }
}

/// What identifies a directory, to tell a link back to one of its ancestors.
#[cfg(unix)]
type DirId = (u64, u64);
#[cfg(not(unix))]
type DirId = PathBuf;

#[cfg(unix)]
fn dir_id(_path: &Path, meta: &std::fs::Metadata) -> Option<DirId> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn dir_id(path: &Path, _meta: &std::fs::Metadata) -> Option<DirId> {
    std::fs::canonicalize(path).ok()
}

/// A directory being walked: its path, what identifies it, and the entries
/// still to visit.
struct Dir {
    path: PathBuf,
    id: Option<DirId>,
    left: Listing,
}

/// A directory's entries, sorted by name, handed out first to last. On Unix
/// their names lie end to end in one buffer: about 30 bytes an entry, where
/// an `OsString` each costs twice that (the largest folder's listing is
/// what a sweep's memory grows with).
#[derive(Default)]
struct Listing {
    #[cfg(unix)]
    names: Vec<u8>,
    /// Each entry's name (where it starts and ends in `names`) and type,
    /// the last to visit first.
    #[cfg(unix)]
    entries: Vec<(u32, u32, Option<FileType>)>,
    #[cfg(not(unix))]
    entries: Vec<(OsString, Option<FileType>)>,
}

impl Listing {
    /// The listing of `dir`, and the error that cut it short, if one did.
    fn read(dir: &Path) -> std::io::Result<(Listing, Option<std::io::Error>)> {
        let entries = std::fs::read_dir(dir)?;
        Listing::of(entries.map(|e| e.map(|e| (e.file_name(), e.file_type()))))
    }

    /// A listing of `entries`. An entry whose type cannot be read is kept,
    /// its type unknown, so that the walk reports it in its place; an error
    /// of the listing itself ends it, the entries before kept.
    #[allow(clippy::type_complexity)]
    fn of(
        entries: impl Iterator<Item = std::io::Result<(OsString, std::io::Result<FileType>)>>,
    ) -> std::io::Result<(Listing, Option<std::io::Error>)> {
        let mut listing = Listing::default();
        let mut cut = None;
        for entry in entries {
            match entry {
                Ok((name, kind)) => listing.push(name, kind.ok())?,
                Err(e) => {
                    cut = Some(e);
                    break;
                }
            }
        }
        listing.sort();
        Ok((listing, cut))
    }

    #[cfg(unix)]
    fn push(&mut self, name: OsString, kind: Option<FileType>) -> std::io::Result<()> {
        use std::os::unix::ffi::OsStrExt;
        let offset = |n: usize| {
            u32::try_from(n).map_err(|_| std::io::Error::other("over 4 GB of file names"))
        };
        let start = offset(self.names.len())?;
        self.names.extend_from_slice(name.as_bytes());
        self.entries.push((start, offset(self.names.len())?, kind));
        Ok(())
    }

    #[cfg(unix)]
    fn sort(&mut self) {
        let names = &self.names;
        let name =
            |&(start, end, _): &(u32, u32, Option<FileType>)| &names[start as usize..end as usize];
        // Byte order, as `OsStr` orders names on Unix; last first.
        self.entries.sort_unstable_by(|a, b| name(b).cmp(name(a)));
        self.names.shrink_to_fit();
        self.entries.shrink_to_fit();
    }

    /// True when this directory holds an entry named `name`.
    #[cfg(unix)]
    fn holds(&self, name: &str) -> bool {
        self.entries
            .iter()
            .any(|&(start, end, _)| &self.names[start as usize..end as usize] == name.as_bytes())
    }

    #[cfg(unix)]
    fn pop(&mut self) -> Option<(OsString, Option<FileType>)> {
        use std::os::unix::ffi::OsStrExt;
        let (start, end, kind) = self.entries.pop()?;
        let name = std::ffi::OsStr::from_bytes(&self.names[start as usize..end as usize]);
        Some((name.to_owned(), kind))
    }

    #[cfg(not(unix))]
    fn push(&mut self, name: OsString, kind: Option<FileType>) -> std::io::Result<()> {
        self.entries.push((name, kind));
        Ok(())
    }

    #[cfg(not(unix))]
    fn sort(&mut self) {
        self.entries.sort_unstable_by(|a, b| b.0.cmp(&a.0));
        self.entries.shrink_to_fit();
    }

    #[cfg(not(unix))]
    fn holds(&self, name: &str) -> bool {
        self.entries.iter().any(|(n, _)| n == name)
    }

    #[cfg(not(unix))]
    fn pop(&mut self) -> Option<(OsString, Option<FileType>)> {
        self.entries.pop()
    }
}

/// A depth-first walk below one directory, each directory's entries in name
/// order, links followed.
struct Walk<T, F> {
    root: PathBuf,
    root_abs: PathBuf,
    /// The scopes the walk is in, innermost last; the first is the root's.
    scopes: Vec<Opened<T>>,
    nested: F,
    stack: Vec<Dir>,
    /// An input to hand on before the next entry (a directory that could
    /// not be listed).
    pending: Option<Input>,
    /// The caller stopped the walk.
    stopped: bool,
}

/// A scope: the tag and filter of the inputs below the directory at `depth`
/// in the walk's stack (counting from 1; the root's scope has 0).
struct Opened<T> {
    depth: usize,
    tag: T,
    filter: Filter,
}

impl<T: Clone, F: FnMut(&Path, &T) -> Scope<T>> Walk<T, F> {
    /// Start walking the directory `path` (identified by `id`): list it,
    /// or note why it cannot be; below the root, a configuration file in it
    /// may open a scope.
    fn enter(&mut self, path: PathBuf, id: Option<DirId>) {
        let left = match Listing::read(&path) {
            Ok((left, None)) => left,
            Ok((left, Some(e))) => {
                // Reported before the entries it did list, which are walked.
                let why = format!(
                    "listing stopped early ({}); the rest not walked",
                    describe(&e)
                );
                self.pending = Some(Input::Broken(path.clone(), why));
                left
            }
            Err(e) => {
                self.pending = Some(Input::Broken(path, describe(&e)));
                return;
            }
        };
        // The root's own configuration is the caller's: it was found by
        // looking up from the root. Below it, the file that looking up from
        // a report would find: the first name held that is a file.
        let config = if self.stack.is_empty() {
            None
        } else {
            crate::config::FILE_NAMES
                .iter()
                .filter(|name| left.holds(name))
                .map(|name| path.join(name))
                .find(|file| file.is_file())
        };
        self.stack.push(Dir { path, id, left });
        if let Some(file) = config {
            let outer = self.scope().tag.clone();
            match (self.nested)(&file, &outer) {
                Ok(Some((tag, filter))) => self.scopes.push(Opened {
                    depth: self.stack.len(),
                    tag,
                    filter,
                }),
                Ok(None) => {}
                Err(()) => self.stopped = true,
            }
        }
    }

    /// The innermost scope.
    fn scope(&self) -> &Opened<T> {
        // The root's scope is never closed.
        &self.scopes[self.scopes.len() - 1]
    }

    /// Leave the innermost directory, and the scope it opened.
    fn leave(&mut self) {
        self.stack.pop();
        if self.scopes.len() > 1 && self.scope().depth > self.stack.len() {
            self.scopes.pop();
        }
    }

    /// True when a walked file should be checked.
    fn wanted(&self, path: &Path) -> bool {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        wanted_extension(path) && self.scope().filter.wants(&self.root_abs, rel)
    }

    /// `input`, tagged with the innermost scope.
    fn tagged(&self, input: Input) -> (T, Input) {
        (self.scope().tag.clone(), input)
    }
}

impl<T: Clone, F: FnMut(&Path, &T) -> Scope<T>> Iterator for Walk<T, F> {
    type Item = (T, Input);

    fn next(&mut self) -> Option<(T, Input)> {
        loop {
            if let Some(input) = self.pending.take() {
                return Some(self.tagged(input));
            }
            if self.stopped {
                return None;
            }
            let dir = self.stack.last_mut()?;
            let Some((name, kind)) = dir.left.pop() else {
                self.leave();
                continue;
            };
            let path = dir.path.join(&name);
            // A type the listing could not give (a file gone since, on a
            // file system that does not list types) is asked for here.
            let kind = match kind.map_or_else(
                || std::fs::symlink_metadata(&path).map(|m| m.file_type()),
                Ok,
            ) {
                Ok(kind) => kind,
                Err(e) => return Some(self.tagged(Input::Broken(path, describe(&e)))),
            };
            let meta = if kind.is_symlink() || kind.is_dir() {
                match std::fs::metadata(&path) {
                    Ok(meta) => Some(meta),
                    Err(e) => return Some(self.tagged(Input::Broken(path, describe(&e)))),
                }
            } else {
                None
            };
            let kind = meta.as_ref().map_or(kind, std::fs::Metadata::file_type);
            if let Some(meta) = meta.filter(|m| m.is_dir()) {
                let id = dir_id(&path, &meta);
                if id.is_some() && self.stack.iter().any(|d| d.id == id) {
                    return Some(self.tagged(Input::Broken(
                        path,
                        "symbolic link loop; not followed".to_owned(),
                    )));
                }
                // A directory named like a report is reported (in the scope
                // it was found in), and walked.
                if self.wanted(&path) {
                    let report = self.tagged(Input::Broken(
                        path.clone(),
                        "is a directory, not a report".into(),
                    ));
                    self.enter(path, id);
                    return Some(report);
                }
                self.enter(path, id);
                continue;
            }
            if !self.wanted(&path) {
                continue;
            }
            return Some(self.tagged(if kind.is_file() {
                Input::File(path)
            } else {
                Input::Broken(path, "not a regular file".into())
            }));
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

    /// A temporary tree holding `files` (each "report"), directories made
    /// as their paths need.
    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, "report").expect("write");
        }
        dir
    }

    /// An input as a test compares it: its path below `root`, and why it is
    /// broken if it is.
    fn shown(root: &Path, input: &Input) -> String {
        let name = input.name();
        let rel = name
            .strip_prefix(&root.display().to_string())
            .unwrap_or(&name);
        match input {
            Input::Broken(_, why) => format!("{rel} ({why})"),
            _ => rel.to_owned(),
        }
    }

    #[test]
    fn walks_depth_first_in_name_order() {
        let dir = tree(&[
            "b/z.txt",
            "b/a.md",
            "a.txt",
            "c.txt/inner.txt",
            "B.txt",
            "b/skip.pdf",
        ]);
        let root = dir.path();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root, root.join("b").join("back")).expect("link");
        let seen: Vec<String> = inputs(vec![root.to_owned()], Filter::default())
            .map(|input| shown(root, &input))
            .collect();
        let mut expected = vec![
            "/B.txt",
            "/a.txt",
            "/b/a.md",
            "/b/back (symbolic link loop; not followed)",
            "/b/z.txt",
            "/c.txt (is a directory, not a report)",
            "/c.txt/inner.txt",
        ];
        if cfg!(not(unix)) {
            expected.retain(|e| !e.contains("back"));
        }
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_configuration_below_the_root_opens_a_scope_for_its_directory() {
        let dir = tree(&[
            "radlint.toml",
            "a.txt",
            "b/.radlint.toml",
            "b/c/radlint.toml",
            "b/c/x.txt",
            "b/c/y.md",
            "b/d/x.txt",
            "b/x.txt",
            "e/radlint.toml/x.txt",
            "e/x.txt",
            "g/radlint.toml/x.md",
            "g/.radlint.toml",
            "f/radlint.toml",
            "f/x.txt",
        ]);
        let root = dir.path();
        let mut opened = Vec::new();
        let seen: Vec<(String, String)> = scoped(
            root.to_owned(),
            "root".to_owned(),
            Filter::default(),
            |file: &Path, outer: &String| {
                let rel = file.strip_prefix(root).expect("below the root");
                opened.push((rel.display().to_string(), outer.clone()));
                match rel.parent().and_then(Path::to_str) {
                    // f/ is left in the scope around it.
                    Some("f") => Ok(None),
                    // c/ keeps only markdown.
                    Some(dir) if dir.ends_with('c') => Ok(Some((
                        dir.to_owned(),
                        Filter::new(&[], &["*.txt".into()]).expect("valid"),
                    ))),
                    Some(dir) => Ok(Some((dir.to_owned(), Filter::default()))),
                    None => unreachable!(),
                }
            },
        )
        .map(|(tag, input)| (shown(root, &input), tag))
        .collect();
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect()
        };
        assert_eq!(
            seen,
            pairs(&[
                ("/a.txt", "root"),
                ("/b/c/y.md", "b/c"),
                ("/b/d/x.txt", "b"),
                ("/b/x.txt", "b"),
                ("/e/radlint.toml/x.txt", "root"),
                ("/e/x.txt", "root"),
                ("/f/x.txt", "root"),
                ("/g/radlint.toml/x.md", "g"),
            ])
        );
        // `.radlint.toml` counts; the root's file and a directory named like
        // one do not (g/ has both: its file is the one that counts); the
        // nested scope is asked with its enclosing tag.
        assert_eq!(
            opened,
            pairs(&[
                ("b/.radlint.toml", "root"),
                ("b/c/radlint.toml", "b"),
                ("f/radlint.toml", "root"),
                ("g/.radlint.toml", "root"),
            ])
        );
        // An error stops the walk where it is.
        let stopped: Vec<String> = scoped(
            root.to_owned(),
            (),
            Filter::default(),
            |_: &Path, _: &()| Err(()),
        )
        .map(|((), input)| input.name())
        .collect();
        assert_eq!(stopped, [root.join("a.txt").display().to_string()]);
    }

    #[test]
    fn an_entry_or_a_listing_that_fails_is_reported_and_the_rest_walked() {
        let dir = tree(&["here.txt", "sub/x.txt"]);
        let root = dir.path();
        let file = std::fs::metadata(root.join("here.txt"))
            .expect("stat")
            .file_type();
        let gone = || std::io::Error::from(std::io::ErrorKind::NotFound);
        // As a file system without types in its listings gives them: a
        // file removed after the listing, one still there, a directory; then
        // the listing fails, and what would follow is never read.
        let entries = vec![
            Ok((OsString::from("here.txt"), Ok(file))),
            Ok((OsString::from("gone.txt"), Err(gone()))),
            Ok((OsString::from("sub"), Err(gone()))),
            Err(std::io::Error::other("input/output error")),
            Ok((OsString::from("after.txt"), Ok(file))),
        ];
        let (left, cut) = Listing::of(entries.into_iter()).expect("a listing");
        assert_eq!(
            cut.map(|e| e.to_string()).as_deref(),
            Some("input/output error")
        );
        let mut walk = Walk {
            root: root.to_owned(),
            root_abs: root.to_owned(),
            scopes: vec![Opened {
                depth: 0,
                tag: (),
                filter: Filter::default(),
            }],
            nested: |_: &Path, _: &()| Ok(None),
            stack: vec![Dir {
                path: root.to_owned(),
                id: None,
                left,
            }],
            pending: None,
            stopped: false,
        };
        let seen: Vec<String> = walk
            .by_ref()
            .map(|((), input)| shown(root, &input))
            .collect();
        assert_eq!(
            seen,
            [
                "/gone.txt (no such file or directory (or a dangling link))",
                "/here.txt",
                "/sub/x.txt",
            ]
        );
    }

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
