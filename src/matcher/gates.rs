//! Regex literal gates: where a pattern needs to be tried, read from its regex.
//!
//! Takes a pattern's parsed regex (`Hir`) and hands on what gates it: the
//! literals every match starts (or else ends) with, for the phrase
//! automaton to find; or, with none, the bytes every match starts with at
//! a word boundary; and its shape (a `\b` start, a bare word literal). A
//! pattern nothing gates is searched for in every text.

/// True when every match of the pattern starts at an ASCII word boundary.
pub(super) fn starts_at_word_boundary(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::{HirKind, Look};
    let first = match hir.kind() {
        HirKind::Concat(parts) => parts.first(),
        _ => Some(hir),
    };
    first.is_some_and(|h| matches!(h.kind(), HirKind::Look(Look::WordAscii)))
}

/// The string a pattern matches when it is `\b`, a literal of ASCII word
/// characters at both ends, `\b`, as parsed with the matcher's own syntax
/// (so `(?-i)` patterns only: a case-insensitive one parses to classes).
pub(super) fn word_literal(hir: &regex_syntax::hir::Hir) -> Option<Vec<u8>> {
    use regex_syntax::hir::{HirKind, Look};
    let HirKind::Concat(parts) = hir.kind() else {
        return None;
    };
    let [start, literal, end] = parts.as_slice() else {
        return None;
    };
    let boundary = |h: &regex_syntax::hir::Hir| matches!(h.kind(), HirKind::Look(Look::WordAscii));
    let HirKind::Literal(literal) = literal.kind() else {
        return None;
    };
    let bytes = literal.0.to_vec();
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    (boundary(start)
        && boundary(end)
        && bytes.first().is_some_and(word)
        && bytes.last().is_some_and(word))
    .then_some(bytes)
}

/// What gates a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Gate {
    /// Literals its matches start with.
    Start,
    /// Literals its matches end with.
    End,
    /// The bytes its matches start with, at a word boundary (see
    /// [`leading_bytes`]).
    Byte,
}

/// A set of bytes.
pub(super) type ByteSet = [bool; 256];

/// At most this many bytes (lower-cased) lead a pattern gated by them: a
/// number's ten digits and a few letters, not every word.
const LEADING_MAX: usize = 16;

/// The bytes, lower-cased, that every match of a pattern starting with `\b`
/// starts with, when no literal gates it (`\b\d{4}[0-9T]\b`): it is tried at
/// each word boundary followed by one of them, where searching the whole text
/// for it costs a pass of its own. None when a match may be empty, starts
/// with a non-ASCII character, or with any of more than [`LEADING_MAX`] bytes.
pub(super) fn leading_bytes(hir: &regex_syntax::hir::Hir) -> Option<ByteSet> {
    use regex_syntax::hir::{Class, HirKind};
    /// The bytes a match of `hir` can start with, and whether it can be empty.
    fn first(hir: &regex_syntax::hir::Hir, set: &mut ByteSet) -> Option<bool> {
        Some(match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => true,
            HirKind::Literal(l) => {
                set[usize::from(*l.0.first()?)] = true;
                false
            }
            HirKind::Class(Class::Bytes(c)) => {
                for r in c.ranges() {
                    for b in r.start()..=r.end() {
                        set[usize::from(b)] = true;
                    }
                }
                false
            }
            HirKind::Class(Class::Unicode(c)) => {
                for r in c.ranges() {
                    let (start, end) = (u8::try_from(r.start()).ok()?, u8::try_from(r.end()).ok()?);
                    for b in start..=end {
                        set[usize::from(b)] = true;
                    }
                }
                false
            }
            HirKind::Repetition(r) => first(&r.sub, set)? || r.min == 0,
            HirKind::Capture(c) => first(&c.sub, set)?,
            HirKind::Concat(parts) => {
                for part in parts {
                    if !first(part, set)? {
                        return Some(false);
                    }
                }
                true
            }
            HirKind::Alternation(arms) => {
                let mut empty = false;
                for arm in arms {
                    empty |= first(arm, set)?;
                }
                empty
            }
        })
    }
    let mut set = [false; 256];
    if first(hir, &mut set)? {
        return None;
    }
    let mut lower = [false; 256];
    for b in 0..=255u8 {
        if set[usize::from(b)] {
            if !b.is_ascii() {
                return None;
            }
            lower[usize::from(b.to_ascii_lowercase())] = true;
        }
    }
    (lower.iter().filter(|&&on| on).count() <= LEADING_MAX).then_some(lower)
}

/// Literals at least this long gate a pattern; shorter ones would be found
/// everywhere.
const GATE_MIN: usize = 2;
/// At most this many literals gate a pattern (see [`fewest_literals`]).
const GATE_MAX: usize = 64;

