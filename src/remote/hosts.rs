//! `ls --hosts a,b` / `--all-hosts`: every host asked at once (one thread
//! and one ssh each), the rows merged with the host's name. A host that does
//! not answer is reported on stderr; the others are still listed, and the
//! exit code is 1 at the end.

use super::base::Base;
use super::Host;
use crate::render;
use crate::status::Status;
use anyhow::Result;
use serde_json::Value;
use std::io::Write;

pub fn ls(hosts: &[Host], base: &Base, names: &[&str], json: bool, quiet: bool) -> Result<i32> {
    let mut words = vec!["ls", "--json"];
    words.extend_from_slice(names);
    let args = base.command(&words);
    let answers: Vec<Result<Vec<Value>>> = std::thread::scope(|s| {
        let handles: Vec<_> = hosts
            .iter()
            .map(|h| {
                let args = &args;
                s.spawn(move || ask(h, args))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .collect()
    });
    let mut rows: Vec<Value> = vec![];
    let mut failed = false;
    for (h, a) in hosts.iter().zip(answers) {
        match a {
            Ok(list) => rows.extend(list.into_iter().map(|mut r| {
                if let Some(o) = r.as_object_mut() {
                    o.insert("host".into(), Value::String(h.name.clone()));
                }
                r
            })),
            Err(e) => {
                failed = true;
                // The message may quote the other host's own words.
                let (_, msg, hints) = crate::error::report(&e);
                eprintln!("crew: {}: {}", shown(&h.name), shown(&msg));
                for hint in hints {
                    eprintln!("hint: {}", shown(&hint));
                }
            }
        }
    }
    let mut out = std::io::stdout().lock();
    if json {
        let mut text = serde_json::to_string_pretty(&rows)?;
        text.push('\n');
        out.write_all(text.as_bytes())?;
    } else if quiet {
        for r in &rows {
            writeln!(
                out,
                "{}@{}",
                shown(&field(r, "name")),
                shown(&field(r, "host"))
            )?;
        }
    } else if !rows.is_empty() {
        out.write_all(table(&rows, base_color(base)).as_bytes())?;
    }
    out.flush()?;
    Ok(if failed { 1 } else { 0 })
}

fn base_color(base: &Base) -> bool {
    base.command(&[])[0] == "--color=always"
}

/// One host's rows, or why there are none.
fn ask(h: &Host, args: &[String]) -> Result<Vec<Value>> {
    let got = h.capture(args, None)?;
    if got.code != 0 {
        let msg = got
            .stderr
            .lines()
            .find_map(|l| l.strip_prefix("crew: "))
            .unwrap_or(got.stderr.trim())
            .to_string();
        anyhow::bail!("crew ls failed there (exit {}): {msg}", got.code);
    }
    let rows: Vec<Value> = serde_json::from_slice(&got.stdout)
        .map_err(|e| anyhow::anyhow!("crew there answered `ls --json` with no JSON array: {e}"))?;
    Ok(rows)
}

fn field(r: &Value, key: &str) -> String {
    match &r[key] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    }
}

/// Text from another host, made safe for a terminal.
fn shown(s: &str) -> String {
    crate::text::escape_controls(s).into_owned()
}

fn status_of(text: &str) -> Status {
    [
        Status::Working,
        Status::Idle,
        Status::Permission,
        Status::Question,
        Status::Exited,
    ]
    .into_iter()
    .find(|s| s.as_str() == text)
    .unwrap_or(Status::Unknown)
}

fn table(rows: &[Value], color: bool) -> String {
    use owo_colors::OwoColorize;
    use tabled::builder::Builder;
    use tabled::settings::{Padding, Style};
    let now = crate::ctx::now();
    let mut b = Builder::default();
    let head = [
        "HOST", "NAME", "STATUS", "WHERE", "PANE", "PID", "AGE", "COMMAND",
    ];
    b.push_record(head.map(|h| {
        if color {
            h.bold().to_string()
        } else {
            h.to_string()
        }
    }));
    for r in rows {
        let status = status_of(&field(r, "status"));
        let code = r["exit_status"].as_i64();
        let sig = r["exit_signal"].as_i64();
        let text = match (status, code, sig) {
            (Status::Exited, _, Some(s)) => format!("exited(sig {s})"),
            (Status::Exited, Some(c), _) => format!("exited({c})"),
            (s, ..) => s.as_str().to_string(),
        };
        let failed = sig.is_some() || code.is_some_and(|c| c != 0);
        let mut command = shown(&field(r, "command"));
        if command.chars().count() > 60 {
            command = command.chars().take(59).collect::<String>() + "…";
        }
        b.push_record([
            shown(&field(r, "host")),
            shown(&field(r, "name")),
            render::paint_status(&text, status, failed, color),
            shown(&field(r, "where")),
            shown(&field(r, "pane_id")),
            shown(&field(r, "pid")),
            render::age(r["created"].as_u64().unwrap_or(0), now),
            command,
        ]);
    }
    let mut t = b.build();
    t.with(Style::blank());
    t.with(Padding::new(0, 2, 0, 0));
    let mut s = t
        .to_string()
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n");
    s.push('\n');
    s
}
