//! What every command needs: the device, which vault file, and the passphrase sources the person
//! gave. Opening the vault is the core's decision ([`keyward_core::api`]); this file only says
//! where the command line gets a passphrase and how it asks a question.

use crate::args::Cli;
use crate::input;
use keyward_core::api::{Credentials, Session};
use keyward_core::device::Device;
use keyward_core::identity::Identity;
use keyward_core::{SaveReport, VaultError};
use std::path::PathBuf;

pub struct Context {
    pub device: Device,
    pub vault_path: PathBuf,
    pub passphrase_file: Option<PathBuf>,
    /// A plain identity file (`KEYWARD_IDENTITY_FILE`) instead of the Keyward identity.
    pub identity_file: Option<PathBuf>,
    /// --accept-change: open a vault whose file changed in kind or root without asking.
    accept_change: bool,
}

/// An unlocked session; what verifying the vault left out, and what is said once, is printed
/// (on stderr) when the command is done with it.
pub struct Opened(pub Session);

impl std::ops::Deref for Opened {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.0
    }
}

impl std::ops::DerefMut for Opened {
    fn deref_mut(&mut self) -> &mut Session {
        &mut self.0
    }
}

impl Drop for Opened {
    fn drop(&mut self) {
        for notice in self.0.take_notices() {
            eprintln!("keyward: {notice}");
        }
    }
}

impl Context {
    pub fn new(cli: &Cli) -> Result<Context, VaultError> {
        let device = Device::here()?;
        // A remembered vault that was deleted since: its passphrase leaves the keyring. (If
        // the keyring cannot be reached now, it is tried again next time.)
        let _ = keyward_core::remember::forget_deleted(&device.data_dir);
        let vault_path = cli.vault.clone().unwrap_or_else(|| device.default_vault());
        Ok(Context {
            device,
            vault_path,
            passphrase_file: cli.passphrase_file.clone(),
            identity_file: cli.identity_file.clone(),
            accept_change: cli.accept_change,
        })
    }

    /// A locked session on the vault.
    pub fn session(&self) -> Session {
        Session::new(self.device.clone(), self.vault_path.clone())
    }

    /// Where the passphrase comes from: --passphrase-file or KEYWARD_PASSPHRASE, else the OS
    /// keyring when this vault is remembered here, else the terminal.
    pub fn credentials<'a>(
        &self,
        ask: &'a mut dyn FnMut() -> Result<keyward_core::SecretString, VaultError>,
    ) -> Credentials<'a> {
        let explicit = self.passphrase_file.is_some() || input::passphrase_in_env();
        Credentials {
            passphrase: if explicit { input::passphrase(self.passphrase_file.as_deref()).ok() } else { None },
            identity_file: self.identity_file.clone(),
            remembered: !explicit,
            ask,
        }
    }

    /// Opens the vault (the core decides how: passphrase, identity, keyring).
    pub fn open(&self) -> Result<Opened, VaultError> {
        let mut session = self.session();
        let file = self.passphrase_file.clone();
        let mut ask = move || input::passphrase(file.as_deref());
        let mut how = self.credentials(&mut ask);
        let unlocked = session.unlock(&mut how, &mut |why| self.confirm_change(why))?;
        for notice in unlocked.notices {
            eprintln!("keyward: {notice}");
        }
        Ok(Opened(session))
    }

    /// Whether to open a vault whose file changed in kind or root: --accept-change, else the
    /// person's answer on a terminal (no terminal: no).
    fn confirm_change(&self, why: &str) -> bool {
        self.accept_change || ask(&format!("{why}\nOpen it anyway, and trust it from now on on this device?"))
    }

    /// My identity, unlocked (a plain identity file, else mine under its passphrase).
    pub fn identity(&self) -> Result<Identity, VaultError> {
        if let Some(file) = &self.identity_file {
            return keyward_core::identity::from_plain_file(file);
        }
        let path = self.device.identity_path();
        if !path.exists() {
            return Err(VaultError::NoIdentity { path });
        }
        let passphrase = input::passphrase(self.passphrase_file.as_deref())?;
        keyward_core::identity::open(&path, passphrase)
    }

    /// My identity, created (under a new passphrase) if I have none yet; `true` when created.
    pub fn identity_or_create(&self, session: &Session, work_factor: u8) -> Result<(Identity, bool), VaultError> {
        if self.identity_file.is_some() || self.device.identity_path().exists() {
            return self.identity().map(|id| (id, false));
        }
        let passphrase = input::new_passphrase(self.passphrase_file.as_deref(), input::new_passphrase_env(true))?;
        session.identity_or_create(&passphrase, work_factor)
    }
}

/// Asks a yes/no question on the terminal (no terminal: no).
pub fn ask(question: &str) -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return false;
    }
    eprint!("keyward: {question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y" | "yes" | "Yes")
}

/// Asks for one confirmation a key needs on this device.
pub fn confirm(consent: &keyward_core::consent::Consent) -> bool {
    ask(&format!("{} Allow it on this device?", consent.sentence()))
}

/// Says so when the vault had been changed elsewhere and was merged.
pub fn note_merge(report: &SaveReport) {
    if report.merged {
        eprintln!("note: the vault had been changed by another program meanwhile; both changes were kept.");
    }
    for (old, new) in &report.renamed {
        eprintln!("note: two different keys were named \"{old}\"; one is now called \"{new}\".");
    }
}
