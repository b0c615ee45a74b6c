//! Big tables in huge pages. A simulation's big tables (order slots, a customer base of millions)
//! are read at random, about one entry an event. In 4 KiB pages nearly each such read also misses
//! the TLB, and the page walk (two levels of tables under a hypervisor) costs about as much as
//! the read itself. Linux backs a region with 2 MiB pages when asked (`madvise(MADV_HUGEPAGE)`,
//! honoured when transparent huge pages are set to `madvise` or `always`, the usual settings),
//! and since Linux 6.1 moves the pages already there into huge pages at once (`MADV_COLLAPSE`).
//!
//! These helpers grow a `Vec` the way `Vec` does (doubling; a big allocation has a mapping of its
//! own and grows by `mremap`, without copying) and then advise its room. The advice covers whole
//! base pages around the room, so that a mapping of its own is advised whole: advising only its
//! aligned middle would split it, and `mremap` cannot grow a split mapping (the allocator would
//! copy instead, holding both copies at once). A hint only: it changes no value, costs one or two
//! system calls a doubling, and where it is refused or not offered nothing changes. Memory: each
//! advised table may hold up to one huge page more than it uses, at its end.

/// Tables smaller than this are left alone: 4 KiB pages reach far enough for them.
#[cfg(target_os = "linux")]
const MIN_BYTES: usize = 4 << 20;

/// The size and alignment of a huge page on x86-64 and aarch64 (a multiple of every base page).
#[cfg(target_os = "linux")]
const HUGE_PAGE: usize = 2 << 20;

/// `madvise` advice: collapse the pages of a range into huge pages now (Linux 6.1; earlier
/// kernels refuse it, which changes nothing).
#[cfg(target_os = "linux")]
const MADV_COLLAPSE: libc::c_int = 25;

/// An empty vector with room for `n` values, in huge pages if it is big.
pub fn with_capacity<T>(n: usize) -> Vec<T> {
    let v = Vec::with_capacity(n);
    advise(&v);
    v
}

/// Appends `x` like `Vec::push`, advising the room when it grows.
#[inline]
pub fn push<T>(v: &mut Vec<T>, x: T) {
    if v.len() == v.capacity() {
        grow(v, v.len() + 1);
    }
    v.push(x);
}

/// Resizes `v` to `len` values like `Vec::resize_with`, advising the room when it grows.
#[inline]
pub fn resize_with<T>(v: &mut Vec<T>, len: usize, f: impl FnMut() -> T) {
    if len > v.capacity() {
        grow(v, len);
    }
    v.resize_with(len, f);
}

/// Makes room for at least `needed` values (as `Vec` grows), then advises it.
#[cold]
fn grow<T>(v: &mut Vec<T>, needed: usize) {
    v.reserve(needed - v.len());
    advise(v);
}

/// Asks the kernel to back the huge pages inside `v`'s room with huge pages: those its values
/// already fill at once, the rest as they fill.
fn advise<T>(v: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        let room = v.capacity().saturating_mul(size_of::<T>());
        if room < MIN_BYTES {
            return;
        }
        // SAFETY: sysconf reads a constant of the system.
        let page = match unsafe { libc::sysconf(libc::_SC_PAGESIZE) } {
            p if p > 0 => p as usize,
            _ => return,
        };
        let start = v.as_ptr() as usize;
        let from = start / page * page;
        let to = (start + room).next_multiple_of(page);
        let filled = (start + v.len() * size_of::<T>()) / HUGE_PAGE * HUGE_PAGE;
        let at = from as *mut libc::c_void;
        // SAFETY: the ranges are the base pages holding the vector's room, all mapped (the
        // allocation lies in them), and the advice changes only how the kernel backs pages,
        // never what they hold, so memory around the room in the same pages is left as it was.
        // A refusal (an old kernel, huge pages off) changes nothing: the results are ignored.
        unsafe {
            libc::madvise(at, to - from, libc::MADV_HUGEPAGE);
            if filled > from {
                libc::madvise(at, filled - from, MADV_COLLAPSE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = v;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growing_big_tables_keeps_every_value_in_order() {
        let mut v = Vec::new();
        for i in 0..6_000_000u32 {
            push(&mut v, i);
        }
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as u32));
        resize_with(&mut v, 9_000_000, || 7);
        assert_eq!(v.len(), 9_000_000);
        assert_eq!((v[5_999_999], v[6_000_000], v[8_999_999]), (5_999_999, 7, 7));
        let mut w: Vec<u64> = with_capacity(3 << 20);
        assert!(w.capacity() >= 3 << 20 && w.is_empty());
        w.extend(0..3 << 20);
        assert_eq!(w.iter().sum::<u64>(), (3u64 << 20) * ((3u64 << 20) - 1) / 2);
    }
}
