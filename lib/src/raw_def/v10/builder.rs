//! Building a [`RawModuleDefV10`](super::RawModuleDefV10) the way the SDK's generated code does.

#[cfg(feature = "host")]
use super::RawModuleDefV10;
use super::{
    CaseConversionPolicy, ExplicitNames, FunctionVisibility, MethodOrAny, RawColumnDefaultValueV10,
    RawConstraintDataV10, RawConstraintDefV10, RawHttpHandlerDefV10, RawHttpRouteDefV10, RawIndexDefV10,
    RawLifeCycleReducerDefV10, RawRowLevelSecurityDefV10, RawScheduleDefV10, RawScopedTypeNameV10, RawTypeDefV10,
    RawUniqueConstraintDataV10, RawViewPrimaryKeyDefV10,
};
use crate::algebraic::{
    AlgebraicType, AlgebraicTypeRef, AlgebraicValue, ProductType, SpacetimeType, Typespace, TypespaceBuilder,
};
use crate::bsatn::{encode_len, encode_tag, Encode};
use crate::raw_def::type_def::sats_name_parts;
use crate::raw_def::{ColList, Lifecycle, RawIndexAlgorithm, TableAccess, TableType};
use std::any::TypeId;

/// The tags of the kinds of section this builder makes (see
/// [`RawModuleDefV10Section`](super::RawModuleDefV10Section)).
mod tag {
    pub(super) const TYPESPACE: u8 = 0;
    pub(super) const TYPES: u8 = 1;
    pub(super) const TABLES: u8 = 2;
    pub(super) const REDUCERS: u8 = 3;
    pub(super) const PROCEDURES: u8 = 4;
    pub(super) const VIEWS: u8 = 5;
    pub(super) const SCHEDULES: u8 = 6;
    pub(super) const LIFECYCLE_REDUCERS: u8 = 7;
    pub(super) const ROW_LEVEL_SECURITY: u8 = 8;
    pub(super) const CASE_CONVERSION_POLICY: u8 = 9;
    pub(super) const EXPLICIT_NAMES: u8 = 10;
    pub(super) const HTTP_HANDLERS: u8 = 11;
    pub(super) const HTTP_ROUTES: u8 = 12;
    pub(super) const VIEW_PRIMARY_KEYS: u8 = 13;
}

/// The BSATN of a reducer's return types, `()` then `String` (what every reducer returns):
/// a product of no elements, and the string type.
const REDUCER_RETURN_TYPES: [u8; 6] = [2, 0, 0, 0, 0, 4];

/// A BSATN array being written: its element count, and its elements' bytes.
#[derive(Debug, Clone, Default)]
struct Counted {
    count: u32,
    elements: Vec<u8>,
}

impl Counted {
    /// Appends the BSATN of one element.
    fn push(&mut self, element: &impl Encode) {
        self.count += 1;
        element.encode(&mut self.elements);
    }

    /// Appends the array's BSATN (the count, then the elements) to `out`.
    #[inline(never)]
    fn write(&self, out: &mut Vec<u8>) {
        self.count.encode(out);
        out.extend_from_slice(&self.elements);
    }
}

/// One section as written so far: its tag and its payload. Every kind this builder makes is an
/// array (or, for the explicit names, a struct of one array) except two: the typespace, written
/// from [`RawModuleDefV10Builder::typespace`] at the end (a type's slot is filled after the
/// types it refers to), and the case conversion policy, one sum value (its tag, in `elements`).
#[derive(Debug, Clone)]
struct Section {
    tag: u8,
    payload: Counted,
}

/// Collects a module's types, tables, functions and settings into a
/// [`RawModuleDefV10`](super::RawModuleDefV10).
///
/// Produces the same definition, byte for byte, as SpacetimeDB 2.8's own builder given the same
/// calls in the same order: each section is created, at the end of the list, the first time
/// something goes into it. Nothing is checked here; run
/// [`validate_v10`](crate::raw_def::validate_v10) on the result.
///
/// It writes each part's BSATN as the part is added, so what a module needs of it is
/// [`finish_bsatn`](Self::finish_bsatn), the bytes; [`finish`](Self::finish) (feature `host`)
/// reads them back as a [`RawModuleDefV10`](super::RawModuleDefV10). A module thus links the
/// encoders of the parts it adds, and none of the code that keeps, accesses or drops whole
/// definitions.
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
    /// The sections, in the order they were made.
    sections: Vec<Section>,
    /// The typespace section's types (its place among the sections is that of the `TYPESPACE`
    /// entry in `sections`).
    typespace: Typespace,
    /// Types already added, by Rust type (a list, not a map, to keep module wasm small).
    type_map: Vec<(TypeId, AlgebraicTypeRef)>,
    /// The parameter and return types of the functions added, once written: kept rather than
    /// dropped there, because a module never drops its builder (see `worldtube`'s
    /// `rt::describe`), so keeping them costs it no code, where dropping them would link the
    /// drop code of every kind of type into every module. A host's builder frees them on drop.
    kept: Vec<AlgebraicType>,
}

