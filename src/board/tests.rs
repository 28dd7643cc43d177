//! The board's pure parts: fitting columns, cells, totals.
use super::*;

fn r(name: &str, status: Status) -> BoardRow {
    BoardRow {
        name: name.into(),
        status,
        status_text: status.as_str().into(),
        failed: false,
        place: Where::Parked,
        pane_id: "%1".into(),
        created: 100,
        last: "$ make test".into(),
        mode: String::new(),
        usage: None,
        changes: None,
    }
}

fn names(rows: &[BoardRow]) -> Vec<&str> {
    rows.iter().map(|r| r.name.as_str()).collect()
}

#[test]
fn attention_sorts_first_then_names() {
    let rows = vec![
        r("c", Status::Idle),
        r("d", Status::Permission),
        r("a", Status::Working),
        r("b", Status::Question),
    ];
    assert_eq!(names(&attention_first(rows)), ["b", "d", "a", "c"]);
}

#[test]
fn last_line_skips_blanks_and_escapes() {
    assert_eq!(last_line("one\ntwo  \n\n   \n"), "two");
    assert_eq!(last_line(""), "");
    assert_eq!(last_line("x\x1b]0;evil\x07y\n"), "x\\e]0;evil\\x07y");
    assert_eq!(last_line("out\n\n\nPane is dead (status 1, Sat)\n"), "out");
    assert_eq!(last_line("Pane is dead (status 1, Sat)\n"), "");
}

#[test]
fn filtering_by_name() {
    let rows = vec![r("api", Status::Idle), r("Review-1", Status::Idle)];
    assert_eq!(filtered(&rows, "").len(), 2);
    let f = filtered(&rows, "rev");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].name, "Review-1");
}

#[test]
fn cursor_follows_the_view() {
    let rows = [
        r("a", Status::Idle),
        r("b", Status::Idle),
        r("c", Status::Idle),
    ];
    let refs: Vec<&BoardRow> = rows.iter().collect();
    let shown = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(cursor(&refs, &shown(&["c"]), None), Some(2));
    assert_eq!(cursor(&refs, &shown(&["c"]), Some("a")), Some(2));
    assert_eq!(cursor(&refs, &shown(&["c", "a"]), Some("a")), Some(0));
    assert_eq!(cursor(&refs, &shown(&[]), Some("b")), Some(1));
    assert_eq!(cursor(&refs, &shown(&[]), Some("gone")), None);
    assert_eq!(cursor(&refs, &shown(&[]), None), None);
}

#[test]
fn tab_cycles_the_second() {
    let rows = [
        r("a", Status::Idle),
        r("b", Status::Idle),
        r("c", Status::Idle),
    ];
    let refs: Vec<&BoardRow> = rows.iter().collect();
    let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(next_second(&refs, &s(&["a"]), "a").as_deref(), Some("b"));
    assert_eq!(
        next_second(&refs, &s(&["b", "a"]), "a").as_deref(),
        Some("c")
    );
    assert_eq!(
        next_second(&refs, &s(&["a", "c"]), "a").as_deref(),
        Some("b")
    );
    assert_eq!(next_second(&refs[..1], &s(&["a"]), "a"), None);
}

#[test]
fn columns_drop_before_wrapping() {
    let rows = [r("reviewer-2", Status::Permission), r("api", Status::Idle)];
    let refs: Vec<&BoardRow> = rows.iter().collect();
    let cols = |w| fit(w, &refs).iter().map(|c| c.0).collect::<Vec<_>>();
    use Col::{Age, Last, Name, Num, Where};
    let st = Col::Status;
    assert_eq!(cols(120), [Num, Name, st, Where, Age, Last]);
    assert_eq!(cols(45), [Num, Name, st, Age, Last]);
    assert_eq!(cols(36), [Num, Name, st, Last]);
    assert_eq!(cols(34), [Num, Name, st]);
    assert_eq!(cols(24), [Num, Name, st]);
    assert_eq!(cols(20), [Name, st]);
    assert_eq!(cols(12), [Name, st]);
    for w in [8u16, 12, 20, 24, 34, 45, 80, 120] {
        let total: u16 =
            fit(w, &refs).iter().map(|c| c.1).sum::<u16>() + fit(w, &refs).len() as u16 - 1;
        assert!(total <= w.max(12), "width {w}: {total}");
    }
    // The last line takes the rest.
    let f = fit(120, &refs);
    assert_eq!(f.last().unwrap(), &(Last, 120 - (3 + 11 + 11 + 7 + 4)));
    // An agent in a mode that runs tools unasked: its column where all
    // fit, the first to go (with the last line) where they do not.
    let mut moded = rows.clone();
    moded[1].mode = "auto!".into();
    let refs: Vec<&BoardRow> = moded.iter().collect();
    let cols = |w| fit(w, &refs).iter().map(|c| c.0).collect::<Vec<_>>();
    assert_eq!(cols(120), [Num, Name, st, Col::Mode, Where, Age, Last]);
    assert_eq!(cols(45), [Num, Name, st, Age, Last]);
    assert_eq!(cols(24), [Num, Name, st]);
}

