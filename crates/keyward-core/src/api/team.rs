//! Team vaults: my identity (what I share to be added), the members, adding and removing them,
//! the keys to rotate, and merging sync tools' conflict copies.

use super::session::Session;
use crate::error::{Result, VaultError};
use crate::identity::{self, Identity};
use crate::{SaveReport, SecretString, Vault};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MemberView {
    pub name: String,
    pub public_key: String,
    pub fingerprint: String,
    /// Has a signing key: their changes count (else read-only).
    pub writes: bool,
    pub added_at: String,
    pub added_by: String,
    pub removed_at: Option<String>,
    pub removed_by: Option<String>,
    pub is_me: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RotateView {
    pub name: String,
    pub former_members: Vec<String>,
}

/// What I share to be added to a team: my member line (public key and signing key).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MyIdentity {
    pub member_line: String,
    pub fingerprint: String,
    /// Where the identity is kept on this device.
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TeamView {
    pub is_team: bool,
    /// Mine, when I have an identity on this device.
    pub me: Option<MyIdentity>,
    pub members: Vec<MemberView>,
    pub to_rotate: Vec<RotateView>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CopyMerged {
    pub file: String,
    /// "2 added, 1 changed, 0 deleted", or why it was left in place.
    pub result: String,
    pub merged: bool,
}

impl Session {
    /// My identity on this device, without its passphrase (the member line kept beside it).
    pub fn my_identity(&self) -> Option<MyIdentity> {
        let path = self.device().identity_path();
        let line = identity::public_line(&path).ok().filter(|l| l.contains(' '))?;
        let fingerprint = crate::members::parse_member_line(&line).ok()?.fingerprint().unwrap_or_default();
        Some(MyIdentity { member_line: line, fingerprint, file: path.display().to_string() })
    }

    /// My identity, created under `passphrase` if I have none yet (`true` when created), else
    /// opened with it. Joining a team needs nothing else: my own vault stays as it is.
    pub fn identity_or_create(&self, passphrase: &SecretString, work_factor: u8) -> Result<(Identity, bool)> {
        let path = self.device().identity_path();
        if path.exists() {
            let me = identity::open(&path, passphrase.clone())?;
            // From before signed team vaults: the member line is written beside it now.
            if self.my_identity().is_none() {
                identity::write_public_line(&path, &me)?;
            }
            return Ok((me, false));
        }
        crate::passphrase::acceptable(passphrase)?;
        if let Some(dir) = path.parent() {
            super::session::create_private_dir(dir)?;
        }
        identity::create(&path, passphrase, work_factor).map(|me| (me, true))
    }

    /// The vault's members, my identity, and the keys to rotate.
    pub fn team(&self) -> Result<TeamView> {
        let me = self.my_identity();
        let doc = self.document()?;
        let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339();
        let my_key = identity::public_key(&self.device().identity_path()).ok();
        let my_id = my_key.as_deref().map(crate::members::key_id);
        Ok(TeamView {
            is_team: doc.is_team(),
            me,
            members: doc
                .members
                .iter()
                .map(|m| MemberView {
                    name: m.name.clone(),
                    public_key: m.public_key.clone(),
                    fingerprint: m.fingerprint(),
                    writes: m.signing_key.is_some(),
                    added_at: time(m.added_at),
                    added_by: m.added_by.clone(),
                    removed_at: m.removed_at.map(time),
                    removed_by: m.removed_by.clone(),
                    is_me: my_id.as_deref() == Some(m.key_id().as_str()) && m.is_active(),
                })
                .collect(),
            to_rotate: doc
                .exposed()
                .into_iter()
                .map(|x| RotateView {
                    name: x.entry.name.clone(),
                    former_members: x.former_members.iter().map(|s| s.to_string()).collect(),
                })
                .collect(),
        })
    }

    /// Makes this personal vault a team vault with me (named `name`, default my login name)
    /// as its first member. `passphrase` must open this vault (the owner is at the keyboard); my
    /// identity is created under it on first use.
    pub fn make_team(&mut self, name: Option<&str>, passphrase: SecretString) -> Result<SaveReport> {
        Vault::open(self.path(), crate::Unlock::Passphrase(passphrase.clone()))?;
        let (me, _) = self.identity_or_create(&passphrase, crate::document::DEFAULT_WORK_FACTOR)?;
        self.make_team_with(name, me)
    }

    /// Makes this personal vault a team vault with `me` as its first member.
    pub fn make_team_with(&mut self, name: Option<&str>, me: Identity) -> Result<SaveReport> {
        let name =
            name.map(str::trim).filter(|n| !n.is_empty()).map_or_else(|| self.device().user.clone(), str::to_string);
        let key = me.public_key.clone();
        let report = self.vault_mut()?.make_team(&name, me)?;
        self.set_my_key(key);
        Ok(report)
    }

    /// Adds a member from the line they shared (`age1… ed25519:…`). Returns their name and
    /// fingerprint.
    pub fn add_member(&mut self, name: &str, line: &str) -> Result<((String, String), SaveReport)> {
        if !self.document()?.is_team() {
            return Err(VaultError::Invalid("Make this a team vault first.".into()));
        }
        self.change(|doc, change| {
            let m = doc.add_member(name, line.trim(), change)?;
            Ok((m.name.clone(), m.fingerprint()))
        })
    }

    /// Removes a member; returns the keys they could read (to rotate).
    pub fn remove_member(&mut self, name: &str) -> Result<(Vec<String>, SaveReport)> {
        if !self.document()?.is_team() {
            return Err(VaultError::Invalid("This is a personal vault: it has no members.".into()));
        }
        self.change(|doc, change| doc.remove_member(name, change))
    }

    /// Merges every conflict copy beside the vault and deletes the ones merged.
    pub fn merge_conflict_copies(&mut self) -> Result<Vec<CopyMerged>> {
        Ok(self
            .vault_mut()?
            .merge_conflict_copies()
            .into_iter()
            .map(|(file, result)| CopyMerged {
                file: file.display().to_string(),
                // A copy holding something refused is kept (and said so, with why).
                merged: result.as_ref().is_ok_and(|s| s.refused.is_empty()),
                result: match result {
                    Ok(summary) if summary.refused.is_empty() && summary.members.is_empty() => summary.counts(),
                    Ok(summary) if summary.refused.is_empty() => {
                        format!("{}; members: {}", summary.counts(), summary.members.join(", "))
                    }
                    Ok(summary) => format!("{} merged; not merged: {}", summary.counts(), summary.refused.join(" ")),
                    Err(e) => e.to_string(),
                },
            })
            .collect())
    }
}
