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
    /// Plain http to another computer: the key would travel unencrypted.
    Insecure,
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
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    if url.scheme() == "http" && !loopback {
        return Err(NoTarget::Insecure);
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

/// The provider's cheapest model the key can see: an exact id, else a dated version of it
/// (`gpt-4o-mini-2024-07-18`, never a variant such as `gpt-4o-mini-tts`). Unlisted: the
/// cheapest by name. Providers without a list (OpenAI-compatible servers): the first listed
/// model that is not an embedding model.
fn cheapest(provider: &Provider, models: &[String]) -> Option<String> {
    let bare: Vec<&str> = models.iter().map(|m| m.trim_start_matches("models/")).collect();
    let dated = |m: &str, cheap: &str| {
        m.strip_prefix(cheap)
            .is_some_and(|rest| rest.starts_with('-') && rest[1..].starts_with(|c: char| c.is_ascii_digit()))
            || m.strip_prefix(cheap).is_some_and(|rest| rest == "-latest")
    };
    for cheap in provider.cheap_models {
        if let Some(m) = bare.iter().find(|m| **m == *cheap).or_else(|| bare.iter().find(|m| dated(m, cheap))) {
            return Some(m.to_string());
        }
    }
    if let Some(first) = provider.cheap_models.first() {
        return Some(first.to_string());
    }
    bare.iter().find(|m| !m.contains("embed")).map(|m| m.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn cheapest_prefers_exact_then_dated_ids_and_never_variants() {
        let openai = provider::by_id("openai").unwrap();
        assert_eq!(
            cheapest(openai, &ids(&["gpt-4o-mini-tts", "gpt-4o-mini-2024-07-18", "gpt-4o"])).unwrap(),
            "gpt-4o-mini-2024-07-18"
        );
        assert_eq!(cheapest(openai, &ids(&["gpt-4o-mini-tts", "gpt-4o-mini"])).unwrap(), "gpt-4o-mini");
        assert_eq!(cheapest(openai, &ids(&["gpt-4o-mini-realtime-preview", "o3"])).unwrap(), "gpt-4o-mini");
        let gemini = provider::by_id("gemini").unwrap();
        assert_eq!(
            cheapest(gemini, &ids(&["models/gemini-2.0-flash-live-001", "models/gemini-2.0-flash-lite"])).unwrap(),
            "gemini-2.0-flash-lite"
        );
        let compatible = provider::by_id("openai-compatible").unwrap();
        assert_eq!(cheapest(compatible, &ids(&["nomic-embed-text", "llama3"])).unwrap(), "llama3");
        assert_eq!(cheapest(compatible, &[]), None);
    }

    #[test]
    fn plain_http_only_to_this_computer() {
        let job = |url: &str| CheckJob {
            entry_id: String::new(),
            name: String::new(),
            provider: "openai-compatible".into(),
            secret: crate::secret::Secret::from("k"),
            base_url: Some(url.into()),
            organization: None,
            project: None,
        };
        for ok in
            ["http://127.0.0.1:11434/v1", "http://localhost:8000/v1", "http://[::1]:8000/v1", "https://gw.example/v1"]
        {
            assert!(target(&job(ok)).is_ok(), "{ok}");
        }
        assert_eq!(target(&job("http://192.168.1.5/v1")).unwrap_err(), NoTarget::Insecure);
        assert_eq!(target(&job("ftp://x/v1")).unwrap_err(), NoTarget::BadBaseUrl);
    }
}
