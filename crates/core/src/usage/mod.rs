//! Tokens, cost and context an agent's own tool reports, kept on the pane
//! as `@crew-usage`. Written from inside the pane (Claude Code's status-line
//! command, Codex's `notify`), read by every snapshot at no extra tmux call.
//! The tag can be set by any process, so its parse takes nothing on trust:
//! bounded, numbers only where numbers go, ids id-shaped.

pub mod claude;
pub mod codex;

use crate::snapshot::Agent;
use crate::tags;
use serde::Serialize;

/// One agent's figures, as `ls --json` shows them under `usage`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Usage {
    /// Tokens sent to the model, cache reads and writes included (as
    /// OpenAI counts input; Claude Code's three counts added up).
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// Of the input: read from the prompt cache, written to it.
    pub cache_read_tokens: u64,
    pub cache_write_tokens: u64,
    /// The tool's own estimate of what its session cost, in US dollars;
    /// none where the tool gives none (crew keeps no price list).
    pub cost_usd: Option<f64>,
    /// Tokens in the context window at the last request, as the tool counts
    /// them, and the window's size.
    pub context_used: Option<u64>,
    pub context_window: Option<u64>,
}

impl Usage {
    /// Input and output: the TOKENS column.
    pub fn tokens(&self) -> u64 {
        self.input_tokens.saturating_add(self.output_tokens)
    }

    /// How full the context window is, in whole percent.
    pub fn context_percent(&self) -> Option<u64> {
        match (self.context_used, self.context_window) {
            (Some(u), Some(w)) if w > 0 => {
                Some(((u as u128 * 100 + w as u128 / 2) / w as u128) as u64)
            }
            _ => None,
        }
    }
}

/// The tag's content: the figures, and how far crew has read the tool's
/// own record of the conversation they are of.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub usage: Usage,
    /// The conversation (Claude Code's session id, Codex's thread id):
    /// another one starts the token counts again.
    pub session: String,
    /// Claude Code: bytes of its transcript already counted, and the last
    /// message counted with its four figures (a message written in several
    /// lines, one per content block, counts once: its last line's).
    pub offset: u64,
    pub last_id: String,
    pub last: [u64; 4],
}

/// Longer than any value crew writes: a longer one is someone else's.
const MAX_TAG: usize = 1024;
/// Dearer than any session: a figure above it is not believed.
const MAX_USD: f64 = 1e9;

/// An id crew keeps: what a tool gives as a session or message id.
fn id_shaped(s: &str) -> bool {
    s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

impl Record {
    /// `v=1&in=N&out=N&cr=N&cw=N[&usd=F][&ctx=N][&win=N]&sess=ID&off=N&mid=ID&li=N&lo=N&lr=N&lw=N`;
    /// None when anything in it is not what crew writes.
    pub fn parse(raw: &str) -> Option<Record> {
        if raw.is_empty() || raw.len() > MAX_TAG {
            return None;
        }
        let mut r = Record::default();
        let mut version = false;
        for item in raw.split('&') {
            let (k, v) = item.split_once('=')?;
            let num = || v.parse::<u64>().ok();
            let text = || tags::decode(v).ok().filter(|s| id_shaped(s));
            let u = &mut r.usage;
            match k {
                "v" => version = v == "1",
                "in" => u.input_tokens = num()?,
                "out" => u.output_tokens = num()?,
                "cr" => u.cache_read_tokens = num()?,
                "cw" => u.cache_write_tokens = num()?,
                "usd" => {
                    let f: f64 = v.parse().ok()?;
                    if !(f.is_finite() && (0.0..=MAX_USD).contains(&f)) {
                        return None;
                    }
                    u.cost_usd = Some(f);
                }
                "ctx" => u.context_used = Some(num()?),
                "win" => u.context_window = Some(num()?),
                "sess" => r.session = text()?,
                "off" => r.offset = num()?,
                "mid" => r.last_id = text()?,
                "li" => r.last[0] = num()?,
                "lo" => r.last[1] = num()?,
                "lr" => r.last[2] = num()?,
                "lw" => r.last[3] = num()?,
                // A newer crew's key: skipped, not damage.
                _ => {}
            }
        }
        version.then_some(r)
    }

    pub fn value(&self) -> String {
        let u = &self.usage;
        let mut s = format!(
            "v=1&in={}&out={}&cr={}&cw={}",
            u.input_tokens, u.output_tokens, u.cache_read_tokens, u.cache_write_tokens
        );
        if let Some(c) = u
            .cost_usd
            .filter(|c| c.is_finite() && (0.0..=MAX_USD).contains(c))
        {
            s.push_str(&format!("&usd={c}"));
        }
        if let Some(c) = u.context_used {
            s.push_str(&format!("&ctx={c}"));
        }
        if let Some(w) = u.context_window {
            s.push_str(&format!("&win={w}"));
        }
        for (k, v) in [("sess", &self.session), ("mid", &self.last_id)] {
            if !v.is_empty() && id_shaped(v) {
                s.push_str(&format!("&{k}={}", tags::encode(v)));
            }
        }
        if self.offset > 0 {
            s.push_str(&format!("&off={}", self.offset));
        }
        if !self.last_id.is_empty() {
            let [i, o, r, w] = self.last;
            s.push_str(&format!("&li={i}&lo={o}&lr={r}&lw={w}"));
        }
        s
    }
}

/// What the agent's tool last reported, if it reported anything crew can
/// read. An exited agent keeps its last figures.
pub fn of(a: &Agent) -> Option<Usage> {
    Record::parse(&a.tags.usage).map(|r| r.usage)
}

/// The figures of many agents added up.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Agents with figures, and of those the ones whose tool gives a cost.
    pub agents: usize,
    pub costed: usize,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost_usd: f64,
}

