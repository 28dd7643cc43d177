//! Building tmux command chains that survive tmux's own argument parsing.

/// One tmux command with its arguments, exactly as tmux should receive them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cmd {
    args: Vec<String>,
}

impl Cmd {
    pub fn new(name: &str) -> Cmd {
        Cmd {
            args: vec![name.to_string()],
        }
    }

    pub fn arg(mut self, a: impl Into<String>) -> Cmd {
        self.args.push(a.into());
        self
    }

    pub fn args<I, S>(mut self, items: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(items.into_iter().map(Into::into));
        self
    }

    /// `-t TARGET`; every crew target is an id (`%N`, `@N`, `$N`) from the snapshot.
    pub fn target(self, t: &str) -> Cmd {
        self.arg("-t").arg(t)
    }

    pub fn name(&self) -> &str {
        &self.args[0]
    }

    pub fn raw_args(&self) -> &[String] {
        &self.args
    }

    /// Arguments as tmux must see them on argv. tmux reads an argument that ends
    /// in `;` as a command separator and turns a trailing `\;` into `;`, so a
    /// literal trailing `;` needs one backslash in front of it (this also keeps
    /// a literal trailing `\;` intact: `a\;` becomes `a\\;` which parses back).
    fn escaped(&self) -> impl Iterator<Item = String> + '_ {
        self.args.iter().map(|a| {
            if a.ends_with(';') {
                let mut s = a[..a.len() - 1].to_string();
                s.push_str("\\;");
                s
            } else {
                a.clone()
            }
        })
    }

    /// Bytes this command adds to tmux's message (each argument NUL-terminated).
    pub fn wire_len(&self) -> usize {
        self.escaped().map(|a| a.len() + 1).sum::<usize>() + 2
    }

    /// Arguments this command adds to tmux's message, its `;` included.
    pub fn wire_args(&self) -> usize {
        self.args.len() + 1
    }
}

/// A sequence of commands run by one tmux client without interleaving with
/// other clients.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chain {
    cmds: Vec<Cmd>,
}

/// tmux packs a client's argv into one imsg of at most 16 KiB; leave room for
/// the header and the global flags.
pub const ARGV_BUDGET: usize = 15_000;

/// From tmux 3.7 the server refuses a command message of more than 1000
/// arguments ("command too long", `cmd_unpack_argv`), whatever its size in
/// bytes; the `;` between commands count. Older releases take any number.
pub const ARGS_MAX: usize = 1000;

impl Chain {
    pub fn new() -> Chain {
        Chain::default()
    }

    pub fn push(&mut self, c: Cmd) -> &mut Chain {
        self.cmds.push(c);
        self
    }

    pub fn extend(&mut self, cs: impl IntoIterator<Item = Cmd>) -> &mut Chain {
        self.cmds.extend(cs);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.cmds.is_empty()
    }

    pub fn len(&self) -> usize {
        self.cmds.len()
    }

    pub fn cmds(&self) -> &[Cmd] {
        &self.cmds
    }

    /// argv for the chain: commands separated by a lone `;` argument.
    pub fn argv(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                out.push(";".to_string());
            }
            out.extend(c.escaped());
        }
        out
    }

    /// Bytes of the chain on tmux's argv.
    pub fn wire_len(&self) -> usize {
        self.cmds.iter().map(Cmd::wire_len).sum::<usize>() + 2 * self.cmds.len()
    }

    /// Arguments of the chain on tmux's argv (`argv().len()`).
    pub fn wire_args(&self) -> usize {
        self.cmds.iter().map(Cmd::wire_args).sum::<usize>() - self.cmds.len().min(1)
    }

    /// Whether the chain fits one command message on every tmux release:
    /// within the byte budget and within 3.7's argument count.
    pub fn fits_one_message(&self) -> bool {
        self.wire_len() <= ARGV_BUDGET && self.wire_args() <= ARGS_MAX
    }

    /// The chain as one line of tmux's command language, for `source-file -`
    /// (no argv limit). One line is one command list: like an argv chain, it
    /// runs without interleaving and stops at the first error.
    pub fn script(&self) -> String {
        let mut out = String::new();
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                out.push_str(" ; ");
            }
            let words: Vec<String> = c.args.iter().map(|a| config_quote(a)).collect();
            out.push_str(&words.join(" "));
        }
        out.push('\n');
        out
    }

    /// Split into chains that each fit one message: `budget` bytes and
    /// `ARGS_MAX` arguments. Splitting only happens where a limit forces it;
    /// a single command that is too long on its own stays alone and tmux
    /// will refuse it ("command too long").
    pub fn split(&self, budget: usize) -> Vec<Chain> {
        let mut parts = Vec::new();
        let mut cur = Chain::new();
        let (mut size, mut count) = (0, 0);
        for c in &self.cmds {
            let (n, k) = (c.wire_len(), c.wire_args());
            if !cur.is_empty() && (size + n > budget || count + k > ARGS_MAX + 1) {
                parts.push(std::mem::take(&mut cur));
                (size, count) = (0, 0);
            }
            size += n;
            count += k;
            cur.cmds.push(c.clone());
        }
        if !cur.is_empty() {
            parts.push(cur);
        }
        parts
    }
}

