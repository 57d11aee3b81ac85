//! The sandbox's architecture as a test: `http` → `domain` → `storage`, each importing only
//! from the layers below it, the leaves from nothing above them, and no module in a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

/// Layer rank: a module may import modules of the same or a lower rank only.
fn rank(module: &str) -> u8 {
    match module.split("::").next().unwrap_or_default() {
        "http" => 3,
        "domain" => 2,
        "storage" => 1,
        _ => 0,
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `http/merchant/mod.rs` → `http::merchant`; `lib.rs` and `main.rs` are the crate root.
fn module_of(path: &Path) -> Option<String> {
    let relative = path.strip_prefix(SRC).ok()?.with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts == ["lib"] || parts == ["main"] {
        return None;
    }
    Some(parts.join("::"))
}

/// The code a module compiles outside its tests, without comments.
fn code(text: &str) -> String {
    let without_tests = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    };
    without_tests
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules `text` names with `crate::a::b…` paths, each the longest known prefix.
fn references(text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        let path: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        if let Some(found) = (1..=segments.len())
            .rev()
            .map(|n| segments[..n].join("::"))
            .find(|candidate| modules.contains(candidate))
        {
            out.insert(found);
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(Path::new(SRC), &mut files);
    let sources: Vec<(String, String)> = files
        .iter()
        .filter_map(|f| Some((module_of(f)?, std::fs::read_to_string(f).ok()?)))
        .collect();
    let modules: BTreeSet<String> = sources.iter().map(|(m, _)| m.clone()).collect();
    sources
        .iter()
        .map(|(module, text)| {
            let mut uses = references(&code(text), &modules);
            uses.remove(module);
            (module.clone(), uses)
        })
        .collect()
}

#[test]
fn no_module_imports_from_a_higher_layer() {
    let graph = graph();
    assert!(graph.contains_key("http::merchant") && graph.contains_key("storage::payments"));
    let upward: Vec<String> = graph
        .iter()
        .flat_map(|(from, uses)| {
            uses.iter()
                .filter(|to| rank(to) > rank(from))
                .map(move |to| format!("{from} -> {to}"))
        })
        .collect();
    assert!(upward.is_empty(), "imports from a higher layer: {upward:?}");
}

#[test]
fn no_module_is_in_an_import_cycle() {
    let graph = graph();
    // A module is in a cycle when it can reach itself.
    let mut cycles = Vec::new();
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&String> = graph[start].iter().collect();
        while let Some(next) = stack.pop() {
            if next == start {
                cycles.push(start.clone());
                break;
            }
            if seen.insert(next.clone()) {
                stack.extend(graph.get(next).into_iter().flatten());
            }
        }
    }
    assert!(cycles.is_empty(), "modules in an import cycle: {cycles:?}");
}

#[test]
fn no_source_file_is_a_knot_of_everything() {
    let mut files = Vec::new();
    rust_files(Path::new(SRC), &mut files);
    for file in files {
        let lines = std::fs::read_to_string(&file)
            .expect("source")
            .lines()
            .count();
        assert!(lines <= 800, "{} has {lines} lines", file.display());
    }
}
