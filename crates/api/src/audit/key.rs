//! The installation's Ed25519 key pair: a 32-byte seed kept in a file (64 hex digits and a
//! newline, mode 0600), generated on first start.

use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

/// Why the key could not be loaded or created.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or write the audit key file {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the audit key file {path} does not hold 64 hex digits")]
    Malformed { path: PathBuf },
    #[error("no randomness for a new audit key: {0}")]
    Random(String),
}

/// The signing key of this installation.
#[derive(Debug)]
pub struct AuditKey {
    signing: SigningKey,
}

impl AuditKey {
    /// A key from its 32-byte seed.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self {
            signing: SigningKey::from_bytes(seed),
        }
    }

    /// Reads the key file, or creates it with a fresh random seed when it does not exist.
    pub fn load_or_create(path: &Path) -> Result<Self, KeyError> {
        let io = |source| KeyError::Io {
            path: path.to_owned(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let mut seed = [0u8; 32];
                hex::decode_to_slice(text.trim(), &mut seed).map_err(|_| KeyError::Malformed {
                    path: path.to_owned(),
                })?;
                Ok(Self::from_seed(&seed))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let mut seed = [0u8; 32];
                getrandom::getrandom(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(io)?;
                }
                write_secret(path, &format!("{}\n", hex::encode(seed))).map_err(io)?;
                tracing::info!(path = %path.display(), "generated the installation's audit key");
                Ok(Self::from_seed(&seed))
            }
            Err(error) => Err(io(error)),
        }
    }

    /// The public key, 32 bytes.
    pub fn public_key(&self) -> [u8; 32] {
        self.signing.verifying_key().to_bytes()
    }

    /// The public key as 64 lowercase hex digits.
    pub fn public_hex(&self) -> String {
        hex::encode(self.public_key())
    }

    /// Signs a message; the 64-byte signature.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }
}

/// Checks an Ed25519 signature (strict: no malleable or small-order encodings).
pub fn verify_signature(public_key: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
    let Ok(key) = VerifyingKey::from_bytes(public_key) else {
        return false;
    };
    let signature = Signature::from_bytes(signature);
    key.verify_strict(message, &signature).is_ok()
}

/// Where the key lives when no path is configured: next to a SQLite database file
/// (`<file>.audit-key`), else `redmud-audit.key` in the working directory.
pub fn default_key_path(database_url: &str) -> PathBuf {
    let file = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        .filter(|file| !file.is_empty() && !file.starts_with(":memory:"));
    match file {
        Some(file) => PathBuf::from(format!("{file}.audit-key")),
        None => PathBuf::from("redmud-audit.key"),
    }
}

#[cfg(unix)]
fn write_secret(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_secret(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_file_is_created_once_and_signatures_verify() {
        let dir = std::env::temp_dir().join(format!("redmud-key-{}", uuid::Uuid::new_v4()));
        let path = dir.join("k");
        let first = AuditKey::load_or_create(&path).expect("create");
        let again = AuditKey::load_or_create(&path).expect("load");
        assert_eq!(first.public_key(), again.public_key());
        let signature = first.sign(b"message");
        assert!(verify_signature(
            &again.public_key(),
            b"message",
            &signature
        ));
        assert!(!verify_signature(
            &again.public_key(),
            b"messagE",
            &signature
        ));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_default_path_is_next_to_the_sqlite_file() {
        assert_eq!(
            default_key_path("sqlite:/var/lib/redmud/r.db?mode=rwc"),
            PathBuf::from("/var/lib/redmud/r.db.audit-key")
        );
        assert_eq!(
            default_key_path("postgres://u@h/db"),
            PathBuf::from("redmud-audit.key")
        );
    }
}
