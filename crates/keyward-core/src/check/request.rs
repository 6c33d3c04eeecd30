//! Building the check requests: where the key goes and how it is sent.

use super::CheckJob;
use crate::provider::{self, Auth, Deep, Provider};
use url::Url;

/// Where a job's key will be sent.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub provider: &'static Provider,
    /// The base URL, without a trailing `/`.
    pub base: String,
    /// `host` or `host:port`.
    pub host: String,
    /// Not the provider's own base URL.
    pub custom: bool,
}

/// Why a job cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NoTarget {
    UnknownProvider,
    NeedsBaseUrl,
    BadBaseUrl,
}

pub(crate) fn target(job: &CheckJob) -> Result<Target, NoTarget> {
    let provider = provider::by_id(&job.provider).ok_or(NoTarget::UnknownProvider)?;
    let base = job.base_url.as_deref().filter(|b| !b.trim().is_empty()).unwrap_or(provider.base_url);
    if base.is_empty() {
        return Err(NoTarget::NeedsBaseUrl);
    }
    let base = base.trim().trim_end_matches('/').to_string();
    let url = Url::parse(&base).map_err(|_| NoTarget::BadBaseUrl)?;
    if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none() {
        return Err(NoTarget::BadBaseUrl);
    }
    let host = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_string(),
    };
    let custom = provider.base_url.is_empty() || base != provider.base_url;
    Ok(Target { provider, base, host, custom })
}

/// One request to make: method, full URL, headers (the key among them) and JSON body.
pub(crate) struct Call {
    pub post: bool,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
}

fn auth_headers(target: &Target, job: &CheckJob) -> Vec<(&'static str, String)> {
    let key = job.secret.expose().to_string();
    let mut headers = match target.provider.auth {
        Auth::Bearer => vec![("authorization", format!("Bearer {key}"))],
        Auth::Anthropic => vec![("x-api-key", key), ("anthropic-version", "2023-06-01".to_string())],
        Auth::Google => vec![("x-goog-api-key", key)],
        Auth::Azure => vec![("api-key", key)],
    };
    if target.provider.id == "openai" {
        if let Some(org) = &job.organization {
            headers.push(("openai-organization", org.clone()));
        }
        if let Some(project) = &job.project {
            headers.push(("openai-project", project.clone()));
        }
    }
    headers
}

/// The free check.
pub(crate) fn plain(target: &Target, job: &CheckJob) -> Option<Call> {
    let check = target.provider.check?;
    Some(Call {
        post: check.post,
        url: format!("{}{}", target.base, check.path),
        headers: auth_headers(target, job),
        body: check.post.then(|| "{}".to_string()),
    })
}

/// The deep check: one output token from the cheapest model the key can see.
pub(crate) fn deep(target: &Target, job: &CheckJob, models: &[String]) -> Option<Call> {
    let kind = target.provider.deep?;
    let model = cheapest(target.provider, models)?;
    let headers = auth_headers(target, job);
    let (url, body) = match kind {
        Deep::ChatCompletions => (
            format!("{}/chat/completions", target.base),
            serde_json::json!({"model": model, "max_tokens": 1, "messages": [{"role": "user", "content": "Hi"}]}),
        ),
        Deep::AnthropicMessages => (
            format!("{}/v1/messages", target.base),
            serde_json::json!({"model": model, "max_tokens": 1, "messages": [{"role": "user", "content": "Hi"}]}),
        ),
        Deep::GeminiGenerate => (
            format!("{}/v1beta/models/{}:generateContent", target.base, model.trim_start_matches("models/")),
            serde_json::json!({"contents": [{"parts": [{"text": "Hi"}]}], "generationConfig": {"maxOutputTokens": 1}}),
        ),
    };
    Some(Call { post: true, url, headers, body: Some(body.to_string()) })
}

/// The first of the provider's cheap models the key can see (by prefix), else the first model
/// listed, else the provider's cheapest by name.
fn cheapest(provider: &Provider, models: &[String]) -> Option<String> {
    let bare = |m: &String| m.trim_start_matches("models/").to_string();
    for cheap in provider.cheap_models {
        if let Some(m) = models.iter().find(|m| bare(m).starts_with(cheap)) {
            return Some(bare(m));
        }
    }
    models.first().map(bare).or_else(|| provider.cheap_models.first().map(|m| m.to_string()))
}
