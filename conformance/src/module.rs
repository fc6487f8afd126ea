//! Turning a probe or module template into wasm: the module description every probe writes,
//! and the placeholders of the templates.

use worldtube_lib::algebraic::{AlgebraicType, AlgebraicTypeRef, ProductType};
use worldtube_lib::bsatn;
use worldtube_lib::raw_def::{
    Lifecycle, RawIndexAlgorithm, RawModuleDef, RawModuleDefV9, RawModuleDefV9Builder, RawScopedTypeNameV9,
    RawTypeDefV9,
};

/// The reducer id of a probe's first case: reducers 0 and 1 are the prelude's `init` and `ping`.
pub const CASE_REDUCER_OFFSET: u32 = 2;

/// Where `__describe_module__` keeps the description in a probe's memory (see `prelude.wat`).
const DESCRIBE_AT: u32 = 98_304;

/// A probe's memory: 2 pages, so that address 131,072 is the first one out of bounds.
const PROBE_PAGES: u32 = 2;

/// The bytes of one wasm page.
const PAGE: u32 = 65_536;

/// The definition every probe module describes: table `item` (`id: u32` primary key with a
/// unique btree index, `name: String` with a non-unique btree index), table `flag` (`k: u8`,
/// `on: bool`, a unique btree index on `k`), and the reducers `init` (lifecycle), `ping`, then `reducers` in order,
/// each with its parameter types.
pub fn probe_definition(reducers: &[(String, Vec<AlgebraicType>)]) -> RawModuleDefV9 {
    probe_builder(reducers).finish()
}

/// The BSATN of `def` as a `RawModuleDef`, what `__describe_module__` writes.
pub fn describe(def: RawModuleDefV9) -> Vec<u8> {
    bsatn::to_vec(&RawModuleDef::V9(def))
}

/// [`probe_definition`], still open for more tables and types.
fn probe_builder(reducers: &[(String, Vec<AlgebraicType>)]) -> RawModuleDefV9Builder {
    let mut b = RawModuleDefV9Builder::new();
    let item = ProductType::new([(Some("id"), AlgebraicType::U32), (Some("name"), AlgebraicType::String)]);
    b.build_table_with_new_type("item", item, true)
        .with_primary_key(0)
        .with_unique_constraint(0)
        .with_index(RawIndexAlgorithm::btree(0), "id")
        .with_index(RawIndexAlgorithm::btree(1), "name")
        .finish();
    let flag = ProductType::new([(Some("k"), AlgebraicType::U8), (Some("on"), AlgebraicType::Bool)]);
    b.build_table_with_new_type("flag", flag, true)
        .with_unique_constraint(0)
        .with_index(RawIndexAlgorithm::btree(0), "k")
        .finish();
    b.add_reducer("init", ProductType::new::<&str>([]), Some(Lifecycle::Init));
    b.add_reducer("ping", ProductType::new::<&str>([]), None);
    for (name, params) in reducers {
        let params = params.iter().enumerate().map(|(i, ty)| (Some(format!("p{i}")), ty.clone()));
        b.add_reducer(name.as_str(), ProductType::new(params), None);
    }
    b
}

/// A definition the kit generates for a whole-module case: the probe definition plus something
/// big or deep enough that a host walking it carelessly runs out of time, memory or stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// `count` more tables `t0`, `t1`, …, each `(id: u32)` with a primary key and a unique btree
    /// index on it.
    Tables(u32),
    /// A table `deep` whose column `v` is an array of arrays of … of `u8`, `depth` arrays deep,
    /// written inline (one `AlgebraicType` nested `depth` levels). Made as bytes, not as an
    /// `AlgebraicType`: cloning, encoding or dropping one that deep would overflow the kit's own
    /// stack.
    NestedArrays(u32),
    /// A table `chain` whose column `v` is a `Ref` to a typespace entry that is a `Ref` to the
    /// next one, `depth` entries in all, the last a `Ref` to the product type `Leaf` `(x: u8)`.
    RefChain(u32),
}

/// The column type [`Generated::NestedArrays`] replaces in the encoded definition: a reference no
/// other part of a generated definition can hold.
const NESTED_PLACEHOLDER: AlgebraicType = AlgebraicType::Ref(AlgebraicTypeRef(0x5EED_DEE9));

