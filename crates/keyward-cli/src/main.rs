//! `keyward`: the command-line client of keyward-core.

mod args;
mod commands;
mod context;
mod input;
mod output;

use args::{Cli, Command};
use clap::Parser;
use commands::{copy, entries, guard, merge, run, scan, team, test, transfer, vault};
use context::Context;
use std::process::ExitCode;

/// Every heap block is wiped when freed, as in the app: copies of a key made inside libraries
/// do not linger in memory.
#[global_allocator]
static ALLOC: zeroizing_alloc::ZeroAlloc<std::alloc::System> = zeroizing_alloc::ZeroAlloc(std::alloc::System);

fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("keyward: {e}");
            match e.kind() {
                keyward_core::ErrorKind::VaultChanged => {
                    eprintln!("keyward: if you expected it, run the command again with --accept-change.")
                }
                keyward_core::ErrorKind::OtherProvider => {
                    eprintln!("keyward: to replace it anyway, run the command again with --provider ID.")
                }
                _ => {}
            }
            ExitCode::FAILURE
        }
    }
}

fn dispatch(cli: Cli) -> Result<u8, keyward_core::VaultError> {
    let ctx = Context::new(&cli)?;
    match cli.command {
        Command::Vault(command) => vault::dispatch(&ctx, command),
        Command::Entries(command) => entries::dispatch(&ctx, command),
        Command::Copy(command) => copy::dispatch(&ctx, command),
        Command::Test(command) => test::dispatch(&ctx, command),
        Command::Run(command) => run::dispatch(&ctx, command),
        Command::Transfer(command) => transfer::dispatch(&ctx, command),
        Command::Scan(command) => scan::dispatch(&ctx, command),
        Command::Guard(command) => guard::dispatch(&ctx, command),
        Command::Team(command) => team::dispatch(&ctx, command),
        Command::Merge(command) => merge::dispatch(&ctx, command),
    }
}
