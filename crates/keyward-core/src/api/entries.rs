//! Keys: listing, adding, editing, replacing, deleting (with undo), revealing and copying.

use super::session::Session;
use crate::document::EntryFields;
use crate::error::{Result, VaultError};
use crate::summary::Authors;
use crate::{Document, Entry, EntrySummary, SaveReport, Secret, provider};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A key to add. Empty texts mean "not set"; the provider is detected from the key when not
/// given, and the variable follows the provider.
#[derive(Debug, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(default)]
pub struct NewEntry {
    pub name: String,
    /// Wiped when dropped, on every path.
    pub secret: Secret,
    pub provider: Option<String>,
    pub env_var: Option<String>,
    pub organization: Option<String>,
    pub project: Option<String>,
    pub environment: Option<String>,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub base_url: Option<String>,
    pub expires_on: Option<NaiveDate>,
    /// 0 or none: no rotation reminder.
    pub rotation_days: Option<u32>,
}

/// Changes to a key's details. A field left out stays as it is; an empty text clears it (an
/// empty provider is detected from the key again, an empty variable is the provider's).
#[derive(Debug, Deserialize, Default, Clone)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(default)]
pub struct EditEntry {
    pub name: Option<String>,
    pub provider: Option<String>,
    pub env_var: Option<String>,
    pub organization: Option<String>,
    pub project: Option<String>,
    pub environment: Option<String>,
    pub tags: Option<Vec<String>>,
    pub notes: Option<String>,
    pub base_url: Option<String>,
    /// `""` clears the expiry date; otherwise `YYYY-MM-DD`.
    pub expires_on: Option<String>,
    /// 0 clears the rotation reminder.
    pub rotation_days: Option<u32>,
}

/// A new value for a key.
pub struct Replacement {
    pub secret: Secret,
    /// Keep sending it to the key's custom base URL (else: to its provider's own address).
    pub keep_base_url: bool,
    /// It may be another provider's key (the person was asked): the key becomes that
    /// provider's. Without it such a key is refused with [`VaultError::OtherProvider`].
    pub other_provider: bool,
}

/// The provider a key looks like (while it is being pasted).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Detected {
    pub id: String,
    pub name: String,
}

/// A key to put on the clipboard, and for how long. The client places it (the app through
/// its clipboard, the command line by serving it itself) and clears it after `secs`.
pub struct Copy {
    pub name: String,
    pub secret: Secret,
    pub secs: u64,
    /// Said once per device: a clipboard manager that keeps a history is running.
    pub warning: Option<String>,
}

/// A provider a key can be set to (the choices in an editor).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProviderChoice {
    pub id: String,
    pub name: String,
    /// The variable its SDKs read.
    pub env_var: String,
}

/// Every provider Keyward knows, then "other".
pub fn providers() -> Vec<ProviderChoice> {
    provider::PROVIDERS
        .iter()
        .map(|p| ProviderChoice { id: p.id.into(), name: p.display_name.into(), env_var: p.env_var.into() })
        .chain(std::iter::once(ProviderChoice {
            id: provider::OTHER.into(),
            name: "Other".into(),
            env_var: String::new(),
        }))
        .collect()
}

/// The provider a key looks like, if Keyward knows it.
pub fn detect(secret: &str) -> Option<Detected> {
    provider::detect(secret).map(|p| Detected { id: p.id.into(), name: p.display_name.into() })
}

/// Former members who could read each key (by id), in a team vault.
fn exposed(doc: &Document) -> std::collections::HashMap<String, Vec<String>> {
    doc.exposed()
        .into_iter()
        .map(|x| (x.entry.id.clone(), x.former_members.iter().map(|m| m.to_string()).collect()))
        .collect()
}

fn with_exposure(mut summary: EntrySummary, exposed: &std::collections::HashMap<String, Vec<String>>) -> EntrySummary {
    summary.exposed_to = exposed.get(&summary.id).cloned().unwrap_or_default();
    summary
}

/// Adds the confirmations a key needs on this device (none in a personal vault).
fn with_consents(vault: &crate::Vault, e: &Entry, mut summary: EntrySummary) -> EntrySummary {
    if vault.document().is_team() {
        summary.to_confirm = vault.consents_for(e).iter().map(crate::consent::Consent::sentence).collect();
    }
    summary
}

