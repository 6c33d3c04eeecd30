//! Key checks against the local fake providers (127.0.0.1 only): every status of the
//! vocabulary for every provider in the table, deep checks, hostile answers, network failures,
//! concurrency and cancellation. No test touches the internet.

use fake_providers::FakeProviders;
use keyward_core::Secret;
use keyward_core::check::{Cancel, CheckJob, CheckOptions, CheckReport, Checker, Status};
use std::time::{Duration, Instant};

fn job(server: &FakeProviders, provider: &str, key: &str) -> CheckJob {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    CheckJob {
        entry_id: format!("id-{n}"),
        name: format!("{provider} key {n}"),
        provider: provider.to_string(),
        secret: Secret::from(key),
        base_url: Some(server.base_url(provider)),
        organization: None,
        project: None,
    }
}

fn checker(deep: bool) -> Checker {
    let options = CheckOptions { deep, timeout: Duration::from_secs(5), ..Default::default() };
    Checker::new(options).unwrap()
}

async fn check(server: &FakeProviders, provider: &str, key: &str, deep: bool) -> CheckReport {
    let job = job(server, provider, key);
    let report = checker(deep).check(&job).await;
    let json = serde_json::to_string(&report).unwrap();
    assert!(!json.contains(key.split(':').next().unwrap()), "the report holds the key: {json}");
    assert!(!report.message.is_empty() && !report.hint.is_empty(), "{report:?}");
    report
}

const SCENARIOS: &[(&str, &str, Status)] = &[
    ("openai", "valid", Status::Valid),
    ("openai", "invalid", Status::Invalid),
    ("openai", "restricted", Status::Restricted),
    ("openai", "wrong_org", Status::WrongOrganization),
    ("openai", "no_org", Status::WrongOrganization),
    ("openai", "no_credit", Status::NoCredit),
    ("openai", "rate_limited", Status::RateLimited),
    ("openai", "region_blocked", Status::RegionBlocked),
    ("openai", "server_error", Status::ProviderError),
    ("openai", "overloaded", Status::ProviderError),
    ("openai", "not_found", Status::ProviderError),
    ("anthropic", "valid", Status::Valid),
    ("anthropic", "invalid", Status::Invalid),
    ("anthropic", "restricted", Status::Restricted),
    ("anthropic", "no_credit", Status::NoCredit),
    ("anthropic", "disabled", Status::Invalid),
    ("anthropic", "rate_limited", Status::RateLimited),
    ("anthropic", "server_error", Status::ProviderError),
    ("anthropic", "overloaded", Status::ProviderError),
    ("gemini", "valid", Status::Valid),
    ("gemini", "invalid", Status::Invalid),
    ("gemini", "restricted", Status::Restricted),
    ("gemini", "disabled", Status::Invalid),
    ("gemini", "region_blocked", Status::RegionBlocked),
    ("gemini", "rate_limited", Status::RateLimited),
    ("gemini", "server_error", Status::ProviderError),
    ("gemini", "overloaded", Status::ProviderError),
    ("groq", "valid", Status::Valid),
    ("groq", "invalid", Status::Invalid),
    ("groq", "rate_limited", Status::RateLimited),
    ("openrouter", "valid", Status::Valid),
    ("openrouter", "invalid", Status::Invalid),
    ("openrouter", "no_credit", Status::NoCredit),
    ("openrouter", "rate_limited", Status::RateLimited),
    ("xai", "valid", Status::Valid),
    ("xai", "invalid", Status::Invalid),
    ("xai", "disabled", Status::Invalid),
    ("deepseek", "valid", Status::Valid),
    ("deepseek", "invalid", Status::Invalid),
    ("deepseek", "no_credit", Status::NoCredit),
    ("mistral", "valid", Status::Valid),
    ("mistral", "invalid", Status::Invalid),
    ("together", "valid", Status::Valid),
    ("together", "invalid", Status::Invalid),
    ("cohere", "valid", Status::Valid),
    ("cohere", "invalid", Status::Invalid),
    ("cohere", "rate_limited", Status::RateLimited),
    ("huggingface", "valid", Status::Valid),
    ("huggingface", "invalid", Status::Invalid),
    ("azure-openai", "valid", Status::Valid),
    ("azure-openai", "invalid", Status::Invalid),
    ("azure-openai", "not_found", Status::ProviderError),
    ("openai-compatible", "valid", Status::Valid),
    ("openai-compatible", "invalid", Status::Invalid),
];

#[tokio::test]
async fn every_provider_and_status() {
    let server = FakeProviders::start();
    for (provider, scenario, expected) in SCENARIOS {
        let report = check(&server, provider, &format!("test-key-{provider}:{scenario}"), false).await;
        assert_eq!(report.status, *expected, "{provider} {scenario}: {report:#?}");
        assert_eq!(report.sent_to.as_deref(), Some(server.addr().to_string().as_str()));
        assert!(report.custom_base_url);
    }
}

