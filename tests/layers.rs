//! The house's shape, kept by a test: no cycle among crew's modules. Every
//! path a file names (`crate::a::b`, `super::x`, a folder's own `x::`) is an
//! edge from the file's module to the module it reaches; each file is a
//! module (`screen`, `tmux::chain`, `cmd::send`, `remote` for
//! `remote/mod.rs`). A file naming its own folder's items (`super::Host`)
//! is inside that folder, so that is no edge. A cycle fails with the modules
//! in it and one file per edge.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module a file belongs to: `screen`, `tmux::chain`, `cmd::send`,
/// `remote` (for `remote/mod.rs`).
fn module_of(rel: &Path) -> Option<String> {
    let parts: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    match parts.as_slice() {
        [f] if f == "lib" || f == "main" => None,
        [f] => Some(f.clone()),
        [d, f] if f == "mod" => Some(d.clone()),
        [d, f] => Some(format!("{d}::{f}")),
        _ => None,
    }
}

/// Code without comments, roughly: enough that a doc comment naming
/// `crate::x` is no edge.
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every module and the modules it names: `crate::a::b`, `super::x`,
/// `self::x` and a child's bare `x::` in a folder's `mod.rs`.
fn graph(krate: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(krate);
    let mut all = Vec::new();
    files(&src, &mut all);
    let known: BTreeSet<String> = all
        .iter()
        .filter_map(|p| module_of(p.strip_prefix(&src).unwrap()))
        .collect();
    // The deepest known module a path `a::b::…` names.
    let resolve = |first: &str, second: Option<&str>| -> Option<String> {
        if let Some(s) = second {
            let both = format!("{first}::{s}");
            if known.contains(&both) {
                return Some(both);
            }
        }
        known.contains(first).then(|| first.to_string())
    };
    let path =
        regex::Regex::new(r"\b(crate|super|self)::(?:\{)?([a-z_]+)(?:::([a-z_]+))?").unwrap();
    let group = regex::Regex::new(r"\b(crate|super)::\{([^}]*)\}").unwrap();
    let bare = regex::Regex::new(r"(?:^|[^:\w])([a-z_]+)::").unwrap();
    let mut g: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for p in &all {
        let rel = p.strip_prefix(&src).unwrap().to_path_buf();
        let Some(from) = module_of(&rel) else {
            continue;
        };
        let is_mod = rel.file_name().is_some_and(|f| f == "mod.rs");
        // The folder whose siblings `super::`/`self::` reach.
        let dir: Option<String> = if is_mod {
            Some(from.clone())
        } else {
            from.split_once("::").map(|(d, _)| d.to_string())
        };
        let text = code(&std::fs::read_to_string(p).unwrap());
        let mut targets: Vec<String> = Vec::new();
        for c in path.captures_iter(&text) {
            let (kind, a, b) = (&c[1], &c[2], c.get(3).map(|m| m.as_str()));
            let t = match kind {
                "crate" => resolve(a, b),
                // In a folder's file, super:: is the folder (mod.rs) or a sibling.
                "super" if !is_mod => dir
                    .as_deref()
                    .map(|d| resolve(d, Some(a)).unwrap_or_else(|| d.to_string())),
                "self" if is_mod => resolve(&from, Some(a)),
                _ => None,
            };
            targets.extend(t);
        }
        for c in group.captures_iter(&text) {
            let (kind, items) = (&c[1], &c[2]);
            for item in items.split(',') {
                let mut words = item.trim().split("::");
                let a = words.next().unwrap_or("").trim();
                let b = words.next().map(str::trim);
                let t = match kind {
                    "crate" => resolve(a, b),
                    "super" if !is_mod => dir.as_deref().and_then(|d| resolve(d, Some(a))),
                    _ => None,
                };
                targets.extend(t);
            }
        }
        if is_mod {
            for c in bare.captures_iter(&text) {
                let child = format!("{from}::{}", &c[1]);
                if known.contains(&child) {
                    targets.push(child);
                }
            }
        }
        for to in targets {
            // A folder's file naming the folder's own items (`super::Host`)
            // is inside it, not beside it: the folder is its namespace.
            if to == from || dir.as_deref() == Some(to.as_str()) && !is_mod {
                continue;
            }
            g.entry(from.clone())
                .or_default()
                .entry(to)
                .or_insert_with(|| rel.display().to_string());
        }
    }
    g
}

/// Strongly connected components with more than one module (Tarjan).
fn cycles(g: &BTreeMap<String, BTreeMap<String, String>>) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&String> = g.keys().chain(g.values().flat_map(|m| m.keys())).collect();
    let nodes: Vec<&String> = nodes.into_iter().collect();
    let idx: BTreeMap<&String, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges = |v: usize| -> Vec<usize> {
        g.get(nodes[v])
            .map(|m| m.keys().map(|k| idx[k]).collect())
            .unwrap_or_default()
    };
    struct T {
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(v: usize, t: &mut T, edges: &dyn Fn(usize) -> Vec<usize>) {
        t.index[v] = Some(t.next);
        t.low[v] = t.next;
        t.next += 1;
        t.stack.push(v);
        t.on[v] = true;
        for w in edges(v) {
            match t.index[w] {
                None => {
                    visit(w, t, edges);
                    t.low[v] = t.low[v].min(t.low[w]);
                }
                Some(i) if t.on[w] => t.low[v] = t.low[v].min(i),
                _ => {}
            }
        }
        if Some(t.low[v]) == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on[w] = false;
                comp.push(w);
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                t.out.push(comp);
            }
        }
    }
    let n = nodes.len();
    let mut t = T {
        index: vec![None; n],
        low: vec![0; n],
        on: vec![false; n],
        stack: vec![],
        next: 0,
        out: vec![],
    };
    for v in 0..n {
        if t.index[v].is_none() {
            visit(v, &mut t, &edges);
        }
    }
    t.out
        .into_iter()
        .map(|c| {
            let mut names: Vec<String> = c.into_iter().map(|i| nodes[i].clone()).collect();
            names.sort();
            names
        })
        .collect()
}

#[test]
fn no_module_cycles() {
    // One graph per crate: cargo itself forbids a cycle between crates.
    let mut report = String::new();
    let mut found = Vec::new();
    for krate in ["src", "crates/core/src", "crates/tmux/src"] {
        let g = graph(krate);
        let here = cycles(&g);
        describe(&g, &here, &mut report);
        found.extend(here);
    }
    assert!(found.is_empty(), "{report}");
}

fn describe(
    g: &BTreeMap<String, BTreeMap<String, String>>,
    found: &[Vec<String>],
    report: &mut String,
) {
    for c in found {
        report.push_str(&format!("cycle: {}\n", c.join(", ")));
        for a in c {
            for (b, file) in g.get(a).into_iter().flatten() {
                if c.contains(b) {
                    report.push_str(&format!("  {a} -> {b} ({file})\n"));
                }
            }
        }
    }
}