impl RawModuleDefV10Builder {
    /// An empty builder (no sections).
    pub fn new() -> Self {
        Self::default()
    }

    /// The section with tag `tag`, made (at the end) if there is none. Not generic: every kind
    /// of section shares this code.
    #[inline(never)]
    fn section(&mut self, tag: u8) -> &mut Counted {
        let at = match self.sections.iter().position(|s| s.tag == tag) {
            Some(at) => at,
            None => {
                self.sections.push(Section { tag, payload: Counted::default() });
                self.sections.len() - 1
            }
        };
        &mut self.sections[at].payload
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
        self.section(tag::TYPES).push(&RawTypeDefV10 { source_name, ty: r, custom_ordering });
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
            module: self,
            source_name: source_name.into(),
            product_type_ref,
            primary_key: None,
            indexes: Counted::default(),
            constraints: Counted::default(),
            sequences: Counted::default(),
            table_type: TableType::User,
            table_access: TableAccess::Public,
            default_values: Counted::default(),
            is_event: false,
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
        self.push_reducer(source_name.into(), params, FunctionVisibility::ClientCallable);
    }

    /// Adds a private reducer and marks it as the reducer for `lifecycle`.
    pub fn add_lifecycle_reducer(
        &mut self,
        lifecycle: Lifecycle,
        function_name: impl Into<Box<str>>,
        params: ProductType,
    ) {
        let function_name = function_name.into();
        self.section(tag::LIFECYCLE_REDUCERS)
            .push(&RawLifeCycleReducerDefV10 { lifecycle_spec: lifecycle, function_name: function_name.clone() });
        self.push_reducer(function_name, params, FunctionVisibility::Private);
    }

    fn push_reducer(&mut self, source_name: Box<str>, params: ProductType, visibility: FunctionVisibility) {
        let out = self.function(tag::REDUCERS, &source_name);
        // `RawReducerDefV10`'s fields in order, its return types being always `()` and `String`.
        params.encode(out);
        visibility.encode(out);
        out.extend_from_slice(&REDUCER_RETURN_TYPES);
        self.kept.push(AlgebraicType::Product(params));
    }

    /// Counts one more function in the section `tag` and writes its source name (the first field
    /// of every kind of function definition), returning where its other fields go.
    fn function(&mut self, tag: u8, source_name: &str) -> &mut Vec<u8> {
        let section = self.section(tag);
        section.count += 1;
        source_name.encode(&mut section.elements);
        &mut section.elements
    }

    /// Adds a client-callable procedure.
    pub fn add_procedure(&mut self, source_name: impl Into<Box<str>>, params: ProductType, return_type: AlgebraicType) {
        let out = self.function(tag::PROCEDURES, &source_name.into());
        // `RawProcedureDefV10`'s fields in order.
        params.encode(out);
        return_type.encode(out);
        FunctionVisibility::ClientCallable.encode(out);
        self.kept.push(AlgebraicType::Product(params));
        self.kept.push(return_type);
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
        let out = self.function(tag::VIEWS, &source_name.into());
        // `RawViewDefV10`'s fields in order.
        index.encode(out);
        is_public.encode(out);
        is_anonymous.encode(out);
        params.encode(out);
        return_type.encode(out);
        self.kept.push(AlgebraicType::Product(params));
        self.kept.push(return_type);
    }

    /// Declares the primary key of the view `view_source_name` by column name.
    pub fn add_view_primary_key<C: Into<Box<str>>>(
        &mut self,
        view_source_name: impl Into<Box<str>>,
        columns: impl IntoIterator<Item = C>,
    ) {
        self.section(tag::VIEW_PRIMARY_KEYS).push(&RawViewPrimaryKeyDefV10 {
            view_source_name: view_source_name.into(),
            columns: columns.into_iter().map(Into::into).collect(),
        });
    }

    /// Makes the table `table` a schedule table calling `function` (a reducer or procedure) at the
    /// time in column `schedule_at_col`.
    pub fn add_schedule(&mut self, table: impl Into<Box<str>>, schedule_at_col: u16, function: impl Into<Box<str>>) {
        self.section(tag::SCHEDULES).push(&RawScheduleDefV10 {
            source_name: None,
            table_name: table.into(),
            schedule_at_col,
            function_name: function.into(),
        });
    }

