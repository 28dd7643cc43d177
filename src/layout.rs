//! tmux window layout strings (`#{window_layout}`), parsed and built, so a
//! view can lay out only the leader and its agents inside the leader's own
//! cell and give the window back exactly the layout it had. Pure.
//!
//! Grammar: `CSUM,` then a cell; a cell is `WxH,X,Y,ID` (a pane) or
//! `WxH,X,Y{cell,cell…}` (side by side) or `WxH,X,Y[cell,cell…]` (stacked).
//! tmux gives a layout's panes to the window's panes in list order.

use crate::cli::Layout;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Pane(u32),
    /// `{…}`: children left to right.
    Row(Vec<Cell>),
    /// `[…]`: children top to bottom.
    Col(Vec<Cell>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub w: u32,
    pub h: u32,
    pub x: u32,
    pub y: u32,
    pub kind: Kind,
}

/// tmux's layout checksum (layout_checksum in layout-custom.c).
fn checksum(s: &str) -> u16 {
    let mut c: u16 = 0;
    for b in s.bytes() {
        c = (c >> 1) | ((c & 1) << 15);
        c = c.wrapping_add(b as u16);
    }
    c
}

pub fn parse(s: &str) -> Option<Cell> {
    let (_, body) = s.split_once(',')?;
    let mut p = Parser {
        s: body.as_bytes(),
        i: 0,
    };
    let c = p.cell()?;
    (p.i == p.s.len()).then_some(c)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn num(&mut self) -> Option<u32> {
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i].is_ascii_digit() {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i])
            .ok()?
            .parse()
            .ok()
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.s.get(self.i) == Some(&b)).then(|| self.i += 1)
    }

    fn cell(&mut self) -> Option<Cell> {
        let w = self.num()?;
        self.eat(b'x')?;
        let h = self.num()?;
        self.eat(b',')?;
        let x = self.num()?;
        self.eat(b',')?;
        let y = self.num()?;
        let kind = match self.s.get(self.i) {
            Some(b',') => {
                self.i += 1;
                Kind::Pane(self.num()?)
            }
            Some(&open @ (b'{' | b'[')) => {
                self.i += 1;
                let close = if open == b'{' { b'}' } else { b']' };
                let mut kids = vec![self.cell()?];
                while self.eat(b',').is_some() {
                    kids.push(self.cell()?);
                }
                self.eat(close)?;
                if open == b'{' {
                    Kind::Row(kids)
                } else {
                    Kind::Col(kids)
                }
            }
            _ => return None,
        };
        Some(Cell { w, h, x, y, kind })
    }
}

impl Cell {
    fn body(&self, out: &mut String) {
        out.push_str(&format!("{}x{},{},{}", self.w, self.h, self.x, self.y));
        match &self.kind {
            Kind::Pane(id) => out.push_str(&format!(",{id}")),
            Kind::Row(k) | Kind::Col(k) => {
                let (o, c) = if matches!(self.kind, Kind::Row(_)) {
                    ('{', '}')
                } else {
                    ('[', ']')
                };
                out.push(o);
                for (i, kid) in k.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    kid.body(out);
                }
                out.push(c);
            }
        }
    }

    /// The layout string tmux's `select-layout` takes.
    pub fn render(&self) -> String {
        let mut b = String::new();
        self.body(&mut b);
        format!("{:04x},{b}", checksum(&b))
    }

    /// Pane ids in tmux's assignment order.
    pub fn panes(&self) -> Vec<u32> {
        match &self.kind {
            Kind::Pane(id) => vec![*id],
            Kind::Row(k) | Kind::Col(k) => k.iter().flat_map(Cell::panes).collect(),
        }
    }

    fn leaf(w: u32, h: u32, id: u32) -> Cell {
        Cell {
            w,
            h,
            x: 0,
            y: 0,
            kind: Kind::Pane(id),
        }
    }

    /// Fit to `w`×`h`, sharing out the change in proportion, and place every
    /// cell from `x`,`y`.
    pub fn resize(&mut self, w: u32, h: u32, x: u32, y: u32) {
        let (ow, oh) = (self.w, self.h);
        self.w = w;
        self.h = h;
        self.x = x;
        self.y = y;
        match &mut self.kind {
            Kind::Pane(_) => {}
            Kind::Row(k) => {
                let sizes = share(k.iter().map(|c| c.w).collect(), ow, w);
                let mut cx = x;
                for (c, s) in k.iter_mut().zip(sizes) {
                    c.resize(s, h, cx, y);
                    cx += s + 1;
                }
            }
            Kind::Col(k) => {
                let sizes = share(k.iter().map(|c| c.h).collect(), oh, h);
                let mut cy = y;
                for (c, s) in k.iter_mut().zip(sizes) {
                    c.resize(w, s, x, cy);
                    cy += s + 1;
                }
            }
        }
    }

    /// Lay out the leader and agents (`ids[0]` is the leader) inside the
    /// leader's own cell. False when the leader is not in this layout.
    pub fn with_view(&mut self, ids: &[u32], layout: Layout) -> bool {
        let Some(l) = find(self, ids[0]) else {
            return false;
        };
        let v = view_cell(l.w, l.h, ids, layout);
        self.replace(ids[0], &v)
    }

    /// Replace the pane `id` with `with`, fitted into its place. False when
    /// there is no such pane.
    pub fn replace(&mut self, id: u32, with: &Cell) -> bool {
        match &mut self.kind {
            Kind::Pane(p) if *p == id => {
                let mut n = with.clone();
                n.resize(self.w, self.h, self.x, self.y);
                *self = n;
                true
            }
            Kind::Pane(_) => false,
            Kind::Row(k) | Kind::Col(k) => k.iter_mut().any(|c| c.replace(id, with)),
        }
    }
}

