//! Scanning a file or a git blob as it is read, in chunks: memory stays bounded whatever its
//! size, and a key across two chunks is still found (each chunk starts with the end of the one
//! before, as long as the longest needle).

use super::needles::{Hit, Needles};
use std::io::Read;

/// How much is read at a time.
pub const CHUNK: usize = 1 << 20;

/// The hits in everything `reader` gives, with offsets from its start. `stop` is asked between
/// chunks (a cancelled scan ends early); `scanned` counts the bytes read.
pub fn scan(
    needles: &Needles,
    reader: &mut dyn Read,
    buffer: &mut Vec<u8>,
    stop: &dyn Fn() -> bool,
    scanned: &mut dyn FnMut(usize),
) -> std::io::Result<Vec<Hit>> {
    let keep = needles.longest;
    buffer.clear();
    buffer.resize(CHUNK + keep, 0);
    let mut hits = Vec::new();
    // Bytes of the buffer before `filled` hold text; the first `carried` of them were scanned.
    let (mut filled, mut carried, mut base) = (0usize, 0usize, 0usize);
    loop {
        let n = read_full(reader, &mut buffer[filled..])?;
        scanned(n);
        filled += n;
        let complete = n == 0 || filled < buffer.len();
        let text = &buffer[..filled];
        for hit in needles.find(text, complete) {
            // A hit wholly inside the carried part was found in the chunk before; an unknown
            // key that ended exactly where that chunk ended was left for this one.
            let new = match hit {
                Hit::Stored { end, .. } => end > carried,
                Hit::Unknown { end, .. } => end >= carried,
            };
            if new {
                hits.push(shifted(hit, base));
            }
        }
        if complete || stop() {
            return Ok(hits);
        }
        // Carry the last `keep` bytes over: a needle that starts there is found next time.
        let from = filled - keep.min(filled);
        buffer.copy_within(from..filled, 0);
        base += from;
        carried = filled - from;
        filled = carried;
    }
}

fn read_full(reader: &mut dyn Read, mut buf: &mut [u8]) -> std::io::Result<usize> {
    let mut total = 0;
    while !buf.is_empty() {
        match reader.read(buf) {
            Ok(0) => break,
            Ok(n) => {
                total += n;
                buf = &mut buf[n..];
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(total)
}

fn shifted(hit: Hit, by: usize) -> Hit {
    match hit {
        Hit::Stored { owner, start, end } => Hit::Stored { owner, start: start + by, end: end + by },
        Hit::Unknown { provider, masked, start, end } => {
            Hit::Unknown { provider, masked, start: start + by, end: end + by }
        }
    }
}

/// The line (from 1) of byte `offset` in `text`.
pub fn line_of(text: &[u8], offset: usize) -> usize {
    1 + memchr::memchr_iter(b'\n', &text[..offset.min(text.len())]).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-proj-Stream0123456789abcdefghijklmnopqrstu";

    #[test]
    fn a_key_across_two_chunks_is_found_once_at_its_offset() {
        let needles = Needles::new([("id", "prod", None, KEY.as_bytes())]);
        for at in [0, CHUNK - 10, CHUNK - 1, CHUNK, CHUNK + 300, 3 * CHUNK - 5] {
            let mut text = vec![b'.'; at];
            text.extend_from_slice(KEY.as_bytes());
            text.extend(std::iter::repeat_n(b'.', 1000));
            let mut buffer = Vec::new();
            let mut total = 0;
            let hits = scan(&needles, &mut text.as_slice(), &mut buffer, &|| false, &mut |n| total += n).unwrap();
            assert_eq!(hits, vec![Hit::Stored { owner: 0, start: at, end: at + KEY.len() }], "at {at}");
            assert_eq!(total, text.len());
        }
    }

    #[test]
    fn lines_count_from_one() {
        assert_eq!(line_of(b"a\nb\nc", 4), 3);
        assert_eq!(line_of(b"abc", 0), 1);
    }
}