#[test]
fn usage_columns_go_first() {
    let mut rows = vec![r("api", Status::Idle), r("web", Status::Idle)];
    rows[0].usage = Some(crate::usage::Usage {
        input_tokens: 12_000,
        output_tokens: 345,
        cost_usd: Some(0.0123),
        context_used: Some(50),
        context_window: Some(200),
        ..Default::default()
    });
    let refs: Vec<&BoardRow> = rows.iter().collect();
    let cols = |w| fit(w, &refs).iter().map(|c| c.0).collect::<Vec<_>>();
    use Col::{Age, Cost, Ctx, Last, Name, Num, Tokens, Where};
    let st = Col::Status;
    assert_eq!(
        cols(120),
        [Num, Name, st, Where, Age, Tokens, Cost, Ctx, Last]
    );
    // Narrower: they go before anything else does.
    assert_eq!(cols(40), [Num, Name, st, Where, Age, Last]);
    assert_eq!(cell(&rows[0], Tokens, 1, 0, 6), "12.3k");
    assert_eq!(cell(&rows[0], Cost, 1, 0, 7), "$0.0123");
    assert_eq!(cell(&rows[0], Ctx, 1, 0, 4), "25%");
    assert_eq!(cell(&rows[1], Cost, 2, 0, 4), "-");
    let b = Board {
        rows: rows.clone(),
        ..Board::default()
    };
    assert_eq!(b.totals(), "12.3k tokens  $0.0123");
    // Tokens only: no cost is made up.
    rows[0].usage.as_mut().unwrap().cost_usd = None;
    let b = Board {
        rows,
        ..Board::default()
    };
    assert_eq!(b.totals(), "12.3k tokens");
    assert_eq!(Board::default().totals(), "");
}

#[test]
fn change_sizes_fill_worktree_rows_and_their_column() {
    let mut rows = vec![r("api", Status::Idle), r("wt", Status::Working)];
    rows[1].changes = Some("…".into());
    rows[1].pane_id = "%7".into();
    let refs: Vec<&BoardRow> = rows.iter().collect();
    let cols = |w, refs: &[&BoardRow]| fit(w, refs).iter().map(|c| c.0).collect::<Vec<_>>();
    use Col::{Age, Changes, Last, Name, Num, Where};
    let st = Col::Status;
    // Before the first measurement: the column is there, `…` in it.
    assert_eq!(cols(120, &refs), [Num, Name, st, Where, Age, Changes, Last]);
    assert_eq!(cell(&rows[1], Changes, 2, 100, 7), "…");
    let sizes = [
        ("%7".to_string(), "3 files +40 -2".to_string()),
        ("%1".to_string(), "1 file +1 -0".to_string()),
    ]
    .into_iter()
    .collect();
    with_changes(&mut rows, &sizes);
    assert_eq!(rows[1].changes.as_deref(), Some("3 files +40 -2"));
    assert_eq!(
        rows[0].changes, None,
        "no worktree: no figure, whatever the map says"
    );
    let refs: Vec<&BoardRow> = rows.iter().collect();
    let f = fit(120, &refs);
    assert_eq!(f[5], (Changes, 14));
    assert_eq!(cell(&rows[1], Changes, 2, 100, 14), "3 files +40 -2");
    assert_eq!(cell(&rows[0], Changes, 1, 100, 14), "");
    // It goes before WHERE and AGE do; with a mode, before the mode.
    assert_eq!(cols(52, &refs), [Num, Name, st, Where, Age, Changes, Last]);
    assert_eq!(cols(51, &refs), [Num, Name, st, Where, Age, Last]);
    rows[0].mode = "auto!".into();
    let refs: Vec<&BoardRow> = rows.iter().collect();
    assert_eq!(
        cols(58, &refs),
        [Num, Name, st, Col::Mode, Where, Age, Changes, Last]
    );
    assert_eq!(
        cols(57, &refs),
        [Num, Name, st, Col::Mode, Where, Age, Last]
    );
}

#[test]
fn cells_are_cut_not_wrapped() {
    let x = r("a-very-long-agent-name", Status::Question);
    assert_eq!(cell(&x, Col::Name, 1, 100, 8), "a-very-…");
    assert_eq!(cell(&x, Col::Num, 7, 100, 3), "!7");
    assert_eq!(cell(&x, Col::Age, 1, 142, 3), "42s");
    assert_eq!(cut("abc", 0), "");
}
