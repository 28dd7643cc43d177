//! Claude Code's figures. Its status-line command gets a JSON on stdin at
//! every change (2.1.332: `session_id`, `transcript_path`,
//! `cost.total_cost_usd`, `context_window.{total_input_tokens,
//! context_window_size, current_usage}`), but no running token count:
//! `context_window.total_input_tokens` is the last request's context, not a
//! sum. The sums come from the transcript, where each API reply is an
//! `assistant` line with `message.usage`; crew reads it on from where it
//! stopped (the offset kept in the tag), so each run reads only what is new.

use super::{Record, Usage};
use serde::Deserialize;

/// What one status-line run says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusLine {
    pub session: String,
    pub transcript: String,
    pub cost_usd: Option<f64>,
    pub context_used: Option<u64>,
    pub context_window: Option<u64>,
}

#[derive(Deserialize)]
struct Input {
    session_id: Option<String>,
    transcript_path: Option<String>,
    cost: Option<Cost>,
    context_window: Option<Window>,
}

#[derive(Deserialize)]
struct Cost {
    total_cost_usd: Option<f64>,
}

#[derive(Deserialize)]
struct Window {
    total_input_tokens: Option<u64>,
    context_window_size: Option<u64>,
    current_usage: Option<serde_json::Value>,
}

/// The status line's JSON, or None when it is not one.
pub fn status_line(text: &str) -> Option<StatusLine> {
    let i: Input = serde_json::from_str(text.trim()).ok()?;
    let session = i.session_id.filter(|s| super::id_shaped(s))?;
    let w = i.context_window;
    Some(StatusLine {
        session,
        transcript: i.transcript_path.unwrap_or_default(),
        cost_usd: i
            .cost
            .and_then(|c| c.total_cost_usd)
            .filter(|c| c.is_finite() && (0.0..=super::MAX_USD).contains(c)),
        // Before the first reply there is no current usage: unknown, not 0.
        context_used: w
            .as_ref()
            .filter(|w| w.current_usage.as_ref().is_some_and(|u| u.is_object()))
            .and_then(|w| w.total_input_tokens),
        context_window: w.and_then(|w| w.context_window_size).filter(|&n| n > 0),
    })
}

#[derive(Deserialize)]
struct Line {
    #[serde(rename = "type")]
    kind: Option<String>,
    message: Option<Message>,
}

#[derive(Deserialize)]
struct Message {
    id: Option<String>,
    usage: Option<Counts>,
}

#[derive(Deserialize)]
struct Counts {
    input_tokens: Option<u64>,
    output_tokens: Option<u64>,
    cache_creation_input_tokens: Option<u64>,
    cache_read_input_tokens: Option<u64>,
}

/// An assistant line's message id and figures [input, output, cache read,
/// cache write], input counting the cache too.
fn assistant(line: &[u8]) -> Option<(String, [u64; 4])> {
    // Most lines are not replies (and some are the whole system prompt):
    // only a line that names both is parsed.
    let has = |w: &[u8]| line.windows(w.len()).any(|x| x == w);
    if !has(b"\"assistant\"") || !has(b"\"usage\"") {
        return None;
    }
    let l: Line = serde_json::from_slice(line).ok()?;
    if l.kind.as_deref() != Some("assistant") {
        return None;
    }
    let m = l.message?;
    let c = m.usage?;
    let (i, o) = (c.input_tokens.unwrap_or(0), c.output_tokens.unwrap_or(0));
    let (w, r) = (
        c.cache_creation_input_tokens.unwrap_or(0),
        c.cache_read_input_tokens.unwrap_or(0),
    );
    let input = i.saturating_add(w).saturating_add(r);
    Some((m.id.unwrap_or_default(), [input, o, r, w]))
}

