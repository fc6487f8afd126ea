//! Turning a probe or module template into wasm: the module description every probe writes,
//! and the placeholders of the templates.

use worldtube_lib::algebraic::{AlgebraicType, ProductType};
use worldtube_lib::bsatn;
use worldtube_lib::raw_def::{Lifecycle, RawIndexAlgorithm, RawModuleDef, RawModuleDefV9, RawModuleDefV9Builder};

/// The reducer id of a probe's first case: reducers 0 and 1 are the prelude's `init` and `ping`.
pub const CASE_REDUCER_OFFSET: u32 = 2;

/// Where `__describe_module__` keeps the description in a probe's memory (see `prelude.wat`).
const DESCRIBE_AT: u32 = 98_304;

/// The definition every probe module describes: table `item` (`id: u32` primary key with a
/// unique btree index, `name: String` with a non-unique btree index), table `flag` (`k: u8`,
/// `on: bool`, a unique btree index on `k`), and the reducers `init` (lifecycle), `ping`, then `reducers` in order,
/// each with its parameter types.
pub fn probe_definition(reducers: &[(String, Vec<AlgebraicType>)]) -> RawModuleDefV9 {
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
    b.finish()
}

/// Expands the placeholders of a WAT template (a probe of `probes/abi/` or a module of
/// `probes/modules/`) into WAT text:
///
/// * `{{prelude}}`: `probes/prelude.wat` (the `spacetime_10.0` imports, memory, data and
///   helpers, and the reducers `init` and `ping`);
/// * `{{dispatch}}`: `__call_reducer__`, calling `$init` for reducer 0, `$ping` for 1, and the
///   function `$case.NAME` for reducer `k + 2`, where NAME is `reducers[k]`; with `report` the
///   case's status is reported through the error sink (`$report`), otherwise returned as is;
/// * `{{describe}}`: `__describe_module__`, writing [`probe_definition`] of `reducers` (and
///   first calling `$on_describe`, if the template defines it);
/// * `{{describe_data}}`: the data segment holding that description, and `{{describe_len}}` its
///   length;
/// * `{{exports}}`: `{{dispatch}}`, `{{describe}}` and `{{describe_data}}` together.
pub fn expand(template: &str, prelude: &str, reducers: &[(String, Vec<AlgebraicType>)], report: bool) -> String {
    let def = bsatn::to_vec(&RawModuleDef::V9(probe_definition(reducers)));
    let describe_data = format!(
        "(data (i32.const {DESCRIBE_AT}) \"{}\")",
        def.iter().map(|b| format!("\\{b:02x}")).collect::<String>()
    );
    let on_describe = if template.contains("(func $on_describe") { "(call $on_describe)" } else { "" };
    let describe = format!(
        "(func (export \"__describe_module__\") (param $sink i32)\n    {on_describe}\n    \
         (call $write_all (local.get $sink) (i32.const {DESCRIBE_AT}) (i32.const {})))",
        def.len()
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
        .replace("{{prelude}}", prelude)
        .replace("{{exports}}", &exports)
        .replace("{{dispatch}}", &dispatch)
        .replace("{{describe}}", &describe)
        .replace("{{describe_data}}", &describe_data)
        .replace("{{describe_len}}", &def.len().to_string())
}
