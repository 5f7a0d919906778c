//! Walk: the paths on the command line become report inputs, in a stable
//! order, with the ones that cannot be walked reported rather than dropped.
//!
//! A file named on the command line is checked whatever its extension; a
//! directory is walked (links followed, loops reported) for `.txt`, `.md` and
//! `.markdown` files, sorted by path; `-` is standard input.

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

fn wanted(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Expand `paths` into inputs. Each directory's files are sorted by path.
pub fn inputs(paths: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => out.push(Input::Broken(path.clone(), describe(&e))),
            Ok(meta) if !meta.is_dir() => out.push(Input::File(path.clone())),
            Ok(_) => {
                let mut found = Vec::new();
                for entry in WalkDir::new(path).follow_links(true).sort_by_file_name() {
                    match entry {
                        Ok(e) if e.file_type().is_file() && wanted(e.path()) => {
                            found.push(Input::File(e.into_path()))
                        }
                        Ok(e) if e.file_type().is_dir() && e.depth() > 0 && wanted(e.path()) => {
                            found.push(Input::Broken(
                                e.into_path(),
                                "is a directory, not a report".into(),
                            ))
                        }
                        Ok(_) => {}
                        Err(e) => {
                            let p = e.path().map_or_else(|| path.clone(), Path::to_path_buf);
                            let reason = if e.loop_ancestor().is_some() {
                                "symbolic link loop; not followed".to_owned()
                            } else {
                                e.io_error().map_or_else(|| e.to_string(), describe)
                            };
                            found.push(Input::Broken(p, reason));
                        }
                    }
                }
                found.sort_by_key(Input::name);
                out.extend(found);
            }
        }
    }
    out
}

/// An I/O error in words, without the OS error code noise.
pub fn describe(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory (or a dangling link)".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}
