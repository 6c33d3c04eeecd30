//! Reading an answer: parse the provider's JSON (never string-match raw bodies), pick the
//! status from the vocabulary, and collect what the answer reveals.

use super::http::Raw;
use super::{Details, Status};
use crate::provider::{Provider, Style};
use serde_json::Value;

/// A status, the provider's code for it, and the finer reason used to word the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub status: Status,
    pub code: Option<String>,
    pub reason: Reason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    None,
    Generated,
    MissingScopes,
    IpNotAllowed,
    ServiceDisabled,
    Disabled,
    NoOrganization,
    Redirect,
    WebPage,
    Malformed,
    NotFound,
    BadRequest,
    Dns,
    Refused,
    Tls,
    BrokenAnswer,
}

impl Verdict {
    pub fn valid() -> Verdict {
        verdict(Status::Valid, None, Reason::None)
    }
}

fn verdict(status: Status, code: Option<String>, reason: Reason) -> Verdict {
    Verdict { status, code, reason }
}

/// OpenAI's billing codes (all of type `insufficient_quota`).
const NO_CREDIT_CODES: &[&str] = &[
    "insufficient_quota",
    "credit_balance_exhausted",
    "organization_spend_limit_exceeded",
    "project_spend_limit_exceeded",
    "organization_usage_limit_exceeded",
    "billing_hard_limit_reached",
];

