//! One named key and its metadata, the record of replaced values, and deletion tombstones.

use crate::secret::Secret;
use crate::signing::Signed;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A named API key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// Stable id (a UUID); names can change, ids never do.
    pub id: String,
    /// Unique within a vault.
    pub name: String,
    /// Provider id (see [`crate::provider`]), `other` when unknown.
    pub provider: String,
    pub secret: Secret,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// `development`, `production`, … (free text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The environment variable to use for this key (`OPENAI_API_KEY`).
    pub env_var: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Who made the last change (a member name, or user@host).
    pub updated_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<NaiveDate>,
    /// Rotate every this many days.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation_days: Option<u32>,
    /// The last key check's result (written by the key-check engine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_check: Option<LastCheck>,
    /// Secret values this entry held before, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryItem>,
    /// In a team vault: its author's signature on this version (history and check result
    /// are signed on their own). `None` for a change not signed yet (signed when saved).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed: Option<Signed>,
    /// Fields written by a newer Keyward: kept as they are and written back.
    #[serde(flatten)]
    pub unknown: Map<String, Value>,
}

crate::unknown_fields::deserialize_keeping_unknown!(
    Entry,
    times: [created_at, updated_at],
    required: [id, name, provider, secret, env_var],
    optional: [
        base_url, organization, project, environment, tags, notes, updated_by, expires_on, rotation_days,
        last_check, history, signed,
    ]
);

crate::unknown_fields::deserialize_keeping_unknown!(
    LastCheck,
    times: [checked_at],
    required: [status],
    optional: [message, http_status, hint, provider_code, request_id, latency_ms, deep, signed]
);

/// A secret value an entry held before it was replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub secret: Secret,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub replaced_at: DateTime<Utc>,
    pub replaced_by: String,
    /// Kept by a merge from a version that lost: the fingerprint of that version's signer. The
    /// value counts only while they are a member, as their version would (a merge made before
    /// their removal was known does not keep what they wrote after it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<Signed>,
}

/// The outcome of the last key check. Holds no secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct LastCheck {
    /// One word from the key-check vocabulary (`valid`, `invalid`, …).
    pub status: String,
    pub checked_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// It was a deep check (one paid generation request).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub deep: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub signed: Option<Signed>,
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub unknown: Map<String, Value>,
}

/// Marks a deleted entry so that copies of the vault can merge the deletion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    pub id: String,
    #[serde(deserialize_with = "crate::timestamp::deserialize")]
    pub deleted_at: DateTime<Utc>,
    pub deleted_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<Signed>,
}

impl Entry {
    /// Replaces the secret, moving the old value into the history (stamped `at`, which should
    /// come from [`Entry::next_time`]) and dropping the last check's result, which was about the
    /// old value. Does nothing when the value is unchanged.
    pub fn replace_secret(&mut self, secret: Secret, at: DateTime<Utc>, actor: &str) {
        if secret == self.secret {
            return;
        }
        let old = std::mem::replace(&mut self.secret, secret);
        // The last check was about the old value.
        self.last_check = None;
        let replaced_by = actor.to_string();
        self.history.push(HistoryItem { secret: old, replaced_at: at, replaced_by, from: None, signed: None });
        self.tidy_history();
    }

    /// Keeps the history in order (oldest first) with one record per value, the latest, and
    /// without the current value (restoring an old value takes it out of the history).
    pub fn tidy_history(&mut self) {
        // A total order, so that which record of a value is kept never depends on the input's.
        fn key(h: &HistoryItem) -> (DateTime<Utc>, &str, &Secret, Option<&str>, Option<&str>) {
            (h.replaced_at, &h.replaced_by, &h.secret, h.from.as_deref(), h.signed.as_ref().map(|s| s.sig.as_str()))
        }
        self.history.sort_by(|p, q| key(p).cmp(&key(q)));
        let mut latest: std::collections::BTreeMap<&Secret, usize> = Default::default();
        for (i, h) in self.history.iter().enumerate() {
            latest.insert(&h.secret, i);
        }
        let keep: std::collections::BTreeSet<usize> =
            latest.iter().filter(|(s, _)| **s != &self.secret).map(|(_, i)| *i).collect();
        let mut i = 0;
        self.history.retain(|_| {
            i += 1;
            keep.contains(&(i - 1))
        });
    }

    /// The time to stamp a change made `now`: never earlier than the last change, so that a
    /// clock set back cannot make a newer change look older (merges rely on it).
    pub fn next_time(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now.max(self.updated_at + chrono::Duration::nanoseconds(1))
    }

    /// Marks the entry as changed by `actor` at `at` (see [`Entry::next_time`]).
    /// The version changed: it is signed again (by me) when saved.
    pub fn touch(&mut self, at: DateTime<Utc>, actor: &str) {
        self.updated_at = at;
        self.updated_by = actor.to_string();
        self.signed = None;
    }
}
