//! Key checks: ask a key's provider whether the key works, and say in plain words what is
//! wrong when it does not. The plain check spends nothing (a model list or the provider's
//! key-info endpoint); the deep check makes the smallest paid request (one output token).
//!
//! The key is sent only to the entry's base URL; redirects are reported, never followed;
//! answers are read up to a size cap; many keys are checked concurrently with a bound in
//! flight overall and a lower bound per host, and the whole run can be cancelled.

mod classify;
mod explain;
mod http;
mod request;

use crate::entry::{Entry, LastCheck};
use crate::secret::Secret;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::{Notify, Semaphore};

pub use http::Checker;

/// The verdict of a check, one word from a fixed vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The key works.
    Valid,
    /// The key works but lacks a permission (restricted key, blocked service, IP allowlist).
    Restricted,
    /// Unknown, revoked or mistyped.
    Invalid,
    /// The saved organization (or project) does not match the key.
    WrongOrganization,
    /// The key is fine but the account has no credit.
    NoCredit,
    RateLimited,
    RegionBlocked,
    /// 5xx, or an answer that is not the provider's API.
    ProviderError,
    /// DNS, TLS, proxy, refused connection, a redirect.
    NetworkError,
    Timeout,
    /// No known check for this provider.
    Unsupported,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Restricted => "restricted",
            Status::Invalid => "invalid",
            Status::WrongOrganization => "wrong_organization",
            Status::NoCredit => "no_credit",
            Status::RateLimited => "rate_limited",
            Status::RegionBlocked => "region_blocked",
            Status::ProviderError => "provider_error",
            Status::NetworkError => "network_error",
            Status::Timeout => "timeout",
            Status::Unsupported => "unsupported",
        }
    }
}

/// What was found out about one key. Holds no secret.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckReport {
    pub name: String,
    pub entry_id: String,
    pub provider: String,
    pub status: Status,
    /// One plain sentence for anybody.
    pub message: String,
    /// What to do next.
    pub hint: String,
    /// The provider's page to go to (keys or billing), when there is one.
    pub link: Option<String>,
    pub http_status: Option<u16>,
    /// The provider's error code or type (`invalid_api_key`, `API_KEY_INVALID`, …).
    pub provider_code: Option<String>,
    pub request_id: Option<String>,
    pub latency_ms: Option<u64>,
    pub checked_at: DateTime<Utc>,
    /// The host (and port) the key was sent to.
    pub sent_to: Option<String>,
    /// The key was sent to a base URL that is not the provider's own.
    pub custom_base_url: bool,
    pub deep: bool,
    pub details: Details,
}

/// What the answer revealed.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Details {
    pub models_count: Option<usize>,
    /// A few model names.
    pub models: Vec<String>,
    /// Rate-limit headers, as sent.
    pub rate_limit: BTreeMap<String, String>,
    /// Remaining credit or balance, as the provider states it.
    pub credit: Option<String>,
    /// The key's own label or role, where the provider tells it.
    pub key_info: Option<String>,
    /// Where a redirect pointed (not followed).
    pub redirect_to: Option<String>,
    /// Every model id listed (to pick the deep check's model); not reported.
    #[serde(skip)]
    pub(crate) models_all: Vec<String>,
}

/// One key to check, copied out of the vault.
#[derive(Debug, Clone)]
pub struct CheckJob {
    pub entry_id: String,
    pub name: String,
    pub provider: String,
    pub secret: Secret,
    pub base_url: Option<String>,
    pub organization: Option<String>,
    pub project: Option<String>,
}

impl From<&Entry> for CheckJob {
    fn from(e: &Entry) -> Self {
        CheckJob {
            entry_id: e.id.clone(),
            name: e.name.clone(),
            provider: e.provider.clone(),
            secret: e.secret.clone(),
            base_url: e.base_url.clone(),
            organization: e.organization.clone(),
            project: e.project.clone(),
        }
    }
}

/// Where a key would be sent by a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    /// `host` or `host:port`.
    pub host: String,
    /// Not the provider's own address (a proxy, gateway or self-hosted server).
    pub custom: bool,
}

/// Where `job`'s key would be sent, so clients can say so before checking.
pub fn destination(job: &CheckJob) -> Option<Destination> {
    request::target(job).ok().map(|t| Destination { host: t.host, custom: t.custom })
}

