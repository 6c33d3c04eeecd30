//! `scan`: where my stored keys are written down (files, git history, my usual places), with
//! what to do about each; keys that look like a provider's but are not in the vault, apart.

use crate::context::Context;
use crate::output;
use keyward_core::VaultError;
use keyward_core::api::{ScanProgress, ScanReport, ScanRequest};
use keyward_core::check::Cancel;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Find your stored keys (and their earlier values) wherever they leaked: files, git history,
    /// shell and agent histories. Exits with 1 when one is found
    Scan {
        /// Folders and files to scan (default: the current folder, unless --home alone)
        paths: Vec<PathBuf>,
        /// Also every commit, branch, stash and reflog of the git repositories there
        #[arg(long)]
        history: bool,
        /// Also my usual places: shell and REPL histories, AI agents' folders, config files
        #[arg(long)]
        home: bool,
        #[arg(long)]
        json: bool,
    },
}

pub fn dispatch(ctx: &Context, command: Command) -> Result<u8, VaultError> {
    let Command::Scan { mut paths, history, home, json } = command;
    if paths.is_empty() && !home {
        paths.push(PathBuf::from("."));
    }
    for path in &paths {
        if std::fs::symlink_metadata(path).is_err() {
            return Err(VaultError::NotFound { path: path.clone() });
        }
    }
    // The needles are all the scan needs: the vault is let go before it starts.
    let needles = ctx.open()?.leak_needles()?;
    let cancel = Cancel::default();
    stop_on_interrupt(&cancel);
    let started = Instant::now();
    let bar = Bar::new(!json && std::io::stderr().is_terminal());
    let request = ScanRequest { paths, history, home };
    let report = keyward_core::api::scan(&needles, &request, &cancel, &|p| bar.show(p));
    drop(needles);
    bar.clear();
    if json {
        output::json(&report);
    } else {
        print_report(&report, started.elapsed());
    }
    Ok(if report.findings.is_empty() { 0 } else { 1 })
}

fn print_report(report: &ScanReport, took: Duration) {
    for line in &report.unreadable {
        eprintln!("keyward: not scanned: {line}");
    }
    if report.findings.is_empty() {
        println!("None of your keys was found.");
    } else {
        let mut names: Vec<&str> = report.findings.iter().map(|f| f.entry_name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        println!(
            "Found {} of your keys in {} place{}:",
            names.len(),
            report.findings.len(),
            if report.findings.len() == 1 { "" } else { "s" }
        );
        for name in names {
            println!("\n  {name}");
            for f in report.findings.iter().filter(|f| f.entry_name == name) {
                let which = match f.replaced_at {
                    Some(at) => format!("its earlier value (replaced {})", at.format("%Y-%m-%d")),
                    None => "the current key".to_string(),
                };
                println!("    {which}{}: {}", f.encoding.words(), f.where_);
                println!("      → {}", f.advice);
            }
        }
    }
    if !report.unknown.is_empty() {
        println!("\nKeys that are not in your vault ({}):", report.unknown.len());
        for u in &report.unknown {
            println!("  {} {}: {}", output::provider_name(&u.provider), u.masked, u.where_);
        }
        println!("  → Add each to Keyward (keyward add), or revoke it if it is not yours to keep.");
    }
    let mb = report.bytes as f64 / 1e6;
    println!(
        "\nScanned {} files and {} git objects ({mb:.1} MB) in {:.1} s{}.",
        report.files,
        report.objects,
        took.as_secs_f64(),
        if report.cancelled { "; stopped before the end (Ctrl+C)" } else { "" }
    );
}

/// Ctrl+C stops the scan cleanly: what was found so far is reported.
fn stop_on_interrupt(cancel: &Cancel) {
    let cancel = cancel.clone();
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_io().build() else { return };
        runtime.block_on(async {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.cancel();
            }
        });
    });
}

/// A progress line on the terminal, redrawn at most ten times a second.
struct Bar {
    on: bool,
    last: std::sync::Mutex<Option<Instant>>,
}

impl Bar {
    fn new(on: bool) -> Bar {
        Bar { on, last: std::sync::Mutex::new(None) }
    }

    fn show(&self, p: &ScanProgress) {
        if !self.on {
            return;
        }
        let mut last = self.last.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
            return;
        }
        *last = Some(Instant::now());
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2KScanning {}: {:.0} MB (Ctrl+C stops)", p.doing, p.bytes as f64 / 1e6);
        let _ = err.flush();
    }

    fn clear(&self) {
        if self.on && self.last.lock().is_ok_and(|l| l.is_some()) {
            eprint!("\r\x1b[2K");
        }
    }
}
