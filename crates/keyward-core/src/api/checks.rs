//! Checking keys with their providers: one key or many, through one HTTP client
//! ([`Checker::check_many`]), with progress and cancel; the results are recorded on the keys
//! and saved once.

use super::session::Session;
use crate::check::{Cancel, CheckJob, CheckOptions, CheckReport, Checker, Status};
use crate::consent::{Asked, Consent};
use crate::error::{Result, VaultError};
use serde::Serialize;
use std::sync::Mutex;

/// Which keys to check.
pub enum Which {
    All,
    Ids(Vec<String>),
}

/// A key that was not checked, and why (one sentence).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NotChecked {
    pub entry_id: String,
    pub name: String,
    pub reason: String,
}

/// How a run of checks went, in numbers and in one line ("58 work, 1 invalid, 1 rate-limited").
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckSummary {
    pub checked: usize,
    pub valid: usize,
    /// Checked, and not working (or not known to work).
    pub failing: usize,
    pub not_checked: usize,
    /// Stopped before every key was checked.
    pub cancelled: bool,
    pub line: String,
}

/// What a run of checks found: the reports, failing keys first, then in the order asked.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckRun {
    pub reports: Vec<CheckReport>,
    pub not_checked: Vec<NotChecked>,
    pub summary: CheckSummary,
}

impl Session {
    /// The keys to check, and those that may not be sent yet: a key goes to an address a
    /// teammate chose only once it was confirmed on this device (`confirm` may ask the person;
    /// what it confirms is recorded).
    pub fn check_jobs(
        &mut self,
        which: &Which,
        confirm: &mut dyn FnMut(&Consent) -> bool,
    ) -> Result<(Vec<CheckJob>, Vec<NotChecked>)> {
        let doc = self.document()?;
        let jobs: Vec<CheckJob> = match which {
            Which::All => doc.entries.iter().map(CheckJob::from).collect(),
            Which::Ids(ids) => ids.iter().map(|id| self.entry(id).map(CheckJob::from)).collect::<Result<_>>()?,
        };
        let mut ready = Vec::with_capacity(jobs.len());
        let mut held = Vec::new();
        for job in jobs {
            let asked: Vec<Consent> = self
                .vault()?
                .consents_needed(&job.entry_id)
                .into_iter()
                .filter(|c| matches!(c.asked, Asked::BaseUrl { .. }))
                .collect();
            match asked.iter().find(|c| !confirm(c)) {
                Some(refused) => held.push(NotChecked {
                    entry_id: job.entry_id.clone(),
                    name: job.name.clone(),
                    reason: refused.sentence(),
                }),
                None => {
                    for c in &asked {
                        self.vault_mut()?.give_consent(c)?;
                    }
                    ready.push(job);
                }
            }
        }
        Ok((ready, held))
    }

    /// Records check results on the keys; saves unless `save` is false (then they are saved
    /// with the next save, at the latest when the vault locks).
    pub fn record_checks(&mut self, reports: &[CheckReport], save: bool) -> Result<()> {
        let vault = self.vault_mut()?;
        for r in reports {
            vault.document_mut().record_check(&r.entry_id, r.to_last_check());
        }
        if save {
            vault.save()?;
            self.unsaved_checks = false;
        } else if !reports.is_empty() {
            self.unsaved_checks = true;
        }
        Ok(())
    }
}

/// Checks `jobs` with one client, `on_done` called as each finishes; blocks until all are done
/// or `cancel` stops them. The network runs on a thread of its own, so this may be called from
/// any thread, an async runtime's included.
pub fn run(
    jobs: Vec<CheckJob>,
    options: CheckOptions,
    cancel: &Cancel,
    on_done: &mut (dyn FnMut(&CheckReport) + Send),
) -> Result<Vec<CheckReport>> {
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    let checker = Checker::new(options)?;
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|_| VaultError::Unavailable("Could not start the network runtime.".into()))?;
                Ok(runtime.block_on(checker.check_many(jobs, cancel, on_done)))
            })
            .join()
            .unwrap_or_else(|_| Err(VaultError::Invalid("Keyward failed while checking keys.".into())))
    })
}

