//! Audit and evidence: chain verification over ranges, the installation's Ed25519 key, signed
//! checkpoints and evidence bundles (`docs/evidence-bundle.md`).
//!
//! A checkpoint is the server's signed statement "the event at position `p` has hash `h` and was
//! recorded at `t`", made at `signed_at`. The server signs one only after verifying the chain from
//! the latest earlier checkpoint (or the genesis) up to `p`, so a checkpoint vouches for the whole
//! prefix of the log up to `p`. An auditor who kept checkpoint A (position `a`, hash `ha`) proves
//! that a later log extends it by recomputing the chain from `(a, ha)` over the events `a+1..=b`
//! and reaching the hash `hb` of a later checkpoint B: nothing at or before `a` was rewritten.

pub mod bundle;
pub mod checkpoint;
pub mod flags;
pub mod key;

pub use bundle::{BundleFailure, BundleFault, BundleReport, export_bundle, verify_bundle};
pub use checkpoint::{Checkpoint, CheckpointError, checkpoint_message, sign_checkpoint};
pub use key::{AuditKey, KeyError};
