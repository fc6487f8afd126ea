//! Running the describers into one module definition and reducer table.

use crate::ReducerContext;
use std::mem::ManuallyDrop;
use worldtube_lib::algebraic::{AlgebraicType, ProductType};
use worldtube_lib::bsatn::Encode;
use worldtube_lib::raw_def::{Lifecycle, RawModuleDef, RawModuleDefV9, RawModuleDefV9Builder, RawTableDefBuilder};

/// How a reducer is run: the context and the BSATN of its arguments in, `Err(message)` out.
pub type ReducerFn = fn(&ReducerContext, &[u8]) -> crate::ReducerResult;

/// How a procedure is run: the context and the BSATN of its arguments in, the BSATN of its
/// return value out. Undecodable arguments panic (the host traps the call).
pub type ProcedureFn = fn(&mut crate::ProcedureContext, &[u8]) -> Vec<u8>;

/// How a view is run: the caller (`None` for an anonymous view) and the BSATN of its arguments
/// in, its result out: a `ViewResultHeader` then, for `RowData`, the rows (see `__call_view__`).
#[cfg(feature = "v2")]
pub type ViewFn = fn(Option<crate::Identity>, &[u8]) -> Vec<u8>;

/// How an HTTP handler is run.
#[cfg(feature = "v2")]
pub type HttpHandlerFn = fn(&mut crate::http::HandlerContext, crate::http::Request) -> crate::http::Response;

/// One registration: the symbol it sorts by, and what it adds to the module.
#[derive(Clone, Copy, Debug)]
pub struct Describer {
    /// `__preinit__20_register_describer_{name}`.
    pub symbol: &'static str,
    /// Adds the item to the module.
    pub describe: fn(&mut ModuleBuilder),
    /// Whether the item was written for the 2.x API (it then builds the V10 definition).
    #[cfg(feature = "v2")]
    pub v10: bool,
    /// Turns the described module into its definition, in the item's generation. Chosen by the
    /// constructor, so that a module links the finishing and encoding code of its own generation
    /// only (a 2.x module carries no V9 encoder, and a 1.x module no V10 one).
    pub finish: fn(ModuleBuilder) -> Module,
}

impl Describer {
    /// A describer of a 1.x item (it adds to the V9 definition).
    pub const fn new(symbol: &'static str, describe: fn(&mut ModuleBuilder)) -> Self {
        Describer {
            symbol,
            describe,
            #[cfg(feature = "v2")]
            v10: false,
            finish: finish_v9,
        }
    }

    /// A describer of a 2.x item (it adds to the V10 definition).
    #[cfg(feature = "v2")]
    pub const fn new_v10(symbol: &'static str, describe: fn(&mut ModuleBuilder)) -> Self {
        Describer { symbol, describe, v10: true, finish: finish_v10 }
    }
}

/// The module being described: its definition and, in step with it, the entry points.
#[derive(Debug)]
pub struct ModuleBuilder {
    /// The module as it will be: its entry points are added as the items are described; its
    /// definition and bytes are set by `assemble`.
    module: Module,
    def: RawModuleDefV9Builder,
    /// The V10 definition, which 2.x items build instead.
    #[cfg(feature = "v2")]
    v10: worldtube_lib::raw_def::RawModuleDefV10Builder,
}

impl ModuleBuilder {
    /// The typespace, for `SpacetimeType::make_type`.
    pub fn typespace(&mut self) -> &mut RawModuleDefV9Builder {
        &mut self.def
    }

    /// Starts a table whose row type is `row_ty`, which must be a `Ref` to a product (what
    /// `#[table]` structs produce).
    pub fn build_table(&mut self, name: &str, row_ty: AlgebraicType) -> RawTableDefBuilder<'_> {
        let AlgebraicType::Ref(row_ref) = row_ty else {
            panic!("the row type of table `{name}` must be a named struct")
        };
        self.def.build_table(name, row_ref)
    }

    /// Adds a reducer; its id is its position among the reducers.
    pub fn add_reducer(&mut self, name: &str, params: ProductType, lifecycle: Option<Lifecycle>, invoke: ReducerFn) {
        self.def.add_reducer(name, params, lifecycle);
        self.module.reducers.push(invoke);
    }

    /// Adds a row-level-security filter.
    pub fn add_row_level_security(&mut self, sql: &str) {
        self.def.add_row_level_security(sql);
    }
}