#[tokio::test]
async fn details_link_and_headers() {
    let server = FakeProviders::start();
    let r = check(&server, "openai", "sk-proj-details", false).await;
    assert_eq!(r.http_status, Some(200));
    assert_eq!(r.details.models_count, Some(3));
    assert!(r.details.models.contains(&"gpt-4o-mini".to_string()));
    assert_eq!(r.request_id.as_deref(), Some("req_0123456789abcdef0123456789abcdef"));
    assert_eq!(r.details.rate_limit.get("x-ratelimit-remaining-requests").map(String::as_str), Some("4999"));
    assert!(r.latency_ms.is_some());
    assert!(r.hint.contains("deep check"), "{}", r.hint);

    let r = check(&server, "openai", "sk-proj-x:invalid", false).await;
    assert_eq!(r.provider_code.as_deref(), Some("invalid_api_key"));
    assert_eq!(r.link.as_deref(), Some("https://platform.openai.com/api-keys"));
    let r = check(&server, "openai", "sk-proj-x:no_credit", false).await;
    assert!(r.link.unwrap().contains("billing"));
    let r = check(&server, "anthropic", "sk-ant-x:invalid", false).await;
    assert_eq!(r.request_id.as_deref(), Some("req_011CSHoEeqs5C35K2UUqR7Fy"));
    let r = check(&server, "openrouter", "sk-or-v1-x", false).await;
    assert!(r.details.credit.as_deref().unwrap().contains("15.75"), "{r:?}");
    let r = check(&server, "deepseek", "sk-x", false).await;
    assert_eq!(r.details.credit.as_deref(), Some("4.87 USD"));
    let r = check(&server, "gemini", "AIza-x:invalid", false).await;
    assert_eq!(r.provider_code.as_deref(), Some("API_KEY_INVALID"));

    // How each key was sent: the right header, never in the URL.
    let mut j = job(&server, "openai", "sk-proj-org");
    j.organization = Some("org-abc".into());
    j.project = Some("proj_123".into());
    checker(false).check(&j).await;
    let requests = server.requests();
    let sent = requests.iter().find(|r| r.header("authorization") == Some("Bearer sk-proj-org")).unwrap();
    assert_eq!(sent.path, "/openai/v1/models");
    assert_eq!(sent.header("openai-organization"), Some("org-abc"));
    assert_eq!(sent.header("openai-project"), Some("proj_123"));
    let anthropic = requests.iter().find(|r| r.header("x-api-key") == Some("sk-ant-x:invalid")).unwrap();
    assert_eq!(anthropic.header("anthropic-version"), Some("2023-06-01"));
    let gemini = requests.iter().find(|r| r.header("x-goog-api-key").is_some()).unwrap();
    assert_eq!(gemini.path, "/gemini/v1beta/models");
    assert!(requests.iter().all(|r| !r.path.contains("key=")));
}

#[tokio::test]
async fn deep_checks() {
    let server = FakeProviders::start();
    let r = check(&server, "openai", "sk-proj-deep", true).await;
    assert_eq!(r.status, Status::Valid);
    assert!(r.deep && r.message.contains("generate"), "{r:?}");
    let chat = server.requests().into_iter().find(|r| r.method == "POST").unwrap();
    assert_eq!(chat.path, "/openai/v1/chat/completions");
    let body: serde_json::Value = serde_json::from_str(&chat.body).unwrap();
    assert_eq!(body["model"], "gpt-4o-mini");
    assert_eq!(body["max_tokens"], 1);

    assert_eq!(check(&server, "openai", "sk-proj-a:no_credit_deep", false).await.status, Status::Valid);
    assert_eq!(check(&server, "openai", "sk-proj-a:no_credit_deep", true).await.status, Status::NoCredit);
    assert_eq!(check(&server, "openai", "sk-proj-a:restricted_deep", true).await.status, Status::Restricted);
    assert_eq!(check(&server, "anthropic", "sk-ant-a:no_credit_deep", true).await.status, Status::NoCredit);
    assert_eq!(check(&server, "groq", "gsk_a:no_credit_deep", true).await.status, Status::NoCredit);
    let r = check(&server, "anthropic", "sk-ant-deep", true).await;
    assert_eq!(r.status, Status::Valid);
    let messages = server.requests().into_iter().find(|r| r.path == "/anthropic/v1/messages").unwrap();
    assert!(messages.body.contains("claude-3-5-haiku-20241022"));
    let r = check(&server, "gemini", "AIza-deep", true).await;
    assert_eq!(r.status, Status::Valid);
    assert!(server.requests().iter().any(|r| r.path == "/gemini/v1beta/models/gemini-2.0-flash-lite:generateContent"));
    // Not deep unless asked: the plain check makes no POST for these.
    let before = server.requests().len();
    check(&server, "openai", "sk-proj-plain", false).await;
    assert!(server.requests()[before..].iter().all(|r| r.method == "GET"));
}

