//! One file per group of commands; each turns parsed arguments into calls to keyward-core.

pub mod copy;
pub mod entries;
pub mod merge;
pub mod run;
pub mod team;
pub mod test;
pub mod transfer;
pub mod vault;
