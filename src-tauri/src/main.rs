// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod wipe_on_free;

/// Every heap block is wiped when freed: copies of a key that libraries make and free (an HTTP
/// request head, a JSON buffer, an IPC message) do not stay in memory after use. On Linux the
/// process's own `free` does it for every library (wipe_on_free.rs); elsewhere this allocator
/// does it for Rust's blocks. tests/memory.rs checks it.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
#[global_allocator]
static ALLOC: zeroizing_alloc::ZeroAlloc<std::alloc::System> = zeroizing_alloc::ZeroAlloc(std::alloc::System);

fn main() {
    wipe_on_free::restart_with_system_malloc_in_webkit();
    keyward_app::run();
}
