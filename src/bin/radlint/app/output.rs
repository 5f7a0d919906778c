//! `--output FILE`: the sweep written to a temporary file beside FILE and
//! renamed into place once complete, so an interrupted sweep leaves FILE as
//! it was; never onto a report the sweep reads.

use super::Exit;
use super::check::check_to;
use crate::cli::CheckArgs;
use radlint::walk;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub(super) fn check(
    args: &CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Exit> {
    let Some(path) = &args.output else {
        return check_to(args, out, err);
    };
    if let Some(report) = reads_itself(args, path) {
        writeln!(
            err,
            "error: --output {} is {}, a report this check reads; radlint never writes to a report",
            path.display(),
            report.display()
        )?;
        return Ok(Exit::Usage);
    }
    // A temporary file in the same directory, renamed over FILE only once the
    // output is complete and on disk: an interrupted sweep leaves FILE as it
    // was (and, if killed, a stray `.radlint-*` file beside it).
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let temp = match temp_beside(path, dir) {
        Ok(t) => t,
        Err(e) => {
            writeln!(
                err,
                "error: cannot write {}: {}",
                path.display(),
                walk::describe(&e)
            )?;
            return Ok(Exit::Usage);
        }
    };
    let mut writer = io::BufWriter::new(temp.as_file());
    let exit = check_to(args, &mut writer, err)?;
    writer.flush()?;
    drop(writer);
    if exit == Exit::Usage {
        return Ok(exit);
    }
    temp.as_file().sync_all()?;
    if let Err(e) = temp.persist(path) {
        writeln!(
            err,
            "error: cannot write {}: {}",
            path.display(),
            walk::describe(&e.error)
        )?;
        return Ok(Exit::Usage);
    }
    Ok(exit)
}

/// The report `--output` would overwrite, if any: a file named on the
/// command line, or a report file under a directory named there.
fn reads_itself(args: &CheckArgs, output: &Path) -> Option<PathBuf> {
    let target = std::fs::canonicalize(output).ok()?;
    let report_like = walk::EXTENSIONS.iter().any(|x| {
        target
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(x))
    });
    args.paths.iter().find_map(|p| {
        let p = std::fs::canonicalize(p).ok()?;
        let hit = p == target || (report_like && p.is_dir() && target.starts_with(&p));
        hit.then(|| target.clone())
    })
}

/// A temporary file in `dir` that will become `path`, with the mode `path`
/// has, or else the mode a new file gets (0666 less the umask), not the
/// owner-only mode of a temporary file: a QA report on a shared drive is
/// for others to read.
pub(super) fn temp_beside(path: &Path, dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".radlint-");
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).map_or(0o666, |m| m.permissions().mode() & 0o777)
    };
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(mode));
    builder.tempfile_in(dir)
}