/// The 2.x side of the builder (feature `v2`): what 2.x items' generated code calls. A module's
/// items are all of one generation; if any is 2.x, the module describes as `RawModuleDef::V10`.
#[cfg(feature = "v2")]
impl ModuleBuilder {
    /// The V10 typespace, for `SpacetimeType::make_type`.
    pub fn typespace_v10(&mut self) -> &mut worldtube_lib::raw_def::RawModuleDefV10Builder {
        &mut self.v10
    }

    /// Starts a V10 table whose row type is `row_ty`, a `Ref` to a product.
    pub fn build_table_v10(
        &mut self,
        name: &str,
        row_ty: AlgebraicType,
    ) -> worldtube_lib::raw_def::RawTableDefBuilderV10<'_> {
        let AlgebraicType::Ref(row_ref) = row_ty else {
            panic!("the row type of table `{name}` must be a named struct")
        };
        self.v10.build_table(name, row_ref)
    }

    /// Makes `table` a schedule table calling `function` at the time in column `at`.
    pub fn add_schedule_v10(&mut self, table: &str, at: u16, function: &str) {
        self.v10.add_schedule(table, at, function);
    }

    /// Adds a reducer (a lifecycle reducer if `lifecycle` is given); its id is its position among
    /// the reducers.
    pub fn add_reducer_v10(
        &mut self,
        name: &str,
        params: ProductType,
        lifecycle: Option<Lifecycle>,
        invoke: ReducerFn,
    ) {
        match lifecycle {
            Some(lifecycle) => self.v10.add_lifecycle_reducer(lifecycle, name, params),
            None => self.v10.add_reducer(name, params),
        }
        self.module.reducers.push(invoke);
    }

    /// Adds a procedure returning `ret`; its id is its position among the procedures.
    pub fn add_procedure_v10(&mut self, name: &str, params: ProductType, ret: AlgebraicType, invoke: ProcedureFn) {
        self.v10.add_procedure(name, params, ret);
        self.module.procedures.push(invoke);
    }

    /// Adds a view (anonymous or per sender); its id is its position among the views of its kind.
    /// The server supports public views only, so it is described as public.
    pub fn add_view_v10(
        &mut self,
        name: &str,
        anonymous: bool,
        params: ProductType,
        ret: AlgebraicType,
        invoke: ViewFn,
    ) {
        let list = if anonymous { &mut self.module.views_anon } else { &mut self.module.views };
        let index = u32::try_from(list.len()).expect("fewer than 2^32 views");
        self.v10.add_view(name, index, true, anonymous, params, ret);
        list.push(invoke);
    }

    /// Adds an HTTP handler; its id is its position among the handlers.
    pub fn add_http_handler_v10(&mut self, name: &str, handler: HttpHandlerFn) {
        self.v10.add_http_handler(name);
        self.module.http_handlers.push(handler);
    }

    /// Adds the routes of the module's router.
    pub fn add_http_router_v10(&mut self, router: crate::http::Router) {
        for route in router.into_routes() {
            self.v10.add_http_route(route.handler.name(), route.method, route.path);
        }
    }

    /// Declares the primary key column of the view `view`.
    pub fn add_view_primary_key_v10(&mut self, view: &str, column: &str) {
        self.v10.add_view_primary_key(view, [column]);
    }

    /// Adds explicit canonical names (the section is made even when `names` is empty).
    pub fn add_explicit_names_v10(&mut self, names: worldtube_lib::raw_def::v10::ExplicitNames) {
        self.v10.add_explicit_names(names);
    }

    /// Sets the module's case conversion policy.
    pub fn set_case_conversion_policy_v10(&mut self, policy: worldtube_lib::raw_def::v10::CaseConversionPolicy) {
        self.v10.set_case_conversion_policy(policy);
    }

    /// Adds a row-level-security filter.
    pub fn add_row_level_security_v10(&mut self, sql: &str) {
        self.v10.add_row_level_security(sql);
    }
}

