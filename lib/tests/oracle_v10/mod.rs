//! Conversions from our V10 module definition to the official `spacetimedb-lib =2.8.3` one, built
//! structurally (field by field, variant by variant, with their types), so tests can compare the
//! bytes both sides produce for the same definition.

#![allow(dead_code)]

use spacetimedb_lib_2::db::raw_def::{v10 as t, v9 as t9};
use spacetimedb_primitives_2::{ColId, ColList as TheirColList};
use spacetimedb_sats_2 as s;
use spacetimedb_sats_2::raw_identifier::RawIdentifier;
use worldtube_lib::algebraic::{AlgebraicType, ProductType, Typespace};
use worldtube_lib::bsatn;
use worldtube_lib::raw_def::v10::*;
use worldtube_lib::raw_def::{ColList, Lifecycle, RawConstraintDataV9, RawIndexAlgorithm, TableAccess, TableType};

fn id(name: &str) -> RawIdentifier {
    RawIdentifier::from(name.to_owned())
}

fn opt_id(name: &Option<Box<str>>) -> Option<RawIdentifier> {
    name.as_deref().map(id)
}

/// Their type, obtained by decoding our encoding of the type (the type encoding itself is checked
/// against the official crate by the V9 and sats tests).
pub(crate) fn their_type(ty: &AlgebraicType) -> s::AlgebraicType {
    s::bsatn::from_slice(&bsatn::to_vec(ty)).expect("sats 2.8.3 decodes our AlgebraicType")
}

pub(crate) fn their_product(ty: &ProductType) -> s::ProductType {
    s::bsatn::from_slice(&bsatn::to_vec(ty)).expect("sats 2.8.3 decodes our ProductType")
}

pub(crate) fn their_typespace(ts: &Typespace) -> s::Typespace {
    s::Typespace::new(ts.types.iter().map(their_type).collect())
}

fn cols(c: &ColList) -> TheirColList {
    c.iter().map(ColId).collect()
}

fn algorithm(a: &RawIndexAlgorithm) -> t9::RawIndexAlgorithm {
    match a {
        RawIndexAlgorithm::BTree { columns } => t9::RawIndexAlgorithm::BTree { columns: cols(columns) },
        RawIndexAlgorithm::Hash { columns } => t9::RawIndexAlgorithm::Hash { columns: cols(columns) },
        RawIndexAlgorithm::Direct { column } => t9::RawIndexAlgorithm::Direct { column: ColId(*column) },
    }
}

fn table_type(x: TableType) -> t9::TableType {
    match x {
        TableType::System => t9::TableType::System,
        TableType::User => t9::TableType::User,
    }
}

fn table_access(x: TableAccess) -> t9::TableAccess {
    match x {
        TableAccess::Public => t9::TableAccess::Public,
        TableAccess::Private => t9::TableAccess::Private,
    }
}

pub(crate) fn lifecycle(x: Lifecycle) -> t9::Lifecycle {
    match x {
        Lifecycle::Init => t9::Lifecycle::Init,
        Lifecycle::OnConnect => t9::Lifecycle::OnConnect,
        Lifecycle::OnDisconnect => t9::Lifecycle::OnDisconnect,
    }
}

fn visibility(x: FunctionVisibility) -> t::FunctionVisibility {
    match x {
        FunctionVisibility::Private => t::FunctionVisibility::Private,
        FunctionVisibility::ClientCallable => t::FunctionVisibility::ClientCallable,
    }
}

fn table(x: &RawTableDefV10) -> t::RawTableDefV10 {
    t::RawTableDefV10 {
        source_name: id(&x.source_name),
        product_type_ref: s::AlgebraicTypeRef(x.product_type_ref.0),
        primary_key: cols(&x.primary_key),
        indexes: x
            .indexes
            .iter()
            .map(|i| t::RawIndexDefV10 {
                source_name: opt_id(&i.source_name),
                accessor_name: opt_id(&i.accessor_name),
                algorithm: algorithm(&i.algorithm),
            })
            .collect(),
        constraints: x
            .constraints
            .iter()
            .map(|c| {
                let RawConstraintDataV9::Unique(u) = &c.data;
                t::RawConstraintDefV10 {
                    source_name: opt_id(&c.source_name),
                    data: t9::RawConstraintDataV9::Unique(t9::RawUniqueConstraintDataV9 { columns: cols(&u.columns) }),
                }
            })
            .collect(),
        sequences: x
            .sequences
            .iter()
            .map(|q| t::RawSequenceDefV10 {
                source_name: opt_id(&q.source_name),
                column: ColId(q.column),
                start: q.start,
                min_value: q.min_value,
                max_value: q.max_value,
                increment: q.increment,
            })
            .collect(),
        table_type: table_type(x.table_type),
        table_access: table_access(x.table_access),
        default_values: x
            .default_values
            .iter()
            .map(|d| t::RawColumnDefaultValueV10 { col_id: ColId(d.col_id), value: d.value.clone() })
            .collect(),
        is_event: x.is_event,
    }
}

pub(crate) fn http_method(m: &HttpMethod) -> spacetimedb_lib_2::http::Method {
    use spacetimedb_lib_2::http::Method as M;
    match m {
        HttpMethod::Get => M::Get,
        HttpMethod::Head => M::Head,
        HttpMethod::Post => M::Post,
        HttpMethod::Put => M::Put,
        HttpMethod::Delete => M::Delete,
        HttpMethod::Connect => M::Connect,
        HttpMethod::Options => M::Options,
        HttpMethod::Trace => M::Trace,
        HttpMethod::Patch => M::Patch,
        HttpMethod::Extension(e) => M::Extension(e.clone()),
    }
}