fn entry<'a>(doc: &'a Document, id: &str) -> Result<&'a Entry> {
    doc.entries.iter().find(|e| e.id == id).ok_or_else(|| VaultError::NoSuchEntry(id_hint(id)))
}

/// An id in an error sentence: short, as a person could recognise it.
fn id_hint(id: &str) -> String {
    id.chars().take(40).collect()
}

impl Session {
    /// Every key, as lists show them (no secret).
    pub fn list(&self) -> Result<Vec<EntrySummary>> {
        let doc = self.document()?;
        let authors = Authors::of(&doc.members);
        let exposed = exposed(doc);
        let vault = self.vault()?;
        Ok(doc
            .entries
            .iter()
            .map(|e| with_consents(vault, e, with_exposure(EntrySummary::new(e, &authors), &exposed)))
            .collect())
    }

    /// One key, as its details show it.
    pub fn summary(&self, id: &str) -> Result<EntrySummary> {
        let doc = self.document()?;
        let e = entry(doc, id)?;
        let summary = with_exposure(EntrySummary::new(e, &Authors::of(&doc.members)), &exposed(doc));
        Ok(with_consents(self.vault()?, e, summary))
    }

    /// The id of the key named `name`.
    pub fn id_of(&self, name: &str) -> Result<String> {
        Ok(self.document()?.get(name)?.id.clone())
    }

    pub(crate) fn entry(&self, id: &str) -> Result<&Entry> {
        entry(self.document()?, id)
    }

    /// Adds a key; returns it as saved (a merge with a change made elsewhere may rename it).
    pub fn add(&mut self, new: NewEntry) -> Result<(EntrySummary, SaveReport)> {
        let fields = EntryFields {
            provider: new.provider.filter(|p| !p.trim().is_empty()),
            env_var: new.env_var.filter(|v| !v.trim().is_empty()),
            organization: new.organization,
            project: new.project,
            environment: new.environment,
            tags: Some(new.tags),
            notes: new.notes,
            base_url: new.base_url,
            expires_on: new.expires_on.map(Some),
            rotation_days: new.rotation_days.filter(|&d| d > 0),
        };
        let (name, secret) = (new.name, new.secret);
        let (id, report) = self.change(|doc, change| Ok(doc.add(&name, secret, fields, change)?.id.clone()))?;
        Ok((self.summary(&id)?, report))
    }

    /// Changes a key's name and details.
    pub fn edit(&mut self, id: &str, edit: EditEntry) -> Result<(EntrySummary, SaveReport)> {
        self.update(id, edit, None)
    }

    /// Replaces a key's value; the old one goes into its history and the last check, which was
    /// about the old value, is dropped. See [`Replacement`].
    pub fn replace(
        &mut self,
        id: &str,
        secret: Secret,
        keep_base_url: bool,
        other_provider: bool,
    ) -> Result<(EntrySummary, SaveReport)> {
        self.update(id, EditEntry::default(), Some(Replacement { secret, keep_base_url, other_provider }))
    }

