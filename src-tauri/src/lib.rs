//! Keyward's desktop app: thin Tauri commands over keyward-core. Secrets stay on the Rust side:
//! the webview gets masked values, and copying happens here.

mod clipboard;
mod commands;
mod settings;
mod state;

pub use state::AppState;

/// Starts the app.
pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(AppState::new())
        .invoke_handler(tauri::generate_handler![
            commands::vault_status,
            commands::create_vault,
            commands::unlock,
            commands::lock,
            commands::list_entries,
            commands::add_entry,
            commands::detect_provider,
            commands::copy_entry,
            commands::check_entry,
            commands::refresh_vault,
            commands::reveal_entry,
            commands::delete_entry,
            commands::undo_delete,
            commands::edit_entry,
            commands::replace_key,
            commands::restore_value,
            commands::change_passphrase,
            commands::get_settings,
            commands::set_settings,
        ])
        .build(tauri::generate_context!())
        .expect("the Keyward window could not be created")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                // Leave nothing on the clipboard, and nothing unlocked, when quitting.
                clipboard::clear_if_ours(app);
            }
        });
}