/// A described module: its definition, and each reducer's entry point by reducer id.
#[derive(Debug, Default)]
pub struct Module {
    /// The definition of a 1.x module (empty when the module is 2.x: its `RawModuleDef::V10` is
    /// in `def_bytes` only).
    pub def: RawModuleDefV9,
    /// Entry points, indexed by reducer id.
    pub reducers: Vec<ReducerFn>,
    /// Procedure entry points (2.x), indexed by procedure id.
    pub procedures: Vec<ProcedureFn>,
    /// Per-sender view entry points (2.x), indexed by view id (`__call_view__`).
    #[cfg(feature = "v2")]
    pub views: Vec<ViewFn>,
    /// Anonymous view entry points (2.x), indexed by view id (`__call_view_anon__`).
    #[cfg(feature = "v2")]
    pub views_anon: Vec<ViewFn>,
    /// HTTP handler entry points (2.x), indexed by handler id.
    #[cfg(feature = "v2")]
    pub http_handlers: Vec<HttpHandlerFn>,
    /// The BSATN of the module's `RawModuleDef` (the tag, then `def` or the V10 definition): what
    /// `__describe_module__` sends the host. Written when the module is described, by the
    /// encoders of the generation (and, for V10, of the parts) the module has only.
    pub def_bytes: Vec<u8>,
}

/// A 1.x module's definition: `RawModuleDef::V9`.
fn finish_v9(builder: ModuleBuilder) -> Module {
    assemble(builder, |def, _| {
        let def = ManuallyDrop::into_inner(def).finish();
        let mut bytes = vec![RawModuleDef::V9_TAG];
        def.encode(&mut bytes);
        (def, bytes)
    })
}

/// A module with no items at all: the empty `RawModuleDef::V9`, as a 1.x module without items
/// describes itself, written as its constant bytes so that no encoder is linked for it.
fn finish_empty(builder: ModuleBuilder) -> Module {
    assemble(builder, |_, _| (RawModuleDefV9::default(), EMPTY_V9.to_vec()))
}

/// The tag of `V9` and six empty arrays (typespace, tables, reducers, types, misc exports, row
/// level security).
const EMPTY_V9: [u8; 25] = {
    let mut bytes = [0; 25];
    bytes[0] = RawModuleDef::V9_TAG;
    bytes
};

/// A 2.x module's definition: `RawModuleDef::V10`, as the builder wrote it (the builder is not
/// dropped: see `assemble`).
#[cfg(feature = "v2")]
fn finish_v10(builder: ModuleBuilder) -> Module {
    assemble(builder, |_, v10| {
        let mut bytes = vec![RawModuleDef::V10_TAG];
        bytes.extend_from_slice(&v10.finish_bsatn());
        (RawModuleDefV9::default(), bytes)
    })
}

/// The V10 builder (`()` without the `v2` feature).
#[cfg(feature = "v2")]
type V10Builder = worldtube_lib::raw_def::RawModuleDefV10Builder;
#[cfg(not(feature = "v2"))]
type V10Builder = ();

/// How a generation turns the builder's two definitions into the module's V9 definition (empty
/// for a 2.x module) and the bytes it describes itself with.
type FinishDefs = fn(ManuallyDrop<RawModuleDefV9Builder>, ManuallyDrop<V10Builder>) -> (RawModuleDefV9, Vec<u8>);

