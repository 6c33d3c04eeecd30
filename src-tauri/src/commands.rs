//! The commands that need the window itself (the clipboard, the system's dialogs, keys pasted
//! and kept here, the browser), declared once (see command_schema.rs): each is a few lines that
//! call keyward-core's API and present its answer. The session's own operations are declared in
//! keyward-core (api/operations.rs) and join these here. Only `reveal_entry` (there) returns a
//! secret; keys the person types or pastes come in, and never go out otherwise.

use crate::command_schema::{Progress, commands};
use crate::state::Pasting;
use crate::{clipboard, dialogs};
use keyward_core::api::{self, CheckRun, Credentials, NewEntry, VaultStatus, Which};
use keyward_core::check::{Cancel, CheckReport};
use keyward_core::device_settings::DeviceSettings;
use keyward_core::pasted::PastedView;
use keyward_core::{EntrySummary, Secret, VaultError};
use serde::Serialize;

/// A key put on the clipboard.
#[derive(Serialize, ts_rs::TS)]
pub struct Copied {
    /// Seconds until the clipboard is cleared.
    pub secs: u64,
    /// Said once per device: a clipboard manager that keeps a history is running.
    pub warning: Option<String>,
}

/// Everything the window shows once a vault is open, in one answer: no second round trip
/// between unlocking and the list.
#[derive(Serialize, ts_rs::TS)]
pub struct Opened {
    /// Sentences to show once (what verification left out; a passphrase not remembered).
    pub notices: Vec<String>,
    pub status: VaultStatus,
    pub settings: DeviceSettings,
    pub entries: Vec<EntrySummary>,
}

fn opened_view(
    ctx: &crate::command_schema::Ctx<'_, impl tauri::Runtime>,
    notices: Vec<String>,
) -> Result<Opened, VaultError> {
    let session = ctx.state.session();
    crate::window::opened(ctx.app, &session);
    Ok(Opened { notices, status: session.status(), settings: session.settings().clone(), entries: session.list()? })
}

/// What was pasted into search.
#[derive(Serialize, ts_rs::TS)]
pub struct SearchPaste {
    /// Text to search for.
    pub text: Option<String>,
    /// An API key, kept in Rust to be added (never searched for or shown).
    pub key: Option<PastedView>,
}

/// The key pasted for `what` (used once).
fn pasted(state: &crate::AppState, what: Pasting) -> Result<Secret, VaultError> {
    state.take_pasted(what).ok_or_else(|| VaultError::Invalid("Paste the key first.".into()))
}

/// Keeps a pasted key while the vault is unlocked (nothing is pasted into a locked app).
fn keep(
    ctx: &crate::command_schema::Ctx<'_, impl tauri::Runtime>,
    what: Pasting,
    secret: Secret,
) -> Result<(), VaultError> {
    let session = ctx.state.session();
    session.vault()?;
    ctx.state.keep_pasted(what, secret);
    Ok(())
}