    /// Changes a key's details and, with `replacement`, its value, in one save.
    pub fn update(
        &mut self,
        id: &str,
        edit: EditEntry,
        replacement: Option<Replacement>,
    ) -> Result<(EntrySummary, SaveReport)> {
        let expires_on =
            match edit.expires_on.as_deref().map(str::trim) {
                None => None,
                Some("") => Some(None),
                Some(date) => Some(Some(NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| {
                    VaultError::Invalid("The expiry date is not a date (write it as YYYY-MM-DD).".into())
                })?)),
            };
        let mut fields = EntryFields {
            provider: edit.provider,
            env_var: edit.env_var,
            organization: edit.organization,
            project: edit.project,
            environment: edit.environment,
            tags: edit.tags,
            notes: edit.notes,
            base_url: edit.base_url,
            expires_on,
            rotation_days: edit.rotation_days,
        };
        let secret = match replacement {
            None => None,
            Some(r) => {
                let current = self.entry(id)?;
                let provider = fields.provider.clone().filter(|p| !p.trim().is_empty());
                let provider = provider.as_deref().unwrap_or(&current.provider);
                if let Some(found) = provider::detect(r.secret.expose()).filter(|p| p.id != provider) {
                    if !r.other_provider {
                        return Err(VaultError::OtherProvider {
                            name: current.name.clone(),
                            detected: found.display_name.into(),
                            current: provider::by_id(provider).map_or("another provider", |p| p.display_name).into(),
                        });
                    }
                    fields.provider.get_or_insert_with(|| found.id.to_string());
                }
                // Unless kept, the new key goes to its provider's own address (a teammate may
                // have set the custom one).
                if !r.keep_base_url {
                    fields.base_url.get_or_insert_with(String::new);
                }
                Some(r.secret)
            }
        };
        let (id, report) = self.change(|doc, change| {
            let name = entry(doc, id)?.name.clone();
            doc.edit(&name, edit.name.as_deref(), secret, fields, change).map(|e| e.id.clone())
        })?;
        Ok((self.summary(&id)?, report))
    }

    /// Deletes a key; it is kept in memory for [`Session::undo_delete`] until the next delete or
    /// lock. Returns its name.
    pub fn delete(&mut self, id: &str) -> Result<(String, SaveReport)> {
        let (removed, report) = self.change(|doc, change| {
            let name = entry(doc, id)?.name.clone();
            doc.remove(&name, change)
        })?;
        let name = removed.name.clone();
        self.deleted = Some(removed);
        Ok((name, report))
    }

    /// Brings back the key deleted last; returns its name.
    pub fn undo_delete(&mut self) -> Result<(String, SaveReport)> {
        let entry = self.deleted.take().ok_or_else(|| VaultError::Invalid("There is nothing to undo.".into()))?;
        let result = self.change(|doc, change| doc.restore(entry.clone(), change).map(|e| e.name.clone()));
        if result.is_err() {
            // Nothing changed: the undo stays possible.
            self.deleted = Some(entry);
        }
        result
    }

    /// Makes an earlier value the key again (`newest_first`: its place in the details' history).
    pub fn restore_value(&mut self, id: &str, newest_first: usize) -> Result<(EntrySummary, SaveReport)> {
        let (id, report) = self.change(|doc, change| {
            let e = entry(doc, id)?;
            let (name, len) = (e.name.clone(), e.history.len());
            let index = len
                .checked_sub(newest_first + 1)
                .ok_or_else(|| VaultError::Invalid("That earlier value is gone.".into()))?;
            doc.restore_value(&name, index, change).map(|e| e.id.clone())
        })?;
        Ok((self.summary(&id)?, report))
    }

    /// The key's value, for Reveal (the one operation that shows a secret).
    pub fn reveal(&self, id: &str) -> Result<Secret> {
        Ok(self.entry(id)?.secret.clone())
    }

    /// The key to copy and for how long (the device's setting unless `clear_after_secs`; at
    /// most [`crate::clipboard::MAX_CLEAR_AFTER`]).
    pub fn copy(&mut self, id: &str, clear_after_secs: Option<u64>) -> Result<Copy> {
        let e = self.entry(id)?;
        let (name, secret) = (e.name.clone(), e.secret.clone());
        let max = crate::clipboard::MAX_CLEAR_AFTER.as_secs();
        let secs = clear_after_secs.unwrap_or(self.settings().clipboard_clear_secs).clamp(1, max);
        Ok(Copy { name, secret, secs, warning: self.clipboard_warning_once() })
    }

    /// What a key needs confirmed on this device before it is sent to its base URL or given to
    /// a program (in a team vault: what a teammate set).
    pub fn consents(&self, id: &str) -> Result<Vec<crate::consent::Consent>> {
        Ok(self.vault()?.consents_needed(id))
    }

    /// Confirms on this device everything a teammate set for this key (the person saw every
    /// sentence [`Session::consents`] gave).
    pub fn trust(&mut self, id: &str) -> Result<()> {
        let asked = self.consents(id)?;
        self.give_consents(&asked)
    }

    /// Confirms on this device exactly these (what the person was asked about, no more).
    pub fn give_consents(&mut self, consents: &[crate::consent::Consent]) -> Result<()> {
        let vault = self.vault_mut()?;
        for c in consents {
            vault.give_consent(c)?;
        }
        Ok(())
    }

    /// The address of a key's provider page: `billing`, else the page for managing keys. Only
    /// addresses from Keyward's provider table.
    pub fn provider_page(&self, id: &str, billing: bool) -> Result<&'static str> {
        provider::by_id(&self.entry(id)?.provider)
            .map(|p| if billing { p.billing_url } else { p.keys_url })
            .filter(|url| !url.is_empty())
            .ok_or_else(|| VaultError::Invalid("Keyward does not know this provider's pages.".into()))
    }
}
