//! Codex's figures. Its `notify` JSON (at the end of each turn) names the
//! thread and the turn but carries no usage; the thread's rollout file,
//! `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-<time>-<thread>.jsonl`, does:
//! a `token_count` event after each reply with `info.total_token_usage`
//! (the thread's running sums), `info.last_token_usage` and
//! `info.model_context_window` (0.171.0). Codex reports no cost.

use super::Usage;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What `notify` says: the thread and the turn that ended.
pub fn notify(text: &str) -> Option<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(text.trim()).ok()?;
    let s = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .filter(|s| !s.is_empty() && super::id_shaped(s))
            .map(str::to_string)
    };
    Some((s("thread-id")?, s("turn-id").unwrap_or_default()))
}

#[derive(Deserialize)]
struct Event {
    payload: Option<Payload>,
}

#[derive(Deserialize)]
struct Payload {
    #[serde(rename = "type")]
    kind: Option<String>,
    info: Option<Info>,
    turn_id: Option<String>,
}

#[derive(Deserialize)]
struct Info {
    total_token_usage: Option<Counts>,
    last_token_usage: Option<Counts>,
    model_context_window: Option<u64>,
}

#[derive(Deserialize)]
struct Counts {
    input_tokens: Option<u64>,
    cached_input_tokens: Option<u64>,
    cache_write_input_tokens: Option<u64>,
    output_tokens: Option<u64>,
    total_tokens: Option<u64>,
}

/// What the end of a rollout says: the last token counts, and whether the
/// turn `turn` is recorded as complete (Codex writes its rollout on a task
/// of its own, so `notify` can come before the file has the turn's end).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tail {
    pub usage: Option<Usage>,
    pub turn_done: bool,
}

pub fn tail(bytes: &[u8], turn: &str) -> Tail {
    let mut t = Tail::default();
    let has = |line: &[u8], w: &[u8]| line.windows(w.len()).any(|x| x == w);
    for line in bytes.split(|&b| b == b'\n') {
        let count = has(line, b"\"token_count\"");
        if !count && !has(line, b"\"task_complete\"") {
            continue;
        }
        let Some(p) = serde_json::from_slice::<Event>(line)
            .ok()
            .and_then(|e| e.payload)
        else {
            continue;
        };
        match p.kind.as_deref() {
            Some("token_count") => {
                if let Some(u) = p.info.and_then(usage) {
                    t.usage = Some(u);
                }
            }
            Some("task_complete") => {
                t.turn_done |= !turn.is_empty() && p.turn_id.as_deref() == Some(turn)
            }
            _ => {}
        }
    }
    t
}

fn usage(i: Info) -> Option<Usage> {
    let total = i.total_token_usage?;
    let last = i.last_token_usage;
    Some(Usage {
        // OpenAI counts cached input inside input, as crew does.
        input_tokens: total.input_tokens.unwrap_or(0),
        output_tokens: total.output_tokens.unwrap_or(0),
        cache_read_tokens: total.cached_input_tokens.unwrap_or(0),
        cache_write_tokens: total.cache_write_input_tokens.unwrap_or(0),
        cost_usd: None,
        // What Codex counts as in the window: the last request's tokens.
        context_used: last.and_then(|l| l.total_tokens),
        context_window: i.model_context_window.filter(|&w| w > 0),
    })
}

/// Where Codex keeps its files: `$CODEX_HOME`, else `~/.codex`.
pub fn home() -> Option<PathBuf> {
    match std::env::var_os("CODEX_HOME").filter(|v| !v.is_empty()) {
        Some(h) => Some(PathBuf::from(h)),
        None => std::env::var_os("HOME")
            .filter(|v| !v.is_empty())
            .map(|h| Path::new(&h).join(".codex")),
    }
}

/// The date (year, month, day) of a day count since 1970-01-01.
fn civil(days: i64) -> (i64, u32, u32) {
    // Howard Hinnant's days_from_civil, inverted.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The creation time (unix ms) a time-ordered (version 7) UUID holds.
fn v7_ms(id: &str) -> Option<u64> {
    let b = id.as_bytes();
    if id.len() != 36 || b[14] != b'7' || b[8] != b'-' {
        return None;
    }
    u64::from_str_radix(&format!("{}{}", &id[..8], &id[9..13]), 16).ok()
}

/// How many day folders are searched for a thread whose id tells no date.
const DAYS_SEARCHED: usize = 31;

/// The rollout file of `thread`. Codex 0.171 ids are time-ordered, so the
/// day folder is known (give or take a day: the folder is in local time);
/// an older id's is searched for in the latest `DAYS_SEARCHED` days.
pub fn rollout(home: &Path, thread: &str) -> Option<PathBuf> {
    if !super::id_shaped(thread) || thread.is_empty() {
        return None;
    }
    let sessions = home.join("sessions");
    let suffix = format!("-{thread}.jsonl");
    let find = |dir: &Path| -> Option<PathBuf> {
        std::fs::read_dir(dir).ok()?.flatten().find_map(|e| {
            let name = e.file_name();
            let n = name.to_str()?;
            (n.starts_with("rollout-") && n.ends_with(&suffix)).then(|| e.path())
        })
    };
    if let Some(ms) = v7_ms(thread) {
        let day = (ms / 86_400_000) as i64;
        return [day, day - 1, day + 1].into_iter().find_map(|d| {
            let (y, m, d) = civil(d);
            find(&sessions.join(format!("{y:04}/{m:02}/{d:02}")))
        });
    }
    let newest_first = |dir: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|r| {
                r.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_dir())
                    .collect()
            })
            .unwrap_or_default();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v
    };
    newest_first(&sessions)
        .iter()
        .flat_map(|y| newest_first(y))
        .flat_map(|m| newest_first(&m))
        .take(DAYS_SEARCHED)
        .find_map(|d| find(&d))
}

