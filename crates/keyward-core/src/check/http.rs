//! Making the requests: one shared HTTP client (rustls, OS trust store, proxies from the
//! environment or a setting), no redirects, timeouts, and answers read up to a cap. Plain http
//! (allowed to this computer only) never goes through a proxy: the key would cross the network
//! to the proxy unencrypted.

use super::classify::{self, Verdict};
use super::request::{self, Call, NoTarget};
use super::{CheckJob, CheckOptions, CheckReport, Details, Status, explain};
use crate::error::VaultError;
use std::time::Instant;

/// Checks keys. Cheap to clone; share one for a whole run (it keeps connections open).
#[derive(Debug, Clone)]
pub struct Checker {
    client: reqwest::Client,
    /// For plain http to this computer: no proxy at all.
    direct: reqwest::Client,
    options: CheckOptions,
}

/// Removes the key from everything the answer put into the report: a gateway or proxy that
/// echoes the key (in a request id, a header, a label, an error code) must not make Keyward
/// print or save it.
fn redact(report: &mut CheckReport, key: &str) {
    let key = key.trim();
    if key.is_empty() {
        return;
    }
    let clean = |s: &mut String| {
        if s.contains(key) {
            *s = s.replace(key, "[the key]");
        }
    };
    let d = &mut report.details;
    for s in [&mut report.message, &mut report.hint]
        .into_iter()
        .chain(report.request_id.as_mut())
        .chain(report.provider_code.as_mut())
        .chain(d.credit.as_mut())
        .chain(d.key_info.as_mut())
        .chain(d.redirect_to.as_mut())
        .chain(d.models.iter_mut())
        .chain(d.rate_limit.values_mut())
    {
        clean(s);
    }
}

/// An answer as received (body cut at the cap).
pub(crate) struct Raw {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

impl Checker {
    pub fn new(options: CheckOptions) -> Result<Checker, VaultError> {
        // rustls with the ring provider; installing it twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let builder = || {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(options.timeout)
                .connect_timeout(options.connect_timeout)
                .user_agent(concat!("Keyward/", env!("CARGO_PKG_VERSION")))
        };
        let mut proxied = builder();
        if let Some(proxy) = &options.proxy {
            let proxy = reqwest::Proxy::all(proxy)
                .map_err(|_| VaultError::Invalid("The proxy setting is not a valid URL.".into()))?;
            proxied = proxied.proxy(proxy);
        }
        let tls = |_| VaultError::Invalid("Could not set up secure connections (TLS).".into());
        let client = proxied.build().map_err(tls)?;
        let direct = builder().no_proxy().build().map_err(tls)?;
        Ok(Checker { client, direct, options })
    }

    pub fn options(&self) -> &CheckOptions {
        &self.options
    }

    /// Checks one key (plain, then deep when asked and the plain check passed).
    pub async fn check(&self, job: &CheckJob) -> CheckReport {
        let checked_at = chrono::Utc::now();
        let mut report = CheckReport {
            name: job.name.clone(),
            entry_id: job.entry_id.clone(),
            provider: job.provider.clone(),
            status: Status::Unsupported,
            message: String::new(),
            hint: String::new(),
            link: None,
            http_status: None,
            provider_code: None,
            request_id: None,
            latency_ms: None,
            checked_at,
            sent_to: None,
            custom_base_url: false,
            deep: false,
            details: Details::default(),
        };
        let target = match request::target(job) {
            Ok(t) => t,
            Err(why) => {
                let (message, hint) = explain::no_target(&job.provider, &why);
                report.message = message;
                report.hint = hint;
                if matches!(why, NoTarget::BadBaseUrl | NoTarget::Insecure) {
                    report.status = Status::NetworkError;
                }
                return report;
            }
        };
        report.sent_to = Some(target.host.clone());
        report.custom_base_url = target.custom;

        let mut verdict = match request::plain(&target, job) {
            Some(call) => self.run(&call, target.provider, false, &mut report).await,
            // No free check: only a deep check (when asked for) can tell.
            None if self.options.deep && target.provider.deep.is_some() => classify::Verdict::valid(),
            None => {
                let (message, hint) = explain::no_check(target.provider);
                report.message = message;
                report.hint = hint;
                return report;
            }
        };
        if self.options.deep && verdict.status == Status::Valid {
            let models = std::mem::take(&mut report.details.models_all);
            if let Some(call) = request::deep(&target, job, &models) {
                report.deep = true;
                verdict = self.run(&call, target.provider, true, &mut report).await;
            }
        }
        report.details.models_all.clear();
        report.status = verdict.status;
        report.provider_code = verdict.code;
        let (message, hint, link) = explain::verdict(target.provider, verdict.status, verdict.reason, &report);
        report.message = message;
        report.hint = hint;
        report.link = link;
        redact(&mut report, job.secret.expose());
        report
    }

    /// Makes one call and classifies its answer, filling the report's HTTP details.
    async fn run(
        &self,
        call: &Call,
        provider: &crate::provider::Provider,
        deep: bool,
        report: &mut CheckReport,
    ) -> Verdict {
        let started = Instant::now();
        let result = self.fetch(call).await;
        report.latency_ms = Some(u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
        match result {
            Ok(raw) => {
                report.http_status = Some(raw.status);
                classify::answer(provider, &raw, deep, &mut report.details, &mut report.request_id)
            }
            Err(e) => classify::transport(&e),
        }
    }

    async fn fetch(&self, call: &Call) -> Result<Raw, reqwest::Error> {
        // `request::target` allows plain http only to loopback addresses; those go direct.
        let client = if call.url.starts_with("https://") { &self.client } else { &self.direct };
        let mut request = if call.post { client.post(&call.url) } else { client.get(&call.url) };
        for (name, value) in &call.headers {
            // Sensitive: kept out of HTTP/2 header compression tables and of Debug output.
            let mut value = reqwest::header::HeaderValue::from_str(value)
                .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static(""));
            value.set_sensitive(true);
            request = request.header(*name, value);
        }
        if let Some(body) = &call.body {
            request = request.header("content-type", "application/json").body(body.clone());
        }
        let mut response = request.send().await?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(n, v)| v.to_str().ok().map(|v| (n.as_str().to_ascii_lowercase(), v.to_string())))
            .collect();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            let room = self.options.max_body.saturating_sub(body.len());
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if body.len() >= self.options.max_body {
                break; // the rest is dropped with the connection
            }
        }
        Ok(Raw { status, headers, body })
    }
}