    /// Adds a row-level security filter.
    pub fn add_row_level_security(&mut self, sql: &str) {
        self.section(tag::ROW_LEVEL_SECURITY).push(&RawRowLevelSecurityDefV10 { sql: sql.into() });
    }

    /// Adds an HTTP handler function.
    pub fn add_http_handler(&mut self, source_name: impl Into<Box<str>>) {
        self.section(tag::HTTP_HANDLERS).push(&RawHttpHandlerDefV10 { source_name: source_name.into() });
    }

    /// Adds an HTTP route to the handler `handler_function`.
    pub fn add_http_route(
        &mut self,
        handler_function: impl Into<Box<str>>,
        method: MethodOrAny,
        path: impl Into<Box<str>>,
    ) {
        self.section(tag::HTTP_ROUTES).push(&RawHttpRouteDefV10 {
            handler_function: handler_function.into(),
            method,
            path: path.into(),
        });
    }

    /// Adds explicit canonical names (to the one explicit-names section, made even when `names`
    /// is empty).
    pub fn add_explicit_names(&mut self, names: ExplicitNames) {
        let section = self.section(tag::EXPLICIT_NAMES);
        for entry in &names.entries {
            section.push(entry);
        }
    }

    /// Sets the case conversion policy, replacing any set before (the section moves to the end).
    pub fn set_case_conversion_policy(&mut self, policy: CaseConversionPolicy) {
        self.sections.retain(|s| s.tag != tag::CASE_CONVERSION_POLICY);
        self.section(tag::CASE_CONVERSION_POLICY).push(&policy);
    }

    /// The typespace so far (empty if no type was added).
    pub fn typespace(&self) -> &Typespace {
        &self.typespace
    }

    /// The BSATN of the finished definition: what `bsatn::to_vec(&self.finish())` is, written
    /// straight from the parts this builder wrote.
    pub fn finish_bsatn(&self) -> Vec<u8> {
        let mut out = Vec::new();
        encode_len(self.sections.len(), &mut out);
        for section in &self.sections {
            encode_tag(section.tag, &mut out);
            match section.tag {
                tag::TYPESPACE => self.typespace.encode(&mut out),
                tag::CASE_CONVERSION_POLICY => out.extend_from_slice(&section.payload.elements),
                _ => section.payload.write(&mut out),
            }
        }
        out
    }

    /// The finished definition (feature `host`: it is read back from
    /// [`finish_bsatn`](Self::finish_bsatn)'s bytes).
    #[cfg(feature = "host")]
    pub fn finish(self) -> RawModuleDefV10 {
        crate::bsatn::from_slice(&self.finish_bsatn()).expect("the builder writes a valid definition")
    }

    fn push_type(&mut self, ty: AlgebraicType) -> AlgebraicTypeRef {
        self.section(tag::TYPESPACE);
        let types = &mut self.typespace.types;
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
            let types = self.section(tag::TYPES);
            types.count += 1;
            write_type_def(sats_name, slot, &mut types.elements);
        }
        (slot, true)
    }

    /// Puts `ty` in the slot `reserve_slot` made.
    fn fill_slot(&mut self, slot: AlgebraicTypeRef, ty: AlgebraicType) {
        let reserved = std::mem::replace(&mut self.typespace.types[slot.idx()], ty);
        // What `reserve_slot` put there: `()`, which owns no memory. Forgetting it instead of
        // dropping it keeps the drop code of every kind of type out of the module.
        std::mem::forget(reserved);
    }
}

/// Writes the BSATN of the [`RawTypeDefV10`] naming `slot` `sats_name` (split into scope and
/// name as [`RawScopedTypeNameV10::from_sats_name`] does), with `custom_ordering: true`:
/// straight from the string, without making the name's parts.
fn write_type_def(sats_name: &str, slot: AlgebraicTypeRef, out: &mut Vec<u8>) {
    // The scope's length first: the number of separators (`::` or `.`).
    let parts = || sats_name_parts(sats_name);
    encode_len(parts().count() - 1, out);
    for part in parts() {
        part.encode(out);
    }
    slot.0.encode(out);
    true.encode(out);
}

/// Describes one V10 table; it is added to the module when [`finish`](Self::finish)ed.
///
/// Like the module builder it writes the BSATN of each index, constraint, sequence and default
/// as it is added; `finish` writes the table's fields around them, in
/// [`RawTableDefV10`](super::RawTableDefV10)'s wire order.
#[derive(Debug)]
#[must_use = "a table is added to the module only when `finish` is called"]
pub struct RawTableDefBuilderV10<'a> {
    module: &'a mut RawModuleDefV10Builder,
    source_name: Box<str>,
    product_type_ref: AlgebraicTypeRef,
    primary_key: Option<u16>,
    indexes: Counted,
    constraints: Counted,
    sequences: Counted,
    table_type: TableType,
    table_access: TableAccess,
    default_values: Counted,
    is_event: bool,
}