#[tokio::test]
async fn hostile_answers() {
    let server = FakeProviders::start();
    let elsewhere = FakeProviders::start_on("127.0.0.2");
    server.set_redirect_target(&format!("{}/models", elsewhere.base_url("openai")));

    let r = check(&server, "openai", "sk-proj-a:redirect", false).await;
    assert_eq!(r.status, Status::NetworkError);
    assert!(r.message.contains("127.0.0.2") && r.message.contains("did not follow"), "{}", r.message);
    assert!(elsewhere.requests().is_empty(), "the key was sent to the redirect target");

    let r = check(&server, "openai", "sk-proj-a:html", false).await;
    assert_eq!((r.status, r.http_status), (Status::ProviderError, Some(502)));
    let r = check(&server, "openai", "sk-proj-a:html_ok", false).await;
    assert_eq!(r.status, Status::ProviderError);
    assert!(r.message.contains("web page"), "{}", r.message);
    assert_eq!(check(&server, "openai", "sk-proj-a:malformed", false).await.status, Status::ProviderError);

    // A 64 MB answer is cut at the cap: a complete 200 whose start is read and found unreadable
    // (not an answer that broke off), quickly.
    let started = Instant::now();
    let r = check(&server, "openai", "sk-proj-a:huge", false).await;
    assert_eq!((r.status, r.http_status), (Status::ProviderError, Some(200)));
    assert!(r.message.contains("could not read"), "{}", r.message);
    assert!(started.elapsed() < Duration::from_secs(5));

    // A firewall's block page is not a verdict on the key.
    let r = check(&server, "openai", "sk-proj-a:forbidden_page", false).await;
    assert_eq!((r.status, r.http_status), (Status::ProviderError, Some(403)));
    assert!(r.message.contains("web page"), "{}", r.message);

    // A server that never answers: timeout.
    let quick = Checker::new(CheckOptions { timeout: Duration::from_millis(500), ..Default::default() }).unwrap();
    let started = Instant::now();
    let r = quick.check(&job(&server, "openai", "sk-proj-a:hang")).await;
    assert_eq!(r.status, Status::Timeout);
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_server_that_echoes_the_key_cannot_make_keyward_print_it() {
    let server = FakeProviders::start();
    for (provider, key) in [
        ("openai", "custom-key-0123456789:echo"),
        ("openrouter", "custom-key-0123456789:echo_label"),
        ("openai", "custom-key-0123456789:echo_redirect"),
    ] {
        let r = checker(false).check(&job(&server, provider, key)).await;
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("custom-key-0123456789"), "{json}");
    }
}

#[tokio::test]
async fn deep_check_edge_cases() {
    let server = FakeProviders::start();
    // No deep check for OpenRouter: the report does not claim one.
    let r = check(&server, "openrouter", "sk-or-v1-a", true).await;
    assert_eq!((r.status, r.deep), (Status::Valid, false));
    // Perplexity has no free check, but a deep one.
    let r = check(&server, "perplexity", "pplx-a", false).await;
    assert_eq!(r.status, Status::Unsupported);
    let r = check(&server, "perplexity", "pplx-a", true).await;
    assert_eq!((r.status, r.deep), (Status::Valid, true));
    let chat = server.requests().into_iter().find(|r| r.path == "/perplexity/chat/completions").unwrap();
    assert!(chat.body.contains("\"sonar\""), "{}", chat.body);
    // xAI: a 400 from generation is not "unknown key".
    let r = check(&server, "xai", "xai-a:invalid_request_deep", true).await;
    assert_eq!(r.status, Status::ProviderError, "{r:?}");
}

