//! Keyward's desktop app: thin Tauri commands over keyward-core. Secrets stay on the Rust side:
//! the webview gets masked values, and copying happens here.

mod clipboard;
mod commands;
mod quit_signals;
mod session_watch;
mod settings;
mod state;
pub mod webview_tuning;

pub use state::AppState;
use tauri::Manager;

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
                let _ = keyward_core::remember::forget_deleted(&commands::data_dir());
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::vault::vault_status,
            commands::vault::choose_vault,
            commands::vault::browse_vault,
            commands::vault::create_vault,
            commands::vault::unlock,
            commands::vault::unlock_remembered,
            commands::vault::forget_device,
            commands::vault::lock,
            commands::vault::refresh_vault,
            commands::vault::change_passphrase,
            commands::entries::list_entries,
            commands::entries::add_entry,
            commands::entries::detect_provider,
            commands::entries::copy_entry,
            commands::entries::check_entry,
            commands::entries::save_checks,
            commands::entries::reveal_entry,
            commands::entries::delete_entry,
            commands::entries::undo_delete,
            commands::entries::edit_entry,
            commands::entries::replace_key,
            commands::entries::entry_consents,
            commands::entries::trust_entry,
            commands::entries::restore_value,
            commands::entries::open_provider_page,
            commands::transfer::preview_import,
            commands::transfer::import_file,
            commands::transfer::export_env,
            commands::transfer::browse_file,
            commands::team::team_status,
            commands::team::make_team,
            commands::team::add_member,
            commands::team::remove_member,
            commands::team::copy_public_key,
            commands::team::merge_conflict_copies,
            commands::settings::get_settings,
            commands::settings::set_settings,
        ])
        .build(tauri::generate_context!())
        .expect("the Keyward window could not be created")
        .run(|app, event| match event {
            // Quitting, from the window or from the OS (quit_signals): leave nothing on the
            // clipboard, nothing unsaved and nothing unlocked. This must happen here, before the
            // plugins are torn down: at `Exit` the clipboard plugin is gone (and panics if used).
            tauri::RunEvent::ExitRequested { .. } => commands::vault::lock_now(app, &app.state::<AppState>()),
            // Whatever way the loop ends, the secrets are dropped (wiped).
            tauri::RunEvent::Exit => {
                let state = app.state::<AppState>();
                *state.vault.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
                *state.copied.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
            }
            _ => {}
        });
}