impl RawTableDefBuilderV10<'_> {
    /// Sets whether the system or the user made the table.
    pub fn with_type(mut self, table_type: TableType) -> Self {
        self.table_type = table_type;
        self
    }

    /// Sets whether clients may read the table.
    pub fn with_access(mut self, table_access: TableAccess) -> Self {
        self.table_access = table_access;
        self
    }

    /// Sets whether this is an event table.
    pub fn with_event(mut self, is_event: bool) -> Self {
        self.is_event = is_event;
        self
    }

    /// Adds an unnamed unique constraint over `columns`. An index over the same columns is also
    /// needed.
    pub fn with_unique_constraint(mut self, columns: impl Into<ColList>) -> Self {
        self.constraints.push(&RawConstraintDefV10 {
            source_name: None,
            data: RawConstraintDataV10::Unique(RawUniqueConstraintDataV10 { columns: columns.into() }),
        });
        self
    }

    /// Makes `column` the primary key (replacing any earlier one). It also needs a unique
    /// constraint and an index.
    pub fn with_primary_key(mut self, column: u16) -> Self {
        self.primary_key = Some(column);
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
        self.indexes.push(&RawIndexDefV10 {
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
        self.indexes.push(&RawIndexDefV10 { source_name: Some(source_name.into()), accessor_name: None, algorithm });
        self
    }

    /// Adds an unnamed sequence on `column` with the host's default bounds and increment 1.
    pub fn with_column_sequence(mut self, column: u16) -> Self {
        // The BSATN of `RawSequenceDefV10 { source_name: None, column, start: None, min_value:
        // None, max_value: None, increment: 1 }`, written as such: the struct's encoder (its
        // three `Option<i128>`s) would cost every module with a sequence more than this.
        const NONE: u8 = 1; // an `Option`'s tag for `None`
        self.sequences.count += 1;
        let out = &mut self.sequences.elements;
        encode_tag(NONE, out);
        column.encode(out);
        out.extend_from_slice(&[NONE; 3]);
        1i128.encode(out);
        self
    }

    /// Gives `column` the default `value` (stored BSATN-encoded; it must be of the column's type).
    pub fn with_default_column_value(self, column: u16, value: &AlgebraicValue) -> Self {
        self.with_default_column_value_bsatn(column, crate::bsatn::to_vec(value))
    }

    /// Gives `column` the default value whose BSATN encoding is `bsatn` (what
    /// [`with_default_column_value`](Self::with_default_column_value) stores, for callers that
    /// encode a typed value directly).
    pub fn with_default_column_value_bsatn(mut self, column: u16, bsatn: impl Into<Box<[u8]>>) -> Self {
        self.default_values.push(&RawColumnDefaultValueV10 { col_id: column, value: bsatn.into() });
        self
    }

    /// The position of the column named `column`, if the row type is a product that has one.
    pub fn find_col_pos_by_name(&self, column: &str) -> Option<u16> {
        let row = self.module.typespace.get(self.product_type_ref)?.as_product()?;
        let (pos, _) = row.element(column)?;
        u16::try_from(pos).ok()
    }

    /// Adds the table to the module (to the first tables section, made if there is none),
    /// returning its row type.
    pub fn finish(self) -> AlgebraicTypeRef {
        let tables = self.module.section(tag::TABLES);
        tables.count += 1;
        let out = &mut tables.elements;
        // `RawTableDefV10`'s fields, in order.
        self.source_name.encode(out);
        self.product_type_ref.0.encode(out);
        self.primary_key.as_slice().encode(out);
        self.indexes.write(out);
        self.constraints.write(out);
        self.sequences.write(out);
        self.table_type.encode(out);
        self.table_access.encode(out);
        self.default_values.write(out);
        self.is_event.encode(out);
        self.product_type_ref
    }
}

#[cfg(test)]
mod tests {
    use super::super::RawReducerDefV10;
    use super::*;

    #[test]
    fn reducer_return_types_are_unit_then_string() {
        let mut bytes = Vec::new();
        RawReducerDefV10::default_ok_return_type().encode(&mut bytes);
        RawReducerDefV10::default_err_return_type().encode(&mut bytes);
        assert_eq!(bytes, REDUCER_RETURN_TYPES);
    }
}