/// The literals that every match of a pattern starts with (preferred: the
/// pattern is then tried only there) or else ends with, lower-cased, each
/// at least [`GATE_MIN`] bytes, none a prefix (suffix) of another. None when
/// neither end has a usable set: the pattern is searched for in every text.
///
/// `hir` is parsed case-sensitively: the automaton compares lower-cased
/// literals with lower-cased text, which is what `(?i)` means without
/// Unicode, so the literals as written are enough, and `(?-i)` parts are
/// rechecked by the pattern itself.
pub(super) fn gate(hir: &regex_syntax::hir::Hir) -> Option<(Gate, Vec<String>)> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let side = |kind: ExtractKind, side: Gate| -> Option<(Gate, Vec<String>)> {
        let seq = Extractor::new().kind(kind).extract(hir);
        let all = seq.literals()?;
        if all.is_empty()
            || all
                .iter()
                .any(|l| l.len() < GATE_MIN || !l.as_bytes().is_ascii())
        {
            return None;
        }
        // Literals written from their end (for a suffix gate), lower-cased.
        let keyed: Vec<Vec<u8>> = all
            .iter()
            .map(|l| {
                let mut k = l.as_bytes().to_ascii_lowercase();
                if side == Gate::End {
                    k.reverse();
                }
                k
            })
            .collect();
        let kept = fewest_literals(keyed)?;
        let literals = kept
            .into_iter()
            .map(|mut k| {
                if side == Gate::End {
                    k.reverse();
                }
                String::from_utf8_lossy(&k).into_owned()
            })
            .collect();
        Some((side, literals))
    };
    side(ExtractKind::Prefix, Gate::Start).or_else(|| side(ExtractKind::Suffix, Gate::End))
}

/// At most [`GATE_MAX`] literals, none shorter than [`GATE_MIN`], such
/// that each of `literals` starts with one of them; None if there are none.
///
/// Literals sharing a start are merged into it, those that part latest
/// first: "within 1", "within 12", ... become "within" before "with" could
/// stand for them (and fire on every "with"). Where one literal starts
/// another, only the shorter is kept: the automaton finds it wherever it
/// finds the longer.
fn fewest_literals(mut literals: Vec<Vec<u8>>) -> Option<Vec<Vec<u8>>> {
    let minimize = |literals: &mut Vec<Vec<u8>>| {
        literals.sort_unstable();
        literals.dedup();
        let mut kept: Vec<Vec<u8>> = Vec::with_capacity(literals.len());
        for k in literals.drain(..) {
            if !kept.last().is_some_and(|p| k.starts_with(p)) {
                kept.push(k);
            }
        }
        *literals = kept;
    };
    minimize(&mut literals);
    while literals.len() > GATE_MAX {
        // Sorted, so literals that share a start are neighbours: the longest
        // start two neighbours share is where literals part latest.
        let common = |a: &[u8], b: &[u8]| a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let deepest = literals
            .windows(2)
            .map(|w| common(&w[0], &w[1]))
            .max()
            .unwrap_or(0);
        if deepest < GATE_MIN {
            return None;
        }
        let shared: Vec<bool> = (0..literals.len())
            .map(|i| {
                let with = |j: usize| {
                    literals
                        .get(j)
                        .is_some_and(|o| common(&literals[i], o) >= deepest)
                };
                (i > 0 && with(i - 1)) || with(i + 1)
            })
            .collect();
        for (literal, shared) in literals.iter_mut().zip(shared) {
            if shared {
                literal.truncate(deepest);
            }
        }
        minimize(&mut literals);
    }
    Some(literals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_with_no_literal_are_led_by_their_first_bytes() {
        let leading = |pattern: &str| {
            let hir = regex_syntax::ParserBuilder::new()
                .unicode(false)
                .build()
                .parse(pattern)
                .expect("parses");
            leading_bytes(&hir).map(|set| {
                (0..=255u8)
                    .filter(|&b| set[usize::from(b)])
                    .map(char::from)
                    .collect::<String>()
            })
        };
        assert_eq!(leading(r"\b\d{4}[0-9T]\b").as_deref(), Some("0123456789"));
        // Optional parts lead too; letters are lower-cased.
        assert_eq!(
            leading(r"\b(?:CPT(?: codes?)?[:#]? ?)?\d{4}\b").as_deref(),
            Some("0123456789c")
        );
        assert_eq!(
            leading(r"\b\d{1,2} ?d ago\b").as_deref(),
            Some("0123456789")
        );
        // Any word: too many bytes to be worth a try at each.
        assert_eq!(leading(r"\b\w+ed\b"), None);
        // A match that may be empty starts anywhere.
        assert_eq!(leading(r"\b\d*"), None);
        assert_eq!(leading(r"\bé\d"), None);
    }

    #[test]
    fn gate_literals_merge_where_they_part_latest() {
        let bytes = |list: &[&str]| list.iter().map(|l| l.as_bytes().to_vec()).collect();
        // One literal starting another: the shorter stands for both.
        assert_eq!(
            fewest_literals(bytes(&["for ", "for 1", "within"])),
            Some(bytes(&["for ", "within"]))
        );
        // Too many: "within 10" ... "within 99" merge where they part last
        // ("within 1" ... "within 9"), never into "with"; the short "x 1"
        // ... stay as they are.
        let mut many: Vec<String> = (10..100).map(|n| format!("within {n}")).collect();
        many.extend((0..10).map(|n| format!("x {n}")));
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let kept = fewest_literals(bytes(&many)).expect("a gate");
        assert!(kept.len() <= GATE_MAX);
        assert!(kept.contains(&b"within 1".to_vec()), "{kept:?}");
        assert!(
            kept.iter()
                .all(|k| k.starts_with(b"within ") || k.starts_with(b"x "))
        );
        assert!(kept.contains(&b"x 5".to_vec()), "{kept:?}");
        // Nothing longer than GATE_MIN in common: no gate.
        let letters: Vec<String> = (0..200)
            .map(|n| format!("{}{}", (b'a' + (n % 26) as u8) as char, n))
            .collect();
        let letters: Vec<&str> = letters.iter().map(String::as_str).collect();
        assert_eq!(fewest_literals(bytes(&letters)), None);
    }
}
