//! `test`: check keys with their providers, print the verdicts, save them on the keys.

use crate::context::Context;
use crate::output;
use keyward_core::VaultError;
use keyward_core::api::Which;
use keyward_core::check::{self, Cancel, CheckJob, CheckOptions, CheckReport, Status};
use std::io::IsTerminal;
use std::sync::Mutex;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check keys with their providers and say what is wrong (saved on each key)
    Test {
        /// Keys to check
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        names: Vec<String>,
        /// Check every key
        #[arg(long)]
        all: bool,
        /// Also make one tiny paid request per key (a fraction of a cent) to prove it can generate
        #[arg(long)]
        deep: bool,
        #[arg(long)]
        json: bool,
        /// Seconds to wait for each provider
        #[arg(long, default_value_t = 15, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=300))]
        timeout: u64,
        /// Send checks through this proxy (default: HTTPS_PROXY / ALL_PROXY / NO_PROXY)
        #[arg(long, value_name = "URL")]
        proxy: Option<String>,
    },
}

/// Exits with 1 when a checked key is not valid.
pub fn dispatch(ctx: &Context, command: Command) -> Result<u8, VaultError> {
    let Command::Test { names, all, deep, json, timeout, proxy } = command;
    // This device's settings (the proxy set in the app), then the flags.
    let mut options = ctx.session().settings().check_options(deep);
    options.timeout = std::time::Duration::from_secs(timeout);
    if proxy.is_some() {
        options.proxy = proxy;
    }
    let all_valid = test(ctx, &names, all, options, json)?;
    Ok(if all_valid { 0 } else { 1 })
}

/// Returns whether every checked key is valid.
pub fn test(ctx: &Context, names: &[String], all: bool, options: CheckOptions, json: bool) -> Result<bool, VaultError> {
    let mut vault = ctx.open()?;
    let which =
        if all { Which::All } else { Which::Ids(names.iter().map(|n| vault.id_of(n)).collect::<Result<_, _>>()?) };
    // A key is sent to an address a teammate chose only once I confirmed it on this device.
    let (jobs, held) = vault.check_jobs(&which, &mut crate::context::confirm)?;
    for h in &held {
        eprintln!("keyward: not checked: {} Confirm it with `keyward trust {}` if you expected it.", h.reason, h.name);
    }
    if jobs.is_empty() {
        if held.is_empty() {
            println!("The vault is empty: there is nothing to check.");
        }
        return Ok(held.is_empty());
    }
    say_where_keys_go(&jobs);
    if options.deep {
        eprintln!("Deep check: each key makes one tiny generation request, which costs a fraction of a cent.");
    }
    let order: Vec<String> = jobs.iter().map(|j| j.entry_id.clone()).collect();
    let total = jobs.len();
    let show_progress = !json && std::io::stderr().is_terminal() && total > 1;
    let mut done = 0;
    let session = Mutex::new(std::mem::replace(&mut vault.0, ctx.session()));
    let run = keyward_core::api::check_jobs(&session, jobs, held.clone(), options, &Cancel::default(), &mut |r| {
        done += 1;
        if show_progress {
            eprintln!("[{done}/{total}] {}: {}", r.name, r.status.as_str());
        }
    });
    vault.0 = session.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut reports = run?.reports;
    // The order asked for, as before.
    reports.sort_by_key(|r| order.iter().position(|id| *id == r.entry_id));
    if json {
        output::json(&reports);
    } else {
        print_table(&reports);
    }
    // A key not checked (not confirmed on this device) is not known to work.
    Ok(held.is_empty() && reports.iter().all(|r| r.status == Status::Valid))
}

/// Says which keys are sent somewhere that is not their provider's own address.
fn say_where_keys_go(jobs: &[CheckJob]) {
    for job in jobs {
        if let Some(to) = check::destination(job).filter(|d| d.custom) {
            eprintln!(
                "note: the key \"{}\" is sent to {}, not to {}'s own address.",
                job.name,
                to.host,
                output::provider_name(&job.provider)
            );
        }
    }
}

fn print_table(reports: &[CheckReport]) {
    let name_width = reports.iter().map(|r| r.name.chars().count()).max().unwrap_or(4).max(4);
    let status_width = reports.iter().map(|r| r.status.as_str().len()).max().unwrap_or(6).max(6);
    println!("{:<name_width$}  {:<status_width$}  WHAT IT MEANS", "NAME", "STATUS");
    for r in reports {
        println!("{:<name_width$}  {:<status_width$}  {}", r.name, r.status.as_str(), r.message);
        if r.status != Status::Valid || r.hint != "Nothing to do." {
            println!("{:<name_width$}  {:<status_width$}  → {}", "", "", r.hint);
        }
    }
}
