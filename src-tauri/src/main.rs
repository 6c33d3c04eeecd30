// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// Every heap block is wiped when freed: copies of a key that libraries make and free (an HTTP
/// request head, a JSON buffer) do not stay in memory after use. tests/memory.rs checks it.
#[global_allocator]
static ALLOC: zeroizing_alloc::ZeroAlloc<std::alloc::System> = zeroizing_alloc::ZeroAlloc(std::alloc::System);

fn main() {
    keyward_app::run();
}
