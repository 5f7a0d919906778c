//! What a word is, both ways the matcher needs it.
//!
//! Takes bytes of a normalised text and says whether they are word bytes:
//! as the matcher has words ([`is_word_byte`], [`whole_word`]: ASCII letters
//! and digits and all non-ASCII) and as a regex's ASCII `\b` has them
//! ([`ascii_word`]: `_` too, nothing non-ASCII).

/// Bytes of words: ASCII letters and digits, and every byte of a non-ASCII
/// character.
const WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b >= 0x80;
        b += 1;
    }
    table
};

#[inline]
pub(super) fn is_word_byte(b: u8) -> bool {
    WORD_BYTES[usize::from(b)]
}

/// A match is a whole word when it does not continue a word on either side.
pub(super) fn whole_word(text: &[u8], start: usize, end: usize) -> bool {
    let before = start > 0 && is_word_byte(text[start - 1]) && is_word_byte(text[start]);
    let after = end < text.len() && is_word_byte(text[end]) && is_word_byte(text[end - 1]);
    !before && !after
}

/// A word byte as a regex's ASCII `\b` has it (`_` included), not as
/// `is_word_byte` does.
pub(super) fn ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only() {
        assert!(whole_word(b"no 3d", 0, 2));
        assert!(!whole_word(b"normal", 0, 2));
        assert!(!whole_word(b"piano", 3, 5));
        assert!(whole_word(b"r/o x", 0, 3));
    }
}
