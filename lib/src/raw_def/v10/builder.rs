//! Building a [`RawModuleDefV10`] the way the SDK's generated code does.

use super::{
    CaseConversionPolicy, ExplicitNames, FunctionVisibility, MethodOrAny, RawColumnDefaultValueV10,
    RawConstraintDataV10, RawConstraintDefV10, RawHttpHandlerDefV10, RawHttpRouteDefV10, RawIndexDefV10,
    RawLifeCycleReducerDefV10, RawModuleDefV10, RawModuleDefV10Section as Section, RawProcedureDefV10,
    RawReducerDefV10, RawRowLevelSecurityDefV10, RawScheduleDefV10, RawScopedTypeNameV10, RawSequenceDefV10,
    RawTableDefV10, RawTypeDefV10, RawUniqueConstraintDataV10, RawViewDefV10, RawViewPrimaryKeyDefV10,
};
use crate::algebraic::{
    AlgebraicType, AlgebraicTypeRef, AlgebraicValue, ProductType, SpacetimeType, Typespace, TypespaceBuilder,
};
use crate::bsatn::Encode;
use crate::raw_def::{ColList, Lifecycle, RawIndexAlgorithm, TableAccess, TableType};
use std::any::TypeId;

/// The position of the first section of the kind `make` makes, appending the one it makes if
/// there is none (and noting `encoder` as the writer of the new section's kind). Not generic: the
/// accessors below share this code and add a match each.
#[inline(never)]
fn section_at(
    sections: &mut Vec<Section>,
    encoders: &mut Vec<SectionEncoder>,
    make: fn() -> Section,
    encoder: SectionEncoder,
) -> usize {
    // The probe is an empty section (no allocation), so not dropping it loses nothing and keeps
    // the drop code of every kind of section out of the module.
    let probe = std::mem::ManuallyDrop::new(make());
    let kind = std::mem::discriminant(&*probe);
    if let Some(at) = sections.iter().position(|s| std::mem::discriminant(s) == kind) {
        return at;
    }
    sections.push(std::mem::ManuallyDrop::into_inner(probe));
    encoders.push(encoder);
    sections.len() - 1
}

/// Writes a section of one kind (its tag, then its payload) and says `true`, or, for a section of
/// another kind, writes nothing and says `false`.
pub type SectionEncoder = fn(&Section, &mut Vec<u8>) -> bool;

/// The encoder of the case conversion policy section (made by
/// [`set_case_conversion_policy`](RawModuleDefV10Builder::set_case_conversion_policy)).
fn encode_case_conversion_policy(section: &Section, out: &mut Vec<u8>) -> bool {
    match section {
        Section::CaseConversionPolicy(policy) => {
            out.push(9);
            policy.encode(out);
            true
        }
        _ => false,
    }
}