fn add(u: &mut Usage, f: [u64; 4], sign: bool) {
    let op = |a: u64, b: u64| {
        if sign {
            a.saturating_add(b)
        } else {
            a.saturating_sub(b)
        }
    };
    u.input_tokens = op(u.input_tokens, f[0]);
    u.output_tokens = op(u.output_tokens, f[1]);
    u.cache_read_tokens = op(u.cache_read_tokens, f[2]);
    u.cache_write_tokens = op(u.cache_write_tokens, f[3]);
}

/// Count the whole lines of `bytes` (the transcript from `rec.offset` on)
/// into `rec`, and move the offset past them. A line still being written
/// (no newline yet) waits for the next run; a chunk with no newline at all
/// (`full`: as much as is read at once) is passed over whole.
pub fn fold(rec: &mut Record, bytes: &[u8], full: bool) {
    let Some(end) = bytes.iter().rposition(|&b| b == b'\n') else {
        if full {
            rec.offset = rec.offset.saturating_add(bytes.len() as u64);
        }
        return;
    };
    for line in bytes[..end].split(|&b| b == b'\n') {
        let Some((id, f)) = assistant(line) else {
            continue;
        };
        let id = if super::id_shaped(&id) {
            id
        } else {
            String::new()
        };
        // The same message again (its next content block): its last
        // line's figures replace the ones counted.
        if !id.is_empty() && id == rec.last_id {
            add(&mut rec.usage, rec.last, false);
        }
        add(&mut rec.usage, f, true);
        rec.last_id = id;
        rec.last = f;
    }
    rec.offset = rec.offset.saturating_add(end as u64 + 1);
}

/// The most of the transcript one run reads: a long backlog (a resumed
/// conversation) is caught up over several runs.
pub const READ_MAX: u64 = 8 << 20;

/// The next record from the last one and a status-line run. `read(offset)`
/// gives the transcript from `offset` (at most `READ_MAX` bytes) and its
/// length, or None when it cannot be read.
pub fn update(
    old: Option<&Record>,
    sl: &StatusLine,
    read: impl FnOnce(u64) -> Option<(Vec<u8>, u64)>,
) -> Record {
    let mut rec = match old {
        Some(r) if r.session == sl.session => r.clone(),
        // Another conversation (`/clear`, `/resume`): its own counts.
        _ => Record {
            session: sl.session.clone(),
            ..Record::default()
        },
    };
    if !sl.transcript.is_empty() {
        if let Some((bytes, len)) = read(rec.offset) {
            if len < rec.offset {
                // Shorter than what was counted: not the file counted.
                rec = Record {
                    session: sl.session.clone(),
                    ..Record::default()
                };
            } else {
                let full = bytes.len() as u64 >= READ_MAX;
                fold(&mut rec, &bytes, full);
            }
        }
    }
    rec.usage.cost_usd = sl.cost_usd;
    rec.usage.context_used = sl.context_used;
    rec.usage.context_window = sl.context_window;
    rec
}

