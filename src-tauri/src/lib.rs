//! Keyward's desktop app: thin Tauri commands over keyward-core. Secrets stay on the Rust side:
//! the webview gets masked values, and copying happens here.

mod clipboard;
mod command_schema;
#[cfg(test)]
mod command_tests;
pub mod commands;
mod dialogs;
mod qr;
mod quit_signals;
mod session_watch;
mod state;
pub mod webview_tuning;
mod window;

pub use command_schema::typescript;
pub use state::AppState;
use tauri::{AppHandle, Manager, Runtime};

/// Locks: clears the clipboard if it holds our key, stops checks, saves pending check results
/// and drops the vault (which wipes its secrets). Also when the session locks or the machine
/// sleeps, and at quit.
pub fn lock_now<R: Runtime>(app: &AppHandle<R>) {
    // The clipboard first: saving pending check results may wait for the vault.
    clipboard::clear_if_ours(app);
    let state = app.state::<AppState>();
    state.cancel_checks();
    // The session first: a command holding it (a paste being used) finishes before the pasted
    // keys are forgotten, and none is pasted once it is locked.
    let mut session = state.session();
    session.lock();
    state.forget_pasted();
    drop(session);
    window::set_title(app, "Keyward");
}

/// The app's configuration, capabilities and embedded UI.
fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// Starts the app.
pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_clipboard_manager::init())
        // Used from Rust only (no permission is granted to the window): the file dialogs and
        // opening a provider's page in the browser.
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(AppState::new())
        .setup(|app| {
            if let Some(window) = app.get_webview_window("main") {
                webview_tuning::apply(&window);
            }
            session_watch::start(app.handle());
            quit_signals::start(app.handle());
            // A remembered vault that was deleted since: its passphrase leaves the keyring.
            std::thread::spawn(|| {
                if let Ok(device) = keyward_core::device::Device::here() {
                    let _ = keyward_core::remember::forget_deleted(&device.data_dir);
                }
            });
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(context())
        .expect("the Keyward window could not be created")
        .run(|app, event| match event {
            // Quitting, from the window or from the OS (quit_signals): leave nothing on the
            // clipboard, nothing unsaved and nothing unlocked. This must happen here, before the
            // plugins are torn down: at `Exit` the clipboard plugin is gone (and panics if used).
            tauri::RunEvent::ExitRequested { .. } => lock_now(app),
            // Whatever way the loop ends, the secrets are dropped (wiped).
            tauri::RunEvent::Exit => {
                let state = app.state::<AppState>();
                state.session().lock();
                *state.copied.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
            }
            _ => {}
        });
}