/// The module: the builder's entry points, and its definitions as `finish` makes them. The
/// builder's definitions reach `finish` in `ManuallyDrop`: it finishes the one of its
/// generation, and the other is empty (a module is of one generation, see
/// `check_one_generation`), so not dropping it loses nothing — and keeps its drop code,
/// kilobytes of wasm, out of modules of the other generation. The V10 builder is not dropped
/// after writing its bytes either: a module describes itself once per instance, and its
/// typespace's drop code (every kind of type) would cost more wasm than the memory it frees.
fn assemble(builder: ModuleBuilder, finish: FinishDefs) -> Module {
    let ModuleBuilder {
        mut module,
        def,
        #[cfg(feature = "v2")]
        v10,
    } = builder;
    #[cfg(not(feature = "v2"))]
    let v10 = ();
    let (def, def_bytes) = finish(ManuallyDrop::new(def), ManuallyDrop::new(v10));
    // The definition in place is `Module::default()`'s, which owns no memory: forgotten rather
    // than dropped, for the same reason as the builders above.
    std::mem::forget(std::mem::replace(&mut module.def, def));
    module.def_bytes = def_bytes;
    module
}

/// The module this binary defines, described once on first use.
pub fn module() -> &'static Module {
    static MODULE: std::sync::OnceLock<Module> = std::sync::OnceLock::new();
    MODULE.get_or_init(describe)
}

/// Runs the describers into the module (once, from [`module()`]).
fn describe() -> Module {
    let mut describers = describe_registry::describers();
    sort_by_symbol(&mut describers);
    let mut builder = ModuleBuilder {
        module: Module::default(),
        def: RawModuleDefV9Builder::new(),
        #[cfg(feature = "v2")]
        v10: worldtube_lib::raw_def::RawModuleDefV10Builder::new(),
    };
    #[cfg(feature = "v2")]
    check_one_generation(&describers);
    for d in &describers {
        (d.describe)(&mut builder);
    }
    // Every describer carries its generation's `finish` (they agree: checked above).
    let finish = describers.first().map_or(finish_empty as fn(ModuleBuilder) -> Module, |d| d.finish);
    finish(builder)
}

/// Panics if the module mixes 1.x and 2.x items (e.g. a library crate written for one generation
/// linked into a module written for the other): a module describes itself in one format.
#[cfg(feature = "v2")]
fn check_one_generation(describers: &[Describer]) {
    let v2 = describers.iter().find(|d| d.v10);
    let v1 = describers.iter().find(|d| !d.v10);
    if let (Some(v2), Some(v1)) = (v2, v1) {
        panic!(
            "this module mixes items written for the 1.x API (`{}`) and for the 2.x API (`{}`); every \
             crate that defines tables, reducers or types of one module must use the same generation \
             (`features = [\"v2\"]` on its worldtube dependency, or not)",
            v1.symbol, v2.symbol
        );
    }
}

/// Insertion sort by symbol, stable: a module has tens of describers, and the library sort costs
/// kilobytes of wasm. On wasm they usually arrive sorted already (the host runs `__preinit__`
/// exports in name order), which is insertion sort's best case.
fn sort_by_symbol(describers: &mut [Describer]) {
    for i in 1..describers.len() {
        let mut j = i;
        while j > 0 && describers[j - 1].symbol > describers[j].symbol {
            describers.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) mod describe_registry {
    use super::Describer;

    /// Every describer linked into this binary.
    #[linkme::distributed_slice]
    pub static DESCRIBERS: [Describer];

    pub(super) fn describers() -> Vec<Describer> {
        DESCRIBERS.to_vec()
    }
}

#[cfg(target_arch = "wasm32")]
pub(crate) mod describe_registry {
    use super::Describer;
    use std::sync::Mutex;

    static DESCRIBERS: Mutex<Vec<Describer>> = Mutex::new(Vec::new());

    /// Called by each `__preinit__20_register_describer_*` export.
    pub fn push(d: &'static Describer) {
        DESCRIBERS.lock().unwrap_or_else(|p| p.into_inner()).push(*d);
    }

    /// The describers registered; taken, not copied: the module is described once.
    pub(super) fn describers() -> Vec<Describer> {
        std::mem::take(&mut *DESCRIBERS.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module without items writes these constant bytes instead of encoding its (empty)
    /// definition: they must be what the encoder writes.
    #[test]
    fn the_empty_v9_bytes_are_the_empty_definitions_encoding() {
        let mut bytes = vec![RawModuleDef::V9_TAG];
        RawModuleDefV9::default().encode(&mut bytes);
        assert_eq!(bytes, EMPTY_V9);
    }
}