fn section(x: &RawModuleDefV10Section) -> t::RawModuleDefV10Section {
    use t::RawModuleDefV10Section as S;
    match x {
        RawModuleDefV10Section::Typespace(ts) => S::Typespace(their_typespace(ts)),
        RawModuleDefV10Section::Types(v) => S::Types(
            v.iter()
                .map(|d| t::RawTypeDefV10 {
                    source_name: t::RawScopedTypeNameV10 {
                        scope: d.source_name.scope.iter().map(|s| id(s)).collect(),
                        source_name: id(&d.source_name.source_name),
                    },
                    ty: s::AlgebraicTypeRef(d.ty.0),
                    custom_ordering: d.custom_ordering,
                })
                .collect(),
        ),
        RawModuleDefV10Section::Tables(v) => S::Tables(v.iter().map(table).collect()),
        RawModuleDefV10Section::Reducers(v) => S::Reducers(
            v.iter()
                .map(|r| t::RawReducerDefV10 {
                    source_name: id(&r.source_name),
                    params: their_product(&r.params),
                    visibility: visibility(r.visibility),
                    ok_return_type: their_type(&r.ok_return_type),
                    err_return_type: their_type(&r.err_return_type),
                })
                .collect(),
        ),
        RawModuleDefV10Section::Procedures(v) => S::Procedures(
            v.iter()
                .map(|p| t::RawProcedureDefV10 {
                    source_name: id(&p.source_name),
                    params: their_product(&p.params),
                    return_type: their_type(&p.return_type),
                    visibility: visibility(p.visibility),
                })
                .collect(),
        ),
        RawModuleDefV10Section::Views(v) => S::Views(
            v.iter()
                .map(|w| t::RawViewDefV10 {
                    source_name: id(&w.source_name),
                    index: w.index,
                    is_public: w.is_public,
                    is_anonymous: w.is_anonymous,
                    params: their_product(&w.params),
                    return_type: their_type(&w.return_type),
                })
                .collect(),
        ),
        RawModuleDefV10Section::Schedules(v) => S::Schedules(
            v.iter()
                .map(|d| t::RawScheduleDefV10 {
                    source_name: opt_id(&d.source_name),
                    table_name: id(&d.table_name),
                    schedule_at_col: ColId(d.schedule_at_col),
                    function_name: id(&d.function_name),
                })
                .collect(),
        ),
        RawModuleDefV10Section::LifeCycleReducers(v) => S::LifeCycleReducers(
            v.iter()
                .map(|l| t::RawLifeCycleReducerDefV10 {
                    lifecycle_spec: lifecycle(l.lifecycle_spec),
                    function_name: id(&l.function_name),
                })
                .collect(),
        ),
        RawModuleDefV10Section::RowLevelSecurity(v) => {
            S::RowLevelSecurity(v.iter().map(|r| t9::RawRowLevelSecurityDefV9 { sql: r.sql.clone() }).collect())
        }
        RawModuleDefV10Section::CaseConversionPolicy(p) => S::CaseConversionPolicy(match p {
            CaseConversionPolicy::None => t::CaseConversionPolicy::None,
            CaseConversionPolicy::SnakeCase => t::CaseConversionPolicy::SnakeCase,
        }),
        RawModuleDefV10Section::ExplicitNames(names) => {
            let mut theirs = t::ExplicitNames::default();
            for e in &names.entries {
                match e {
                    ExplicitNameEntry::Table(m) => theirs.insert_table(id(&m.source_name), id(&m.canonical_name)),
                    ExplicitNameEntry::Function(m) => theirs.insert_function(id(&m.source_name), id(&m.canonical_name)),
                    ExplicitNameEntry::Index(m) => theirs.insert_index(id(&m.source_name), id(&m.canonical_name)),
                }
            }
            S::ExplicitNames(theirs)
        }
        RawModuleDefV10Section::HttpHandlers(v) => {
            S::HttpHandlers(v.iter().map(|h| t::RawHttpHandlerDefV10 { source_name: id(&h.source_name) }).collect())
        }
        RawModuleDefV10Section::HttpRoutes(v) => S::HttpRoutes(
            v.iter()
                .map(|r| t::RawHttpRouteDefV10 {
                    handler_function: id(&r.handler_function),
                    method: match &r.method {
                        MethodOrAny::Any => t::MethodOrAny::Any,
                        MethodOrAny::Method(m) => t::MethodOrAny::Method(http_method(m)),
                    },
                    path: id(&r.path),
                })
                .collect(),
        ),
        RawModuleDefV10Section::ViewPrimaryKeys(v) => S::ViewPrimaryKeys(
            v.iter()
                .map(|k| t::RawViewPrimaryKeyDefV10 {
                    view_source_name: id(&k.view_source_name),
                    columns: k.columns.iter().map(|c| id(c)).collect(),
                })
                .collect(),
        ),
        RawModuleDefV10Section::Submodules(v) => S::Submodules(
            v.iter()
                .map(|m| t::RawSubmoduleV10 { namespace: m.namespace.clone(), module: their_module(&m.module) })
                .collect(),
        ),
    }
}

/// Their definition for ours, built with their types.
pub(crate) fn their_module(def: &RawModuleDefV10) -> t::RawModuleDefV10 {
    t::RawModuleDefV10 { sections: def.sections.iter().map(section).collect() }
}

/// Their bytes for `RawModuleDef::V10(def)`.
pub(crate) fn their_bytes(def: t::RawModuleDefV10) -> Vec<u8> {
    s::bsatn::to_vec(&spacetimedb_lib_2::RawModuleDef::V10(def)).expect("sats 2.8.3 encodes")
}