#[tokio::test]
async fn network_failures_and_unsupported() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut j = job(&FakeProviders::start(), "openai", "sk-proj-a");
    j.base_url = Some(format!("http://{closed}/v1"));
    let r = checker(false).check(&j).await;
    assert_eq!(r.status, Status::NetworkError);
    assert!(r.message.contains("refused"), "{}", r.message);

    j.base_url = Some("not a url".into());
    assert_eq!(checker(false).check(&j).await.status, Status::NetworkError);

    j.base_url = None;
    j.provider = "azure-openai".into();
    let r = checker(false).check(&j).await;
    assert_eq!(r.status, Status::Unsupported);
    assert!(r.hint.contains("base URL"));
    j.provider = "other".into();
    assert_eq!(checker(false).check(&j).await.status, Status::Unsupported);
    j.provider = "perplexity".into();
    let r = checker(false).check(&j).await;
    assert_eq!((r.status, r.sent_to.is_some()), (Status::Unsupported, true));

    // The provider's own base URL is not "custom" (decided without any request).
    j.provider = "openai".into();
    j.base_url = Some("https://api.openai.com/v1/".into());
    assert_eq!(
        keyward_core::check::destination(&j),
        Some(keyward_core::check::Destination { host: "api.openai.com".into(), custom: false })
    );
    // Plain http is refused for anything but this computer: the key would travel unencrypted.
    j.base_url = Some("http://gateway.example/v1".into());
    let r = checker(false).check(&j).await;
    assert_eq!((r.status, r.http_status), (Status::NetworkError, None));
    assert!(r.message.contains("unencrypted"), "{}", r.message);
}

#[tokio::test]
async fn untrusted_certificates_are_refused_before_the_key_is_sent() {
    let tls = fake_providers::UntrustedTls::start();
    let mut j = job(&FakeProviders::start(), "openai", "sk-proj-over-tls");
    j.base_url = Some(tls.base_url("openai"));
    let r = checker(false).check(&j).await;
    assert_eq!(r.status, Status::NetworkError, "{r:?}");
    assert!(r.message.contains("secure connection"), "{}", r.message);
    assert!(tls.requests().is_empty(), "a request got through an untrusted TLS connection");
}

#[tokio::test]
async fn a_proxy_setting_is_used_for_https() {
    let proxy = FakeProviders::start();
    let mut j = job(&proxy, "openai", "sk-proj-via-proxy");
    // The proxy resolves the name: no lookup of it leaves this computer.
    j.base_url = Some("https://gateway.invalid/v1".into());
    let options = CheckOptions { proxy: Some(format!("http://{}", proxy.addr())), ..Default::default() };
    let r = Checker::new(options).unwrap().check(&j).await;
    assert_eq!(r.status, Status::NetworkError, "the fake proxy refuses the tunnel: {r:?}");
    let seen = proxy.requests();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!((seen[0].method.as_str(), seen[0].path.as_str()), ("CONNECT", "gateway.invalid:443"));
    assert!(seen[0].header("authorization").is_none(), "the key is sent only inside the tunnel");
    let bad = CheckOptions { proxy: Some("::not a proxy::".into()), ..Default::default() };
    assert!(Checker::new(bad).is_err());
}

/// Issue 11: plain http is allowed to this computer only, so a key sent that way must never
/// cross the network to a proxy in clear.
#[tokio::test]
async fn plain_http_to_this_computer_never_goes_through_a_proxy() {
    let server = FakeProviders::start();
    let proxy = FakeProviders::start_on("127.0.0.2");
    let j = job(&server, "openai", "sk-proj-local-only");
    let options = CheckOptions { proxy: Some(format!("http://{}", proxy.addr())), ..Default::default() };
    let r = Checker::new(options).unwrap().check(&j).await;
    assert_eq!(r.status, Status::Valid, "{r:?}");
    assert_eq!(server.requests().len(), 1);
    assert!(proxy.requests().is_empty(), "the proxy saw {:?}", proxy.requests());
}

#[tokio::test]
async fn many_keys_concurrently_with_progress_and_cancel() {
    let server = FakeProviders::start();
    let jobs: Vec<CheckJob> = (0..30)
        .map(|i| {
            let scenario = ["valid", "invalid", "no_credit", "rate_limited", "server_error"][i % 5];
            job(&server, "openai", &format!("sk-proj-{i}:{scenario}"))
        })
        .collect();
    let mut progress = 0;
    server.set_latency(Duration::from_millis(50));
    let options = CheckOptions { per_host: 3, ..Default::default() };
    let reports = Checker::new(options).unwrap().check_many(jobs, &Cancel::default(), |_| progress += 1).await;
    assert_eq!((reports.len(), progress), (30, 30));
    assert_eq!(reports.iter().filter(|r| r.status == Status::Valid).count(), 6);
    // Concurrent, but never more than the per-host bound at once.
    assert_eq!(server.max_in_flight(), 3);
    server.set_latency(Duration::ZERO);

    // Cancel a run stuck on servers that never answer: it returns promptly.
    let stuck: Vec<CheckJob> = (0..10).map(|i| job(&server, "openai", &format!("sk-proj-{i}:hang"))).collect();
    let cancel = Cancel::default();
    let canceller = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        canceller.cancel();
    });
    let started = Instant::now();
    let reports = checker(false).check_many(stuck, &cancel, |_| {}).await;
    assert!(reports.is_empty());
    assert!(started.elapsed() < Duration::from_secs(2));
}