/// Accessors that find or create one kind of section, and the encoder of that kind (what
/// `RawModuleDefV10Section`'s `Encode` does for it: the tag, then the payload).
macro_rules! section_mut {
    ($($fn:ident, $encode:ident => $variant:ident ($tag:literal) : $ty:ty = $make:expr;)+) => {$(
        fn $fn<'a>(sections: &'a mut Vec<Section>, encoders: &mut Vec<SectionEncoder>) -> &'a mut $ty {
            let at = section_at(sections, encoders, || Section::$variant($make), $encode);
            match &mut sections[at] {
                Section::$variant(x) => x,
                _ => unreachable!("section_at found or made a section of this kind"),
            }
        }

        fn $encode(section: &Section, out: &mut Vec<u8>) -> bool {
            match section {
                Section::$variant(x) => {
                    out.push($tag);
                    x.encode(out);
                    true
                }
                _ => false,
            }
        }
    )+};
}
section_mut! {
    typespace_mut, encode_typespace => Typespace (0): Typespace = Typespace::default();
    types_mut, encode_types => Types (1): Vec<RawTypeDefV10> = Vec::new();
    tables_mut, encode_tables => Tables (2): Vec<RawTableDefV10> = Vec::new();
    reducers_mut, encode_reducers => Reducers (3): Vec<RawReducerDefV10> = Vec::new();
    procedures_mut, encode_procedures => Procedures (4): Vec<RawProcedureDefV10> = Vec::new();
    views_mut, encode_views => Views (5): Vec<RawViewDefV10> = Vec::new();
    schedules_mut, encode_schedules => Schedules (6): Vec<RawScheduleDefV10> = Vec::new();
    lifecycle_reducers_mut, encode_lifecycle_reducers => LifeCycleReducers (7): Vec<RawLifeCycleReducerDefV10> = Vec::new();
    row_level_security_mut, encode_row_level_security => RowLevelSecurity (8): Vec<RawRowLevelSecurityDefV10> = Vec::new();
    explicit_names_mut, encode_explicit_names => ExplicitNames (10): ExplicitNames = ExplicitNames::default();
    http_handlers_mut, encode_http_handlers => HttpHandlers (11): Vec<RawHttpHandlerDefV10> = Vec::new();
    http_routes_mut, encode_http_routes => HttpRoutes (12): Vec<RawHttpRouteDefV10> = Vec::new();
    view_primary_keys_mut, encode_view_primary_keys => ViewPrimaryKeys (13): Vec<RawViewPrimaryKeyDefV10> = Vec::new();
}

/// Collects a module's types, tables, functions and settings into a [`RawModuleDefV10`].
///
/// Produces the same definition, byte for byte, as SpacetimeDB 2.8's own builder given the same
/// calls in the same order: each section is created, at the end of the list, the first time
/// something goes into it. Nothing is checked here; run
/// [`validate_v10`](crate::raw_def::validate_v10) on the result.
///
/// ```
/// use worldtube_lib::algebraic::{AlgebraicType, ProductType};
/// use worldtube_lib::raw_def::{validate_v10, Lifecycle, RawIndexAlgorithm, RawModuleDefV10Builder, TableAccess};
///
/// let mut b = RawModuleDefV10Builder::new();
/// let row = ProductType::new([(Some("id"), AlgebraicType::U64), (Some("name"), AlgebraicType::String)]);
/// b.build_table_with_new_type("person", row, true)
///     .with_access(TableAccess::Public)
///     .with_unique_constraint(0)
///     .with_index(RawIndexAlgorithm::btree(0), "person_id_idx_btree", "id")
///     .with_primary_key(0)
///     .with_column_sequence(0)
///     .finish();
/// b.add_lifecycle_reducer(Lifecycle::Init, "init", ProductType::default());
/// b.add_reducer("add_person", ProductType::new([(Some("name"), AlgebraicType::String)]));
/// let def = b.finish();
/// assert_eq!(def.tables().unwrap()[0].primary_key.head(), Some(0));
/// assert!(validate_v10(&def).is_ok());
/// ```
#[derive(Debug, Default)]
pub struct RawModuleDefV10Builder {
    module: RawModuleDefV10,
    /// Types already added, by Rust type (a list, not a map, to keep module wasm small).
    type_map: Vec<(TypeId, AlgebraicTypeRef)>,
    /// The encoders of the kinds of section made so far (see [`RawModuleDefV10Writer`]).
    encoders: Vec<SectionEncoder>,
}

impl RawModuleDefV10Builder {
    /// An empty builder (no sections).
    pub fn new() -> Self {
        Self::default()
    }

    /// The algebraic type of `T`, adding `T` (and the types it uses) to the typespace if it is a
    /// named type not yet added. Named types come back as [`AlgebraicType::Ref`]s.
    pub fn add_type<T: SpacetimeType + ?Sized>(&mut self) -> AlgebraicType {
        T::make_type(self)
    }

