//! What clients may show about an entry without the secret: metadata and a masked key.

use crate::entry::{Entry, LastCheck};
use crate::members::Member;
use crate::provider;
use crate::signing::Signed;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// An entry as lists, details views and `--json` output show it. Holds no secret.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EntrySummary {
    pub id: String,
    pub name: String,
    pub provider: String,
    pub provider_name: String,
    /// `sk-proj-…a1b2`: a known prefix and the last four characters.
    pub masked: String,
    pub env_var: String,
    pub base_url: Option<String>,
    /// Where a check sends the key when that is not the provider's own address (`host:port`).
    pub sent_to: Option<String>,
    pub organization: Option<String>,
    pub project: Option<String>,
    pub environment: Option<String>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Who changed it last, as [`Authors::author`] says.
    pub updated_by: String,
    pub expires_on: Option<NaiveDate>,
    pub rotation_days: Option<u32>,
    pub last_check: Option<LastCheck>,
    /// How many earlier values are kept in the history.
    pub history_len: usize,
    /// The earlier values, masked, newest first.
    pub history: Vec<HistorySummary>,
    /// In a team vault: former members who could read this value (rotate it).
    pub exposed_to: Vec<String>,
    /// In a team vault: what a teammate set for this key that this device has not confirmed,
    /// one sentence each (it is not sent or given to a program until confirmed).
    pub to_confirm: Vec<String>,
    /// The provider's page for managing keys and its billing page ("" when unknown).
    pub keys_url: &'static str,
    pub billing_url: &'static str,
}

/// One earlier value of a key, masked.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistorySummary {
    pub masked: String,
    pub replaced_at: DateTime<Utc>,
    /// Who replaced it, as [`Authors::author`] says.
    pub replaced_by: String,
}

/// The names of a vault's members by the fingerprint of their signing key, to say who signed
/// a change (made once per listing: a fingerprint costs a hash).
pub struct Authors(std::collections::HashMap<String, String>);

impl Authors {
    pub fn of(members: &[Member]) -> Authors {
        Authors(members.iter().map(|m| (m.fingerprint(), crate::members::display_name(&m.name))).collect())
    }

    /// Who made a change, for display. In a team vault the name written in the change is only
    /// its author's claim: the member whose key signed it is named too when that is someone else
    /// ("bob, signed by alice": alice vouched for bob's change when she removed him, or someone
    /// signed a change under another's name). Unsigned changes are this device's own.
    pub fn author(&self, claimed: &str, signed: Option<&Signed>) -> String {
        let Some(signed) = signed else { return claimed.to_string() };
        match self.0.get(&signed.by) {
            Some(name) if name == claimed => claimed.to_string(),
            Some(name) => format!("{claimed}, signed by {name}"),
            None => format!("{claimed}, signed by {}", signed.by),
        }
    }
}

impl EntrySummary {
    /// What may be shown of `e`, an entry of a vault whose members are `authors`.
    pub fn new(e: &Entry, authors: &Authors) -> Self {
        let known = provider::by_id(&e.provider);
        EntrySummary {
            keys_url: known.map_or("", |p| p.keys_url),
            billing_url: known.map_or("", |p| p.billing_url),
            id: e.id.clone(),
            name: e.name.clone(),
            provider: e.provider.clone(),
            provider_name: known.map_or("Other", |p| p.display_name).to_string(),
            masked: e.secret.masked(),
            env_var: e.env_var.clone(),
            base_url: e.base_url.clone(),
            sent_to: crate::consent::custom_base_url(e).map(|(_, host)| host),
            organization: e.organization.clone(),
            project: e.project.clone(),
            environment: e.environment.clone(),
            tags: e.tags.clone(),
            notes: e.notes.clone(),
            created_at: e.created_at,
            updated_at: e.updated_at,
            updated_by: authors.author(&e.updated_by, e.signed.as_ref()),
            expires_on: e.expires_on,
            rotation_days: e.rotation_days,
            last_check: e.last_check.clone(),
            history_len: e.history.len(),
            exposed_to: Vec::new(),
            to_confirm: Vec::new(),
            history: e
                .history
                .iter()
                .rev()
                .map(|h| HistorySummary {
                    masked: h.secret.masked(),
                    replaced_at: h.replaced_at,
                    replaced_by: authors.author(&h.replaced_by, h.signed.as_ref()),
                })
                .collect(),
        }
    }
}