/// Checks keys of the session's vault and records each result as it comes, saving once at the
/// end (a lock or quit meanwhile saves what finished); the session is held only for moments, so
/// other operations go on meanwhile. A cancelled run keeps what finished.
pub fn check(
    session: &Mutex<Session>,
    which: Which,
    deep: bool,
    cancel: &Cancel,
    confirm: &mut dyn FnMut(&Consent) -> bool,
    on_done: &mut (dyn FnMut(&CheckReport) + Send),
) -> Result<CheckRun> {
    let (jobs, not_checked, options) = {
        let mut s = session.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (jobs, held) = s.check_jobs(&which, confirm)?;
        (jobs, held, s.settings().check_options(deep))
    };
    check_jobs(session, jobs, not_checked, options, cancel, on_done)
}

/// [`check`] with jobs and options already chosen (the command line's flags).
pub fn check_jobs(
    session: &Mutex<Session>,
    jobs: Vec<CheckJob>,
    not_checked: Vec<NotChecked>,
    options: CheckOptions,
    cancel: &Cancel,
    on_done: &mut (dyn FnMut(&CheckReport) + Send),
) -> Result<CheckRun> {
    let order: Vec<String> = jobs.iter().map(|j| j.entry_id.clone()).collect();
    let asked = jobs.len();
    let lock = || session.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    // Each result is recorded as it comes (saved at the end, or by a lock or quit before it).
    let mut reports = run(jobs, options, cancel, &mut |report| {
        let _ = lock().record_checks(std::slice::from_ref(report), false);
        on_done(report);
    })?;
    lock().save_unsaved_checks()?;
    reports.sort_by_key(|r| (r.status == Status::Valid, order.iter().position(|id| *id == r.entry_id)));
    let summary = summarize(&reports, not_checked.len(), reports.len() < asked);
    Ok(CheckRun { reports, not_checked, summary })
}

/// "58 work, 1 invalid, 1 rate-limited" (and what was not checked).
pub fn summarize(reports: &[CheckReport], not_checked: usize, cancelled: bool) -> CheckSummary {
    let mut counts: Vec<(Status, usize)> = Vec::new();
    for r in reports {
        match counts.iter_mut().find(|(s, _)| *s == r.status) {
            Some((_, n)) => *n += 1,
            None => counts.push((r.status, 1)),
        }
    }
    // Working keys first, then the rest by how many.
    counts.sort_by_key(|(s, n)| (*s != Status::Valid, std::cmp::Reverse(*n), s.as_str()));
    let mut parts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {}", status_words(*s, *n))).collect();
    if not_checked > 0 {
        parts.push(format!("{not_checked} not checked"));
    }
    if cancelled {
        parts.push("stopped before the rest".into());
    }
    let valid = reports.iter().filter(|r| r.status == Status::Valid).count();
    CheckSummary {
        checked: reports.len(),
        valid,
        failing: reports.len() - valid,
        not_checked,
        cancelled,
        line: if parts.is_empty() { "Nothing was checked.".into() } else { parts.join(", ") },
    }
}

fn status_words(status: Status, n: usize) -> &'static str {
    match status {
        Status::Valid if n == 1 => "works",
        Status::Valid => "work",
        Status::Restricted => "restricted",
        Status::Invalid => "invalid",
        Status::WrongOrganization => "wrong organization",
        Status::NoCredit => "out of credit",
        Status::RateLimited => "rate-limited",
        Status::RegionBlocked => "blocked in this region",
        Status::ProviderError => "provider error",
        Status::NetworkError => "network error",
        Status::Timeout => "timed out",
        Status::Unsupported => "no check known",
    }
}