impl Totals {
    pub fn of<'a>(all: impl IntoIterator<Item = &'a Usage>) -> Totals {
        let mut t = Totals::default();
        for u in all {
            t.agents += 1;
            t.input_tokens = t.input_tokens.saturating_add(u.input_tokens);
            t.output_tokens = t.output_tokens.saturating_add(u.output_tokens);
            if let Some(c) = u.cost_usd {
                t.costed += 1;
                t.cost_usd += c;
            }
        }
        t
    }

    pub fn tokens(&self) -> u64 {
        self.input_tokens.saturating_add(self.output_tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let r = Record {
            usage: Usage {
                input_tokens: 200,
                output_tokens: 40,
                cache_read_tokens: 3,
                cache_write_tokens: 4,
                cost_usd: Some(0.0016),
                context_used: Some(100),
                context_window: Some(1_000_000),
            },
            session: "6bf23191-d3b0-4f94-8330-40cd5ca81e83".into(),
            offset: 57_581,
            last_id: "msg_ee8136b92625".into(),
            last: [100, 20, 0, 0],
        };
        assert_eq!(Record::parse(&r.value()), Some(r.clone()));
        let bare = Record {
            usage: Usage {
                input_tokens: 1,
                ..Usage::default()
            },
            ..Record::default()
        };
        assert_eq!(Record::parse(&bare.value()), Some(bare));
        assert_eq!(r.usage.tokens(), 240);
        assert_eq!(r.usage.context_percent(), Some(0));
    }

    #[test]
    fn strangers_values_are_not_believed() {
        for bad in [
            "",
            "in=5",
            "v=2&in=5",
            "v=1&in=-5",
            "v=1&in=5x",
            "v=1&usd=NaN",
            "v=1&usd=inf",
            "v=1&usd=-1",
            "v=1&usd=1e300",
            "v=1&sess=a%20b",
            "v=1&sess=%ZZ",
            "v=1&in",
            "v=1&in=99999999999999999999999",
        ] {
            assert_eq!(Record::parse(bad), None, "{bad:?}");
        }
        assert_eq!(Record::parse(&format!("v=1&x={}", "9".repeat(2000))), None);
        // A key of a newer crew is skipped.
        assert_eq!(
            Record::parse("v=1&in=7&later=%41").map(|r| r.usage.input_tokens),
            Some(7)
        );
    }

    #[test]
    fn totals_and_percent() {
        let a = Usage {
            input_tokens: 100,
            output_tokens: 20,
            cost_usd: Some(0.5),
            context_used: Some(1),
            context_window: Some(3),
            ..Usage::default()
        };
        let b = Usage {
            input_tokens: 200,
            output_tokens: 40,
            ..Usage::default()
        };
        let t = Totals::of([&a, &b]);
        assert_eq!(
            (t.agents, t.costed, t.tokens(), t.cost_usd),
            (2, 1, 360, 0.5)
        );
        assert_eq!(a.context_percent(), Some(33));
        assert_eq!(b.context_percent(), None);
        let full = Usage {
            context_used: Some(u64::MAX),
            context_window: Some(u64::MAX),
            ..Usage::default()
        };
        assert_eq!(full.context_percent(), Some(100));
    }
}
