//! The `radlint` binary: parse arguments, run, map the result to an exit
//! status (0 clean, 1 findings, 2 usage or configuration error). A closed
//! output pipe (`radlint check ... | head`) ends quietly.

use clap::Parser;
mod app;
mod cli;

use app::{Exit, run};
use cli::Cli;
use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // `radlint report.txt`: the subcommand was left out.
            if e.kind() == clap::error::ErrorKind::InvalidSubcommand
                && let Some(path) = std::env::args_os().nth(1)
                && std::path::Path::new(&path).exists()
            {
                let _ = writeln!(
                    io::stderr(),
                    "\nhint: to check it: radlint check {}",
                    std::path::Path::new(&path).display()
                );
            }
            return ExitCode::from(if e.use_stderr() { Exit::Usage as u8 } else { 0 });
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = io::stderr();
    match run(cli, &mut out, &mut err).and_then(|exit| out.flush().map(|()| exit)) {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            ExitCode::from(Exit::Usage as u8)
        }
    }
}
