//! Locks the vault when the desktop session locks (the screensaver's `ActiveChanged(true)` on
//! the session bus) or the machine is about to sleep (logind's `PrepareForSleep(true)` and a
//! session's `Lock` on the system bus). Where there is no such bus, nothing is watched: the idle
//! timer still locks.

use tauri::{AppHandle, Manager};

/// (which bus, match rule, whether the signal carries a bool that must be true)
const WATCHED: &[(Bus, &str, bool)] = &[
    (Bus::Session, "type='signal',interface='org.freedesktop.ScreenSaver',member='ActiveChanged'", true),
    (Bus::Session, "type='signal',interface='org.gnome.ScreenSaver',member='ActiveChanged'", true),
    (Bus::System, "type='signal',interface='org.freedesktop.login1.Manager',member='PrepareForSleep'", true),
    (Bus::System, "type='signal',interface='org.freedesktop.login1.Session',member='Lock'", false),
];

#[derive(Clone, Copy)]
enum Bus {
    Session,
    System,
}

/// Starts one watching thread per signal.
pub fn start(app: &AppHandle) {
    for &(bus, rule, needs_true) in WATCHED {
        let app = app.clone();
        std::thread::spawn(move || watch(&app, bus, rule, needs_true));
    }
}

fn watch(app: &AppHandle, bus: Bus, rule: &str, needs_true: bool) {
    let connection = match bus {
        Bus::Session => zbus::blocking::Connection::session(),
        Bus::System => zbus::blocking::Connection::system(),
    };
    let Ok(connection) = connection else { return };
    let Ok(messages) = zbus::blocking::MessageIterator::for_match_rule(rule, &connection, Some(16)) else { return };
    for message in messages.flatten() {
        let fired = !needs_true || message.body().deserialize::<bool>().unwrap_or(false);
        if fired {
            // On the app's own worker threads, as the Lock button's command runs.
            let app = app.clone();
            tauri::async_runtime::spawn_blocking(move || {
                crate::lock_now(&app);
                // A fresh page: nothing revealed stays in the window, and it shows the unlock
                // screen even while a hidden window's timers are paused.
                if let Some(window) = app.get_webview_window("main") {
                    let _ = window.eval("window.location.reload()");
                }
            });
        }
    }
}
