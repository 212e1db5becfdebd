//! The sled settings every Outlet Inspector database uses, on the device and on the server.

use std::path::Path;

/// Log segment size of new databases: 8 MiB instead of sled's 512 KiB.
///
/// NOTE: sled 0.34.7 can deadlock when it shrinks its file. The writer waits for a truncation task
/// queued on sled's thread pool, while every pool thread waits for a lock that writer holds. It was
/// seen here in bulk writes under CPU load: 2 hangs in 15 runs of 20 000 cards, and none in 30 runs
/// with this setting. Truncations follow freed segments at the end of the file, so larger segments make
/// them rarer. This lowers the risk and does not remove it.
pub const SEGMENT_BYTES: usize = 8 * 1024 * 1024;

/// Returns the configuration for the database in `path`. A database created with another segment
/// size keeps it, because sled refuses to open a database whose segment size changed. Snapshots a
/// killed process left half written are removed first (see [`remove_unfinished_snapshots`]).
pub fn sled_config(path: &Path, cache_bytes: u64) -> sled::Config {
    remove_unfinished_snapshots(path);
    let segment_size = persisted_segment_size(path).unwrap_or(SEGMENT_BYTES);
    sled::Config::new().path(path).cache_capacity(cache_bytes).segment_size(segment_size)
}

/// Deletes `snap.*.generating` files. sled 0.34.7 writes a snapshot under that name and renames it
/// once written and synced. At open it reads such a file as the newest snapshot, so after a kill
/// during the write the database fails to open with "Read corrupted data". Without the file
/// sled recovers from the previous snapshot and its log, so nothing written is lost.
fn remove_unfinished_snapshots(path: &Path) {
    let Ok(entries) = std::fs::read_dir(path) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with("snap.") && name.ends_with(".generating")) {
            continue;
        }
        match std::fs::remove_file(entry.path()) {
            Ok(()) => tracing::warn!(file = %entry.path().display(), "removed a snapshot left unfinished by a crash"),
            Err(error) => tracing::error!(file = %entry.path().display(), %error, "unfinished snapshot could not be removed"),
        }
    }
}

/// Reads the segment size sled wrote in the database's `conf` file, if the database exists. The file
/// is `key: value` lines followed by a binary CRC-32.
fn persisted_segment_size(path: &Path) -> Option<usize> {
    let bytes = std::fs::read(path.join("conf")).ok()?;
    String::from_utf8_lossy(&bytes)
        .lines().find_map(|line| line.strip_prefix("segment_size:")).and_then(|value| value.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_size_new_and_existing() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("fresh");
        let old = dir.path().join("old");

        sled_config(&fresh, 1 << 20).open().unwrap().flush().unwrap();
        sled::open(&old).unwrap().flush().unwrap();

        assert_eq!(persisted_segment_size(&fresh), Some(SEGMENT_BYTES));
        assert_eq!(persisted_segment_size(&old), Some(512 * 1024));
        assert!(sled_config(&old, 1 << 20).open().is_ok(), "an older database still opens");
    }

    #[test]
    fn unfinished_snapshot_removed_before_open() {
        let dir = tempfile::tempdir().unwrap();
        let db = sled_config(dir.path(), 1 << 20).open().unwrap();
        db.insert("record", "kept").unwrap();
        db.flush().unwrap();
        drop(db);
        let unfinished = dir.path().join("snap.00000000000FFFFF.generating");
        std::fs::write(&unfinished, b"").unwrap();

        let db = sled_config(dir.path(), 1 << 20).open().unwrap();

        assert!(!unfinished.exists());
        assert_eq!(db.get("record").unwrap().as_deref(), Some(&b"kept"[..]));
    }
}
