//! The paths named on the command line, before the walk: which are left
//! out (named twice, or excluded by their configuration's globs) and which
//! look like an export passed as a report. Each is said on standard error.

use crate::cli::{CheckArgs, InputKind};
use radlint::walk::Filter;
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// For each named path, true when it is left out: a path named again
/// (`a.txt ./a.txt`) is checked once; a file its configuration's globs
/// leave out is skipped as the walk would skip it (a hook names files; a
/// template repository's README is not a report), unless `--force`.
/// `filter_of` gives the filter of the profile at an index of `of_path`.
pub(super) fn left_out<'a>(
    args: &CheckArgs,
    of_path: &[usize],
    filter_of: impl Fn(usize) -> &'a Filter,
    err: &mut dyn Write,
) -> io::Result<Vec<bool>> {
    let mut out = vec![false; args.paths.len()];
    let mut seen: HashMap<PathBuf, &Path> = HashMap::new();
    for (path, left) in args.paths.iter().zip(&mut out) {
        let Ok(real) = std::fs::canonicalize(path) else {
            continue;
        };
        match seen.get(&real) {
            Some(first) => {
                *left = true;
                writeln!(
                    err,
                    "radlint: note: {} is {} again; checked once",
                    path.display(),
                    first.display()
                )?;
            }
            None => {
                seen.insert(real, path);
            }
        }
    }
    if args.force || args.input != InputKind::Files {
        return Ok(out);
    }
    for ((path, &i), left) in args.paths.iter().zip(of_path).zip(&mut out) {
        let file = path.as_os_str() != "-" && path.is_file();
        if file && !*left && !filter_of(i).wants_named(path) {
            *left = true;
            writeln!(
                err,
                "radlint: note: {} skipped: the configuration's include/exclude leave it out \
                 (--force checks it)",
                path.display()
            )?;
        }
    }
    Ok(out)
}

/// Warn of each file named as a report that looks like a JSON-lines export:
/// it is judged as asked, as one report.
pub(super) fn warn_exports(args: &CheckArgs, err: &mut dyn Write) -> io::Result<()> {
    if args.input != InputKind::Files {
        return Ok(());
    }
    for path in args.paths.iter().filter(|p| looks_like_export(p)) {
        writeln!(
            err,
            "radlint: warning: {} looks like a JSON-lines export; it is judged as one report \
             (to judge one report per line: --input jsonl)",
            path.display()
        )?;
    }
    Ok(())
}

/// True when a file named on the command line is a JSON-lines export by
/// its extension (`.jsonl`, `.ndjson`) or its first line (a JSON object).
fn looks_like_export(path: &Path) -> bool {
    let by_name = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"));
    by_name || {
        use std::io::Read;
        let mut head = [0u8; 256];
        let n = std::fs::File::open(path)
            .and_then(|mut f| f.read(&mut head))
            .unwrap_or(0);
        let head = head[..n]
            .strip_prefix(b"\xef\xbb\xbf")
            .unwrap_or(&head[..n]);
        let first = head.iter().position(|b| !b.is_ascii_whitespace());
        first.is_some_and(|i| head[i..].starts_with(b"{\""))
    }
}