    /// Adds `ty` to the typespace under the name `scope::source_name`, returning its reference.
    /// Unlike [`add_type`](Self::add_type) it does not deduplicate.
    pub fn add_algebraic_type(
        &mut self,
        scope: impl IntoIterator<Item = Box<str>>,
        source_name: impl Into<Box<str>>,
        ty: AlgebraicType,
        custom_ordering: bool,
    ) -> AlgebraicTypeRef {
        let r = self.push_type(ty);
        let source_name = RawScopedTypeNameV10 { scope: scope.into_iter().collect(), source_name: source_name.into() };
        types_mut(&mut self.module.sections, &mut self.encoders).push(RawTypeDefV10 {
            source_name,
            ty: r,
            custom_ordering,
        });
        r
    }

    /// Starts a table with source name `source_name` whose rows are the product at
    /// `product_type_ref`: a [`TableType::User`], [`TableAccess::Public`], non-event table with no
    /// key, index, constraint, sequence or default. It is added when the returned builder is
    /// [`finish`](RawTableDefBuilderV10::finish)ed (dropping it discards the table).
    pub fn build_table(
        &mut self,
        source_name: impl Into<Box<str>>,
        product_type_ref: AlgebraicTypeRef,
    ) -> RawTableDefBuilderV10<'_> {
        RawTableDefBuilderV10 {
            module: &mut self.module,
            encoders: &mut self.encoders,
            table: RawTableDefV10 {
                source_name: source_name.into(),
                product_type_ref,
                primary_key: ColList::empty(),
                indexes: Vec::new(),
                constraints: Vec::new(),
                sequences: Vec::new(),
                table_type: TableType::User,
                table_access: TableAccess::Public,
                default_values: Vec::new(),
                is_event: false,
            },
        }
    }

    /// Adds `product_type` to the typespace, named after the table (unscoped), and starts a table
    /// with it as the row type. See [`build_table`](Self::build_table).
    pub fn build_table_with_new_type(
        &mut self,
        source_name: impl Into<Box<str>>,
        product_type: impl Into<ProductType>,
        custom_ordering: bool,
    ) -> RawTableDefBuilderV10<'_> {
        let source_name = source_name.into();
        let ty = AlgebraicType::Product(product_type.into());
        let r = self.add_algebraic_type([], source_name.clone(), ty, custom_ordering);
        self.build_table(source_name, r)
    }

    /// Adds a client-callable reducer returning `()` or a `String` error.
    pub fn add_reducer(&mut self, source_name: impl Into<Box<str>>, params: ProductType) {
        reducers_mut(&mut self.module.sections, &mut self.encoders).push(RawReducerDefV10 {
            source_name: source_name.into(),
            params,
            visibility: FunctionVisibility::ClientCallable,
            ok_return_type: RawReducerDefV10::default_ok_return_type(),
            err_return_type: RawReducerDefV10::default_err_return_type(),
        });
    }

    /// Adds a private reducer and marks it as the reducer for `lifecycle`.
    pub fn add_lifecycle_reducer(
        &mut self,
        lifecycle: Lifecycle,
        function_name: impl Into<Box<str>>,
        params: ProductType,
    ) {
        let function_name = function_name.into();
        lifecycle_reducers_mut(&mut self.module.sections, &mut self.encoders)
            .push(RawLifeCycleReducerDefV10 { lifecycle_spec: lifecycle, function_name: function_name.clone() });
        reducers_mut(&mut self.module.sections, &mut self.encoders).push(RawReducerDefV10 {
            source_name: function_name,
            params,
            visibility: FunctionVisibility::Private,
            ok_return_type: RawReducerDefV10::default_ok_return_type(),
            err_return_type: RawReducerDefV10::default_err_return_type(),
        });
    }

    /// Adds a client-callable procedure.
    pub fn add_procedure(&mut self, source_name: impl Into<Box<str>>, params: ProductType, return_type: AlgebraicType) {
        procedures_mut(&mut self.module.sections, &mut self.encoders).push(RawProcedureDefV10 {
            source_name: source_name.into(),
            params,
            return_type,
            visibility: FunctionVisibility::ClientCallable,
        });
    }

    /// Adds a view; `index` is its position among the module's views of its kind (anonymous or
    /// not), the id the host calls it by.
    pub fn add_view(
        &mut self,
        source_name: impl Into<Box<str>>,
        index: u32,
        is_public: bool,
        is_anonymous: bool,
        params: ProductType,
        return_type: AlgebraicType,
    ) {
        views_mut(&mut self.module.sections, &mut self.encoders).push(RawViewDefV10 {
            source_name: source_name.into(),
            index,
            is_public,
            is_anonymous,
            params,
            return_type,
        });
    }

    /// Declares the primary key of the view `view_source_name` by column name.
    pub fn add_view_primary_key<C: Into<Box<str>>>(
        &mut self,
        view_source_name: impl Into<Box<str>>,
        columns: impl IntoIterator<Item = C>,
    ) {
        view_primary_keys_mut(&mut self.module.sections, &mut self.encoders).push(RawViewPrimaryKeyDefV10 {
            view_source_name: view_source_name.into(),
            columns: columns.into_iter().map(Into::into).collect(),
        });
    }

    /// Makes the table `table` a schedule table calling `function` (a reducer or procedure) at the
    /// time in column `schedule_at_col`.
    pub fn add_schedule(&mut self, table: impl Into<Box<str>>, schedule_at_col: u16, function: impl Into<Box<str>>) {
        schedules_mut(&mut self.module.sections, &mut self.encoders).push(RawScheduleDefV10 {
            source_name: None,
            table_name: table.into(),
            schedule_at_col,
            function_name: function.into(),
        });
    }

    /// Adds a row-level security filter.
    pub fn add_row_level_security(&mut self, sql: &str) {
        row_level_security_mut(&mut self.module.sections, &mut self.encoders)
            .push(RawRowLevelSecurityDefV10 { sql: sql.into() });
    }

    /// Adds an HTTP handler function.
    pub fn add_http_handler(&mut self, source_name: impl Into<Box<str>>) {
        http_handlers_mut(&mut self.module.sections, &mut self.encoders)
            .push(RawHttpHandlerDefV10 { source_name: source_name.into() });
    }

    /// Adds an HTTP route to the handler `handler_function`.
    pub fn add_http_route(
        &mut self,
        handler_function: impl Into<Box<str>>,
        method: MethodOrAny,
        path: impl Into<Box<str>>,
    ) {
        http_routes_mut(&mut self.module.sections, &mut self.encoders).push(RawHttpRouteDefV10 {
            handler_function: handler_function.into(),
            method,
            path: path.into(),
        });
    }

    /// Adds explicit canonical names (to the one explicit-names section).
    pub fn add_explicit_names(&mut self, names: ExplicitNames) {
        explicit_names_mut(&mut self.module.sections, &mut self.encoders).merge(names);
    }

    /// Sets the case conversion policy, replacing any set before (the section moves to the end).
    pub fn set_case_conversion_policy(&mut self, policy: CaseConversionPolicy) {
        // Moved and overwritten rather than removed and made anew: nothing is dropped, so setting
        // a policy does not link the drop code of every kind of section into a module.
        let sections = &mut self.module.sections;
        let mut section = match sections.iter().position(|s| matches!(s, Section::CaseConversionPolicy(_))) {
            Some(at) => sections.remove(at),
            None => {
                self.encoders.push(encode_case_conversion_policy);
                Section::CaseConversionPolicy(policy)
            }
        };
        if let Section::CaseConversionPolicy(p) = &mut section {
            *p = policy;
        }
        sections.push(section);
    }

    /// The typespace so far, if any type was added.
    pub fn typespace(&self) -> Option<&Typespace> {
        self.module.typespace()
    }

    /// The finished definition.
    pub fn finish(self) -> RawModuleDefV10 {
        self.module
    }

    /// The finished definition, and a writer of its BSATN that links the encoders of the kinds
    /// of section this builder made only, where the definition's own `Encode` links every kind:
    /// a module that has no views carries no code to encode them.
    pub fn finish_with_writer(self) -> (RawModuleDefV10, RawModuleDefV10Writer) {
        (self.module, RawModuleDefV10Writer { encoders: self.encoders })
    }

    fn push_type(&mut self, ty: AlgebraicType) -> AlgebraicTypeRef {
        let types = &mut typespace_mut(&mut self.module.sections, &mut self.encoders).types;
        let r = AlgebraicTypeRef(u32::try_from(types.len()).expect("a typespace holds at most u32::MAX types"));
        types.push(ty);
        r
    }
}

