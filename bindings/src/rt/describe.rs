//! Running the describers into one module definition and reducer table.

use crate::ReducerContext;
use std::sync::OnceLock;
use worldtube_lib::algebraic::{AlgebraicType, ProductType};
use worldtube_lib::raw_def::{Lifecycle, RawModuleDefV9, RawModuleDefV9Builder, RawTableDefBuilder};

/// How a reducer is run: the context and the BSATN of its arguments in, `Err(message)` out.
pub type ReducerFn = fn(&ReducerContext, &[u8]) -> crate::ReducerResult;

/// One registration: the symbol it sorts by, and what it adds to the module.
#[derive(Clone, Copy, Debug)]
pub struct Describer {
    /// `__preinit__20_register_describer_{name}`.
    pub symbol: &'static str,
    /// Adds the item to the module.
    pub describe: fn(&mut ModuleBuilder),
}

/// The module being described: its definition and, in step with its reducers, their entry points.
#[derive(Debug)]
pub struct ModuleBuilder {
    def: RawModuleDefV9Builder,
    reducers: Vec<ReducerFn>,
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
        self.reducers.push(invoke);
    }

    /// Adds a row-level-security filter.
    pub fn add_row_level_security(&mut self, sql: &str) {
        self.def.add_row_level_security(sql);
    }
}

/// A described module: its definition, and each reducer's entry point by reducer id.
#[derive(Debug)]
pub struct Module {
    /// What `__describe_module__` sends the host.
    pub def: RawModuleDefV9,
    /// Entry points, indexed by reducer id.
    pub reducers: Vec<ReducerFn>,
}

/// The module this binary defines, described once on first use.
pub fn module() -> &'static Module {
    static MODULE: OnceLock<Module> = OnceLock::new();
    MODULE.get_or_init(|| {
        let mut describers = describe_registry::describers();
        sort_by_symbol(&mut describers);
        let mut builder = ModuleBuilder { def: RawModuleDefV9Builder::new(), reducers: Vec::new() };
        for d in &describers {
            (d.describe)(&mut builder);
        }
        Module { def: builder.def.finish(), reducers: builder.reducers }
    })
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
    pub fn push(d: Describer) {
        DESCRIBERS.lock().unwrap_or_else(|p| p.into_inner()).push(d);
    }

    pub(super) fn describers() -> Vec<Describer> {
        DESCRIBERS.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}
