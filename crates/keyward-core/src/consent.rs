//! Nothing sent or run on another member's word: in a team vault, a key's base URL that is not
//! its provider's own address, or a variable that is not its provider's standard one, needs the
//! person's confirmation on this device before a key is sent there or a program gets it, unless
//! they set it themselves here. The answers are kept on the device ([`crate::trust::Approvals`]).

use crate::document::Document;
use crate::entry::Entry;
use crate::trust::Approvals;
use serde::Serialize;

/// What is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Asked {
    /// The key would be sent to `url` (on `host`) instead of its provider.
    BaseUrl { url: String, host: String },
    /// A program would get the key as `var`.
    EnvVar { var: String },
}

/// One confirmation a key needs before it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consent {
    pub entry_id: String,
    pub entry_name: String,
    pub asked: Asked,
    /// Who signed the key's current version: "bob (3f2a 91c0 77de 0b14)".
    pub set_by: String,
}

impl Consent {
    /// The question, in plain words.
    pub fn sentence(&self) -> String {
        let name = crate::members::display_name(&self.entry_name);
        match &self.asked {
            Asked::BaseUrl { url, host } => format!(
                "The key \"{name}\" is to be sent to {host} ({}), not to its provider's own address; {} set it, not you on this device.",
                url.chars().filter(|c| !c.is_control()).take(200).collect::<String>(),
                self.set_by
            ),
            Asked::EnvVar { var } => format!(
                "The key \"{name}\" is to be given to programs as {}, not its provider's usual variable; {} set it, not you on this device.",
                crate::env_guard::shown(var),
                self.set_by
            ),
        }
    }
}

/// The base URL a key is sent to when it is not its provider's own (`None`: the provider's).
pub fn custom_base_url(entry: &Entry) -> Option<(String, String)> {
    let job = crate::check::CheckJob::from(entry);
    let to = crate::check::destination(&job)?;
    to.custom.then(|| (entry.base_url.clone().unwrap_or_default(), to.host))
}

/// Whether a key's variable is its provider's standard one (or, for other keys, the one made
/// from its name).
pub fn standard_env_var(entry: &Entry) -> bool {
    entry.env_var == crate::provider::default_env_var(&entry.provider, &entry.name)
}

/// The confirmations `entry` needs on this device (none in a personal vault).
pub fn needed(doc: &Document, approvals: &Approvals, entry: &Entry) -> Vec<Consent> {
    if !doc.is_team() {
        return Vec::new();
    }
    let set_by = || {
        let by = entry.signed.as_ref().map(|s| s.by.as_str());
        doc.members
            .iter()
            .find(|m| by.is_some_and(|b| m.fingerprint() == b))
            .map(|m| format!("{} ({})", crate::members::display_name(&m.name), m.fingerprint()))
            .unwrap_or_else(|| "someone else".to_string())
    };
    let mut out = Vec::new();
    if let Some((url, host)) = custom_base_url(entry)
        && !approvals.base_urls.iter().any(|(id, u)| id == &entry.id && u == &url)
    {
        out.push(Consent {
            entry_id: entry.id.clone(),
            entry_name: entry.name.clone(),
            asked: Asked::BaseUrl { url, host },
            set_by: set_by(),
        });
    }
    if !standard_env_var(entry) && !approvals.env_vars.iter().any(|(id, v)| id == &entry.id && v == &entry.env_var) {
        out.push(Consent {
            entry_id: entry.id.clone(),
            entry_name: entry.name.clone(),
            asked: Asked::EnvVar { var: entry.env_var.clone() },
            set_by: set_by(),
        });
    }
    out
}

/// Records a confirmation.
pub fn approve(approvals: &mut Approvals, consent: &Consent) {
    match &consent.asked {
        Asked::BaseUrl { url, .. } => approvals.base_urls.push((consent.entry_id.clone(), url.clone())),
        Asked::EnvVar { var } => approvals.env_vars.push((consent.entry_id.clone(), var.clone())),
    }
}
