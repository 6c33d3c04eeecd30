//! A private D-Bus session with an unlocked gnome-keyring (a real Secret Service), for tests of
//! "remember on this device". Both daemons are stopped on drop.

use crate::require_tool;
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A private D-Bus daemon (used as a session bus, or to stand in for the system bus).
pub struct Bus {
    pid: u32,
    pub address: String,
}

impl Bus {
    pub fn start(home: &Path) -> Bus {
        require_tool("dbus-daemon");
        require_tool("dbus-send");
        let mut dbus = Command::new("dbus-daemon")
            .args(["--session", "--fork", "--print-address=1", "--print-pid=1"])
            .env("HOME", home)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon");
        let mut lines = std::io::BufReader::new(dbus.stdout.take().expect("stdout")).lines();
        let address = lines.next().expect("the bus address").expect("the bus address");
        let pid = lines.next().expect("the pid").expect("the pid").trim().parse().expect("a pid");
        let _ = dbus.wait();
        Bus { pid, address }
    }

    /// Sends a signal on this bus: `path`, `interface.member`, and its arguments
    /// (`boolean:true`).
    pub fn signal(&self, path: &str, member: &str, args: &[&str]) {
        // --session with the address in the environment: dbus-send then registers on the bus
        // (with --address it does not, and the bus drops the signal).
        let status = Command::new("dbus-send")
            .args(["--session", "--type=signal", path, member])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .args(args)
            .status()
            .expect("dbus-send");
        assert!(status.success(), "dbus-send {member} failed");
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.pid.to_string()).status();
    }
}

pub struct SecretService {
    keyring: Child,
    /// The session bus it runs on.
    pub bus: Bus,
    /// DBUS_SESSION_BUS_ADDRESS for programs that should use it.
    pub address: String,
}

impl SecretService {
    /// Starts both with `home` as HOME (its keyrings stay in there).
    pub fn start(home: &Path) -> SecretService {
        require_tool("gnome-keyring-daemon");
        let bus = Bus::start(home);
        let address = bus.address.clone();
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("HOME", home)
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gnome-keyring-daemon");
        keyring.stdin.take().expect("stdin").write_all(b"keyring-pw").expect("unlock the keyring");
        let service = SecretService { keyring, bus, address };
        // Ready when the Secret Service owns its name on the bus.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !service.running() {
            assert!(std::time::Instant::now() < deadline, "the Secret Service did not start");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        service
    }

    fn running(&self) -> bool {
        let out = Command::new("dbus-send")
            .args(["--session", "--dest=org.freedesktop.DBus", "--print-reply", "/org/freedesktop/DBus"])
            .args(["org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output();
        out.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
    }

    /// How many Keyward items the keyring holds (`None` while it does not answer yet).
    pub fn items(&self) -> Option<usize> {
        let out = Command::new("secret-tool")
            .args(["search", "--all", "service", "keyward"])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        if !out.status.success() && !text.trim().is_empty() && !text.contains("No such secret") {
            return None;
        }
        Some(text.lines().filter(|l| l.starts_with("label = ")).count())
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        let _ = self.keyring.kill();
        let _ = self.keyring.wait();
    }
}
