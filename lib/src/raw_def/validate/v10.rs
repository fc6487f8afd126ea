//! Checking a V10 module definition the way a SpacetimeDB 2.x host does before accepting it.
//!
//! The rules are V9's (identifiers, the shared namespace, indexes, constraints, primary keys,
//! sequences, schedules, lifecycle reducers, type uses, type definitions) applied to V10's
//! sections and names, plus V10's own: canonical names from the case conversion policy and
//! explicit names, index source names, reducer return types, procedures, views and their primary
//! keys, column default values, schedules and lifecycle entries that refer to tables and
//! functions by name, HTTP handlers and routes, and submodules.

use super::type_def::{check_named_types, NamedType};
use super::type_use::TypeUses;
use super::{identifier_problem, TableSummary, ValidationError, ValidationErrorKind as Kind};
use crate::algebraic::{AlgebraicType, AlgebraicTypeRef, AlgebraicValue, ProductType, Typespace};
use crate::bsatn::Reader;
use crate::raw_def::v10::{
    CaseConversionPolicy, ExplicitNameEntry, MethodOrAny, RawIndexDefV10, RawModuleDefV10, RawTableDefV10,
};
use crate::raw_def::{ColList, Lifecycle, RawConstraintDataV9, RawIndexAlgorithm, TableType};
use std::collections::{HashMap, HashSet};

/// What a valid V10 module definition declares, with canonical and generated names filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleSummaryV10 {
    /// The tables, in definition order, under their canonical names (columns too).
    pub tables: Vec<TableSummary>,
    /// The canonical names of the reducers, in reducer id order.
    pub reducers: Vec<String>,
    /// The canonical names of the procedures.
    pub procedures: Vec<String>,
    /// The canonical names of the views.
    pub views: Vec<String>,
    /// The reducer id of the `init` reducer, if any.
    pub init: Option<usize>,
    /// The reducer id of the `client_connected` reducer, if any.
    pub on_connect: Option<usize>,
    /// The reducer id of the `client_disconnected` reducer, if any.
    pub on_disconnect: Option<usize>,
}

/// The longest submodule namespace a 2.x host accepts, in bytes.
pub const MAX_SUBMODULE_NAMESPACE_LEN: usize = 63;

/// Checks `def` against the rules a SpacetimeDB 2.x host enforces, returning a summary with every
/// canonical and generated name if it passes, or every problem found (each naming its culprit).
///
/// Not checked, as for V9: the SQL of row-level security filters, NFC normalisation and exact
/// Unicode classes of identifiers, and canonical type names (the host's Pascal-case conversion of
/// type names is not needed to run a module).
///
/// ```
/// use worldtube_lib::algebraic::{AlgebraicType, ProductType};
/// use worldtube_lib::raw_def::{validate_v10, RawModuleDefV10Builder};
///
/// let mut b = RawModuleDefV10Builder::new();
/// b.add_reducer("sayHello", ProductType::new([(Some("name"), AlgebraicType::String)]));
/// b.add_reducer("say_hello", ProductType::default());
/// let errors = validate_v10(&b.finish()).unwrap_err();
/// assert!(errors[0].to_string().contains("`say_hello`"), "{}", errors[0]);
/// ```
pub fn validate_v10(def: &RawModuleDefV10) -> Result<ModuleSummaryV10, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let summary = validate_into(def, &mut errors);
    if errors.is_empty() {
        Ok(summary)
    } else {
        Err(errors)
    }
}

