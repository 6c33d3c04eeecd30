//! The leak scan, as both clients call it: the needles are made from the unlocked vault (the
//! session can then be let go: a scan takes minutes, and the vault stays usable meanwhile), and
//! the scan runs on them alone.

use super::Session;
use crate::Result;
use crate::leak::needles::Needles;

impl Session {
    /// What a leak scan looks for: every value the vault holds, current and earlier.
    pub fn leak_needles(&self) -> Result<Needles> {
        Ok(Needles::of(self.document()?))
    }
}

pub use crate::leak::{ScanProgress, ScanReport, ScanRequest, scan};