impl TypespaceBuilder for RawModuleDefV10Builder {
    /// Returns a `Ref` to the slot for `typeid`, creating it on first sight: the slot is reserved
    /// (holding `()`) and, if `name` is given, named with `custom_ordering: true` before `make_ty`
    /// runs, so a type that mentions itself gets a `Ref` to its own slot; then the slot is filled.
    fn add(
        &mut self,
        typeid: TypeId,
        name: Option<&'static str>,
        make_ty: impl FnOnce(&mut Self) -> AlgebraicType,
    ) -> AlgebraicType {
        // Only the call of `make_ty` is generic: the rest is compiled once, not per type.
        let (slot, new) = self.reserve_slot(typeid, name);
        if new {
            let ty = make_ty(self);
            self.fill_slot(slot, ty);
        }
        AlgebraicType::Ref(slot)
    }
}

impl RawModuleDefV10Builder {
    /// The slot of `typeid`, and whether it was made now (reserved, holding `()`, and named if
    /// `name` is given).
    fn reserve_slot(&mut self, typeid: TypeId, name: Option<&'static str>) -> (AlgebraicTypeRef, bool) {
        if let Some(&(_, r)) = self.type_map.iter().find(|(t, _)| *t == typeid) {
            return (r, false);
        }
        let slot = self.push_type(AlgebraicType::unit());
        self.type_map.push((typeid, slot));
        if let Some(sats_name) = name {
            types_mut(&mut self.module.sections, &mut self.encoders).push(RawTypeDefV10 {
                source_name: RawScopedTypeNameV10::from_sats_name(sats_name),
                ty: slot,
                custom_ordering: true,
            });
        }
        (slot, true)
    }

