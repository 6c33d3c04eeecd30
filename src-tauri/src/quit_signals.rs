//! Quitting from the OS (SIGTERM at logout, shutdown or `kill`; SIGINT; SIGHUP when the
//! terminal goes) takes the app's normal way out, which locks the vault (saving check results
//! not saved yet) and clears a key it left on the clipboard. By default these signals would end
//! the process on the spot, and on some systems the clipboard outlives its owner.

use tauri::AppHandle;

/// Waits for a quit signal in the background, then exits the app normally.
pub fn start(app: &AppHandle) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            let (Ok(mut term), Ok(mut int), Ok(mut hup)) =
                (signal(SignalKind::terminate()), signal(SignalKind::interrupt()), signal(SignalKind::hangup()))
            else {
                return;
            };
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
                _ = hup.recv() => {}
            }
            app.exit(0);
        });
    }
    #[cfg(not(unix))]
    let _ = app;
}
