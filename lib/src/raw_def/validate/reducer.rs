//! Reducer rules: names, parameters, lifecycle events.

use super::{ValidationErrorKind as Kind, Validator};
use crate::raw_def::Lifecycle;

impl Validator<'_> {
    /// Checks the reducers; returns the reducer ids of the lifecycle reducers, in
    /// [`Lifecycle::ALL`] order.
    pub(super) fn reducers(&mut self) -> [Option<usize>; 3] {
        let def = self.def;
        let mut lifecycle: [Option<usize>; 3] = [None; 3];
        for (id, reducer) in def.reducers.iter().enumerate() {
            let r = &*reducer.name;
            self.check_identifier(r, || format!("reducer `{r}`"));
            if def.reducers[..id].iter().any(|earlier| earlier.name == reducer.name) {
                self.error(
                    Kind::DuplicateReducer,
                    format!("reducer `{r}` is defined more than once; reducer names must be unique"),
                );
            }
            for (i, param) in reducer.params.elements.iter().enumerate() {
                let location = match param.name.as_deref() {
                    Some(name) => {
                        self.check_identifier(name, || format!("reducer `{r}`: parameter {i}"));
                        format!("reducer `{r}`: parameter `{name}`")
                    }
                    None => {
                        self.error(
                            Kind::Unnamed,
                            format!(
                                "reducer `{r}`: parameter {i} has no name; every reducer parameter needs a name \
                                 (patterns such as `(a, b): (u32, u32)` are not allowed)"
                            ),
                        );
                        format!("reducer `{r}`: parameter {i}")
                    }
                };
                self.uses.check(&param.algebraic_type, &|| location.clone(), &mut self.errors);
            }
            if let Some(event) = reducer.lifecycle {
                let slot = &mut lifecycle[event as usize];
                match *slot {
                    Some(first) => {
                        let first = &def.reducers[first].name;
                        let message = format!(
                            "reducer `{r}`: reducers `{first}` and `{r}` are both the `{}` reducer; a module may have \
                             at most one reducer per lifecycle event",
                            event.attribute_name()
                        );
                        self.error(Kind::DuplicateLifecycle, message);
                    }
                    None => *slot = Some(id),
                }
            }
        }
        debug_assert_eq!(Lifecycle::ALL.map(|l| l as usize), [0, 1, 2]);
        lifecycle
    }
}
