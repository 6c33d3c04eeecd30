//! `keyward test` end to end, against the local fake providers on 127.0.0.1.

use fake_providers::FakeProviders;
use keyward_e2e::TestVault;

const KEYS: &[(&str, &str, &str)] = &[
    ("openai-prod", "openai", "sk-proj-e2e-valid-0123456789"),
    ("openai-old", "openai", "sk-proj-e2e-revoked-0123456789:invalid"),
    ("claude", "anthropic", "sk-ant-api03-e2e-0123456789:no_credit_deep"),
    ("gemini", "gemini", "AIzaSyE2E-0123456789:region_blocked"),
    ("router", "openrouter", "sk-or-v1-e2e-0123456789:rate_limited"),
];

fn vault_with_keys(server: &FakeProviders) -> TestVault {
    let v = TestVault::new();
    for (name, provider, key) in KEYS {
        v.ok(&["add", name, "--provider", provider, "--base-url", &server.base_url(provider)], Some(key));
    }
    v
}

#[test]
fn test_all_tells_each_key_the_truth_and_saves_it() {
    let server = FakeProviders::start();
    let v = vault_with_keys(&server);

    let out = v.run(&["test", "--all", "--json"], None);
    assert_eq!(out.status.code(), Some(1), "not every key is valid");
    let reports: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(&str, &str)> =
        reports.iter().map(|r| (r["name"].as_str().unwrap(), r["status"].as_str().unwrap())).collect();
    assert_eq!(
        got,
        [
            ("openai-prod", "valid"),
            ("openai-old", "invalid"),
            ("claude", "valid"),
            ("gemini", "region_blocked"),
            ("router", "rate_limited")
        ]
    );
    for r in &reports {
        for field in ["message", "hint", "checked_at"] {
            assert!(r[field].as_str().is_some_and(|s| !s.is_empty()), "{field} missing in {r}");
        }
        assert!(r["http_status"].is_u64(), "{r}");
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("is sent to {}", server.addr())), "{stderr}");

    // Saved on each key.
    let show: serde_json::Value = serde_json::from_str(&v.ok(&["show", "openai-old", "--json"], None)).unwrap();
    assert_eq!(show["last_check"]["status"], "invalid");
    assert_eq!(show["last_check"]["http_status"], 401);

    // Human output: one plain sentence and what to do, never a key.
    let out = v.run(&["test", "--all"], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("does not recognise this key"), "{text}");
    assert!(text.contains("https://platform.openai.com/api-keys"), "{text}");
    assert!(text.contains("rate-limited"), "{text}");
    for (_, _, key) in KEYS {
        let secret = key.split(':').next().unwrap();
        for stream in [&out.stdout, &out.stderr] {
            assert!(!String::from_utf8_lossy(stream).contains(secret), "a key was printed");
        }
    }
}

#[test]
fn deep_check_finds_the_missing_credit_and_single_valid_key_exits_zero() {
    let server = FakeProviders::start();
    let v = vault_with_keys(&server);
    assert_eq!(v.run(&["test", "openai-prod"], None).status.code(), Some(0));

    let out = v.run(&["test", "claude", "--deep", "--json"], None);
    assert_eq!(out.status.code(), Some(1));
    let reports: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reports[0]["status"], "no_credit");
    assert_eq!(reports[0]["deep"], true);
    assert!(String::from_utf8_lossy(&out.stderr).contains("fraction of a cent"));
    assert!(server.requests().iter().any(|r| r.method == "POST" && r.path == "/anthropic/v1/messages"));
}

#[test]
fn timeouts_usage_and_unknown_names() {
    let server = FakeProviders::start();
    let v = TestVault::new();
    v.ok(&["add", "slow", "--base-url", &server.base_url("openai")], Some("sk-proj-slow:hang"));
    let out = v.run(&["test", "slow", "--timeout", "1", "--json"], None);
    let reports: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reports[0]["status"], "timeout");
    assert_eq!(v.run(&["test"], None).status.code(), Some(2), "names or --all are required");
    assert!(v.fails(&["test", "nope"], None).contains("no key named"));
}
