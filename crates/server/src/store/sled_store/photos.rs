//! The sled tree of inspection photos.

use crate::store::{PhotoWrite, StoreError};

/// Tree `photos`: the photo's SHA-256 (32 bytes) → its bytes. The key is computed from the bytes,
/// never taken from a name the client chose.
pub(super) struct SledPhotos {
    db: sled::Db,
    photos: sled::Tree,
}

impl SledPhotos {
    pub(super) fn open(db: &sled::Db) -> Result<Self, StoreError> {
        Ok(Self { photos: db.open_tree("photos")?, db: db.clone() })
    }

    /// Inserts with compare-and-swap, so two concurrent uploads of one photo store it once.
    pub(super) fn insert_photo(&self, sha256: &[u8; 32], bytes: &[u8]) -> Result<PhotoWrite, StoreError> {
        match self.photos.compare_and_swap(sha256, None as Option<&[u8]>, Some(bytes))? {
            Ok(()) => {
                self.db.flush()?;
                Ok(PhotoWrite::Inserted)
            }
            Err(_) => Ok(PhotoWrite::AlreadyStored),
        }
    }

    pub(super) fn missing_photos(&self, sha256s: &[[u8; 32]]) -> Result<Vec<[u8; 32]>, StoreError> {
        let mut missing = Vec::new();
        for sha256 in sha256s {
            if !self.photos.contains_key(sha256)? {
                missing.push(*sha256);
            }
        }
        Ok(missing)
    }

    pub(super) fn photo(&self, sha256: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.photos.get(sha256)?.map(|bytes| bytes.to_vec()))
    }

    pub(super) fn photo_count(&self) -> Result<usize, StoreError> {
        Ok(self.photos.len())
    }
}