/// The fields of an error body, wherever the provider puts them.
#[derive(Default)]
struct ErrorFields {
    code: Option<String>,
    kind: Option<String>,
    /// Google's `status` (`INVALID_ARGUMENT`, …).
    google_status: Option<String>,
    reasons: Vec<String>,
    message: String,
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn error_fields(json: &Value) -> ErrorFields {
    let err = json.get("error");
    let obj = err.filter(|e| e.is_object());
    let mut f = ErrorFields {
        code: text(obj.and_then(|e| e.get("code"))).or_else(|| text(json.get("code"))),
        kind: text(obj.and_then(|e| e.get("type"))),
        google_status: text(obj.and_then(|e| e.get("status"))),
        ..Default::default()
    };
    f.message = text(obj.and_then(|e| e.get("message")))
        .or_else(|| text(err.filter(|e| e.is_string())))
        .or_else(|| text(json.get("message")))
        .or_else(|| text(json.get("detail")))
        .unwrap_or_default();
    if let Some(details) = obj.and_then(|e| e.get("details")).and_then(Value::as_array) {
        f.reasons = details.iter().filter_map(|d| text(d.get("reason"))).collect();
    }
    f
}

/// Classifies an HTTP answer and fills `details` and `request_id`.
pub(crate) fn answer(
    provider: &Provider,
    raw: &Raw,
    deep: bool,
    details: &mut Details,
    request_id: &mut Option<String>,
) -> Verdict {
    for (name, value) in &raw.headers {
        if name.starts_with("x-ratelimit-") || name.starts_with("anthropic-ratelimit-") || name == "retry-after" {
            details.rate_limit.insert(name.clone(), value.clone());
        }
    }
    let json: Option<Value> = serde_json::from_slice(&raw.body).ok();
    *request_id = raw
        .header("x-request-id")
        .or_else(|| raw.header("request-id"))
        .map(str::to_string)
        .or_else(|| json.as_ref().and_then(|j| text(j.get("request_id"))))
        .or_else(|| request_id.take());

    if (300..400).contains(&raw.status) {
        details.redirect_to =
            raw.header("location").and_then(|l| url::Url::parse(l).ok()).and_then(|u| u.host_str().map(str::to_string));
        return verdict(Status::NetworkError, None, Reason::Redirect);
    }
    let Some(json) = json else {
        return without_json(raw);
    };
    if (200..300).contains(&raw.status) {
        return success(provider, &json, deep, details);
    }
    failure(provider, raw.status, &error_fields(&json), deep)
}

/// An answer that is not JSON: a proxy's or gateway's page, or a broken answer.
fn without_json(raw: &Raw) -> Verdict {
    let looks_like_page =
        raw.header("content-type").is_some_and(|c| c.contains("html")) || raw.body.trim_ascii_start().starts_with(b"<");
    let reason = if looks_like_page { Reason::WebPage } else { Reason::Malformed };
    // A block page from a firewall or CDN (403) says nothing about the key.
    let status = match raw.status {
        401 => Status::Invalid,
        429 => Status::RateLimited,
        _ => Status::ProviderError,
    };
    let reason = if status == Status::ProviderError { reason } else { Reason::None };
    verdict(status, None, reason)
}

fn ids(list: Option<&Value>, field: &str) -> Option<Vec<String>> {
    Some(list?.as_array()?.iter().filter_map(|m| text(m.get(field))).collect())
}

fn success(provider: &Provider, json: &Value, deep: bool, details: &mut Details) -> Verdict {
    if deep {
        return verdict(Status::Valid, None, Reason::Generated);
    }
    let ok = verdict(Status::Valid, None, Reason::None);
    match provider.style {
        Style::OpenAi | Style::Anthropic | Style::Google => {
            let models = ids(json.get("data"), "id").or_else(|| ids(json.get("models"), "name"));
            let Some(models) = models else {
                return verdict(Status::ProviderError, None, Reason::Malformed);
            };
            details.models_count = Some(models.len());
            details.models = models.iter().take(5).map(|m| m.trim_start_matches("models/").to_string()).collect();
            details.models_all = models;
            ok
        }
        Style::OpenRouter => {
            let data = json.get("data").unwrap_or(&Value::Null);
            // OpenRouter's default label is the key itself, masked: not worth repeating.
            details.key_info = text(data.get("label")).filter(|l| crate::provider::detect(l).is_none());
            let remaining = data.get("limit_remaining").and_then(Value::as_f64);
            details.credit = match remaining {
                Some(r) => Some(format!("{r:.2} USD left of the key's limit")),
                None => data.get("usage").and_then(Value::as_f64).map(|u| format!("{u:.2} USD used, no limit set")),
            };
            if remaining.is_some_and(|r| r <= 0.0) { verdict(Status::NoCredit, None, Reason::None) } else { ok }
        }
        Style::Xai => {
            details.key_info = text(json.get("name"));
            let blocked = ["api_key_blocked", "api_key_disabled", "team_blocked"]
                .iter()
                .any(|f| json.get(*f).and_then(Value::as_bool) == Some(true));
            if blocked { verdict(Status::Invalid, None, Reason::Disabled) } else { ok }
        }
        Style::DeepSeek => {
            let balance = json.get("balance_infos").and_then(Value::as_array).and_then(|b| b.first());
            details.credit =
                balance.and_then(|b| Some(format!("{} {}", text(b.get("total_balance"))?, text(b.get("currency"))?)));
            if json.get("is_available").and_then(Value::as_bool) == Some(false) {
                verdict(Status::NoCredit, None, Reason::None)
            } else {
                ok
            }
        }
        Style::Cohere => {
            if json.get("valid").and_then(Value::as_bool) == Some(false) {
                verdict(Status::Invalid, None, Reason::None)
            } else {
                ok
            }
        }
        Style::HuggingFace => {
            let token = json.pointer("/auth/accessToken");
            let role = token.and_then(|t| text(t.get("role")));
            let name = text(json.get("name"));
            details.key_info = match (name, role) {
                (Some(n), Some(r)) => Some(format!("{r} token of {n}")),
                (n, r) => n.or(r),
            };
            ok
        }
    }
}

fn failure(provider: &Provider, status: u16, f: &ErrorFields, deep: bool) -> Verdict {
    // The most telling code: Google's reason, then the provider's code (numbers only repeat the
    // HTTP status), Google's status name, the error type.
    let named = f.code.clone().filter(|c| !c.chars().all(|ch| ch.is_ascii_digit()));
    let code = f.reasons.first().cloned().or(named).or_else(|| f.google_status.clone()).or_else(|| f.kind.clone());
    let has = |needle: &str| f.message.to_ascii_lowercase().contains(needle);
    let is_code = |c: &str| f.code.as_deref() == Some(c) || f.kind.as_deref() == Some(c);
    let reason_is = |r: &str| f.reasons.iter().any(|x| x == r);
    let v = |s: Status, r: Reason| verdict(s, code.clone(), r);

    // Restricted keys say so in the message, whatever the status (401 or 403).
    if has("missing scopes") || has("insufficient permissions") {
        return v(Status::Restricted, Reason::MissingScopes);
    }
    match status {
        401 => {
            if is_code("mismatched_organization") || is_code("invalid_organization") || is_code("mismatched_project") {
                v(Status::WrongOrganization, Reason::None)
            } else if is_code("no_organization") {
                v(Status::WrongOrganization, Reason::NoOrganization)
            } else if has("ip not authorized") {
                v(Status::Restricted, Reason::IpNotAllowed)
            } else {
                v(Status::Invalid, Reason::None)
            }
        }
        402 => v(Status::NoCredit, Reason::None),
        403 => {
            if is_code("unsupported_country_region_territory") || has("not supported in your region") {
                v(Status::RegionBlocked, Reason::None)
            } else if reason_is("CONSUMER_SUSPENDED") {
                v(Status::Invalid, Reason::Disabled)
            } else if reason_is("SERVICE_DISABLED") {
                v(Status::Restricted, Reason::ServiceDisabled)
            } else if reason_is("API_KEY_IP_ADDRESS_BLOCKED") {
                v(Status::Restricted, Reason::IpNotAllowed)
            } else {
                v(Status::Restricted, Reason::None)
            }
        }
        400 => {
            // xAI answers an unknown key with 400 on its key endpoint (not on generation).
            if reason_is("API_KEY_INVALID") || (provider.style == Style::Xai && !deep) {
                v(Status::Invalid, Reason::None)
            } else if f.google_status.as_deref() == Some("FAILED_PRECONDITION") || has("location is not supported") {
                v(Status::RegionBlocked, Reason::None)
            } else if has("credit balance is too low") {
                v(Status::NoCredit, Reason::None)
            } else if has("has been disabled") {
                v(Status::Invalid, Reason::Disabled)
            } else {
                v(Status::ProviderError, Reason::BadRequest)
            }
        }
        404 => v(Status::ProviderError, Reason::NotFound),
        429 => {
            if NO_CREDIT_CODES.iter().any(|c| is_code(c)) {
                v(Status::NoCredit, Reason::None)
            } else {
                v(Status::RateLimited, Reason::None)
            }
        }
        _ => v(Status::ProviderError, Reason::None),
    }
}

/// A request that got no answer: timeout, DNS, refused, TLS, a connection that broke off.
pub(crate) fn transport(e: &reqwest::Error) -> Verdict {
    if e.is_timeout() {
        return verdict(Status::Timeout, None, Reason::None);
    }
    // The library's error chain names the cause; it holds the URL at most, never the key.
    let mut chain = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        chain.push_str(&s.to_string().to_ascii_lowercase());
        chain.push(' ');
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::TimedOut
        {
            return verdict(Status::Timeout, None, Reason::None);
        }
        source = s.source();
    }
    let reason = if chain.contains("dns") || chain.contains("lookup") || chain.contains("resolve") {
        Reason::Dns
    } else if chain.contains("refused") {
        Reason::Refused
    } else if chain.contains("certificate") || chain.contains("tls") || chain.contains("handshake") {
        Reason::Tls
    } else if e.is_body() || e.is_decode() {
        return verdict(Status::ProviderError, None, Reason::BrokenAnswer);
    } else {
        Reason::None
    };
    verdict(Status::NetworkError, None, reason)
}
