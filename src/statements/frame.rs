//! The frame language, compiled: a frame's pattern becomes one regular
//! expression over a sentence's token string (see [`super::Tokens`]).
//!
//! In the token string every token stands between single spaces, so two
//! tokens in a row are separated by two spaces (` under  @agent.physician#0 `)
//! and each pattern element compiles to ` ELEMENT ` with no anchor needed: a
//! word can only match a whole token. The regex crate matches in time linear
//! in the sentence, whatever the pattern.

use regex::Regex;

/// One compiled frame.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Its name.
    pub name: String,
    /// The compiled pattern.
    pub regex: Regex,
    /// The names of its role groups.
    pub roles: Vec<String>,
    /// A negator can govern it: its pattern reads none itself.
    pub negatable: bool,
    /// It reads a denial: its roles are stated not to hold.
    pub denies: bool,
    /// It says someone supervised, not that the supervision was concurrent.
    pub only_supervision: bool,
}

/// A token a gap may pass over: a word, punctuation, or any chunk but an
/// action. A gap never crosses another verb of making, sending or viewing,
/// so "generated on the scanner and reviewed by me" is not "generated ... by
/// me". (Written out because the regex crate has no look-ahead.)
/// Token strings are ASCII (words, tags, punctuation), so the classes are
/// ASCII ranges (`[!-~]` is any printable byte but the space): small
/// automata, quick to compile.
const GAP_TOKEN: &str = "(?:[!-?A-~][!-~]*|@(?:[!-`b-~]|a[!-bd-~]|ac[!-su-~]|act[!-hj-~]|acti[!-np-~]|actio[!-mo-~]|action[!--/-~])[!-~]*)";

/// Why a pattern cannot be compiled.
pub type PatternError = String;

impl Frame {
    /// Compile `pattern` (the frame language of lexicon/statements.toml).
    pub fn compile(name: &str, pattern: &str) -> Result<Frame, PatternError> {
        let mut re = String::new();
        let mut roles = Vec::new();
        for element in pattern.split_whitespace() {
            re.push_str(&element_regex(element, &mut roles)?);
        }
        if re.is_empty() {
            return Err(format!("frame `{name}` has an empty pattern"));
        }
        let regex = Regex::new(&re).map_err(|e| format!("frame `{name}`: {e}"))?;
        Ok(Frame {
            name: name.to_owned(),
            regex,
            roles,
            negatable: !pattern.contains("<negator"),
            denies: false,
            only_supervision: false,
        })
    }
}

/// The regex of one pattern element, with its surrounding spaces.
fn element_regex(element: &str, roles: &mut Vec<String>) -> Result<String, PatternError> {
    if element == "$" {
        return Ok("$".to_owned());
    }
    if let Some(n) = element.strip_prefix('~') {
        let n: u8 = n
            .parse()
            .map_err(|_| format!("`{element}`: a gap is ~N with N a small number"))?;
        return Ok(format!("(?: {GAP_TOKEN} ){{0,{n}}}?"));
    }
    if let Some(inner) = element.strip_prefix('[').and_then(|e| e.strip_suffix(']')) {
        return Ok(format!("(?: (?:{}) )?", alternatives(inner)?));
    }
    let (role, body) = match element.split_once(':') {
        Some((role, body))
            if !role.is_empty() && role.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') =>
        {
            (Some(role), body)
        }
        _ => (None, element),
    };
    let inner = if let Some(class) = body.strip_prefix('<').and_then(|b| b.strip_suffix('>')) {
        tag_regex(class)?
    } else if let Some(alts) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        // `$` among the words: the end of the sentence instead of a token.
        if role.is_none() && alts.split('|').any(|a| a == "$") {
            let words: Vec<&str> = alts.split('|').filter(|a| *a != "$").collect();
            return Ok(format!("(?: (?:{}) |$)", alternatives(&words.join("|"))?));
        }
        format!("(?:{})", alternatives(alts)?)
    } else {
        word_regex(body)?
    };
    Ok(match role {
        Some(role) => {
            if roles.iter().any(|r| r == role) {
                return Err(format!("role `{role}` is filled twice"));
            }
            roles.push(role.to_owned());
            format!(" (?P<{role}>{inner}) ")
        }
        None => format!(" {inner} "),
    })
}

/// Words or tags (`<class.kind>`) separated by `|`.
fn alternatives(inner: &str) -> Result<String, PatternError> {
    let one = |alt: &str| match alt.strip_prefix('<').and_then(|a| a.strip_suffix('>')) {
        Some(class) => tag_regex(class),
        None => word_regex(alt),
    };
    let alts: Result<Vec<String>, PatternError> = inner.split('|').map(one).collect();
    Ok(alts?.join("|"))
}

/// A tag: `agent` or `agent.physician`.
fn tag_regex(class: &str) -> Result<String, PatternError> {
    let ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    match class.split_once('.') {
        Some((c, k)) if ok(c) && ok(k) => Ok(format!("@{c}\\.{k}#[0-9]+")),
        None if ok(class) => Ok(format!("@{class}\\.[a-z_]+#[0-9]+")),
        _ => Err(format!("`<{class}>` is not a class or class.kind")),
    }
}

/// A plain word or punctuation token.
fn word_regex(word: &str) -> Result<String, PatternError> {
    if word.is_empty() || word.contains(' ') || word.starts_with('@') {
        return Err(format!("`{word}` is not a word"));
    }
    Ok(regex::escape(&word.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_compile_to_token_regexes() {
        let f = Frame::compile("t", "under [the] ~2 supervision of who:<agent>").expect("compiles");
        assert_eq!(f.roles, vec!["who".to_owned()]);
        assert!(
            f.regex
                .is_match(" under  the  concurrent  supervision  of  @agent.staff#3 ")
        );
        assert!(
            f.regex
                .is_match(" under  supervision  of  @agent.physician#0 ")
        );
        assert!(
            !f.regex
                .is_match(" under  supervisions  of  @agent.staff#3 ")
        );
        assert!(
            !f.regex
                .is_match(" under  a  b  c  supervision  of  @agent.staff#3 ")
        );
        // A gap passes over words and chunks, but not over an action.
        let by = Frame::compile("b", "<action.make> ~5 by who:<agent>").expect("compiles");
        assert!(
            by.regex
                .is_match(" @action.make#1  at  the  @place.console#2  by  @agent.physician#3 ")
        );
        assert!(
            !by.regex
                .is_match(" @action.make#1  and  @action.view#2  by  @agent.physician#3 ")
        );
        let kind = Frame::compile("k", "x:<place.console>").expect("compiles");
        assert!(kind.regex.is_match(" @place.console#1 "));
        assert!(!kind.regex.is_match(" @place.independent#1 "));
        let end = Frame::compile("e", "under (,|$)").expect("compiles");
        assert!(end.regex.is_match(" under "));
        assert!(end.regex.is_match(" under  ,  x "));
        assert!(!end.regex.is_match(" under  x "));
        for bad in ["", "~x", "<Agent>", "a:<b> a:<b>", "[]"] {
            assert!(Frame::compile("bad", bad).is_err(), "{bad:?} compiled");
        }
    }
}
