//! What a command did to each agent, printed as one line per agent or as
//! JSON: the typed result commands return, kept apart from how it is shown.

use serde::Serialize;
use std::io::Write;

#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub name: String,
    pub pane_id: String,
    /// What happened, as a past-tense verb: "sent", "approved", "skipped"…
    pub result: String,
    /// More about it, or "".
    pub detail: String,
}

impl Outcome {
    pub fn new(name: &str, pane_id: &str, result: &str, detail: impl Into<String>) -> Outcome {
        Outcome {
            name: name.to_string(),
            pane_id: pane_id.to_string(),
            result: result.to_string(),
            detail: detail.into(),
        }
    }

    /// "sent api (%3)", "sent api (%3): it exited with status 0".
    pub fn line(&self) -> String {
        let mut l = format!("{} {} ({})", self.result, self.name, self.pane_id);
        if !self.detail.is_empty() {
            l.push_str(": ");
            l.push_str(&self.detail);
        }
        crate::text::escape_controls(&l).into_owned()
    }
}

/// One line per outcome, or one JSON array with `json`.
pub fn print(outcomes: &[Outcome], json: bool) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        let mut text = serde_json::to_string_pretty(outcomes)?;
        text.push('\n');
        out.write_all(text.as_bytes())?;
    } else {
        for o in outcomes {
            writeln!(out, "{}", o.line())?;
        }
    }
    out.flush()?;
    Ok(())
}
