//! Eight-byte scans: tests on a `u64` of text bytes at once.
//!
//! Takes eight bytes as a word and answers for all of them together:
//! [`plain_eight`] says normalisation may copy them as they are, and
//! [`Led`] finds where the bytes that lead the patterns gated by their
//! first byte start a word. Each is tested against the byte loop it
//! stands for.

use super::gates::ByteSet;
use super::words::ascii_word;

const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The bytes that patterns with no literal gate start with (`\d`, `c` of
/// "cpt"), and where in a text they start after a `\b`.
#[derive(Debug)]
pub(super) struct Led {
    bytes: ByteSet,
    /// When every one is an ASCII word byte, so that a `\b` before one is a
    /// word start: whether digits are among them, and each other one
    /// repeated in the eight bytes of a word (at most four). Then a text is
    /// scanned eight bytes at a time; else (None) a byte at a time.
    eight: Option<(bool, Vec<u64>)>,
}

impl Led {
    pub(super) fn new(bytes: ByteSet) -> Led {
        let on: Vec<u8> = (0..=255u8).filter(|&b| bytes[usize::from(b)]).collect();
        let eight = on.iter().all(|&b| ascii_word(b)).then(|| {
            let digits = on.iter().any(u8::is_ascii_digit);
            let others: Vec<u64> = on
                .iter()
                .filter(|b| !b.is_ascii_digit())
                .map(|&b| LOW_BITS * u64::from(b))
                .collect();
            (digits, others)
        });
        Led {
            bytes,
            eight: eight.filter(|(_, others)| others.len() <= 4),
        }
    }

    /// Calls `f(at)`, in order, for each `at` in `lower` (a text with ASCII
    /// lower-cased) where one of the bytes starts and `\b` holds before it.
    pub(super) fn each(&self, lower: &[u8], mut f: impl FnMut(usize)) {
        let Some((digits, others)) = &self.eight else {
            return self.each_byte(lower, 0, f);
        };
        let chunks = lower.chunks_exact(8);
        let tail = lower.len() - chunks.remainder().len();
        // The high bit of the word byte before the chunk, moved to byte 0.
        let mut before = 0u64;
        for (k, chunk) in chunks.enumerate() {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let v = u64::from_le_bytes(word);
            let words = word_bytes(v);
            // Word starts: a word byte after a byte that is not (a `\b`
            // before a word byte); at the text's start, every word byte.
            let starts = words & !((words << 8) | before);
            before = words >> 56;
            let x = v & !HIGH_BITS;
            let mut wanted = others.iter().fold(0, |m, &o| m | zero_bytes(v ^ o));
            if *digits {
                wanted |= bytes_in(x, b'0', b'9');
            }
            let mut hits = starts & wanted;
            while hits != 0 {
                let at = k * 8 + hits.trailing_zeros() as usize / 8;
                if self.bytes[usize::from(lower[at])] {
                    f(at);
                }
                hits &= hits - 1;
            }
        }
        self.each_byte(lower, tail, f);
    }

    /// [`Led::each`] from `from`, a byte at a time.
    fn each_byte(&self, lower: &[u8], from: usize, mut f: impl FnMut(usize)) {
        for (at, &b) in lower.iter().enumerate().skip(from) {
            if self.bytes[usize::from(b)] && (at == 0 || ascii_word(lower[at - 1]) != ascii_word(b))
            {
                f(at);
            }
        }
    }
}

const LOW_BITS: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte of `x` (bytes below 0x80) from `lo` to `hi`,
/// and no other bit: adding 0x80 - `lo` sets the high bit of a byte at or
/// above `lo`, adding 0x7f - `hi` of one above `hi`, and neither carries
/// into the next byte.
fn bytes_in(x: u64, lo: u8, hi: u8) -> u64 {
    let at_least = x.wrapping_add(LOW_BITS * u64::from(0x80 - lo));
    let above = x.wrapping_add(LOW_BITS * u64::from(0x7f - hi));
    at_least & !above & HIGH_BITS
}

/// The high bit of each byte of `v` (ASCII lower-cased) that is a word byte
/// as [`ascii_word`] has it, and no other bit.
fn word_bytes(v: u64) -> u64 {
    let x = v & !HIGH_BITS;
    let ascii = !v & HIGH_BITS;
    (bytes_in(x, b'0', b'9') | bytes_in(x, b'a', b'z') | zero_bytes(v ^ (LOW_BITS * 0x5f))) & ascii
}

/// The high bit of each byte of `v` that is zero, and no other bit.
fn zero_bytes(v: u64) -> u64 {
    !((v & !HIGH_BITS).wrapping_add(!HIGH_BITS) | v) & HIGH_BITS
}

/// True when the eight bytes of `v` (in text order, little-endian) are
/// copied as they are by a run: plain bytes, and spaces each followed by
/// one of them. (ASCII below 0x20 and a space last are left to the byte
/// loop, which knows the byte after.)
pub(super) fn plain_eight(v: u64) -> bool {
    let spaces = zero_bytes(v ^ 0x2020_2020_2020_2020);
    v & HIGH_BITS == 0
        // No byte below 0x20: with every byte ASCII, adding 0x60 carries
        // none into the next.
        && !v.wrapping_add(0x6060_6060_6060_6060) & HIGH_BITS == 0
        && zero_bytes(v ^ 0x2d2d_2d2d_2d2d_2d2d) == 0
        && spaces & (spaces >> 8) == 0
        && spaces >> 63 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Eight bytes are copied at once exactly when each is plain, or a
    /// space with a plain byte after it within the eight: every eight of
    /// "a", a space and one other byte.
    #[test]
    fn eight_plain_bytes_are_what_the_byte_loop_copies() {
        let plain = |b: u8| (0x20..0x80).contains(&b) && b != b' ' && b != b'-';
        for other in [
            b'-', b'\n', b'\t', 0x0b, 0x01, 0x1f, 0x21, 0x7f, 0x80, 0xc3, 0xff, b'_',
        ] {
            let alphabet = [b'a', b' ', other];
            for n in 0..3usize.pow(8) {
                let mut bytes = [0u8; 8];
                for (i, b) in bytes.iter_mut().enumerate() {
                    *b = alphabet[n / 3usize.pow(i as u32) % 3];
                }
                let copied = (0..8)
                    .all(|i| plain(bytes[i]) || (bytes[i] == b' ' && i < 7 && plain(bytes[i + 1])));
                assert_eq!(plain_eight(u64::from_le_bytes(bytes)), copied, "{bytes:?}");
            }
        }
    }

    /// Eight bytes at a time, the led scan finds where the byte loop does:
    /// every string of up to six bytes over an alphabet of the first and
    /// last digits, the bytes either side of them, a letter, `_`, a space
    /// and a non-ASCII byte, at each offset in a longer text (so that words
    /// cross the eight-byte chunks), for sets with and without digits; and
    /// texts of random bytes.
    #[test]
    fn the_led_scan_finds_what_the_byte_loop_finds() {
        let set = |bytes: &[u8]| {
            let mut set = [false; 256];
            for &b in bytes {
                set[usize::from(b)] = true;
            }
            set
        };
        let alphabet = [b'0', b'9', b':', b'c', b'_', b' ', b'/', 0xc3];
        let sets = [
            set(b"0123456789c"),
            set(b"9c"),
            set(b"c_"),
            set(b"0"),
            // A byte that is not a word byte: the byte loop alone.
            set(b"0/"),
        ];
        let agree = |led: &Led, text: &[u8]| {
            let mut fast = Vec::new();
            led.each(text, |at| fast.push(at));
            let mut slow = Vec::new();
            led.each_byte(text, 0, |at| slow.push(at));
            assert_eq!(fast, slow, "{:?}", String::from_utf8_lossy(text));
        };
        for bytes in sets {
            let led = Led::new(bytes);
            assert_eq!(led.eight.is_some(), !bytes[usize::from(b'/')]);
            for len in 0..=6u32 {
                for n in 0..8usize.pow(len) {
                    let word: Vec<u8> = (0..len).map(|i| alphabet[n / 8usize.pow(i) % 8]).collect();
                    for offset in [0, 3, 5, 7, 8] {
                        let mut text = vec![b'a'; offset];
                        text.extend_from_slice(&word);
                        text.extend_from_slice(b"c7 x");
                        agree(&led, &text);
                    }
                }
            }
            // Every byte, lower-cased as the scan's input is.
            let mut seed = 1u32;
            for len in 0..2000 {
                let mut text: Vec<u8> = (0..len % 300)
                    .map(|_| {
                        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                        (seed >> 16) as u8
                    })
                    .collect();
                text.make_ascii_lowercase();
                agree(&led, &text);
            }
        }
    }
}