/// Sizes of children (with one-cell borders between them) scaled from a
/// parent of `old` to one of `new`; each at least 1.
fn share(sizes: Vec<u32>, old: u32, new: u32) -> Vec<u32> {
    let n = sizes.len() as u32;
    let room_old = old.saturating_sub(n - 1).max(1) as u64;
    let room_new = new.saturating_sub(n - 1).max(n);
    let mut out: Vec<u32> = sizes
        .iter()
        .map(|&s| ((s as u64 * room_new as u64) / room_old).max(1) as u32)
        .collect();
    let sum: u32 = out.iter().sum();
    // The rounding remainder (or excess) goes to the last child that can take it.
    if sum < room_new {
        *out.last_mut().expect("children") += room_new - sum;
    } else {
        let mut extra = sum - room_new;
        for s in out.iter_mut().rev() {
            let take = extra.min(s.saturating_sub(1));
            *s -= take;
            extra -= take;
        }
    }
    out
}

/// `n` equal parts of `total` with one-cell borders between them.
fn even(total: u32, n: u32) -> Vec<u32> {
    let room = total.saturating_sub(n - 1).max(n);
    (0..n).map(|i| room / n + u32::from(i < room % n)).collect()
}

fn row(w: u32, h: u32, kids: Vec<Cell>) -> Cell {
    Cell {
        w,
        h,
        x: 0,
        y: 0,
        kind: Kind::Row(kids),
    }
}

fn col(w: u32, h: u32, kids: Vec<Cell>) -> Cell {
    Cell {
        w,
        h,
        x: 0,
        y: 0,
        kind: Kind::Col(kids),
    }
}

/// A `w`×`h` cell holding the leader and the agents (`ids[0]` is the
/// leader), laid out as `layout`, leaves in `ids` order. One agent: leader
/// left (30%), agent right.
pub fn view_cell(w: u32, h: u32, ids: &[u32], layout: Layout) -> Cell {
    let n = ids.len() as u32;
    if n == 1 {
        return Cell::leaf(w, h, ids[0]);
    }
    let leaves = |sizes: &[(u32, u32)], ids: &[u32]| -> Vec<Cell> {
        ids.iter()
            .zip(sizes)
            .map(|(id, (w, h))| Cell::leaf(*w, *h, *id))
            .collect()
    };
    let main = |total: u32| (total * 3 / 10).max(1).min(total.saturating_sub(2));
    let mut c = match (n, layout) {
        // One agent: below the leader when the layout stacks, else beside it.
        (2, Layout::MainHorizontal | Layout::EvenVertical) => {
            let lh = main(h);
            col(
                w,
                h,
                vec![Cell::leaf(w, lh, ids[0]), Cell::leaf(w, h - lh - 1, ids[1])],
            )
        }
        (2, _) | (_, Layout::MainVertical) => {
            let lw = main(w);
            let rw = w - lw - 1;
            let agents = if n == 2 {
                Cell::leaf(rw, h, ids[1])
            } else {
                let hs: Vec<(u32, u32)> = even(h, n - 1).into_iter().map(|s| (rw, s)).collect();
                col(rw, h, leaves(&hs, &ids[1..]))
            };
            row(w, h, vec![Cell::leaf(lw, h, ids[0]), agents])
        }
        (_, Layout::MainHorizontal) => {
            let lh = main(h);
            let bh = h - lh - 1;
            let ws: Vec<(u32, u32)> = even(w, n - 1).into_iter().map(|s| (s, bh)).collect();
            col(
                w,
                h,
                vec![
                    Cell::leaf(w, lh, ids[0]),
                    row(w, bh, leaves(&ws, &ids[1..])),
                ],
            )
        }
        (_, Layout::EvenHorizontal) => {
            let ws: Vec<(u32, u32)> = even(w, n).into_iter().map(|s| (s, h)).collect();
            row(w, h, leaves(&ws, ids))
        }
        (_, Layout::EvenVertical) => {
            let hs: Vec<(u32, u32)> = even(h, n).into_iter().map(|s| (w, s)).collect();
            col(w, h, leaves(&hs, ids))
        }
        (_, Layout::Tiled) => {
            let cols = (1..=n).find(|c| c * c >= n).unwrap_or(n);
            let rows = n.div_ceil(cols);
            let hs = even(h, rows);
            let mut kids = Vec::new();
            for (r, rh) in hs.iter().enumerate() {
                let from = r * cols as usize;
                let these = &ids[from..(from + cols as usize).min(ids.len())];
                let ws: Vec<(u32, u32)> = even(w, these.len() as u32)
                    .into_iter()
                    .map(|s| (s, *rh))
                    .collect();
                kids.push(if these.len() == 1 {
                    Cell::leaf(w, *rh, these[0])
                } else {
                    row(w, *rh, leaves(&ws, these))
                });
            }
            if kids.len() == 1 {
                kids.pop().expect("one row")
            } else {
                col(w, h, kids)
            }
        }
    };
    c.resize(w, h, 0, 0);
    c
}

