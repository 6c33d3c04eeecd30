//! `test`: check keys with their providers, print the verdicts, save them on the keys.

use crate::context::Context;
use crate::output;
use keyward_core::VaultError;
use keyward_core::check::{self, Cancel, CheckJob, CheckOptions, CheckReport, Checker, Status};
use std::io::IsTerminal;

/// Returns whether every checked key is valid.
pub fn test(ctx: &Context, names: &[String], all: bool, options: CheckOptions, json: bool) -> Result<bool, VaultError> {
    let mut vault = ctx.open()?;
    let doc = vault.document();
    let jobs: Vec<CheckJob> = if all {
        doc.entries.iter().map(CheckJob::from).collect()
    } else {
        names.iter().map(|n| doc.get(n).map(CheckJob::from)).collect::<Result<_, _>>()?
    };
    // A key is sent to an address a teammate chose only once I confirmed it on this device.
    let mut confirmed = Vec::with_capacity(jobs.len());
    for job in jobs {
        let asked: Vec<_> = vault
            .consents_needed(&job.entry_id)
            .into_iter()
            .filter(|c| matches!(c.asked, keyward_core::consent::Asked::BaseUrl { .. }))
            .collect();
        if crate::context::confirm_consents(&mut vault, &asked)? {
            confirmed.push(job);
        } else {
            eprintln!(
                "keyward: not checked: {} Confirm it with `keyward trust {}` if you expected it.",
                asked[0].sentence(),
                job.name
            );
        }
    }
    let jobs = confirmed;
    if jobs.is_empty() {
        println!("The vault is empty: there is nothing to check.");
        return Ok(true);
    }
    for job in &jobs {
        if let Some(to) = check::destination(job).filter(|d| d.custom) {
            eprintln!(
                "note: the key \"{}\" is sent to {}, not to {}'s own address.",
                job.name,
                to.host,
                output::provider_name(&job.provider)
            );
        }
    }
    if options.deep {
        eprintln!("Deep check: each key makes one tiny generation request, which costs a fraction of a cent.");
    }
    let order: Vec<String> = jobs.iter().map(|j| j.entry_id.clone()).collect();
    let total = jobs.len();
    let checker = Checker::new(options)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|_| VaultError::Invalid("Could not start the network runtime.".into()))?;
    let show_progress = !json && std::io::stderr().is_terminal() && total > 1;
    let mut done = 0;
    let mut reports = runtime.block_on(checker.check_many(jobs, &Cancel::default(), |r| {
        done += 1;
        if show_progress {
            eprintln!("[{done}/{total}] {}: {}", r.name, r.status.as_str());
        }
    }));
    reports.sort_by_key(|r| order.iter().position(|id| *id == r.entry_id));

    for r in &reports {
        vault.document_mut().record_check(&r.entry_id, r.to_last_check());
    }
    let saved = vault.save()?;
    super::entries::note_merge(saved);

    if json {
        output::json(&reports);
    } else {
        print_table(&reports);
    }
    Ok(reports.iter().all(|r| r.status == Status::Valid))
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
