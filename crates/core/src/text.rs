//! Text from outside (tags, titles, names, paths) made safe to print on a
//! terminal: a tag can hold ESC, BEL or CR, and printed raw they would let
//! whoever wrote it set the clipboard (OSC 52), clear the screen or forge
//! lines. Such bytes are shown escaped, never sent.

/// The largest number of seconds crew takes anywhere (a year).
pub const MAX_SECS: f64 = 365.0 * 24.0 * 3600.0;

/// A number of seconds: finite, from 0 to `MAX_SECS`.
pub fn secs(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if !v.is_finite() || !(0.0..=MAX_SECS).contains(&v) {
        return Err(format!(
            "{s:?} is out of range: seconds must be from 0 to {MAX_SECS} (a year)"
        ));
    }
    Ok(v)
}

/// Control characters (C0, DEL, C1) shown as escapes: `\t`, `\n`, `\r`,
/// `\e`, else `\xNN` / `\u{NN}`. A backslash stays as it is.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\x1b' => out.push_str("\\e"),
            c if (c as u32) < 0x80 && is_control(c) => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if is_control(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn is_control(c: char) -> bool {
    c.is_control()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_controls("plain ü 漢"), "plain ü 漢");
        assert_eq!(
            escape_controls("a\x1b]52;c;aGk=\x07b\rc\u{9b}2J\x7f"),
            "a\\e]52;c;aGk=\\x07b\\rc\\u{9b}2J\\x7f"
        );
        assert_eq!(escape_controls("t\tn\n"), "t\\tn\\n");
    }
}