/// Whether every pane of the cell is at least `min_w`×`min_h`.
/// Whether each of the panes `ids` is at least `min_w`×`min_h` in `c`.
pub fn roomy_panes(c: &Cell, ids: &[u32], min_w: u32, min_h: u32) -> bool {
    ids.iter()
        .all(|id| find(c, *id).is_some_and(|p| p.w >= min_w && p.h >= min_h))
}

pub fn roomy(c: &Cell, min_w: u32, min_h: u32) -> bool {
    match &c.kind {
        Kind::Pane(_) => c.w >= min_w && c.h >= min_h,
        Kind::Row(k) | Kind::Col(k) => k.iter().all(|c| roomy(c, min_w, min_h)),
    }
}

/// Find the pane `id`'s cell.
pub fn find(c: &Cell, id: u32) -> Option<&Cell> {
    match &c.kind {
        Kind::Pane(p) => (*p == id).then_some(c),
        Kind::Row(k) | Kind::Col(k) => k.iter().find_map(|c| find(c, id)),
    }
}

/// `%12` → 12.
pub fn pane_num(id: &str) -> Option<u32> {
    id.strip_prefix('%')?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_tmux_layouts() {
        // Written by tmux 3.3a.
        for s in [
            "d773,220x60,0,0[220x30,0,0,0,220x29,0,31,1]",
            "b25d,80x24,0,0,0",
            "21be,200x50,0,0{100x50,0,0,0,99x50,101,0[99x25,101,0,1,99x24,101,26,2]}",
        ] {
            let c = parse(s).unwrap();
            assert_eq!(c.render(), s);
        }
        assert!(parse("d773,220x60,0,0[220x30").is_none());
    }

    #[test]
    fn view_inside_the_leaders_cell() {
        let mut win = parse("d773,220x60,0,0[220x30,0,0,0,220x29,0,31,1]").unwrap();
        assert!(win.with_view(&[0, 7, 8, 9], Layout::MainVertical));
        // The user's own pane (1) keeps its cell exactly.
        assert_eq!(find(&win, 1).unwrap(), &Cell::leaf_at(220, 29, 0, 31, 1));
        assert_eq!(win.panes(), [0, 7, 8, 9, 1]);
        let top = find(&win, 0).unwrap();
        assert_eq!((top.w, top.h, top.x, top.y), (66, 30, 0, 0));
        let a = find(&win, 9).unwrap();
        assert_eq!(a.x, 67);
        assert_eq!(a.y + a.h, 30);
        assert!(roomy(&win, 20, 5));
    }

    #[test]
    fn every_layout_fills_its_cell() {
        for l in [
            Layout::Tiled,
            Layout::MainVertical,
            Layout::MainHorizontal,
            Layout::EvenHorizontal,
            Layout::EvenVertical,
        ] {
            for n in 1..=9u32 {
                let ids: Vec<u32> = (0..n).collect();
                let c = view_cell(200, 50, &ids, l);
                assert_eq!(c.panes(), ids, "{l:?} {n}");
                check(&c);
                // tmux accepts what it can parse back.
                assert_eq!(parse(&c.render()).unwrap(), c);
            }
        }
    }

    /// Children exactly tile their parent, with one-cell borders.
    fn check(c: &Cell) {
        match &c.kind {
            Kind::Pane(_) => {}
            Kind::Row(k) => {
                let mut x = c.x;
                for kid in k {
                    assert_eq!((kid.x, kid.y, kid.h), (x, c.y, c.h));
                    x += kid.w + 1;
                    check(kid);
                }
                assert_eq!(x - 1, c.x + c.w);
            }
            Kind::Col(k) => {
                let mut y = c.y;
                for kid in k {
                    assert_eq!((kid.x, kid.y, kid.w), (c.x, y, c.w));
                    y += kid.h + 1;
                    check(kid);
                }
                assert_eq!(y - 1, c.y + c.h);
            }
        }
    }

    #[test]
    fn resizing_keeps_proportions() {
        let mut c = parse("d773,220x60,0,0[220x30,0,0,0,220x29,0,31,1]").unwrap();
        c.resize(100, 31, 0, 0);
        check(&c);
        assert_eq!(c.panes(), [0, 1]);
    }

    impl Cell {
        fn leaf_at(w: u32, h: u32, x: u32, y: u32, id: u32) -> Cell {
            Cell {
                w,
                h,
                x,
                y,
                kind: Kind::Pane(id),
            }
        }
    }
}
