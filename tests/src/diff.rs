//! A readable account of how two module descriptions (BSATN `RawModuleDef`s) differ.

use std::fmt::Debug;

use worldtube_lib::raw_def::{RawModuleDef, RawModuleDefV9};

/// A readable account of how two descriptions differ: the first differing byte, then, if both
/// decode (with `worldtube_lib`) as V9, for each part of the definition (typespace, tables,
/// reducers, types, misc exports, row-level security): whether it is equal, which indexes differ,
/// and a line diff of the `{:#?}` of the first differing pair, side by side.
pub fn explain(ours: &[u8], official: &[u8]) -> String {
    if ours == official {
        return format!("identical ({} bytes)\n", ours.len());
    }
    let first = ours.iter().zip(official).position(|(a, b)| a != b).unwrap_or(ours.len().min(official.len()));
    let mut out = format!(
        "lengths: ours {} bytes, official {} bytes; first differing byte at offset {first}\n  ours:     {}\n  official: {}\n",
        ours.len(),
        official.len(),
        hex_window(ours, first),
        hex_window(official, first)
    );
    let decode = |bytes: &[u8]| worldtube_lib::bsatn::from_slice::<RawModuleDef>(bytes);
    let (ours, official) = match (decode(ours), decode(official)) {
        (Ok(RawModuleDef::V9(ours)), Ok(RawModuleDef::V9(official))) => (ours, official),
        (ours, official) => {
            out += &format!("cannot compare decoded definitions:\n  ours:     {ours:?}\n  official: {official:?}\n");
            return out;
        }
    };
    let parts = [
        diff_items("typespace.types", &ours.typespace.types, &official.typespace.types, typespace_labels),
        diff_items("tables", &ours.tables, &official.tables, |def| labels(&def.tables, |t| t.name.to_string())),
        diff_items("reducers", &ours.reducers, &official.reducers, |def| labels(&def.reducers, |r| r.name.to_string())),
        diff_items("types", &ours.types, &official.types, |def| labels(&def.types, |t| scoped_name(&t.name))),
        diff_items("misc_exports", &ours.misc_exports, &official.misc_exports, |def| {
            labels(&def.misc_exports, |_| String::new())
        }),
        diff_items("row_level_security", &ours.row_level_security, &official.row_level_security, |def| {
            labels(&def.row_level_security, |rls| rls.sql.to_string())
        }),
    ];
    for part in parts {
        out += &part(&ours, &official);
    }
    out
}

/// The compare step of one part of the definition, run on both definitions.
type Part<'a> = Box<dyn Fn(&RawModuleDefV9, &RawModuleDefV9) -> String + 'a>;

/// How two lists of one part of the definition differ: their lengths, every index that differs
/// (with each side's label for it, from `labels`), and a line diff of the first differing pair.
fn diff_items<'a, T: Debug + PartialEq>(
    part: &'a str,
    ours: &'a [T],
    official: &'a [T],
    labels: impl Fn(&RawModuleDefV9) -> Vec<String> + 'a,
) -> Part<'a> {
    Box::new(move |ours_def, official_def| {
        if ours == official {
            return format!("{part}: equal ({} items)\n", ours.len());
        }
        let (ours_labels, official_labels) = (labels(ours_def), labels(official_def));
        let label = |labels: &[String], i: usize| labels.get(i).map_or("(none)", String::as_str).to_owned();
        let mut out = format!("{part}: DIFFERENT (ours {} items, official {} items)\n", ours.len(), official.len());
        let differing: Vec<usize> =
            (0..ours.len().max(official.len())).filter(|&i| ours.get(i) != official.get(i)).collect();
        for &i in &differing {
            out += &format!("  [{i}] ours {:?} / official {:?}\n", label(&ours_labels, i), label(&official_labels, i));
        }
        let first = differing[0];
        out += &format!("  first difference, {part}[{first}] (ours | official; `!` marks differing lines):\n");
        out += &side_by_side(&pretty(ours.get(first)), &pretty(official.get(first)));
        out
    })
}

/// One label per item.
fn labels<T>(items: &[T], label: impl Fn(&T) -> String) -> Vec<String> {
    items.iter().map(label).collect()
}

/// For each typespace entry, what refers to it: `table <name>` for row types, the scoped name
/// for named types.
fn typespace_labels(def: &RawModuleDefV9) -> Vec<String> {
    (0..def.typespace.types.len())
        .map(|i| {
            let tables =
                def.tables.iter().filter(|t| t.product_type_ref.0 as usize == i).map(|t| format!("table {}", t.name));
            let types =
                def.types.iter().filter(|t| t.ty.0 as usize == i).map(|t| format!("type {}", scoped_name(&t.name)));
            tables.chain(types).collect::<Vec<_>>().join(", ")
        })
        .collect()
}

/// `a::b::Name`.
fn scoped_name(name: &worldtube_lib::raw_def::RawScopedTypeNameV9) -> String {
    name.scope.iter().map(|s| &**s).chain([&*name.name]).collect::<Vec<_>>().join("::")
}

/// Up to 16 bytes in hex from `offset`, with the 8 before it.
fn hex_window(bytes: &[u8], offset: usize) -> String {
    let offset = offset.min(bytes.len());
    let start = offset.saturating_sub(8);
    let end = (offset + 16).min(bytes.len());
    let hex = |range: &[u8]| range.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ");
    format!("[{start}..] {} | {}", hex(&bytes[start..offset]), hex(&bytes[offset..end]))
}

/// `{:#?}` of an item, or `(none)`.
fn pretty<T: Debug>(item: Option<&T>) -> String {
    item.map_or_else(|| "(none)".to_owned(), |item| format!("{item:#?}"))
}

/// A line diff of two texts (longest common subsequence), in two columns: common lines on both
/// sides; where the texts differ, the lines each side has instead, opposite each other and marked
/// with `!`.
fn side_by_side(left: &str, right: &str) -> String {
    let left: Vec<&str> = left.lines().collect();
    let right: Vec<&str> = right.lines().collect();
    // lcs[i][j]: the length of the longest common subsequence of left[i..] and right[j..].
    let mut lcs = vec![vec![0usize; right.len() + 1]; left.len() + 1];
    for i in (0..left.len()).rev() {
        for j in (0..right.len()).rev() {
            lcs[i][j] = if left[i] == right[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let width = left.iter().map(|line| line.chars().count()).max().unwrap_or(0).min(70);
    let mut out = String::new();
    // The lines only one side has since the last common line.
    let (mut only_left, mut only_right): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    let flush = |out: &mut String, only_left: &mut Vec<&str>, only_right: &mut Vec<&str>| {
        for k in 0..only_left.len().max(only_right.len()) {
            let (l, r) = (only_left.get(k).copied().unwrap_or(""), only_right.get(k).copied().unwrap_or(""));
            *out += &format!("  ! {l:<width$} | {r}\n");
        }
        only_left.clear();
        only_right.clear();
    };
    let (mut i, mut j) = (0, 0);
    while i < left.len() || j < right.len() {
        if i < left.len() && j < right.len() && left[i] == right[j] {
            flush(&mut out, &mut only_left, &mut only_right);
            out += &format!("    {:<width$} | {}\n", left[i], right[j]);
            (i, j) = (i + 1, j + 1);
        } else if j < right.len() && (i == left.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            only_right.push(right[j]);
            j += 1;
        } else {
            only_left.push(left[i]);
            i += 1;
        }
    }
    flush(&mut out, &mut only_left, &mut only_right);
    out
}
