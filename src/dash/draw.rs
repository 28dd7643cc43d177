//! Painting a dashboard state: the head line, the table of agents, the
//! message or prompt, the keys. Nothing here changes what the dashboard
//! knows but where the table is scrolled to.

use super::state::{Mode, State};
use crate::board::{self, Col};
use crate::status::Status;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, HighlightSpacing, Paragraph, Row, Table};
use ratatui::Frame;

impl State {
    pub fn draw(&mut self, f: &mut Frame) {
        // A message longer than the pane is wide wraps, up to a third of
        // the rows, so a refusal is read whole in a narrow dashboard.
        let width = (f.area().width as usize).max(1);
        let most = (f.area().height as usize / 3).max(1);
        let msg_rows = match self.mode {
            Mode::Input(..) | Mode::Confirm(_) => 1,
            _ => wrapped_rows(&self.message, width).clamp(1, most) as u16,
        };
        let [head, table, status, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(msg_rows),
            Constraint::Length(1),
        ])
        .areas(f.area());
        self.draw_head(f, head);
        self.draw_table(f, table);
        self.draw_status(f, status);
        let keys = format!(
            "? keys  q quit  Enter focus ({} ; back)  s send  a/d approve/deny  p park  x kill  n new  r read  D diff  / filter  Tab second",
            self.prefix
        );
        f.render_widget(
            Paragraph::new(board::cut(&keys, foot.width as usize)).style(self.dim()),
            foot,
        );
        if matches!(self.mode, Mode::Help) {
            self.draw_help(f, table);
        }
    }

    fn dim(&self) -> Style {
        Style::default().add_modifier(Modifier::DIM)
    }

    fn draw_head(&self, f: &mut Frame, area: Rect) {
        let (n, w) = self
            .board
            .as_ref()
            .map_or((0, 0), |b| (b.rows.len(), b.waiting()));
        let mut spans = vec![
            Span::styled("crew dash", Style::default().add_modifier(Modifier::BOLD)),
            Span::raw(format!("  {n} agent{}", if n == 1 { "" } else { "s" })),
        ];
        if w > 0 {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(
                format!("{w} waiting"),
                self.paint(Status::Permission, false),
            ));
        }
        // What the tools reported, every agent's added up.
        let totals = self.board.as_ref().map(|b| b.totals()).unwrap_or_default();
        if !totals.is_empty() {
            spans.push(Span::raw(format!("  {totals}")));
        }
        if !self.filter.is_empty() {
            spans.push(Span::raw(format!("  filter: {}", self.filter)));
        }
        if self.board.is_none() {
            spans.push(Span::raw("  reading…"));
        }
        f.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    /// Status colours as `ls` paints them; without colour, attention is bold.
    fn paint(&self, s: Status, failed: bool) -> Style {
        let st = Style::default();
        if !self.color {
            return match s {
                Status::Permission | Status::Question => st.add_modifier(Modifier::BOLD),
                _ => st,
            };
        }
        match s {
            Status::Working => st.fg(Color::Cyan),
            Status::Idle => st.fg(Color::Green),
            Status::Permission | Status::Question => {
                st.fg(Color::Yellow).add_modifier(Modifier::BOLD)
            }
            Status::Exited if failed => st.fg(Color::Red),
            Status::Exited => st.fg(Color::Green).add_modifier(Modifier::DIM),
            Status::Unknown => st.add_modifier(Modifier::DIM),
        }
    }

    fn draw_table(&mut self, f: &mut Frame, area: Rect) {
        let now = self.board.as_ref().map_or(0, |b| b.now);
        let at = self.at();
        let rows = self.rows();
        if rows.is_empty() {
            let text = if self.board.is_some() && self.filter.is_empty() {
                "no agents: press n to spawn one"
            } else if self.board.is_some() {
                "no agent matches the filter"
            } else {
                ""
            };
            f.render_widget(Paragraph::new(text), area);
            return;
        }
        // One column for the selection mark.
        let cols = board::fit(area.width.saturating_sub(1), &rows);
        let visible = (area.height as usize).saturating_sub(1).max(1);
        let mut offset = self.offset.min(rows.len().saturating_sub(1));
        if let Some(i) = at {
            if i < offset {
                offset = i;
            } else if i >= offset + visible {
                offset = i + 1 - visible;
            }
        }
        offset = offset.min(rows.len().saturating_sub(visible));
        let body: Vec<Row> = rows
            .iter()
            .enumerate()
            .skip(offset)
            .take(visible)
            .map(|(i, r)| {
                Row::new(cols.iter().map(|&(c, w)| {
                    let text = board::cell(r, c, i + 1, now, w);
                    let style = match c {
                        Col::Status => self.paint(r.status, r.failed),
                        Col::Num if r.status.is_attention() => self.paint(r.status, false),
                        _ => Style::default(),
                    };
                    Cell::from(text).style(style)
                }))
            })
            .collect();
        let header = Row::new(cols.iter().map(|(c, _)| Cell::from(c.header())))
            .style(Style::default().add_modifier(Modifier::BOLD));
        let widths: Vec<Constraint> = cols.iter().map(|&(_, w)| Constraint::Length(w)).collect();
        let table = Table::new(body, widths)
            .header(header)
            .column_spacing(1)
            .highlight_symbol(">")
            .highlight_spacing(HighlightSpacing::Always)
            .row_highlight_style(Style::default().add_modifier(Modifier::REVERSED));
        let mut state = ratatui::widgets::TableState::default();
        state.select(at.map(|i| i - offset));
        self.offset = offset;
        f.render_stateful_widget(table, area, &mut state);
    }

    fn draw_status(&self, f: &mut Frame, area: Rect) {
        let w = area.width as usize;
        match &self.mode {
            Mode::Input(kind, text) => {
                let prompt = kind.prompt();
                // Keep the end of a long input in sight (in cells: wide
                // characters take two).
                let mut shown = format!("{prompt}{text}");
                while Span::raw(shown.as_str()).width() + 1 > w && !shown.is_empty() {
                    shown.remove(0);
                }
                let x = area.x + Span::raw(shown.as_str()).width() as u16;
                f.render_widget(Paragraph::new(shown), area);
                f.set_cursor_position((x.min(area.x + area.width.saturating_sub(1)), area.y));
            }
            Mode::Confirm(name) => {
                let text = format!("kill {name}? y/N");
                f.render_widget(
                    Paragraph::new(board::cut(&text, w))
                        .style(Style::default().add_modifier(Modifier::BOLD)),
                    area,
                );
            }
            _ => {
                let style = match self.failed {
                    true => Style::default().add_modifier(Modifier::BOLD),
                    false => Style::default(),
                };
                f.render_widget(
                    Paragraph::new(board::cut(&self.message, w * area.height as usize))
                        .wrap(ratatui::widgets::Wrap { trim: false })
                        .style(style),
                    area,
                )
            }
        }
    }

    fn draw_help(&self, f: &mut Frame, area: Rect) {
        let keys = [
            ("j k ↑ ↓", "select (shows it beside)"),
            ("1-9…", "select by row number"),
            ("g G", "first, last"),
            ("Enter", "focus it (back: prefix ;)"),
            ("Tab", "a second agent beside"),
            ("s", "send a message"),
            ("a d", "approve, deny its dialog"),
            ("p", "park it"),
            ("x", "kill it (asks first)"),
            ("n", "spawn a new agent"),
            ("r", "read its scrollback"),
            ("D", "its changes (worktree agents)"),
            ("/", "filter by name (Esc clears)"),
            ("q", "park what is shown and quit"),
        ];
        let lines: Vec<Line> = keys
            .iter()
            .map(|(k, what)| Line::from(format!("{k:<8} {what}")))
            .collect();
        let h = (lines.len() as u16 + 2).min(area.height);
        let w = 44.min(area.width);
        let r = Rect::new(area.x, area.y, w, h);
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" keys ")),
            r,
        );
    }
}

/// Rows `text` takes when word-wrapped to `width` columns (as ratatui's
/// `Wrap` does: words whole where they fit, longer ones broken).
fn wrapped_rows(text: &str, width: usize) -> usize {
    let mut rows = 1;
    let mut at = 0;
    for word in text.split(' ') {
        let n = word.chars().count();
        let need = if at == 0 { n } else { at + 1 + n };
        if need <= width {
            at = need;
        } else if n <= width {
            rows += 1;
            at = n;
        } else {
            rows += (at + 1 + n).div_ceil(width).saturating_sub(1);
            at = (at + 1 + n) % width;
        }
    }
    rows
}
