//! Every heap block released through `free` or `realloc` in the app's main process is wiped
//! first, whoever releases it: Rust, and also the C libraries (GLib, GTK, WebKit's side of the
//! window) that copy a revealed key or the typed passphrase on its way between the window and
//! Rust — an IPC message, a response body. Not covered: memory pools that never call `free`
//! (JavaScriptCore's garbage-collected heap, Skia's and cairo's pools), blocks still in use, the
//! stacks of finished threads, and WebKit's web and network processes. Large blocks (their own
//! mapping) are not wiped: unmapping them gives their pages back to the kernel, which clears
//! them. A block freed twice is handed to glibc as it is, which stops the program as before.
//!
//! On Linux with glibc this file defines `free` and `realloc` in the executable, so that they
//! come first for every library in the process (the dynamic linker's usual interposition, as
//! memory debuggers use): the block is wiped, then handed to glibc's own functions. WebKit keeps
//! its own allocator (libpas) unless told to use the system one, which
//! `restart_with_system_malloc_in_webkit` does before WebKit starts. tests/memory.rs fails
//! without either part (a revealed key was found in WebKit's freed IPC buffers in about 1 run
//! in 10).
//!
//! Elsewhere (macOS, Windows) only Rust's own blocks are wiped (zeroizing-alloc, main.rs).

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    use std::ffi::c_void;
    use std::sync::atomic::{AtomicUsize, Ordering};

    unsafe extern "C" {
        fn __libc_malloc(size: usize) -> *mut c_void;
        fn __libc_free(ptr: *mut c_void);
        fn __libc_realloc(ptr: *mut c_void, size: usize) -> *mut c_void;
        fn malloc_usable_size(ptr: *mut c_void) -> usize;
        fn explicit_bzero(ptr: *mut c_void, len: usize);
    }

    /// The mark glibc writes into a block it puts in its per-thread cache (the second word), by
    /// which it recognises a second `free` of the same block: learnt once by freeing a probe
    /// block. 0 = not learnt yet, 1 = none seen (no cache); then a block still carrying it is
    /// handed to glibc unwiped, so that a double free is still caught (wiping it would erase the
    /// mark and let glibc hand the block out twice).
    static CACHE_MARK: AtomicUsize = AtomicUsize::new(0);

    fn cache_mark() -> usize {
        let known = CACHE_MARK.load(Ordering::Relaxed);
        if known != 0 {
            return known;
        }
        unsafe {
            let probe = __libc_malloc(40).cast::<usize>();
            if probe.is_null() {
                return 1;
            }
            probe.add(1).write_volatile(0);
            __libc_free(probe.cast());
            // The freed block stays mapped (it sits in the cache); only its mark is read.
            let mark = match probe.add(1).read_volatile() {
                0 | 1 => 1,
                mark => mark,
            };
            CACHE_MARK.store(mark, Ordering::Relaxed);
            mark
        }
    }

    /// Whether glibc gave this block its own mapping (large blocks): unmapped on free, so the
    /// kernel clears its pages and there is nothing to wipe (bit 2 of the size word before it).
    unsafe fn is_mapped(ptr: *mut c_void) -> bool {
        unsafe { ptr.cast::<usize>().sub(1).read() & 2 != 0 }
    }

    /// glibc's `free`, after wiping the whole block (its usable size, not only what was asked).
    ///
    /// # Safety
    /// As `free(3)`: `ptr` is null or a live block from this process's malloc.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn free(ptr: *mut c_void) {
        if ptr.is_null() {
            return;
        }
        unsafe {
            let already_freed = ptr.cast::<usize>().add(1).read_volatile() == cache_mark();
            if !already_freed && !is_mapped(ptr) {
                explicit_bzero(ptr, malloc_usable_size(ptr));
            }
            __libc_free(ptr);
        }
    }

    /// `realloc(3)` that leaves no copy behind: shrinking wipes the part given back; growing
    /// moves to a new block and wipes the old one (glibc's own move would free it unwiped).
    ///
    /// # Safety
    /// As `realloc(3)`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
        unsafe {
            if ptr.is_null() {
                return __libc_malloc(size);
            }
            if size == 0 {
                // glibc frees the block and returns null.
                free(ptr);
                return std::ptr::null_mut();
            }
            if is_mapped(ptr) {
                // Moved by remapping its pages, or copied and unmapped: no copy stays behind.
                return __libc_realloc(ptr, size);
            }
            let usable = malloc_usable_size(ptr);
            if size <= usable {
                explicit_bzero(ptr.cast::<u8>().add(size).cast(), usable - size);
                return __libc_realloc(ptr, size);
            }
            let moved = __libc_malloc(size);
            if moved.is_null() {
                // As realloc: the old block stays as it was.
                return moved;
            }
            std::ptr::copy_nonoverlapping(ptr.cast::<u8>(), moved.cast::<u8>(), usable);
            free(ptr);
            moved
        }
    }
}

/// Makes WebKit (libpas) allocate with the system's malloc, so that what it frees is wiped too.
/// WebKit decides this before `main` runs, from the environment the process started with
/// (`Malloc=1`, set later, was ignored), so the app starts itself again once with it, as the same
/// process (exec): about 10 ms. Once restarted it takes the variable out again, so that WebKit's
/// web and network processes and the programs the app opens start as they would have. If the
/// exec fails (no /proc), the app goes on with WebKit's own allocator.
pub fn restart_with_system_malloc_in_webkit() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const RESTARTED: &str = "KEYWARD_RESTARTED_FOR_WIPING";
        if std::env::var_os(RESTARTED).is_some() {
            // SAFETY: first thing in main, while the process has one thread.
            unsafe {
                std::env::remove_var(RESTARTED);
                std::env::remove_var("Malloc");
            }
        } else if std::env::var_os("Malloc").is_none() {
            use std::os::unix::process::CommandExt;
            let mut args = std::env::args_os();
            let program = args.next().unwrap_or_default();
            // Returns only if the exec failed.
            let failed = std::process::Command::new("/proc/self/exe")
                .arg0(program)
                .args(args)
                .env("Malloc", "1")
                .env(RESTARTED, "1")
                .exec();
            eprintln!("Keyward: could not restart itself ({failed}); what WebKit frees in this process is not wiped.");
        }
    }
}