/// The most of a rollout's end that is read: the last turn's events are
/// there (a reply's own lines can be long; the counts follow them).
pub const TAIL_MAX: u64 = 1 << 20;

/// The last `TAIL_MAX` bytes of a regular file, from a line's start.
pub fn read_tail(path: &Path) -> Option<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path).ok()?;
    let meta = f.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    let from = meta.len().saturating_sub(TAIL_MAX);
    f.seek(SeekFrom::Start(from)).ok()?;
    let mut buf = Vec::new();
    f.take(TAIL_MAX).read_to_end(&mut buf).ok()?;
    if from > 0 {
        // Cut mid-line: that line is not whole.
        let start = buf
            .iter()
            .position(|&b| b == b'\n')
            .map_or(buf.len(), |i| i + 1);
        buf.drain(..start);
    }
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Real files of Codex 0.171.0 against the project's fake model
    // (tests/usage/README.md): two turns of one request each, 100 input
    // and 20 output tokens.
    const ROLLOUT: &[u8] = include_bytes!("../../../../tests/usage/codex-rollout.jsonl");
    const NOTIFY: &str = include_str!("../../../../tests/usage/codex-notify.json");

    #[test]
    fn the_rollout_of_0_171_0() {
        let (thread, turn) = notify(NOTIFY).unwrap();
        assert_eq!(thread, "01a23fed-a4d7-7e91-9231-155da9cc25e7");
        let t = tail(ROLLOUT, &turn);
        assert!(t.turn_done);
        let u = t.usage.unwrap();
        assert_eq!(
            (u.input_tokens, u.output_tokens, u.cache_read_tokens),
            (200, 40, 0)
        );
        assert_eq!(
            (u.context_used, u.context_window),
            (Some(120), Some(258_400))
        );
        assert_eq!(u.cost_usd, None);
        // Before the turn's end is written: the last counts, not done.
        let cut = ROLLOUT.len() - 400;
        let early = tail(&ROLLOUT[..cut], &turn);
        assert!(!early.turn_done);
        assert_eq!(early.usage.map(|u| u.tokens()), Some(240));
        assert_eq!(
            tail(b"garbage\n{\"payload\":\"token_count\"}\n", "t"),
            Tail::default()
        );
        assert_eq!(notify(r#"{"thread-id":"a;b"}"#), None);
    }

    #[test]
    fn dates_of_days() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(20_791), (2026, 12, 4));
        assert_eq!(civil(11_016), (2000, 2, 29));
        let ms = v7_ms("01a23fed-a4d7-7e91-9231-155da9cc25e7").unwrap();
        assert_eq!(civil((ms / 86_400_000) as i64), (2026, 12, 4));
        assert_eq!(v7_ms("3355492f-873a-429e-a87f-6adb4be6a22f"), None);
    }

    #[test]
    fn finds_the_rollout() {
        let home = std::env::temp_dir().join(format!("crew-codex-{}", std::process::id()));
        let thread = "01a23fed-a4d7-7e91-9231-155da9cc25e7";
        let day = home.join("sessions/2026/12/04");
        std::fs::create_dir_all(&day).unwrap();
        let file = day.join(format!("rollout-2026-12-04T07-21-08-{thread}.jsonl"));
        std::fs::write(&file, ROLLOUT).unwrap();
        assert_eq!(rollout(&home, thread), Some(file.clone()));
        // An id that tells no date: the latest days are searched.
        let old = "3355492f-873a-429e-a87f-6adb4be6a22f";
        let other = day.join(format!("rollout-2026-12-04T07-00-00-{old}.jsonl"));
        std::fs::write(&other, b"").unwrap();
        assert_eq!(rollout(&home, old), Some(other));
        assert_eq!(rollout(&home, "../x"), None);
        assert_eq!(read_tail(&file).as_deref(), Some(ROLLOUT));
        std::fs::remove_dir_all(&home).unwrap();
    }
}