impl Generated {
    /// The BSATN of the `RawModuleDef` (V9): the probe definition of `reducers` with this case's
    /// tables and types added.
    pub fn description(self, reducers: &[(String, Vec<AlgebraicType>)]) -> Vec<u8> {
        let def = describe(self.definition(reducers));
        let Generated::NestedArrays(depth) = self else { return def };
        // The placeholder column type is swapped for the encoding of the nested arrays: tag 3
        // (Array) `depth` times, then tag 7 (U8).
        let marker = bsatn::to_vec(&NESTED_PLACEHOLDER);
        let at = def.windows(marker.len()).position(|w| w == marker).expect("the placeholder is encoded");
        let nested = std::iter::repeat_n(3u8, depth as usize).chain([7]);
        def[..at].iter().copied().chain(nested).chain(def[at + marker.len()..].iter().copied()).collect()
    }

    /// The definition; for `NestedArrays`, with [`NESTED_PLACEHOLDER`] as the column's type.
    fn definition(self, reducers: &[(String, Vec<AlgebraicType>)]) -> RawModuleDefV9 {
        let mut b = probe_builder(reducers);
        match self {
            Generated::Tables(count) => {
                for k in 0..count {
                    let row = ProductType::new([(Some("id"), AlgebraicType::U32)]);
                    b.build_table_with_new_type(format!("t{k}"), row, true)
                        .with_primary_key(0)
                        .with_unique_constraint(0)
                        .with_index(RawIndexAlgorithm::btree(0), "id")
                        .finish();
                }
                b.finish()
            }
            Generated::NestedArrays(_) => {
                let row = ProductType::new([(Some("v"), NESTED_PLACEHOLDER)]);
                b.build_table_with_new_type("deep", row, true).finish();
                b.finish()
            }
            Generated::RefChain(depth) => {
                // The row type takes the next typespace entry; the chain follows it, then the leaf.
                let row_at = u32::try_from(b.typespace().types.len()).unwrap_or(u32::MAX);
                let first = AlgebraicTypeRef(row_at.saturating_add(1));
                let leaf = AlgebraicTypeRef(row_at.saturating_add(depth).saturating_add(1));
                let row = ProductType::new([(Some("v"), AlgebraicType::Ref(first))]);
                b.build_table_with_new_type("chain", row, true).finish();
                let mut def = b.finish();
                let chain = (first.0..leaf.0).map(|at| AlgebraicType::Ref(AlgebraicTypeRef(at + 1)));
                def.typespace.types.extend(chain);
                let leaf_type = ProductType::new([(Some("x"), AlgebraicType::U8)]);
                def.typespace.types.push(AlgebraicType::Product(leaf_type));
                def.types.push(RawTypeDefV9 {
                    name: RawScopedTypeNameV9 { scope: Box::new([]), name: "Leaf".into() },
                    ty: leaf,
                    custom_ordering: true,
                });
                def
            }
        }
    }
}

