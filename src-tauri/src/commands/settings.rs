//! Settings of this device (outside the vault file).

use super::Result;
use crate::AppState;
use crate::settings::Settings;
use tauri::State;

#[tauri::command(async)]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.settings.lock().unwrap().clone()
}

/// Saves the settings the window can change; the recent vault list is kept as it is.
#[tauri::command(async)]
pub fn set_settings(state: State<'_, AppState>, settings: Settings) -> Result<Settings> {
    let mut current = state.settings.lock().unwrap();
    let settings = Settings {
        recent_vaults: current.recent_vaults.clone(),
        clipboard_warned: current.clipboard_warned.clone(),
        ..settings
    }
    .checked()?;
    settings.save()?;
    *current = settings.clone();
    Ok(settings)
}
