//! The Team panel: my public key, the vault's members, adding and removing them, the keys to
//! rotate, and merging sync tools' conflict copies.

use super::{LOCKED, Result, sentence, whoami, with_document};
use crate::AppState;
use keyward_core::identity;
use keyward_core::{SecretString, VaultError};
use serde::Serialize;
use std::path::PathBuf;
use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;

/// Where my identity is kept (the same file the command line uses).
pub fn identity_path() -> PathBuf {
    super::data_dir().join("identity.age")
}

#[derive(Serialize)]
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

#[derive(Serialize)]
pub struct RotateView {
    pub name: String,
    pub former_members: Vec<String>,
}

#[derive(Serialize)]
pub struct TeamView {
    pub is_team: bool,
    /// My member line (public and signing key), when I have an identity on this device.
    pub my_public_key: Option<String>,
    pub my_fingerprint: Option<String>,
    /// The QR code of my member line, as SVG.
    pub my_qr_svg: Option<String>,
    pub members: Vec<MemberView>,
    pub to_rotate: Vec<RotateView>,
}

fn my_public_key() -> Option<String> {
    identity::public_key(&identity_path()).ok()
}

/// What I share to be added: my public key and signing key (`age1… ed25519:…`).
fn my_member_line() -> Option<String> {
    identity::public_line(&identity_path()).ok()
}

fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(code.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).quiet_zone(true).build())
}

#[tauri::command(async)]
pub fn team_status(state: State<'_, AppState>) -> Result<TeamView> {
    let mine = my_public_key();
    let line = my_member_line();
    let fingerprint =
        line.as_deref().and_then(|l| keyward_core::members::parse_member_line(l).ok()).and_then(|k| k.fingerprint());
    with_document(&state, |doc| {
        let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339();
        let my_id = mine.as_deref().map(keyward_core::members::key_id);
        Ok(TeamView {
            is_team: doc.is_team(),
            my_qr_svg: line.as_deref().and_then(qr_svg),
            my_public_key: line.clone(),
            my_fingerprint: fingerprint.clone(),
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
    })
}

/// My name in this vault's team, else the user name.
pub fn actor(state: &State<'_, AppState>) -> String {
    let mine = my_public_key();
    with_document(state, |doc| Ok(mine.and_then(|k| doc.member_with_key(&k).map(|m| m.name.clone()))))
        .ok()
        .flatten()
        .unwrap_or_else(whoami)
}

/// Makes this personal vault a team vault with me (named `name`) as its first member. My
/// identity is created on first use, under the passphrase given (asked again here).
#[tauri::command(async)]
pub fn make_team(state: State<'_, AppState>, name: String, passphrase: String) -> Result<TeamView> {
    let passphrase = SecretString::from(passphrase);
    let path = state.path.lock().unwrap().clone();
    // The passphrase must be this vault's (proves it is the owner at the keyboard).
    keyward_core::Vault::open(&path, keyward_core::Unlock::Passphrase(passphrase.clone())).map_err(sentence)?;
    let id_path = identity_path();
    let me = if id_path.exists() {
        identity::open(&id_path, passphrase).map_err(sentence)?
    } else {
        identity::create(&id_path, &passphrase, keyward_core::document::DEFAULT_WORK_FACTOR).map_err(sentence)?
    };
    {
        let mut guard = state.vault.lock().unwrap();
        let vault = guard.as_mut().ok_or(LOCKED)?;
        vault.make_team(name.trim(), me).map_err(sentence)?;
    }
    team_status(state)
}

#[tauri::command(async)]
pub fn add_member(state: State<'_, AppState>, name: String, public_key: String) -> Result<TeamView> {
    super::change_and_save(&state, |doc, change| {
        if !doc.is_team() {
            return Err(VaultError::Invalid("Make this a team vault first.".into()));
        }
        doc.add_member(&name, &public_key, change).map(|_| ())
    })?;
    team_status(state)
}

/// Removes a member; returns the keys they could read (to rotate).
#[tauri::command(async)]
pub fn remove_member(state: State<'_, AppState>, name: String) -> Result<Vec<String>> {
    super::change_and_save(&state, |doc, change| doc.remove_member(&name, change))
}

/// Puts my public key on the clipboard (it is not a secret).
#[tauri::command(async)]
pub fn copy_public_key(app: AppHandle) -> Result<()> {
    let key = my_member_line().ok_or("You have no identity on this device yet.")?;
    app.clipboard().write_text(key).map_err(|_| "The clipboard is not available.".to_string())
}

#[derive(Serialize)]
pub struct CopyMerged {
    pub file: String,
    /// "2 added, 1 changed, 0 deleted", or why it was left in place.
    pub result: String,
    pub merged: bool,
}

/// Merges every conflict copy beside the vault and deletes the ones merged.
#[tauri::command(async)]
pub fn merge_conflict_copies(state: State<'_, AppState>) -> Result<Vec<CopyMerged>> {
    let mut guard = state.vault.lock().unwrap();
    let vault = guard.as_mut().ok_or(LOCKED)?;
    Ok(vault
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
