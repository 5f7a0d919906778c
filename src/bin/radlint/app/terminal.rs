//! What the terminal decides: whether standard input is piped, whether
//! output and progress share a terminal, and how wide output may be.

use std::io::{self, IsTerminal};

/// True when standard input is a pipe, a file or a socket: something a
/// filter reads. A terminal is a person at a prompt, and `/dev/null` (what a
/// hook or CI step is often given) is nothing to read.
pub(super) fn stdin_is_piped() -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::FileTypeExt;
        metadata(io::stdin().as_fd()).is_some_and(|m| {
            let t = m.file_type();
            t.is_fifo() || t.is_file() || t.is_socket()
        })
    }
    #[cfg(not(unix))]
    {
        !io::stdin().is_terminal()
    }
}

/// The width human output fits long lines to: COLUMNS when it is set (as a
/// terminal user or a CI log may), else the terminal's when standard output
/// is one; unknown for a file or a pipe.
pub(super) fn output_width(to_file: bool) -> Option<usize> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    columns.or_else(|| {
        if to_file {
            return None;
        }
        terminal_size::terminal_size_of(io::stdout()).map(|(w, _)| usize::from(w.0))
    })
}

/// True when standard output and standard error are one terminal: a
/// spinner redrawn on one would erase lines written to the other.
pub(super) fn same_terminal() -> bool {
    if !(io::stdout().is_terminal() && io::stderr().is_terminal()) {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::MetadataExt;
        let id = |fd| metadata(fd).map(|m| (m.dev(), m.ino(), m.rdev()));
        let (out, err) = (id(io::stdout().as_fd()), id(io::stderr().as_fd()));
        // Unknown: assume the worst.
        out.is_none() || out == err
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// What the file behind a standard stream is (fstat on a duplicate of it).
#[cfg(unix)]
fn metadata(fd: std::os::fd::BorrowedFd<'_>) -> Option<std::fs::Metadata> {
    fd.try_clone_to_owned()
        .map(std::fs::File::from)
        .and_then(|f| f.metadata())
        .ok()
}

/// A spinner on standard error, unless disabled or not a terminal.
pub(super) fn progress_bar(disabled: bool) -> Option<indicatif::ProgressBar> {
    if disabled || !io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {human_pos} reports checked ({per_sec}) {elapsed}",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    Some(bar)
}