keyward_core::session_operations!(commands! {
    /// A vault file picked in the system's dialog (`create`: a new file name); null if cancelled.
    fn browse_vault(ctx, create: bool) -> Option<VaultStatus> {
        match dialogs::pick_vault(ctx.app, create)? {
            Some(path) => ctx.state.session().choose(&path).map(Some),
            None => Ok(None),
        }
    }

    /// Creates a personal vault under a new master passphrase, and unlocks it.
    fn create_vault(ctx, passphrase: Secret) -> Opened {
        ctx.state.session().create(passphrase.into_secret_string(), keyward_core::document::DEFAULT_WORK_FACTOR)?;
        opened_view(&ctx, Vec::new())
    }

    /// Unlocks with the passphrase (`remember`: also in the OS keyring of this device;
    /// `accept_change`: the person confirmed a file that changed in kind or root).
    fn unlock(ctx, passphrase: Secret, remember: bool, accept_change: bool) -> Opened {
        let passphrase = passphrase.into_secret_string();
        let mut notices = {
            let mut session = ctx.state.session();
            let mut nobody = Credentials::nobody_to_ask;
            let mut how = Credentials {
                passphrase: Some(passphrase.clone()),
                identity_file: None,
                remembered: false,
                ask: &mut nobody,
            };
            session.unlock(&mut how, &mut |_| accept_change)?.notices
        };
        if remember && let Err(e) = ctx.state.session().remember(&passphrase) {
            notices.push(e.to_string());
        }
        opened_view(&ctx, notices)
    }

    /// Unlocks with the passphrase remembered on this device (the OS keyring is asked).
    fn unlock_remembered(ctx) -> Opened {
        let notices = {
            let mut session = ctx.state.session();
            let mut nobody = Credentials::nobody_to_ask;
            let mut how = Credentials { passphrase: None, identity_file: None, remembered: true, ask: &mut nobody };
            session.unlock(&mut how, &mut |_| false)?.notices
        };
        opened_view(&ctx, notices)
    }

    /// Locks: the clipboard is cleared if it holds our key, the secrets are wiped.
    fn lock(ctx) -> () {
        crate::lock_now(ctx.app);
        Ok(())
    }

    /// Adds a key; with an empty `secret`, the key pasted for it (see `paste_key`), which
    /// stays pasted if adding fails (a name to change, say).
    fn add_entry(ctx, entry: NewEntry) -> EntrySummary {
        let mut entry = entry;
        let from_paste = entry.secret.is_empty();
        if from_paste {
            entry.secret = pasted(ctx.state, Pasting::NewKey)?;
        }
        let kept = from_paste.then(|| entry.secret.clone());
        let result = ctx.state.session().add(entry);
        if result.is_err() && let Some(kept) = kept {
            keep(&ctx, Pasting::NewKey, kept)?;
        }
        Ok(result?.0)
    }

    /// Reads the key on the clipboard in Rust (the page never gets it), cleaned of quotes,
    /// `export`, `NAME=` and spaces; kept for the Add or Replace it is `for_what`.
    fn paste_key(ctx, for_what: Pasting) -> PastedView {
        let pasted = keyward_core::pasted::clean(&clipboard::read(ctx.app)?);
        let view = pasted.view();
        keep(&ctx, for_what, pasted.secret)?;
        Ok(view)
    }

    /// What was pasted into search: its text, or, when it holds an API key (kept as a new key,
    /// like `paste_key`'s), null and the key's view: a key is never shown or searched for.
    fn paste_search(ctx) -> SearchPaste {
        let text = clipboard::read(ctx.app)?;
        let Some(pasted) = keyward_core::pasted::find_key(&text) else {
            return Ok(SearchPaste { text: Some(text.trim().to_string()), key: None });
        };
        let view = pasted.view();
        keep(&ctx, Pasting::NewKey, pasted.secret)?;
        Ok(SearchPaste { text: None, key: Some(view) })
    }

    /// Forgets the key pasted `for_what` (its dialog or pane was closed).
    fn forget_pasted(ctx, for_what: Pasting) -> () {
        ctx.state.take_pasted(for_what);
        Ok(())
    }

    /// Puts a key on the clipboard, hidden from clipboard history, cleared after a while.
    fn copy_entry(ctx, id: String, clear_after_secs: Option<u64>) -> Copied {
        let copy = ctx.state.session().copy(&id, clear_after_secs)?;
        let secs = copy.secs;
        clipboard::copy(ctx.app, copy.secret, std::time::Duration::from_secs(secs))?;
        Ok(Copied { secs, warning: copy.warning })
    }

    /// Checks keys (every key when `ids` is empty) with one client; each result is sent on
    /// `progress` as it comes, and saved once at the end. `cancel_checks` stops it.
    fn check_entries(ctx, ids: Vec<String>, deep: bool, progress: Progress<CheckReport>) -> CheckRun {
        let which = if ids.is_empty() { Which::All } else { Which::Ids(ids) };
        let cancel = Cancel::default();
        let run_id = ctx.state.check_runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        ctx.state.checks.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((run_id, cancel.clone()));
        let run = api::check(&ctx.state.session, which, deep, &cancel, &mut |_| false, &mut |report| {
            let _ = progress.0.send(report.clone());
        });
        ctx.state.checks.lock().unwrap_or_else(std::sync::PoisonError::into_inner).retain(|(id, _)| *id != run_id);
        run
    }

    /// Stops the checks running now (finished results are kept).
    fn cancel_checks(ctx) -> () {
        ctx.state.cancel_checks();
        Ok(())
    }

    /// Replaces a key's value; the old one goes into its history. `other_provider`: the person
    /// confirmed a key that looks like another provider's.
    /// An empty `secret` is the key pasted last; refused for another provider's key, it stays
    /// pasted for the answer.
    fn replace_key(ctx, id: String, secret: Secret, keep_base_url: bool, other_provider: bool) -> EntrySummary {
        let from_paste = secret.is_empty();
        let secret = if from_paste { pasted(ctx.state, Pasting::Replacement)? } else { secret };
        let kept = from_paste.then(|| secret.clone());
        let result = ctx.state.session().replace(&id, secret, keep_base_url, other_provider);
        if result.is_err() && let Some(kept) = kept {
            keep(&ctx, Pasting::Replacement, kept)?;
        }
        Ok(result?.0)
    }

    /// Opens the provider's keys page (or `billing` page) in the browser.
    fn open_provider_page(ctx, id: String, billing: bool) -> () {
        let url = ctx.state.session().provider_page(&id, billing)?;
        dialogs::open_url(ctx.app, url)
    }

    /// A file picked in the system's dialog: to import from, or (`for_export`) to save to.
    fn browse_file(ctx, for_export: bool) -> Option<String> {
        dialogs::pick_file(ctx.app, for_export)
    }

    /// The QR code (SVG) of my member line, for a teammate's phone or camera.
    fn identity_qr(ctx) -> Option<String> {
        Ok(ctx.state.session().my_identity().and_then(|me| crate::qr::svg(&me.member_line)))
    }

    /// Puts my member line on the clipboard (it is not a secret).
    fn copy_public_key(ctx) -> () {
        let me = ctx.state.session().my_identity();
        let line = me.ok_or_else(|| VaultError::Invalid("You have no identity on this device yet.".into()))?;
        clipboard::copy_text(ctx.app, line.member_line)
    }
});
