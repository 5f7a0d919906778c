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

/// Warn of each file named as a report that looks like an export (JSON
/// lines, FHIR, HL7): it is judged as asked, as one report.
pub(super) fn warn_exports(args: &CheckArgs, err: &mut dyn Write) -> io::Result<()> {
    if args.input != InputKind::Files {
        return Ok(());
    }
    for path in &args.paths {
        let Some((kind, input)) = export_kind(path) else {
            continue;
        };
        writeln!(
            err,
            "radlint: warning: {} looks like {kind}; it is judged as one report \
             (to judge one report per record: --input {input})",
            path.display()
        )?;
    }
    Ok(())
}

/// What export a file named on the command line looks like, by its
/// extension (`.jsonl`, `.ndjson`, `.hl7`) or its first bytes (a JSON
/// object, a FHIR resource, an MSH or batch header, MLLP framing): a
/// description and the `--input` that reads it.
fn export_kind(path: &Path) -> Option<(&'static str, &'static str)> {
    use std::io::Read;
    let mut head = [0u8; 512];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = head[..n]
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(&head[..n]);
    let first = head
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0x0b);
    let head = first.map_or(&[][..], |i| &head[i..]);
    let ext = |e: &str| path.extension().is_some_and(|x| x.eq_ignore_ascii_case(e));
    let hl7 = [b"MSH|".as_slice(), b"FHS|", b"BHS|"]
        .iter()
        .any(|h| head.starts_with(h));
    if ext("hl7") || hl7 {
        return Some(("an HL7 v2 message file", "hl7"));
    }
    let json = head.starts_with(b"{");
    let fhir = json && head.windows(14).any(|w| w == b"\"resourceType\"");
    if fhir {
        return Some(("a FHIR export", "fhir"));
    }
    (ext("jsonl") || ext("ndjson") || head.starts_with(b"{\""))
        .then_some(("a JSON-lines export", "jsonl"))
}