    /// Puts `ty` in the slot `reserve_slot` made.
    fn fill_slot(&mut self, slot: AlgebraicTypeRef, ty: AlgebraicType) {
        let reserved =
            std::mem::replace(&mut typespace_mut(&mut self.module.sections, &mut self.encoders).types[slot.idx()], ty);
        // What `reserve_slot` put there: `()`, which owns no memory. Forgetting it instead of
        // dropping it keeps the drop code of every kind of type out of the module.
        std::mem::forget(reserved);
    }
}

/// Describes one V10 table; it is added to the module when [`finish`](Self::finish)ed.
#[derive(Debug)]
#[must_use = "a table is added to the module only when `finish` is called"]
pub struct RawTableDefBuilderV10<'a> {
    module: &'a mut RawModuleDefV10,
    encoders: &'a mut Vec<SectionEncoder>,
    table: RawTableDefV10,
}

impl RawTableDefBuilderV10<'_> {
    /// Sets whether the system or the user made the table.
    pub fn with_type(mut self, table_type: TableType) -> Self {
        self.table.table_type = table_type;
        self
    }

    /// Sets whether clients may read the table.
    pub fn with_access(mut self, table_access: TableAccess) -> Self {
        self.table.table_access = table_access;
        self
    }

    /// Sets whether this is an event table.
    pub fn with_event(mut self, is_event: bool) -> Self {
        self.table.is_event = is_event;
        self
    }

    /// Adds an unnamed unique constraint over `columns`. An index over the same columns is also
    /// needed.
    pub fn with_unique_constraint(mut self, columns: impl Into<ColList>) -> Self {
        let columns = columns.into();
        self.table.constraints.push(RawConstraintDefV10 {
            source_name: None,
            data: RawConstraintDataV10::Unique(RawUniqueConstraintDataV10 { columns }),
        });
        self
    }

    /// Makes `column` the primary key (replacing any earlier one). It also needs a unique
    /// constraint and an index.
    pub fn with_primary_key(mut self, column: u16) -> Self {
        self.table.primary_key = ColList::new(column);
        self
    }

    /// Makes `column` the primary key, with a unique constraint and a sequence on it. It still
    /// needs an index.
    pub fn with_auto_inc_primary_key(self, column: u16) -> Self {
        self.with_primary_key(column).with_unique_constraint(column).with_column_sequence(column)
    }

    /// Adds an index with source name `source_name` whose accessor (in generated client code) is
    /// `accessor_name`.
    pub fn with_index(
        mut self,
        algorithm: RawIndexAlgorithm,
        source_name: impl Into<Box<str>>,
        accessor_name: impl Into<Box<str>>,
    ) -> Self {
        self.table.indexes.push(RawIndexDefV10 {
            source_name: Some(source_name.into()),
            accessor_name: Some(accessor_name.into()),
            algorithm,
        });
        self
    }

    /// Adds an index with source name `source_name` and no accessor name.
    pub fn with_index_no_accessor_name(
        mut self,
        algorithm: RawIndexAlgorithm,
        source_name: impl Into<Box<str>>,
    ) -> Self {
        self.table.indexes.push(RawIndexDefV10 {
            source_name: Some(source_name.into()),
            accessor_name: None,
            algorithm,
        });
        self
    }

    /// Adds an unnamed sequence on `column` with the host's default bounds and increment 1.
    pub fn with_column_sequence(mut self, column: u16) -> Self {
        self.table.sequences.push(RawSequenceDefV10 {
            source_name: None,
            column,
            start: None,
            min_value: None,
            max_value: None,
            increment: 1,
        });
        self
    }

    /// Gives `column` the default `value` (stored BSATN-encoded; it must be of the column's type).
    pub fn with_default_column_value(mut self, column: u16, value: &AlgebraicValue) -> Self {
        let value = crate::bsatn::to_vec(value).into_boxed_slice();
        self.table.default_values.push(RawColumnDefaultValueV10 { col_id: column, value });
        self
    }

    /// Gives `column` the default value whose BSATN encoding is `bsatn` (what
    /// [`with_default_column_value`](Self::with_default_column_value) stores, for callers that
    /// encode a typed value directly).
    pub fn with_default_column_value_bsatn(mut self, column: u16, bsatn: impl Into<Box<[u8]>>) -> Self {
        self.table.default_values.push(RawColumnDefaultValueV10 { col_id: column, value: bsatn.into() });
        self
    }

    /// The position of the column named `column`, if the row type is a product that has one.
    pub fn find_col_pos_by_name(&self, column: &str) -> Option<u16> {
        let row = self.module.typespace()?.get(self.table.product_type_ref)?.as_product()?;
        let (pos, _) = row.element(column)?;
        u16::try_from(pos).ok()
    }

    /// Adds the table to the module (to the first tables section, made if there is none),
    /// returning its row type.
    pub fn finish(self) -> AlgebraicTypeRef {
        let r = self.table.product_type_ref;
        tables_mut(&mut self.module.sections, self.encoders).push(self.table);
        r
    }
}

/// Writes the BSATN of a definition made by a [`RawModuleDefV10Builder`], from
/// [`finish_with_writer`](RawModuleDefV10Builder::finish_with_writer): the same bytes as the
/// definition's `Encode`.
#[derive(Debug, Clone)]
pub struct RawModuleDefV10Writer {
    encoders: Vec<SectionEncoder>,
}

impl RawModuleDefV10Writer {
    /// Appends the BSATN of `def` (the definition the builder finished) to `out`.
    ///
    /// # Panics
    /// If `def` has a kind of section the builder did not make.
    pub fn write(&self, def: &RawModuleDefV10, out: &mut Vec<u8>) {
        crate::bsatn::encode_len(def.sections.len(), out);
        for section in &def.sections {
            if !self.encoders.iter().any(|encode| encode(section, out)) {
                panic!("the module definition has a kind of section its builder did not make");
            }
        }
    }
}