fn validate_into(def: &RawModuleDefV10, errors: &mut Vec<ValidationError>) -> ModuleSummaryV10 {
    let empty = Typespace::default();
    let typespace = def.typespace().unwrap_or(&empty);
    let mut explicit = ExplicitLookup::default();
    for entry in def.explicit_names().iter().flat_map(|n| n.entries.iter()) {
        let (map, m) = match entry {
            ExplicitNameEntry::Table(m) => (&mut explicit.tables, m),
            ExplicitNameEntry::Function(m) => (&mut explicit.functions, m),
            ExplicitNameEntry::Index(m) => (&mut explicit.indexes, m),
        };
        map.insert(&*m.source_name, &*m.canonical_name);
    }
    let mut v = V10 {
        def,
        uses: TypeUses {
            typespace,
            named: def.types().iter().flat_map(|t| t.iter()).map(|t| t.ty).collect(),
            v2_types: true,
        },
        policy: def.case_conversion_policy(),
        explicit,
        errors,
        namespace: HashMap::new(),
    };
    v.type_defs();
    let tables: Vec<(TableSummary, Option<&RawTableDefV10>)> =
        def.tables().iter().flat_map(|t| t.iter()).map(|t| v.table(t)).collect();
    let mut functions: HashMap<String, String> = HashMap::new();
    let reducers = v.reducers(&mut functions);
    let procedures = v.procedures(&mut functions);
    let views = v.views(&mut functions);
    v.view_primary_keys();
    v.schedules(&tables, &reducers, &procedures);
    let [init, on_connect, on_disconnect] = v.lifecycles(&reducers);
    v.http();
    v.submodules();
    ModuleSummaryV10 {
        tables: tables.into_iter().map(|(s, _)| s).collect(),
        reducers,
        procedures,
        views,
        init,
        on_connect,
        on_disconnect,
    }
}

#[derive(Default)]
struct ExplicitLookup<'a> {
    tables: HashMap<&'a str, &'a str>,
    functions: HashMap<&'a str, &'a str>,
    indexes: HashMap<&'a str, &'a str>,
}

struct V10<'a, 'e> {
    def: &'a RawModuleDefV10,
    uses: TypeUses<'a>,
    policy: CaseConversionPolicy,
    explicit: ExplicitLookup<'a>,
    errors: &'e mut Vec<ValidationError>,
    /// Tables, views, indexes, constraints, sequences and schedules: name -> owner.
    namespace: HashMap<String, String>,
}

/// Describes column `col` of `row` for messages.
fn describe_col(row: &ProductType, col: u16) -> String {
    match row.elements.get(usize::from(col)).and_then(|e| e.name.as_deref()) {
        Some(name) => format!("column `{name}`"),
        None => format!("column {col}"),
    }
}

impl V10<'_, '_> {
    fn error(&mut self, kind: Kind, message: String) {
        self.errors.push(ValidationError::new(kind, message));
    }

    fn check_identifier(&mut self, name: &str, what: impl FnOnce() -> String) -> bool {
        match identifier_problem(name) {
            Some(reason) => {
                let message = format!("{}: `{name}` is not a valid identifier: {reason}", what());
                self.error(Kind::InvalidIdentifier, message);
                false
            }
            None => true,
        }
    }

    fn claim_name(&mut self, name: &str, owner: impl FnOnce() -> String) {
        match self.namespace.get(name) {
            Some(first) => {
                let message = format!(
                    "{} has the name `{name}`, which is already taken by {first}; the tables, views, indexes, \
                     constraints, sequences and schedules of a module share one namespace (source and canonical \
                     names both count), so rename one of them",
                    owner()
                );
                self.error(Kind::DuplicateName, message);
            }
            None => {
                self.namespace.insert(name.to_owned(), owner());
            }
        }
    }

    /// The canonical name of a table, by explicit name or the policy.
    fn table_name(&self, source: &str) -> String {
        match self.explicit.tables.get(source) {
            Some(canonical) => (*canonical).to_owned(),
            None => self.policy.canonical_name(source),
        }
    }

    /// The canonical name of a function, by explicit name or the policy.
    fn function_name(&self, source: &str) -> String {
        match self.explicit.functions.get(source) {
            Some(canonical) => (*canonical).to_owned(),
            None => self.policy.canonical_name(source),
        }
    }

    /// The canonical name of column `col` as generated names use it: the policy applied to the
    /// element name, or `col_{n}`.
    fn column_name(&self, row: &ProductType, col: u16) -> String {
        match row.elements.get(usize::from(col)).and_then(|e| e.name.as_deref()) {
            Some(name) => self.policy.canonical_name(name),
            None => format!("col_{col}"),
        }
    }

    fn joined(&self, row: &ProductType, cols: &ColList) -> String {
        cols.iter().map(|c| self.column_name(row, c)).collect::<Vec<_>>().join("_")
    }

