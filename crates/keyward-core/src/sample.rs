//! Realistic sample vaults for benchmarks (the core's criterion benches and the app's): named
//! keys with provider, environment, tags, notes, and every tenth key one earlier value.

use crate::document::{Change, Document, EntryFields};
use crate::secret::Secret;
use chrono::Utc;

const PROVIDERS: &[&str] = &["openai", "anthropic", "gemini", "groq", "openrouter", "xai", "mistral"];
const ENVS: &[&str] = &["development", "staging", "production"];

/// A document with `entries` keys named like `openai-staging-42`.
pub fn document(entries: usize) -> Document {
    let mut doc = Document::new(Utc::now());
    let change = Change { now: Utc::now(), actor: "bench@host" };
    for i in 0..entries {
        let provider = PROVIDERS[i % PROVIDERS.len()];
        let fields = EntryFields {
            provider: Some(provider.to_string()),
            environment: Some(ENVS[i % ENVS.len()].to_string()),
            tags: Some(vec![format!("team-{}", i % 17), format!("project-{}", i % 101)]),
            notes: Some(format!("Key number {i} for the {provider} integration of service {}", i % 53)),
            ..Default::default()
        };
        let name = format!("{provider}-{}-{i}", ENVS[i % ENVS.len()]);
        let secret = Secret::new(format!("sk-proj-{i:08}abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123"));
        doc.add(&name, secret, fields, &change).expect("sample names are unique");
        if i % 10 == 0 {
            let rotated = Secret::new(format!("sk-proj-{i:08}rotated-zyxwvutsrqponmlkjihgfedcba9876543210"));
            doc.edit(&name, None, Some(rotated), EntryFields::default(), &change).expect("the key was just added");
        }
    }
    doc
}
