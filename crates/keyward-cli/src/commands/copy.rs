//! `copy`: the key goes to the clipboard, marked secret for clipboard managers, and is wiped
//! after a timeout unless the user has copied something else since.

use crate::context::Context;
use keyward_core::{VaultError, clipboard};
use std::time::Duration;
use zeroize::Zeroizing;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Copy the key to the clipboard and clear it after a while
    Copy {
        name: String,
        /// Seconds before the clipboard is cleared (unless you copied something else); default:
        /// this device's setting (30 s unless changed in the app)
        #[arg(long, value_name = "SECS",
              value_parser = clap::value_parser!(u64).range(1..=keyward_core::clipboard::MAX_CLEAR_AFTER.as_secs()))]
        clear_after: Option<u64>,
    },
}

pub fn dispatch(ctx: &Context, command: Command) -> Result<u8, VaultError> {
    match command {
        Command::Copy { name, clear_after } => copy(ctx, &name, clear_after)?,
    }
    Ok(0)
}

pub fn copy(ctx: &Context, name: &str, clear_after: Option<u64>) -> Result<(), VaultError> {
    let mut vault = ctx.open()?;
    let id = vault.id_of(name)?;
    let copy = vault.copy(&id, clear_after)?;
    drop(vault);
    let (secret, clear_after) = (copy.secret, Duration::from_secs(copy.secs));

    let quit = QuitSignals::catch();
    let mut board = take_clipboard(secret.expose())?;
    println!("Copied \"{name}\" to the clipboard. It will be cleared in {} s.", clear_after.as_secs());
    if let Some(warning) = copy.warning {
        eprintln!("warning: {} (e.g. --clear-after 10)", warning.trim_end_matches('.'));
    }

    // The clipboard is served by this process (X11, Wayland): it waits here until the timeout,
    // or until it is told to quit (Ctrl-C, SIGTERM, SIGHUP), and clears the key either way.
    quit.wait(clear_after);
    let current = board.get_text().ok().map(Zeroizing::new);
    if clipboard::should_clear(current.as_deref().map(String::as_str), &secret) {
        let _ = board.clear();
        say("Cleared the clipboard.");
    } else {
        say("The clipboard holds something else now; left it as it is.");
    }
    Ok(())
}

/// The clipboard, holding `text`. Taking it can fail for a moment (another program holding it,
/// a busy X server: seen once in ten test runs on a loaded machine), so it is tried a few times
/// within about half a second; then the reason is said (arboard's reasons never hold the text).
fn take_clipboard(text: &str) -> Result<arboard::Clipboard, VaultError> {
    let mut tries = 0;
    loop {
        let taken = arboard::Clipboard::new().and_then(|mut board| set_secret_text(&mut board, text).map(|()| board));
        match taken {
            Ok(board) => return Ok(board),
            Err(_) if tries < 5 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => {
                return Err(VaultError::Invalid(format!(
                    "No clipboard is available here (no graphical session?): {e}."
                )));
            }
        }
    }
}

/// Prints a line, ignoring a terminal that is gone (after SIGHUP): the clipboard was handled.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// Ctrl-C, SIGTERM and SIGHUP, caught from before the key is copied until the wait ends, so that
/// no quit signal can end `copy` with the key left on the clipboard.
struct QuitSignals {
    #[cfg(unix)]
    caught: Option<(tokio::runtime::Runtime, [tokio::signal::unix::Signal; 3])>,
}

impl QuitSignals {
    fn catch() -> QuitSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok();
            let caught = runtime.and_then(|runtime| {
                let _context = runtime.enter();
                let signals = [
                    signal(SignalKind::terminate()).ok()?,
                    signal(SignalKind::interrupt()).ok()?,
                    signal(SignalKind::hangup()).ok()?,
                ];
                drop(_context);
                Some((runtime, signals))
            });
            QuitSignals { caught }
        }
        #[cfg(not(unix))]
        QuitSignals {}
    }

    /// Sleeps for `duration`, or less when a quit signal arrives first.
    fn wait(self, duration: Duration) {
        #[cfg(unix)]
        if let Some((runtime, [mut term, mut int, mut hup])) = self.caught {
            runtime.block_on(async {
                tokio::select! {
                    _ = tokio::time::sleep(duration) => {}
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                    _ = hup.recv() => {}
                }
            });
            return;
        }
        std::thread::sleep(duration);
    }
}

/// Marks the text as a secret where the OS allows: hidden from clipboard history.
fn set_secret_text(board: &mut arboard::Clipboard, text: &str) -> Result<(), arboard::Error> {
    #[cfg(target_os = "linux")]
    {
        use arboard::SetExtLinux;
        board.set().exclude_from_history().text(text)
    }
    #[cfg(target_os = "windows")]
    {
        use arboard::SetExtWindows;
        board.set().exclude_from_history().exclude_from_cloud().text(text)
    }
    #[cfg(not(any(target_os = "linux", target_os = "windows")))]
    {
        board.set_text(text)
    }
}
