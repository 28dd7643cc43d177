//! What reaches rmcp from the client, one JSON-RPC message per line, and
//! every line answered. rmcp drops a line over 16 MiB, and one that does not
//! parse, without a word, and the client then waits forever: such lines get
//! the JSON-RPC error they call for here, and only the rest go on to rmcp.
//! rmcp's answers and these errors leave through one writer, a line each.

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;

/// The largest request crew takes (a tool's text is far smaller).
pub const MAX_REQUEST: usize = 8 * 1024 * 1024;
/// Past this, a line is not parsed for its id, only scanned at its start.
const KEEP: usize = 64 * 1024 * 1024;

/// rmcp's side of the transport: what it reads, where it writes.
pub fn transport() -> (DuplexStream, DuplexStream) {
    let (to_rmcp, rmcp_in) = tokio::io::duplex(1 << 20);
    let (rmcp_out, from_rmcp) = tokio::io::duplex(1 << 20);
    let (tx, rx) = mpsc::unbounded_channel::<Vec<u8>>();
    tokio::spawn(write_out(rx));
    let answers = tx.clone();
    tokio::spawn(async move {
        let mut lines = BufReader::new(from_rmcp);
        let mut line = Vec::new();
        while lines.read_until(b'\n', &mut line).await.unwrap_or(0) > 0 {
            if answers.send(std::mem::take(&mut line)).is_err() {
                break;
            }
        }
    });
    tokio::spawn(read_in(to_rmcp, tx));
    (rmcp_in, rmcp_out)
}

async fn write_out(mut rx: mpsc::UnboundedReceiver<Vec<u8>>) {
    let mut out = tokio::io::stdout();
    while let Some(line) = rx.recv().await {
        if out.write_all(&line).await.is_err() || out.flush().await.is_err() {
            break;
        }
    }
}

async fn read_in(mut to_rmcp: DuplexStream, errors: mpsc::UnboundedSender<Vec<u8>>) {
    let mut input = BufReader::with_capacity(1 << 16, tokio::io::stdin());
    loop {
        // One line, of which at most KEEP bytes are kept.
        let mut line = Vec::new();
        let mut total = 0usize;
        let mut ended = false;
        loop {
            let buf = match input.fill_buf().await {
                Ok(b) => b,
                Err(_) => return,
            };
            if buf.is_empty() {
                ended = true;
                break;
            }
            let (chunk, newline) = match buf.iter().position(|b| *b == b'\n') {
                Some(i) => (&buf[..i], true),
                None => (buf, false),
            };
            total += chunk.len();
            if line.len() < KEEP {
                let room = KEEP - line.len();
                line.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            let used = chunk.len() + usize::from(newline);
            input.consume(used);
            if newline {
                break;
            }
        }
        if total > 0 || !line.is_empty() {
            match check(&line, total) {
                Ok(()) => {
                    line.push(b'\n');
                    if to_rmcp.write_all(&line).await.is_err() {
                        return;
                    }
                }
                Err(answer) => {
                    let mut text = serde_json::to_vec(&answer).expect("JSON");
                    text.push(b'\n');
                    if errors.send(text).is_err() {
                        return;
                    }
                }
            }
        }
        if ended {
            // The client is gone: so is rmcp's input.
            let _ = to_rmcp.shutdown().await;
            return;
        }
    }
}

/// A line fit for rmcp, or the error to answer it with.
fn check(line: &[u8], total: usize) -> Result<(), Value> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    if total > MAX_REQUEST {
        let id = if total <= KEEP {
            serde_json::from_slice::<Value>(line)
                .ok()
                .and_then(|v| v.get("id").cloned())
        } else {
            id_at_start(line)
        };
        return Err(error(
            id.unwrap_or(Value::Null),
            -32600,
            format!("request of {total} bytes is over crew's limit of {MAX_REQUEST} bytes"),
        ));
    }
    match serde_json::from_slice::<Value>(line) {
        Err(e) => Err(error(Value::Null, -32700, format!("Parse error: {e}"))),
        Ok(v) if !v.is_object() => Err(error(
            Value::Null,
            -32600,
            "Invalid Request: one JSON-RPC object per line (batches are not taken)".into(),
        )),
        Ok(_) => Ok(()),
    }
}

/// The request's id when it comes before its params, as clients write it.
fn id_at_start(line: &[u8]) -> Option<Value> {
    let head = String::from_utf8_lossy(&line[..line.len().min(4096)]);
    let at = head.find("\"id\"")? + 4;
    let rest = head[at..].trim_start().strip_prefix(':')?.trim_start();
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    serde_json::from_str(rest[..end].trim()).ok()
}

fn error(id: Value, code: i64, message: String) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_their_answers() {
        assert!(check(br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, 40).is_ok());
        let e = check(b"garbage", 7).unwrap_err();
        assert_eq!(e["error"]["code"], -32700);
        assert_eq!(e["id"], Value::Null);
        let e = check(b"[1,2]", 5).unwrap_err();
        assert_eq!(e["error"]["code"], -32600);
        let big = br#"{"jsonrpc":"2.0","id":7,"method":"tools/call"}"#;
        let e = check(big, MAX_REQUEST + 1).unwrap_err();
        assert_eq!(
            (e["id"].clone(), e["error"]["code"].clone()),
            (json!(7), json!(-32600))
        );
        assert_eq!(
            id_at_start(br#"{"jsonrpc":"2.0","id":"a-1","params":{"#),
            Some(json!("a-1"))
        );
    }
}