/// Quote a word for tmux's configuration language: bare when it is plainly
/// safe, else double quotes with tmux's escapes, so no byte is taken for
/// syntax (`;`, `#`, `$`, `~`, quotes, braces, newlines).
pub fn config_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:%@=+,^".contains(c))
    {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '$' => out.push_str("\\$"),
            // tmux expands a leading ~ even inside double quotes.
            '~' => out.push_str("\\~"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x1b' => out.push_str("\\e"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A value tmux will expand as a format (`-c` of new-window, split-window
/// and respawn-pane, window names, menu labels, display-message, style
/// options), made literal: `##` is tmux's escape for `#`, and `#` is what
/// starts every expansion (`#{…}`, `#(…)`, `#[…]`, `#H`).
pub fn format_literal(s: &str) -> String {
    s.replace('#', "##")
}

/// Quote a word for display in `-v` output and `--dry-run`, the way a shell
/// would need it.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,%@+^".contains(c))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_semicolon_is_escaped() {
        let mut ch = Chain::new();
        ch.push(Cmd::new("send-keys").args(["-l", "--", "a;"]));
        ch.push(Cmd::new("display").args(["-p", "x\\;"]));
        assert_eq!(
            ch.argv(),
            vec![
                "send-keys",
                "-l",
                "--",
                "a\\;",
                ";",
                "display",
                "-p",
                "x\\\\;"
            ]
        );
    }

    #[test]
    fn inner_semicolons_untouched() {
        let mut ch = Chain::new();
        ch.push(Cmd::new("send-keys").args(["-l", "--", "a;b ; c"]));
        assert_eq!(ch.argv()[3], "a;b ; c");
    }

    #[test]
    fn split_only_when_over_budget() {
        let mut ch = Chain::new();
        for i in 0..10 {
            ch.push(Cmd::new("capture-pane").args(["-p", "-t", &format!("%{i}")]));
        }
        assert_eq!(ch.split(ARGV_BUDGET).len(), 1);
        let parts = ch.split(60);
        assert!(parts.len() > 1);
        let total: usize = parts.iter().map(Chain::len).sum();
        assert_eq!(total, 10);
        for p in &parts {
            let bytes: usize = p.cmds().iter().map(Cmd::wire_len).sum();
            assert!(bytes <= 60 || p.len() == 1);
        }
    }

    #[test]
    fn split_by_argument_count() {
        // 400 commands of 3 short words: far under the byte budget, but
        // 1599 arguments with the separators, over tmux 3.7's 1000.
        let mut ch = Chain::new();
        for i in 0..400 {
            ch.push(Cmd::new("kill-pane").target(&format!("%{i}")));
        }
        assert!(ch.wire_len() < ARGV_BUDGET);
        assert_eq!(ch.wire_args(), ch.argv().len());
        assert!(!ch.fits_one_message());
        let parts = ch.split(ARGV_BUDGET);
        assert_eq!(parts.len(), 2);
        for p in &parts {
            assert_eq!(p.wire_args(), p.argv().len());
            assert!(p.wire_args() <= ARGS_MAX, "{}", p.wire_args());
            assert!(p.fits_one_message());
        }
        assert_eq!(parts.iter().map(Chain::len).sum::<usize>(), 400);
        assert_eq!(parts[0].wire_args(), 999);
    }

    #[test]
    fn config_quoting() {
        assert_eq!(config_quote("%12"), "%12");
        assert_eq!(config_quote("a b;"), "\"a b;\"");
        assert_eq!(
            config_quote("$x \"q\" \\ #{y}\n\t"),
            r#""\$x \"q\" \\ #{y}\n\t""#
        );
        assert_eq!(config_quote(""), "\"\"");
        assert_eq!(config_quote("~/x"), "\"\\~/x\"");
        let mut ch = Chain::new();
        ch.push(Cmd::new("display-message").args(["-p", "a;"]));
        ch.push(Cmd::new("kill-pane").target("%1"));
        assert_eq!(ch.script(), "display-message -p \"a;\" ; kill-pane -t %1\n");
    }

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("abc"), "abc");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