/// Expands the placeholders of a WAT template (a probe of `probes/abi/` or a module of
/// `probes/modules/`) into WAT text:
///
/// * `{{prelude}}`: `probes/prelude.wat` (the `spacetime_10.0` imports, memory, data and
///   helpers, and the reducers `init` and `ping`), its own `{{memory_pages}}` 2, or more when the
///   description needs them;
/// * `{{dispatch}}`: `__call_reducer__`, calling `$init` for reducer 0, `$ping` for 1, and the
///   function `$case.NAME` for reducer `k + 2`, where NAME is `reducers[k]`; with `report` the
///   case's status is reported through the error sink (`$report`), otherwise returned as is;
/// * `{{describe}}`: `__describe_module__`, writing `def` (the [`describe`]d
///   [`probe_definition`] of `reducers`, or a [`Generated::description`]) and first calling `$on_describe`, if the template
///   defines it;
/// * `{{describe_data}}`: the data segment holding that description, and `{{describe_len}}` its
///   length;
/// * `{{exports}}`: `{{dispatch}}`, `{{describe}}` and `{{describe_data}}` together.
pub fn expand(
    template: &str,
    prelude: &str,
    reducers: &[(String, Vec<AlgebraicType>)],
    def: &[u8],
    report: bool,
) -> String {
    // A probe's description fits below 131,072, the probes' first address out of bounds; a
    // generated one may not, and then goes above it, into as many more pages as it needs.
    let len = u32::try_from(def.len()).unwrap_or(u32::MAX);
    let (describe_at, pages) = if len <= PROBE_PAGES * PAGE - DESCRIBE_AT {
        (DESCRIBE_AT, PROBE_PAGES)
    } else {
        (PROBE_PAGES * PAGE, PROBE_PAGES + len.div_ceil(PAGE))
    };
    let describe_data = format!(
        "(data (i32.const {describe_at}) \"{}\")",
        def.iter().map(|b| format!("\\{b:02x}")).collect::<String>()
    );
    let on_describe = if template.contains("(func $on_describe") { "(call $on_describe)" } else { "" };
    let describe = format!(
        "(func (export \"__describe_module__\") (param $sink i32)\n    {on_describe}\n    \
         (call $write_all (local.get $sink) (i32.const {describe_at}) (i32.const {len})))"
    );
    let mut dispatch = String::from(
        "(func (export \"__call_reducer__\") (param $id i32) (param i64 i64 i64 i64 i64 i64 i64) (param $args i32) \
         (param $err i32) (result i32)\n    (global.set $err (local.get $err))\n    (global.set $args (local.get \
         $args))\n    (global.set $out_len (i32.const 0))\n    (if (i32.eqz (local.get $id)) (then (return (call \
         $init))))\n    (if (i32.eq (local.get $id) (i32.const 1)) (then (return (call $ping))))\n",
    );
    for (k, (name, _)) in reducers.iter().enumerate() {
        let id = k as u32 + CASE_REDUCER_OFFSET;
        let call = if report { format!("(call $report (call $case.{name}))") } else { format!("(call $case.{name})") };
        dispatch.push_str(&format!("    (if (i32.eq (local.get $id) (i32.const {id})) (then (return {call})))\n"));
    }
    dispatch.push_str("    (unreachable))");
    let exports = format!("{dispatch}\n  {describe}\n  {describe_data}");
    template
        .replace("{{prelude}}", &prelude.replace("{{memory_pages}}", &pages.to_string()))
        .replace("{{exports}}", &exports)
        .replace("{{dispatch}}", &dispatch)
        .replace("{{describe}}", &describe)
        .replace("{{describe_data}}", &describe_data)
        .replace("{{describe_len}}", &def.len().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reducers() -> Vec<(String, Vec<AlgebraicType>)> {
        vec![("case".to_owned(), vec![AlgebraicType::U8])]
    }

    #[test]
    fn nested_arrays_are_the_bytes_of_the_type_they_stand_for() {
        let mut b = probe_builder(&reducers());
        let ty = (0..3).fold(AlgebraicType::U8, |inner, _| AlgebraicType::array(inner));
        b.build_table_with_new_type("deep", ProductType::new([(Some("v"), ty)]), true).finish();
        assert_eq!(Generated::NestedArrays(3).description(&reducers()), describe(b.finish()));
    }

    #[test]
    fn a_ref_chain_passes_through_depth_entries_to_its_leaf() {
        let def = Generated::RefChain(4).definition(&reducers());
        let chain = def.tables.iter().find(|t| &*t.name == "chain").expect("table `chain`");
        let AlgebraicType::Product(row) = &def.typespace.types[chain.product_type_ref.0 as usize] else {
            panic!("the row type is a product")
        };
        let mut ty = &row.elements[0].algebraic_type;
        let mut refs = 0;
        while let AlgebraicType::Ref(r) = ty {
            refs += 1;
            ty = &def.typespace.types[r.0 as usize];
        }
        assert_eq!(refs, 5, "the column's own Ref, then the 4 entries of the chain");
        assert!(matches!(ty, AlgebraicType::Product(leaf) if leaf.elements[0].name.as_deref() == Some("x")));
        assert!(def.types.iter().any(|t| &*t.name.name == "Leaf"));
    }

    #[test]
    fn thousands_of_tables_are_all_described() {
        let def = Generated::Tables(1000).definition(&reducers());
        assert_eq!(def.tables.len(), 1002, "item, flag and t0..t999");
        assert_eq!(def.tables.last().map(|t| &*t.name), Some("t999"));
    }
}