    fn check_columns(&mut self, t: &str, row: &ProductType, what: &str, cols: &ColList) -> bool {
        let mut ok = true;
        for col in cols.iter() {
            if usize::from(col) >= row.elements.len() {
                ok = false;
                let message = format!(
                    "table `{t}`: {what} refers to column {col}, but the row type has only {} columns",
                    row.elements.len()
                );
                self.error(Kind::ColumnNotFound, message);
            }
        }
        ok
    }

    fn type_defs(&mut self) {
        let def = self.def;
        let rows: Vec<AlgebraicTypeRef> =
            def.tables().iter().flat_map(|t| t.iter()).map(|t| t.product_type_ref).collect();
        let declared = def.types();
        let types = declared.iter().flat_map(|t| t.iter()).map(|t| NamedType {
            key: &t.source_name,
            display: t.source_name.to_string(),
            segments: t.source_name.scope.iter().chain([&t.source_name.source_name]).map(|s| &**s).collect(),
            ty: t.ty,
        });
        check_named_types(types, &rows, &self.uses, self.errors);
    }

    /// Checks one table; returns its summary, and the table if its row type is a product.
    fn table<'t>(&mut self, table: &'t RawTableDefV10) -> (TableSummary, Option<&'t RawTableDefV10>) {
        let source = &*table.source_name;
        let name = self.table_name(source);
        let mut summary = TableSummary {
            name: name.clone(),
            columns: Vec::new(),
            primary_key: table.primary_key.head(),
            indexes: Vec::new(),
            constraints: Vec::new(),
            sequences: Vec::new(),
            schedule: None,
        };
        let t = source;
        self.check_identifier(source, || format!("table `{t}`"));
        if name != source {
            self.check_identifier(&name, || format!("table `{t}`: its canonical name"));
        }
        let typespace = self.uses.typespace;
        let r = table.product_type_ref;
        let Some(AlgebraicType::Product(row)) = typespace.get(r) else {
            let what = match typespace.get(r) {
                None => "does not exist".to_owned(),
                Some(ty) => format!("is {}, not a product", ty.describe()),
            };
            let message = format!(
                "table `{t}`: its row type &{} {what}; a table's row type must be a struct (a product) in the typespace",
                r.0
            );
            self.error(Kind::InvalidRowType, message);
            return (summary, None);
        };

        for (i, col) in row.elements.iter().enumerate() {
            match col.name.as_deref() {
                Some(col_name) => {
                    self.check_identifier(col_name, || format!("table `{t}`: column {i}"));
                    summary.columns.push(self.policy.canonical_name(col_name));
                }
                None => {
                    self.error(
                        Kind::Unnamed,
                        format!("table `{t}`: column {i} has no name; every column needs a name"),
                    );
                    summary.columns.push(format!("col_{i}"));
                }
            }
            let location = || format!("table `{t}`: {}", describe_col(row, i as u16));
            self.uses.check(&col.algebraic_type, &location, self.errors);
        }

        for index in &table.indexes {
            summary.indexes.push(self.index(t, &name, row, index));
        }
        for constraint in &table.constraints {
            let RawConstraintDataV9::Unique(unique) = &constraint.data;
            // The host ignores the constraint's own name and always generates one.
            let cname = format!("{name}_{}_key", self.joined(row, &unique.columns));
            let what = format!("unique constraint `{cname}`");
            if self.check_columns(t, row, &what, &unique.columns) {
                let set = unique.columns.to_set();
                if !table.indexes.iter().any(|i| i.algorithm.columns().to_set() == set) {
                    let cols: Vec<String> = unique.columns.iter().map(|c| describe_col(row, c)).collect();
                    let message = format!(
                        "table `{t}`: {what} on {} has no index over the same columns; add an index on exactly those \
                         columns",
                        cols.join(", ")
                    );
                    self.error(Kind::UniqueWithoutIndex, message);
                }
            }
            self.claim_name(&cname, || format!("{what} of table `{t}`"));
            summary.constraints.push(cname);
        }
        self.primary_key(t, table, row);
        self.sequences(t, &name, table, row, &mut summary);

        self.claim_name(source, || format!("table `{t}`"));
        if table.table_type != TableType::System && name.starts_with("st_") {
            let message = format!(
                "table `{t}`: its canonical name `{name}` starts with `st_`, which is reserved for system tables; \
                 rename the table"
            );
            self.error(Kind::ReservedTableName, message);
        } else if name != source {
            self.claim_name(&name, || format!("table `{t}` (canonical name)"));
        }

        for default in &table.default_values {
            let Some(col) = row.elements.get(usize::from(default.col_id)) else {
                let message = format!(
                    "table `{t}`: a default value is for column {}, but the row type has only {} columns",
                    default.col_id,
                    row.elements.len()
                );
                self.error(Kind::ColumnNotFound, message);
                continue;
            };
            let mut reader = Reader::new(&default.value);
            if let Err(e) = AlgebraicValue::decode(&col.algebraic_type, typespace, &mut reader) {
                let message = format!(
                    "table `{t}`: the default value of {} does not decode as its type {}: {e}",
                    describe_col(row, default.col_id),
                    col.algebraic_type.describe()
                );
                self.error(Kind::DefaultValueMalformed, message);
            }
        }
        (summary, Some(table))
    }

    fn index(&mut self, t: &str, table_name: &str, row: &ProductType, index: &RawIndexDefV10) -> String {
        let generated =
            format!("{table_name}_{}_idx_{}", self.joined(row, &index.algorithm.columns()), index.algorithm.label());
        let name = match &index.source_name {
            Some(source) => {
                self.claim_name(source, || format!("index `{source}` of table `{t}`"));
                let canonical = match self.explicit.indexes.get(&**source) {
                    Some(explicit) => {
                        let explicit = (*explicit).to_owned();
                        self.check_identifier(&explicit, || format!("table `{t}`: index `{source}`"));
                        explicit
                    }
                    None => generated,
                };
                if canonical != **source {
                    self.claim_name(&canonical, || format!("index `{source}` of table `{t}` (canonical name)"));
                }
                canonical
            }
            None => {
                let name = generated;
                let message = format!(
                    "table `{t}`: index `{name}` has no source name; a 2.x host requires one on every index (the SDK \
                     sets it)"
                );
                self.error(Kind::IndexWithoutSourceName, message);
                name
            }
        };
        let what = format!("index `{name}`");
        let in_bounds = self.check_columns(t, row, &what, &index.algorithm.columns());
        if let (RawIndexAlgorithm::Direct { column }, true) = (&index.algorithm, in_bounds) {
            let ty = &row.elements[usize::from(*column)].algebraic_type;
            let ok = match ty {
                AlgebraicType::U8 | AlgebraicType::U16 | AlgebraicType::U32 | AlgebraicType::U64 => true,
                AlgebraicType::Sum(sum) => sum.is_simple_enum(),
                AlgebraicType::Ref(r) => {
                    self.uses.typespace.get(*r).and_then(AlgebraicType::as_sum).is_some_and(|s| s.is_simple_enum())
                }
                _ => false,
            };
            if !ok {
                let message = format!(
                    "table `{t}`: {what} is a direct index on {} of type {}; direct indexes need a u8, u16, u32 or \
                     u64 column or an enum without payloads, so use a btree or hash index instead",
                    describe_col(row, *column),
                    ty.describe()
                );
                self.error(Kind::DirectIndexType, message);
            }
        }
        if let Some(accessor) = &index.accessor_name {
            self.check_identifier(accessor, || format!("table `{t}`: the accessor name of {what}"));
        }
        name
    }

    fn primary_key(&mut self, t: &str, table: &RawTableDefV10, row: &ProductType) {
        match table.primary_key.0.as_slice() {
            [] => {}
            [pk] => {
                if self.check_columns(t, row, "the primary key", &table.primary_key) {
                    let unique = table.constraints.iter().any(|c| {
                        let RawConstraintDataV9::Unique(u) = &c.data;
                        u.columns.to_set() == [*pk]
                    });
                    if !unique {
                        let message = format!(
                            "table `{t}`: the primary key {} has no unique constraint on exactly that column; add \
                             one (and an index on it)",
                            describe_col(row, *pk)
                        );
                        self.error(Kind::PrimaryKeyNotUnique, message);
                    }
                }
            }
            _ => {
                let message = format!(
                    "table `{t}`: the primary key lists {} columns, but at most one primary key column is supported",
                    table.primary_key.len()
                );
                self.error(Kind::CompositePrimaryKey, message);
            }
        }
    }

    fn sequences(
        &mut self,
        t: &str,
        table_name: &str,
        table: &RawTableDefV10,
        row: &ProductType,
        summary: &mut TableSummary,
    ) {
        let mut with_sequence = Vec::new();
        for seq in &table.sequences {
            let name = match &seq.source_name {
                Some(name) => name.to_string(),
                None => format!("{table_name}_{}_seq", self.column_name(row, seq.column)),
            };
            let what = format!("sequence `{name}`");
            if self.check_columns(t, row, &what, &ColList::new(seq.column)) {
                let col = describe_col(row, seq.column);
                let ty = &row.elements[usize::from(seq.column)].algebraic_type;
                if !ty.is_integer() {
                    let message = format!(
                        "table `{t}`: {col} is {}, which cannot be auto_inc: sequences need an integer column",
                        ty.describe()
                    );
                    self.error(Kind::SequenceNotInteger, message);
                } else if with_sequence.contains(&seq.column) {
                    let message =
                        format!("table `{t}`: {col} has more than one sequence; a column may have at most one");
                    self.error(Kind::DuplicateSequence, message);
                } else {
                    with_sequence.push(seq.column);
                }
            }
            let le = |lo: Option<i128>, hi: Option<i128>| lo.zip(hi).is_none_or(|(lo, hi)| lo <= hi);
            if !(le(seq.min_value, seq.start) && le(seq.start, seq.max_value) && le(seq.min_value, seq.max_value)) {
                let show = |v: Option<i128>| v.map_or_else(|| "default".to_owned(), |v| v.to_string());
                let message = format!(
                    "table `{t}`: {what} has min {}, start {}, max {}, out of order; they must satisfy min <= start <= max",
                    show(seq.min_value),
                    show(seq.start),
                    show(seq.max_value)
                );
                self.error(Kind::SequenceRange, message);
            }
            self.claim_name(&name, || format!("{what} of table `{t}`"));
            summary.sequences.push(name);
        }
    }

    /// Checks a function's source and canonical names and claims the canonical one among
    /// reducers, procedures and views; returns the canonical name.
    fn function(&mut self, kind: &str, source: &str, functions: &mut HashMap<String, String>) -> String {
        let name = self.function_name(source);
        self.check_identifier(source, || format!("{kind} `{source}`"));
        if name != source {
            self.check_identifier(&name, || format!("{kind} `{source}`: its canonical name"));
        }
        match functions.get(&name) {
            Some(first) => {
                let message = format!(
                    "{kind} `{source}` has the canonical name `{name}`, which {first} already has; reducers, \
                     procedures and views share one namespace, so rename one of them"
                );
                self.error(Kind::DuplicateReducer, message);
            }
            None => {
                functions.insert(name.clone(), format!("{kind} `{source}`"));
            }
        }
        name
    }

    fn params(&mut self, kind: &str, f: &str, params: &ProductType) {
        for (i, param) in params.elements.iter().enumerate() {
            let location = match param.name.as_deref() {
                Some(name) => {
                    self.check_identifier(name, || format!("{kind} `{f}`: parameter {i}"));
                    format!("{kind} `{f}`: parameter `{name}`")
                }
                None => {
                    let message = format!(
                        "{kind} `{f}`: parameter {i} has no name; every parameter needs a name (patterns such as \
                         `(a, b): (u32, u32)` are not allowed)"
                    );
                    self.error(Kind::Unnamed, message);
                    format!("{kind} `{f}`: parameter {i}")
                }
            };
            self.uses.check(&param.algebraic_type, &|| location.clone(), self.errors);
        }
    }

    fn reducers(&mut self, functions: &mut HashMap<String, String>) -> Vec<String> {
        let def = self.def;
        let mut names = Vec::new();
        for reducer in def.reducers().iter().flat_map(|r| r.iter()) {
            let r = &*reducer.source_name;
            names.push(self.function("reducer", r, functions));
            self.params("reducer", r, &reducer.params);
            if !(reducer.ok_return_type.is_unit() && reducer.err_return_type == AlgebraicType::String) {
                let message = format!(
                    "reducer `{r}`: it returns Result<{}, {}>, but reducers may only return () or Result<(), String>",
                    reducer.ok_return_type.describe(),
                    reducer.err_return_type.describe()
                );
                self.error(Kind::ReducerReturnType, message);
            }
        }
        names
    }

    fn procedures(&mut self, functions: &mut HashMap<String, String>) -> Vec<String> {
        let def = self.def;
        let mut names = Vec::new();
        for procedure in def.procedures().iter().flat_map(|r| r.iter()) {
            let p = &*procedure.source_name;
            names.push(self.function("procedure", p, functions));
            self.params("procedure", p, &procedure.params);
            let location = || format!("procedure `{p}`: its return type");
            self.uses.check(&procedure.return_type, &location, self.errors);
        }
        names
    }

    /// The row type a view returns, if its return type has a shape the host accepts.
    fn views(&mut self, functions: &mut HashMap<String, String>) -> Vec<String> {
        let def = self.def;
        let mut names = Vec::new();
        for view in def.views().iter().flat_map(|r| r.iter()) {
            let w = &*view.source_name;
            let name = self.function("view", w, functions);
            self.params("view", w, &view.params);
            let row = view.row_type_ref().and_then(|r| self.uses.typespace.get(r)).and_then(AlgebraicType::as_product);
            match row {
                None => {
                    let message = format!(
                        "view `{w}`: it returns {}, but a view must return Vec<T> or Option<T> (or a query) of a \
                         struct type T declared in the module",
                        view.return_type.describe()
                    );
                    self.error(Kind::ViewReturnType, message);
                }
                Some(row) => {
                    for (i, col) in row.elements.iter().enumerate() {
                        match col.name.as_deref() {
                            Some(col_name) => {
                                self.check_identifier(col_name, || format!("view `{w}`: column {i}"));
                            }
                            None => self.error(
                                Kind::Unnamed,
                                format!("view `{w}`: column {i} of its rows has no name; every column needs a name"),
                            ),
                        }
                    }
                    // A query view's `{ __query__: T }` wrapper is checked as the `Vec<T>` it stands for.
                    let returned = match view.return_type.as_product() {
                        Some(_) => view.row_type_ref().map(|r| AlgebraicType::array(AlgebraicType::Ref(r))),
                        None => Some(view.return_type.clone()),
                    };
                    let location = || format!("view `{w}`: its return type");
                    if let Some(returned) = returned {
                        self.uses.check(&returned, &location, self.errors);
                    }
                }
            }
            self.claim_name(&name, || format!("view `{w}`"));
            names.push(name);
        }
        names
    }

    fn view_primary_keys(&mut self) {
        let def = self.def;
        let mut seen: Vec<&str> = Vec::new();
        for pk in def.view_primary_keys().iter().flat_map(|k| k.iter()) {
            let w = &*pk.view_source_name;
            if seen.contains(&w) {
                self.error(Kind::ViewPrimaryKey, format!("view `{w}`: its primary key is declared more than once"));
                continue;
            }
            seen.push(w);
            let column = match &*pk.columns {
                [] => continue,
                [one] => &**one,
                more => {
                    let message = format!(
                        "view `{w}`: its primary key lists {} columns, but at most one is supported",
                        more.len()
                    );
                    self.error(Kind::ViewPrimaryKey, message);
                    continue;
                }
            };
            let Some(view) = def.views().iter().flat_map(|v| v.iter()).find(|v| *v.source_name == *w) else {
                let message = format!("view `{w}`: a primary key is declared for it, but no view has that name");
                self.error(Kind::ViewPrimaryKey, message);
                continue;
            };
            let row = view.row_type_ref().and_then(|r| self.uses.typespace.get(r)).and_then(AlgebraicType::as_product);
            if let Some(row) = row {
                if row.element(column).is_none() {
                    let message =
                        format!("view `{w}`: its primary key is column `{column}`, which its rows do not have");
                    self.error(Kind::ViewPrimaryKey, message);
                }
            }
        }
    }

    fn schedules(
        &mut self,
        tables: &[(TableSummary, Option<&RawTableDefV10>)],
        reducers: &[String],
        procedures: &[String],
    ) {
        let def = self.def;
        let mut scheduled: Vec<String> = Vec::new();
        for schedule in def.schedules().iter().flat_map(|s| s.iter()) {
            let source = &*schedule.table_name;
            let name = self.table_name(source);
            let Some((summary, Some(table))) = tables.iter().find(|(s, _)| s.name == name) else {
                let message = format!(
                    "schedule on table `{source}`: no table with that name exists (or its row type is invalid)"
                );
                self.error(Kind::ScheduleTableMissing, message);
                continue;
            };
            let _ = summary;
            let row = match self.uses.typespace.get(table.product_type_ref) {
                Some(AlgebraicType::Product(row)) => row,
                _ => continue,
            };
            let at = schedule.schedule_at_col;
            let at_ok = row.elements.get(usize::from(at)).is_some_and(|c| c.algebraic_type.is_schedule_at());
            let pk_ok = table
                .primary_key
                .head()
                .and_then(|pk| row.elements.get(usize::from(pk)))
                .is_some_and(|c| c.algebraic_type == AlgebraicType::U64);
            if !at_ok {
                let message = format!(
                    "table `{source}`: the schedule's time column is {}, which is not a ScheduleAt column",
                    describe_col(row, at)
                );
                self.error(Kind::ScheduleAtColumn, message);
            }
            if !pk_ok {
                let message = format!(
                    "table `{source}`: a schedule table needs a u64 primary key (such as `#[primary_key] #[auto_inc] \
                     scheduled_id: u64`)"
                );
                self.error(Kind::SchedulePrimaryKey, message);
            }
            if scheduled.contains(&name) {
                let message = format!("table `{source}`: it has more than one schedule; a table may have at most one");
                self.error(Kind::DuplicateSchedule, message);
                continue;
            }
            self.claim_name(&format!("{name}_sched"), || format!("the schedule of table `{source}`"));
            scheduled.push(name);
            let f = &*schedule.function_name;
            let fname = self.function_name(f);
            let params = if let Some(i) = reducers.iter().position(|r| *r == fname) {
                def.reducers().map(|r| &r[i].params)
            } else if let Some(i) = procedures.iter().position(|p| *p == fname) {
                def.procedures().map(|p| &p[i].params)
            } else {
                let message = format!(
                    "table `{source}`: its schedule calls `{f}`, which is neither a reducer nor a procedure; define it"
                );
                self.error(Kind::ScheduledReducerMissing, message);
                continue;
            };
            let row_ty = AlgebraicType::Ref(table.product_type_ref);
            if let Some(params) = params {
                if !matches!(&*params.elements, [only] if only.algebraic_type == row_ty) {
                    let got: Vec<String> = params.elements.iter().map(|e| e.algebraic_type.describe()).collect();
                    let message = format!(
                        "`{f}`: it is scheduled by table `{source}`, so after the context it must take exactly one \
                         argument of the table's row type ({}), but it takes ({})",
                        row_ty.describe(),
                        got.join(", ")
                    );
                    self.error(Kind::ScheduledReducerParams, message);
                }
            }
        }
    }

    fn lifecycles(&mut self, reducers: &[String]) -> [Option<usize>; 3] {
        let def = self.def;
        let mut slots: [Option<usize>; 3] = [None; 3];
        let mut marked: HashSet<usize> = HashSet::new();
        for entry in def.lifecycle_reducers().iter().flat_map(|l| l.iter()) {
            let event = entry.lifecycle_spec;
            let f = &*entry.function_name;
            let fname = self.function_name(f);
            let Some(id) = reducers.iter().position(|r| *r == fname) else {
                let message =
                    format!("the `{}` lifecycle entry names `{f}`, which is not a reducer", event.attribute_name());
                self.error(Kind::LifecycleWithoutReducer, message);
                continue;
            };
            let slot = &mut slots[event as usize];
            if slot.is_some() || !marked.insert(id) {
                let message = format!(
                    "reducer `{f}`: more than one reducer is the `{}` reducer, or this reducer is marked for more \
                     than one event; each lifecycle event has at most one reducer, and each reducer at most one event",
                    event.attribute_name()
                );
                self.error(Kind::DuplicateLifecycle, message);
                continue;
            }
            *slot = Some(id);
        }
        debug_assert_eq!(Lifecycle::ALL.map(|l| l as usize), [0, 1, 2]);
        slots
    }

    fn http(&mut self) {
        let def = self.def;
        let mut handlers: Vec<String> = Vec::new();
        for handler in def.http_handlers().iter().flat_map(|h| h.iter()) {
            let h = &*handler.source_name;
            self.check_identifier(h, || format!("HTTP handler `{h}`"));
            let name = self.function_name(h);
            if name != h {
                self.check_identifier(&name, || format!("HTTP handler `{h}`: its canonical name"));
            }
            if handlers.contains(&name) {
                let message = format!("HTTP handler `{h}` is defined more than once; handler names must be unique");
                self.error(Kind::DuplicateHttpHandler, message);
            } else {
                handlers.push(name);
            }
        }
        let routes: Vec<_> = def.http_routes().iter().flat_map(|r| r.iter()).collect();
        for (i, route) in routes.iter().enumerate() {
            let path = &*route.path;
            let ok_path = (path.is_empty() || path.starts_with('/'))
                && path.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_~/".contains(c));
            if !ok_path {
                let message = format!(
                    "HTTP route `{path}`: a route path is empty or starts with `/`, and holds only ASCII lowercase \
                     letters, digits and `-_~/`"
                );
                self.error(Kind::HttpRoute, message);
                continue;
            }
            let h = &*route.handler_function;
            if !handlers.contains(&self.function_name(h)) {
                let message = format!("HTTP route `{path}`: its handler `{h}` is not an HTTP handler of the module");
                self.error(Kind::HttpRoute, message);
                continue;
            }
            let overlaps = routes[..i].iter().any(|earlier| {
                earlier.path == route.path
                    && (matches!(earlier.method, MethodOrAny::Any)
                        || matches!(route.method, MethodOrAny::Any)
                        || earlier.method == route.method)
            });
            if overlaps {
                let message = format!("HTTP route `{path}`: an earlier route already matches the same path and method");
                self.error(Kind::HttpRoute, message);
            }
        }
    }

    fn submodules(&mut self) {
        let def = self.def;
        let mut seen: Vec<&str> = Vec::new();
        for sub in def.submodules().iter().flat_map(|s| s.iter()) {
            let ns = &*sub.namespace;
            if ns.len() > MAX_SUBMODULE_NAMESPACE_LEN {
                let message = format!(
                    "submodule `{ns}`: its namespace is {} bytes long; at most {MAX_SUBMODULE_NAMESPACE_LEN} are allowed",
                    ns.len()
                );
                self.error(Kind::Submodule, message);
            }
            if !self.check_identifier(ns, || format!("submodule `{ns}`")) {
                continue;
            }
            if seen.contains(&ns) {
                self.error(Kind::Submodule, format!("submodule `{ns}` is defined more than once"));
                continue;
            }
            seen.push(ns);
            let mut inner = Vec::new();
            let summary = validate_into(&sub.module, &mut inner);
            for e in inner {
                self.errors.push(ValidationError::new(e.kind(), format!("submodule `{ns}`: {}", e.message())));
            }
            for (event, id) in Lifecycle::ALL.iter().zip([summary.init, summary.on_connect, summary.on_disconnect]) {
                if id.is_some() {
                    let message = format!(
                        "submodule `{ns}`: it has a `{}` reducer, but only the top-level module may have lifecycle \
                         reducers",
                        event.attribute_name()
                    );
                    self.error(Kind::Submodule, message);
                }
            }
        }
    }
}