/// How checks are made.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// For the whole request, answer included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// A proxy URL for every request (`http://…`, `socks5://…`); `None` uses HTTPS_PROXY,
    /// ALL_PROXY and NO_PROXY from the environment.
    pub proxy: Option<String>,
    /// Also make one tiny paid generation request.
    pub deep: bool,
    /// Checks in flight at once, overall and per host.
    pub concurrency: usize,
    pub per_host: usize,
    /// Answers longer than this are cut off.
    pub max_body: usize,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            proxy: None,
            deep: false,
            concurrency: 16,
            per_host: 6,
            max_body: 1 << 20,
        }
    }
}

/// Stops a run of checks; checks not finished yet give no report.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<(AtomicBool, Notify)>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.0.store(true, Ordering::SeqCst);
        self.0.1.notify_waiters();
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.0.load(Ordering::SeqCst)
    }

    async fn cancelled(&self) {
        let notified = self.0.1.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if self.is_cancelled() {
            return;
        }
        notified.await;
    }
}

impl Checker {
    /// Checks many keys concurrently; `on_done` is called as each one finishes. Returns the
    /// reports in the order the checks finished.
    pub async fn check_many(
        &self,
        jobs: Vec<CheckJob>,
        cancel: &Cancel,
        mut on_done: impl FnMut(&CheckReport),
    ) -> Vec<CheckReport> {
        let overall = Arc::new(Semaphore::new(self.options().concurrency.max(1)));
        let mut per_host: HashMap<String, Arc<Semaphore>> = HashMap::new();
        let mut tasks = tokio::task::JoinSet::new();
        let mut started = HashMap::new();
        for job in jobs {
            let host = request::target(&job).map(|t| t.host).unwrap_or_default();
            let host_limit = Arc::clone(
                per_host.entry(host).or_insert_with(|| Arc::new(Semaphore::new(self.options().per_host.max(1)))),
            );
            let overall = Arc::clone(&overall);
            let checker = self.clone();
            let cancel = cancel.clone();
            let who = (job.entry_id.clone(), job.name.clone(), job.provider.clone());
            let handle = tasks.spawn(async move {
                tokio::select! {
                    _ = cancel.cancelled() => None,
                    report = async {
                        let _host = host_limit.acquire_owned().await.ok()?;
                        let _slot = overall.acquire_owned().await.ok()?;
                        Some(checker.check(&job).await)
                    } => report,
                }
            });
            started.insert(handle.id(), who);
        }
        let mut reports = Vec::new();
        while let Some(done) = tasks.join_next_with_id().await {
            let report = match done {
                Ok((_, Some(report))) => report,
                Ok((_, None)) => continue, // cancelled
                // A check that crashed still gets a report, so it cannot pass for valid.
                Err(e) => match started.remove(&e.id()) {
                    Some((entry_id, name, provider)) if e.is_panic() => CheckReport::failed(entry_id, name, provider),
                    _ => continue,
                },
            };
            on_done(&report);
            reports.push(report);
        }
        reports
    }
}

impl CheckReport {
    /// The report for a check that failed inside Keyward.
    fn failed(entry_id: String, name: String, provider: String) -> CheckReport {
        CheckReport {
            name,
            entry_id,
            provider,
            status: Status::ProviderError,
            message: "Keyward failed while checking this key (an internal error).".into(),
            hint: "Try again; if it keeps happening, please report it.".into(),
            link: None,
            http_status: None,
            provider_code: None,
            request_id: None,
            latency_ms: None,
            checked_at: chrono::Utc::now(),
            sent_to: None,
            custom_base_url: false,
            deep: false,
            details: Details::default(),
        }
    }

    /// What is saved on the entry.
    pub fn to_last_check(&self) -> LastCheck {
        LastCheck {
            status: self.status.as_str().to_string(),
            checked_at: self.checked_at,
            message: Some(self.message.clone()),
            http_status: self.http_status,
            hint: Some(self.hint.clone()),
            provider_code: self.provider_code.clone(),
            request_id: self.request_id.clone(),
            latency_ms: self.latency_ms,
            deep: self.deep,
            signed: None,
            unknown: Default::default(),
        }
    }
}

/// For the fuzzer only (`fuzz/fuzz_targets/provider_answer.rs`): classifies an HTTP answer as
/// if `provider` had sent it. Not part of Keyward's API.
#[doc(hidden)]
pub fn classify_answer_for_fuzzing(
    provider: &str,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
) -> Status {
    let Some(provider) = crate::provider::by_id(provider) else { return Status::Unsupported };
    let raw = http::Raw { status, headers, body };
    let (mut details, mut request_id) = (Details::default(), None);
    classify::answer(provider, &raw, false, &mut details, &mut request_id).status
}
