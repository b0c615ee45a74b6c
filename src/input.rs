//! Reading the files o2d is given (scenarios, shard files, result files for the report) through a
//! hard byte limit, so a wrong path such as `/dev/zero` is refused quickly in bounded memory.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Shard files (`o2d merge`) larger than this are refused: about 200,000 jobs of the default
/// scenario's KPIs; a sweep that needs more per shard should use more shards.
pub const MAX_SHARD_BYTES: u64 = 256 * 1024 * 1024;

/// Result files the report reads (`kpis.csv`, `daily.csv`, `sweep.csv`, ...) larger than this are
/// refused.
pub const MAX_RESULT_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Why a bounded read gave no bytes.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// The path is a directory.
    Directory,
    /// More than the limit: the size when the file reports one (a regular file), else `None`
    /// (a pipe or a device, read up to the limit plus one byte).
    TooLarge(Option<u64>),
}

impl ReadError {
    /// The message after the path, for files of the kind `what` (e.g. "shard files").
    pub fn message(&self, what: &str, limit: u64) -> String {
        match self {
            ReadError::Io(e) => format!("cannot read: {e}"),
            ReadError::Directory => "is a directory, not a file".to_string(),
            ReadError::TooLarge(Some(size)) => {
                format!("is {size} bytes: {what} are limited to {limit} bytes; is this the right file?")
            }
            ReadError::TooLarge(None) => format!(
                "is too large: more than {limit} bytes read, and {what} are limited to {limit} bytes; \
                 is this the right file?"
            ),
        }
    }
}

/// Reads all of `path`, but never more than `limit` bytes: a regular file larger than the limit is
/// refused by its size before reading; anything else (a pipe, a device, a process substitution)
/// is read through the limit plus one byte, so it cannot grow memory past the limit.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = File::open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if meta.is_dir() {
        return Err(ReadError::Directory);
    }
    if meta.is_file() && meta.len() > limit {
        return Err(ReadError::TooLarge(Some(meta.len())));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(meta.is_file().then_some(bytes.len() as u64)));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_within_the_limit_is_read_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.txt");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_bounded(&path, 5).unwrap(), b"12345");
    }

    #[test]
    fn a_regular_file_over_the_limit_is_refused_by_its_size() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("a.txt");
        std::fs::write(&path, b"123456").unwrap();
        assert!(matches!(read_bounded(&path, 5), Err(ReadError::TooLarge(Some(6)))));
    }

    #[test]
    fn an_endless_device_is_refused_after_the_limit() {
        assert!(matches!(read_bounded(Path::new("/dev/zero"), 1000), Err(ReadError::TooLarge(None))));
    }

    #[test]
    fn a_directory_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(matches!(read_bounded(tmp.path(), 10), Err(ReadError::Directory)));
    }
}
