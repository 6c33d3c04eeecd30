//! Fuzzes the reading of providers' answers to a key check (status, headers, JSON error
//! bodies): the first bytes choose the provider, the status and a header; the rest is the body.
//! Run: `cd fuzz && cargo +nightly fuzz run provider_answer seeds/answers`.
#![no_main]

use libfuzzer_sys::fuzz_target;

const PROVIDERS: &[&str] = &["openai", "anthropic", "gemini", "groq", "openrouter", "xai", "mistral", "cohere"];

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let provider = PROVIDERS[data[0] as usize % PROVIDERS.len()];
    let status = (u16::from_le_bytes([data[1], data[2]]) % 600).max(100);
    let header = match data[3] % 4 {
        0 => vec![],
        1 => vec![("retry-after".to_string(), "30".to_string())],
        2 => vec![("x-request-id".to_string(), "req_1".to_string())],
        _ => vec![("content-type".to_string(), "text/html".to_string())],
    };
    let _ = keyward_core::check::classify_answer_for_fuzzing(provider, status, header, data[4..].to_vec());
});