/// The transcript from `offset`, at most `READ_MAX` bytes, and its length;
/// only a regular file.
pub fn read_transcript(path: &str, offset: u64) -> Option<(Vec<u8>, u64)> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path).ok()?;
    let meta = f.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    let len = meta.len();
    if offset >= len {
        return Some((vec![], len));
    }
    f.seek(SeekFrom::Start(offset)).ok()?;
    let mut buf = Vec::new();
    f.take(READ_MAX).read_to_end(&mut buf).ok()?;
    Some((buf, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Real inputs of Claude Code 2.1.332 against the project's fake model
    // (tests/usage/README.md): two requests of 100 input and 20 output
    // tokens, the first reply written as two lines (text, then tool_use).
    const STATUS: &str = include_str!("../../../../tests/usage/claude-status-line.json");
    const START: &str = include_str!("../../../../tests/usage/claude-status-line-start.json");
    const TRANSCRIPT: &[u8] = include_bytes!("../../../../tests/usage/claude-transcript.jsonl");

    #[test]
    fn the_status_line_of_2_1_332() {
        let sl = status_line(STATUS).unwrap();
        assert_eq!(sl.session, "6bf23191-d3b0-4f94-8330-40cd5ca81e83");
        assert!(sl
            .transcript
            .ends_with("6bf23191-d3b0-4f94-8330-40cd5ca81e83.jsonl"));
        assert_eq!(sl.cost_usd, Some(0.0016));
        assert_eq!(
            (sl.context_used, sl.context_window),
            (Some(100), Some(1_000_000))
        );
        // Before any request: no context figure yet.
        let st = status_line(START).unwrap();
        assert_eq!((st.cost_usd, st.context_used), (Some(0.0), None));
        assert_eq!(status_line("not json"), None);
        assert_eq!(status_line(r#"{"session_id":"a b"}"#), None);
        assert_eq!(
            status_line(r#"{"session_id":"s","cost":{"total_cost_usd":-3}}"#).map(|s| s.cost_usd),
            Some(None)
        );
    }

    fn whole(bytes: &[u8]) -> Record {
        let sl = status_line(STATUS).unwrap();
        let len = bytes.len() as u64;
        update(None, &sl, |off| Some((bytes[off as usize..].to_vec(), len)))
    }

    #[test]
    fn the_transcript_sums_each_reply_once() {
        let r = whole(TRANSCRIPT);
        let u = &r.usage;
        assert_eq!((u.input_tokens, u.output_tokens), (200, 40));
        assert_eq!((u.cache_read_tokens, u.cache_write_tokens), (0, 0));
        assert_eq!(u.cost_usd, Some(0.0016));
        assert_eq!(r.offset, TRANSCRIPT.len() as u64);
        assert_eq!(r.last_id, "msg_ee8136b92625");
    }

    #[test]
    fn read_in_pieces_it_sums_the_same() {
        let sl = status_line(STATUS).unwrap();
        let len = TRANSCRIPT.len();
        // Runs that each see a little more of the file, cut mid-line.
        let mut rec: Option<Record> = None;
        for upto in (0..=len).step_by(997).chain([len]) {
            let seen = &TRANSCRIPT[..upto];
            let r = update(rec.as_ref(), &sl, |off| {
                Some((seen[off as usize..].to_vec(), upto as u64))
            });
            // The tag round-trips between runs.
            rec = Record::parse(&r.value());
            assert_eq!(rec.as_ref(), Some(&r));
        }
        assert_eq!(rec.unwrap(), whole(TRANSCRIPT));
    }

    #[test]
    fn another_session_or_a_shorter_file_starts_again() {
        let r = whole(TRANSCRIPT);
        let mut sl = status_line(STATUS).unwrap();
        let again = update(Some(&r), &sl, |_| Some((vec![], TRANSCRIPT.len() as u64)));
        assert_eq!(again, r);
        let short = update(Some(&r), &sl, |_| Some((vec![], 10)));
        assert_eq!((short.usage.tokens(), short.offset), (0, 0));
        sl.session = "other".into();
        let other = update(Some(&r), &sl, |_| Some((vec![], 0)));
        assert_eq!((other.usage.tokens(), other.session.as_str()), (0, "other"));
    }

    #[test]
    fn garbage_lines_count_nothing() {
        let mut rec = Record::default();
        let junk = b"{\"type\":\"assistant\",\"usage\":1}\nnot json \"assistant\" \"usage\"\n\xff\xfe\n{\"type\":\"assistant\",\"message\":{\"usage\":{\"input_tokens\":-1}}}\n";
        fold(&mut rec, junk, false);
        assert_eq!(rec.usage, Usage::default());
        assert_eq!(rec.offset, junk.len() as u64);
        // No newline in a whole chunk: passed over, not read for ever.
        let mut rec = Record::default();
        fold(&mut rec, b"xxxx", true);
        assert_eq!(rec.offset, 4);
        fold(&mut rec, b"yy", false);
        assert_eq!(rec.offset, 4);
    }
}
