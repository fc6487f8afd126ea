//! The native stand-in for the wasm host: a per-thread [`Host`] that the `raw` functions
//! dispatch to, so module code can be unit-tested with `cargo test`.
//!
//! Each thread has its own slot, so parallel tests never see each other's hosts. While a host
//! method runs, the host is taken out of its slot; a host that calls back into `raw`
//! (re-entrancy) therefore gets a clear panic instead of a double borrow.

use std::any::Any;
use std::cell::{Cell, RefCell};

use worldtube_abi::{Host, Memory, Trap};

/// A host stored in the slot: any `Host + 'static`, kept downcastable so it can be handed back.
trait InstalledHost: Host + Any {
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn as_host(&mut self) -> &mut dyn Host;
}

impl<H: Host + Any> InstalledHost for H {
    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn as_host(&mut self) -> &mut dyn Host {
        self
    }
}

thread_local! {
    static SLOT: RefCell<Option<Box<dyn InstalledHost>>> = const { RefCell::new(None) };
    static IN_CALL: Cell<Option<&'static str>> = const { Cell::new(None) };
}

fn assert_not_in_call(action: &str) {
    if let Some(import) = IN_CALL.with(Cell::get) {
        panic!("worldtube-sys: {action} while the host is handling `{import}`");
    }
}

/// Installs `host` as this thread's host, dropping the previous one.
pub fn set_host<H: Host + 'static>(host: H) {
    assert_not_in_call("set_host was called");
    SLOT.with(|slot| *slot.borrow_mut() = Some(Box::new(host)));
}

/// Removes this thread's host and returns it, if one is installed and it is an `H`. A host of
/// another type stays installed.
pub fn take_host<H: Host + 'static>() -> Option<H> {
    assert_not_in_call("take_host was called");
    SLOT.with(|slot| {
        let mut slot = slot.borrow_mut();
        if !slot.as_mut()?.as_any_mut().is::<H>() {
            return None;
        }
        let host = slot.take()?.into_any().downcast::<H>().ok()?;
        Some(*host)
    })
}

/// Removes (and drops) this thread's host, if any.
pub fn clear_host() {
    assert_not_in_call("clear_host was called");
    SLOT.with(|slot| slot.borrow_mut().take());
}

/// Whether this thread has a host installed that can take a call now: `false` while the host is
/// busy handling a call (so a panic hook or logger never re-enters it). Never panics.
pub fn has_host() -> bool {
    IN_CALL.with(Cell::get).is_none() && SLOT.with(|slot| slot.try_borrow().map(|s| s.is_some()).unwrap_or(false))
}

/// Runs `f` with mutable access to the installed host, if it is an `H` (e.g. to inspect a test
/// double's state between calls). Returns `None` otherwise.
pub fn with_installed_host<H: Host + 'static, R>(f: impl FnOnce(&mut H) -> R) -> Option<R> {
    assert_not_in_call("with_installed_host was called");
    SLOT.with(|slot| {
        let mut slot = slot.borrow_mut();
        let host = slot.as_mut()?.as_any_mut().downcast_mut::<H>()?;
        Some(f(host))
    })
}

/// Installs `host` for the duration of `f`, then hands it back together with `f`'s result.
/// Whatever host was installed before is restored afterwards, even if `f` panics.
///
/// A host may call this while it handles a call, to run another module call meanwhile (as a
/// server runs a scheduled reducer while a procedure sleeps): `host` serves the calls `f`
/// makes, and the handling of the outer call goes on when `f` returns.
pub fn with_host<H: Host + 'static, R>(host: H, f: impl FnOnce() -> R) -> (R, H) {
    /// What `with_host` changed, put back when it ends (by return or panic).
    struct Restore {
        slot: Option<Option<Box<dyn InstalledHost>>>,
        in_call: Option<&'static str>,
    }
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(previous) = self.slot.take() {
                let _ = SLOT.try_with(|slot| *slot.borrow_mut() = previous);
            }
            let _ = IN_CALL.try_with(|flag| flag.set(self.in_call));
        }
    }

    // Inside a host call the outer host is out of the slot (its call holds it), so the slot is
    // free for this one; the marker of the outer call is set aside until `f` is done.
    let in_call = IN_CALL.with(|flag| flag.replace(None));
    let previous = SLOT.with(|slot| slot.borrow_mut().replace(Box::new(host)));
    let _restore = Restore { slot: Some(previous), in_call };
    let result = f();
    let host = take_host::<H>()
        .expect("worldtube-sys: the host installed by with_host was removed or replaced inside the closure");
    (result, host)
}

/// Puts the host back into the slot when the call ends, including by panic (a trap).
struct CallGuard(Option<Box<dyn InstalledHost>>);

impl Drop for CallGuard {
    fn drop(&mut self) {
        let _ = IN_CALL.try_with(|flag| flag.set(None));
        if let Some(host) = self.0.take() {
            let _ = SLOT.try_with(|slot| *slot.borrow_mut() = Some(host));
        }
    }
}

/// Runs one raw call against the installed host. Used by every native `raw` function.
pub(crate) fn dispatch<R>(
    import: &'static str,
    call: impl FnOnce(&mut NativeMemory, &mut dyn Host) -> Result<R, Trap>,
) -> R {
    if let Some(outer) = IN_CALL.with(Cell::get) {
        panic!("worldtube-sys: re-entrant host call: `{import}` was called while the host was handling `{outer}`");
    }
    let Some(host) = SLOT.with(|slot| slot.borrow_mut().take()) else {
        panic!(
            "worldtube-sys: `{import}` was called natively, but no Host is installed on this thread. \
             Install one first with `worldtube_sys::set_host(host)` or `worldtube_sys::with_host(host, || ...)`."
        );
    };
    IN_CALL.with(|flag| flag.set(Some(import)));
    let mut guard = CallGuard(Some(host));
    let host = guard.0.as_mut().expect("the guard holds the host until it drops").as_host();
    match call(&mut NativeMemory, host) {
        Ok(value) => value,
        Err(trap) => panic!("worldtube-sys: wasm trap in `{import}`: {}", trap.message()),
    }
}

/// Process memory: pointers are real addresses, length cells are native `usize`s.
pub(crate) struct NativeMemory;

// The length cells and out-values are decoded little-endian, as on wasm32; a big-endian
// process would need byte swapping that nobody has asked for.
#[cfg(target_endian = "big")]
compile_error!("worldtube-sys's native stand-in assumes a little-endian target");

impl Memory for NativeMemory {
    type Word = usize;

    fn read(&self, ptr: usize, len: usize) -> Result<&[u8], Trap> {
        // SAFETY: the `raw` functions are `unsafe` and require every pointer to be valid for
        // its length; the glue has already rejected NULL.
        Ok(unsafe { std::slice::from_raw_parts(ptr as *const u8, len) })
    }

    fn read_mut(&mut self, ptr: usize, len: usize) -> Result<&mut [u8], Trap> {
        // SAFETY: as above; the caller hands the buffer over to the host for this call.
        Ok(unsafe { std::slice::from_raw_parts_mut(ptr as *mut u8, len) })
    }
}
