//! The event calendar, ordered by (time, insertion sequence), so events due at the same instant
//! run first-in first-out and every run is repeatable. It knows nothing of models.
//!
//! Three implementations share one API: [`WheelCalendar`] (a hierarchical timing wheel, the
//! default `Calendar`), [`RadixCalendar`] (a radix heap, cargo feature `radix-calendar`) and
//! [`HeapCalendar`] (a binary heap, feature `heap-calendar`). The wheel and the radix heap rely on
//! what a simulation guarantees anyway: nothing is scheduled before the last event popped. All
//! three pop the same events in the same order, so the choice changes speed and memory, never
//! results. Measured (docs/performance.md): on the default scenario the wheel runs 13% fewer
//! instructions than the radix heap; on a 100,000 orders/day run it also stops the radix heap's
//! bucket memory from growing with the horizon.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

use super::Time;

/// The calendar the kernel uses.
#[cfg(not(any(feature = "heap-calendar", feature = "radix-calendar")))]
pub type Calendar<E> = WheelCalendar<E>;
/// The calendar the kernel uses.
#[cfg(feature = "heap-calendar")]
pub type Calendar<E> = HeapCalendar<E>;
/// The calendar the kernel uses.
#[cfg(all(feature = "radix-calendar", not(feature = "heap-calendar")))]
pub type Calendar<E> = RadixCalendar<E>;

/// Buckets of the radix heap over 64-bit times: bucket b > 0 holds the events whose time's
/// highest bit differing from the reference time is bit b - 1 (events due at the reference time
/// itself wait in the FIFO `due` queue instead).
const BUCKETS: usize = 65;

/// One pending event of the radix heap: its time, its sequence number (for ties) and itself.
#[derive(Clone, Copy, Debug)]
struct Pending<E> {
    time: Time,
    seq: u64,
    event: E,
}

/// Future events in a radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, 1990) over due times, with
/// the events due at the earliest time in a FIFO queue ordered by insertion: pops follow
/// (time, insertion) order exactly. An event moves to a lower bucket only when the bucket it is
/// in holds the next earliest time, so a pop costs amortised O(log of the time span), and
/// events are never compared with each other except to order ties.
///
/// Monotone: an event pushed with a time before the last popped event's is taken as due then
/// (the kernel's clock never runs backwards anyway). Memory is reused: after the first growth of
/// each bucket, scheduling and popping allocate nothing.
#[derive(Debug)]
pub struct RadixCalendar<E> {
    /// Events due at `last`, in insertion order.
    due: VecDeque<(u64, E)>,
    /// The first `offered` events of `due` have been offered for prefetching.
    offered: usize,
    /// Bucket b (1..=64) holds the events whose time's highest bit differing from `last` is bit
    /// b - 1. Bucket 0 is unused (those events are in `due`).
    buckets: Vec<Vec<Pending<E>>>,
    /// Bit b - 1 set when bucket b holds events: finds the next one in one instruction.
    occupied: u64,
    /// The reference time: no pending event is due earlier.
    last: Time,
    /// Time of the last popped event: nothing is scheduled before it.
    now: Time,
    len: usize,
    next_seq: u64,
    /// Kept for the rare re-bucketing in `lower_reference`.
    scratch: Vec<Pending<E>>,
}

impl<E> Default for RadixCalendar<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> RadixCalendar<E> {
    /// An empty calendar.
    pub fn new() -> Self {
        Self {
            due: VecDeque::new(),
            offered: 0,
            buckets: (0..BUCKETS).map(|_| Vec::new()).collect(),
            occupied: 0,
            last: 0,
            now: 0,
            len: 0,
            next_seq: 0,
            scratch: Vec::new(),
        }
    }

    /// Files an event due after `last` in its bucket.
    #[inline]
    fn put(&mut self, p: Pending<E>) {
        debug_assert!(p.time > self.last);
        let b = (64 - (p.time ^ self.last).leading_zeros()) as usize;
        self.buckets[b].push(p);
        self.occupied |= 1 << (b - 1);
    }

    /// Schedules `event` at `time` (at the last popped event's time if `time` is earlier).
    #[inline]
    pub fn push(&mut self, time: Time, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let time = time.max(self.now);
        self.len += 1;
        if time < self.last {
            self.lower_reference(time);
        }
        if time == self.last {
            // Its sequence number is the newest, so it goes last among the events due then.
            self.due.push_back((seq, event));
        } else {
            self.put(Pending { time, seq, event });
        }
    }

    /// Removes and returns the earliest event, ties in insertion order.
    #[inline]
    pub fn pop(&mut self) -> Option<(Time, E)> {
        if self.due.is_empty() {
            if self.len == 0 {
                return None;
            }
            self.refill();
        }
        let (_, event) = self.due.pop_front()?;
        self.offered = self.offered.saturating_sub(1);
        self.len -= 1;
        self.now = self.last;
        Some((self.last, event))
    }

    /// The due time of the earliest event, if any. Takes `&mut self` because it may first move
    /// the earliest events to the front.
    #[inline]
    pub fn peek_time(&mut self) -> Option<Time> {
        if self.due.is_empty() {
            if self.len == 0 {
                return None;
            }
            self.refill();
        }
        Some(self.last)
    }

    /// Makes the earliest pending time the reference: takes the first occupied bucket, moves
    /// its earliest events to `due` (in insertion order) and spreads the rest over lower buckets.
    #[inline]
    fn refill(&mut self) {
        debug_assert!(self.due.is_empty() && self.occupied != 0);
        let b = self.occupied.trailing_zeros() as usize + 1;
        self.occupied &= !(1 << (b - 1));
        let mut entries = std::mem::take(&mut self.buckets[b]);
        // Invariant: an occupied bucket is not empty.
        self.last = entries.iter().map(|p| p.time).min().expect("bucket not empty");
        for p in entries.drain(..) {
            if p.time == self.last {
                self.due.push_back((p.seq, p.event));
            } else {
                self.put(p);
            }
        }
        // Keep the emptied bucket's memory for next time.
        self.buckets[b] = entries;
        if self.due.len() > 1 {
            // Ties came from different pushes and moves: put them back in insertion order.
            self.due.make_contiguous().sort_unstable_by_key(|e| e.0);
        }
    }

    /// Makes `time` (earlier than every pending event) the reference, re-bucketing everything.
    /// Happens only when an event is pushed after a peek moved later events to the front and
    /// before they were popped: the kernel does that only at a model's period boundary.
    #[cold]
    fn lower_reference(&mut self, time: Time) {
        let mut all = std::mem::take(&mut self.scratch);
        let last = self.last;
        all.extend(self.due.drain(..).map(|(seq, event)| Pending { time: last, seq, event }));
        for b in &mut self.buckets {
            all.append(b);
        }
        self.occupied = 0;
        self.last = time;
        for p in all.drain(..) {
            self.put(p);
        }
        self.scratch = all;
    }

    /// The events due at the earliest time not offered yet, up to `window` places from the
    /// front, each offered once. A hint for prefetching.
    #[inline]
    pub fn newly_upcoming(&mut self, window: usize) -> impl Iterator<Item = &E> {
        let end = window.min(self.due.len());
        let from = self.offered.min(end);
        self.offered = end;
        self.due.range(from..end).map(|(_, e)| e)
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Bits of an event's time (milliseconds) below its wheel slot: a level-0 slot spans 2^10 ms.
const SLOT_BITS: u32 = 10;
/// Bits of the slot index at each level: 256 slots a level.
const LEVEL_BITS: u32 = 8;
const SLOTS: usize = 1 << LEVEL_BITS;
/// Levels of the wheel: 1.024 s slots (span 4.4 min), 4.4 min slots (18.6 h), 18.6 h slots (199
/// days); events further out wait in an overflow list.
const LEVELS: usize = 3;
/// A drained vector with room for at most this many events is always kept for reuse (1.5 KB of
/// the model's events, a few hundred of them); a bigger one only while the spares hold less room
/// than there are events pending (or `SPARE_FLOOR`), so a burst (every order promised for the
/// same midnight) does not leave its memory behind: memory follows the events pending, not the
/// horizon.
const SMALL_ROOM: usize = 64;
/// Room (in events; 384 KB of the model's events) the spares may always hold, however few
/// events are pending.
const SPARE_FLOOR: usize = 16_384;

/// One pending event of the wheel: its time and itself, 24 bytes for the model's 16-byte events.
/// Its insertion order needs no sequence number: every slot's vector is kept in insertion order,
/// and a stable sort by time keeps it among the events due at the same time.
#[derive(Clone, Copy, Debug)]
struct Slotted<E> {
    time: Time,
    event: E,
}

/// Future events on a hierarchical timing wheel (Varghese and Lauck, 1987) over due times, three
/// levels of 256 slots with an overflow list beyond, and the earliest slot sorted: pops follow
/// (time, insertion) order exactly. An event is appended to the slot of the lowest level whose
/// span holds it, and moves down a level at most twice (when its slot's turn comes) before it is
/// sorted with the few others of its 1.024-second slot; scheduling and popping cost O(1)
/// amortised whatever the number pending, and slots are read and written front to back.
///
/// Every slot's vector stays in insertion order (a slot receives the events moved down from the
/// level above before any event scheduled straight into it), so an event's place in its slot's
/// vector is its insertion order among them, and a stable sort of the earliest slot by time
/// orders it by (time, insertion), finding ready-sorted runs; no sequence number is stored.
/// Memory follows the events pending: the vector of the level-0 slot just consumed takes the
/// place of the next one opened, unless it grew big (a burst); an emptied slot of a higher level
/// holds no memory. A vector not passed on waits in its level's spares for the next slot of that
/// level to fill (slots of a level hold alike numbers of events), a big one only while the
/// spares hold less room than there are events pending.
///
/// Monotone like [`RadixCalendar`]: an event pushed with a time before the last popped event's
/// is taken as due then. `active` holds every pending event due up to the end of slot `cur`: an
/// event pushed after a peek, due before that slot, joins it there (no re-filing).
#[derive(Debug)]
pub struct WheelCalendar<E> {
    /// Events of the current level-0 slot (and any pushed after a peek, due before it), sorted by
    /// (time, insertion), consumed from `head`.
    active: Vec<Slotted<E>>,
    head: usize,
    /// `active[..offered]` have been offered for prefetching.
    offered: usize,
    /// `levels[k][j]`: events whose level-0 slot number agrees with `cur` above digit k and has
    /// digit k equal to j (greater than `cur`'s), in insertion order.
    levels: [Vec<Vec<Slotted<E>>>; LEVELS],
    /// Bit j of `occupied[k]` (4 words of 64) is set when `levels[k][j]` holds events.
    occupied: [[u64; SLOTS / 64]; LEVELS],
    /// Events beyond the top level's span, in insertion order.
    overflow: Vec<Slotted<E>>,
    /// Level-0 slot number (time >> SLOT_BITS) of the events in `active`.
    cur: u64,
    /// Time of the last popped event: nothing is scheduled before it.
    now: Time,
    len: usize,
    /// Drained vectors of each level, for its slots that fill up again.
    spares: [Vec<Vec<Slotted<E>>>; LEVELS],
    /// Room of the vectors in `spares`, in events.
    spare_room: usize,
}

impl<E> Default for WheelCalendar<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> WheelCalendar<E> {
    /// An empty calendar.
    pub fn new() -> Self {
        Self {
            active: Vec::new(),
            head: 0,
            offered: 0,
            levels: std::array::from_fn(|_| (0..SLOTS).map(|_| Vec::new()).collect()),
            occupied: [[0; SLOTS / 64]; LEVELS],
            overflow: Vec::new(),
            cur: 0,
            now: 0,
            len: 0,
            spares: Default::default(),
            spare_room: 0,
        }
    }

    /// Schedules `event` at `time` (at the last popped event's time if `time` is earlier).
    #[inline]
    pub fn push(&mut self, time: Time, event: E) {
        let time = time.max(self.now);
        self.len += 1;
        let p = Slotted { time, event };
        if time >> SLOT_BITS > self.cur {
            self.file(p);
        } else {
            // Due in the slot being consumed, or before it (pushed after a peek moved a later
            // slot to the front, as the kernel does at a period boundary): after every pending
            // event due at or before it. Every event on the levels is due after `active`'s.
            let at = self.head + self.active[self.head..].partition_point(|q| q.time <= time);
            self.active.insert(at, p);
            if at < self.offered {
                self.offered += 1;
            }
        }
    }

    /// Files an event due in or after the current slot in the lowest level whose span holds it
    /// (one due in the current slot itself goes to level 0: only while a slot above moves down;
    /// otherwise such an event belongs in `active`).
    #[inline(always)]
    fn file(&mut self, p: Slotted<E>) {
        let slot = p.time >> SLOT_BITS;
        debug_assert!(slot >= self.cur);
        let differ = slot ^ self.cur;
        let level = if differ == 0 { 0 } else { ((63 - differ.leading_zeros()) / LEVEL_BITS) as usize };
        if level >= LEVELS {
            self.overflow.push(p);
            return;
        }
        let j = ((slot >> (LEVEL_BITS * level as u32)) as usize) & (SLOTS - 1);
        let v = &mut self.levels[level][j];
        if v.capacity() == 0
            && let Some(spare) = self.spares[level].pop()
        {
            self.spare_room -= spare.capacity();
            *v = spare;
        }
        v.push(p);
        self.occupied[level][j / 64] |= 1 << (j % 64);
    }

    /// Keeps a drained vector of `level` for reuse if it is small, or if the spares would still
    /// hold no more room than there are events pending (or `SPARE_FLOOR`); else frees it.
    fn recycle(&mut self, level: usize, mut v: Vec<Slotted<E>>) {
        let room = v.capacity();
        if room > 0 && (room <= SMALL_ROOM || self.spare_room + room <= self.len.max(SPARE_FLOOR)) {
            v.clear();
            self.spare_room += room;
            self.spares[level].push(v);
        }
    }

    /// Removes and returns the earliest event, ties in insertion order.
    #[inline]
    pub fn pop(&mut self) -> Option<(Time, E)>
    where
        E: Copy,
    {
        if self.head == self.active.len() && !self.advance() {
            return None;
        }
        let p = self.active[self.head];
        self.head += 1;
        self.len -= 1;
        self.now = p.time;
        Some((p.time, p.event))
    }

    /// The due time of the earliest event, if any. Takes `&mut self` because it may first move
    /// the next slot's events to the front.
    #[inline]
    pub fn peek_time(&mut self) -> Option<Time> {
        if self.head == self.active.len() && !self.advance() {
            return None;
        }
        Some(self.active[self.head].time)
    }

    /// The events due soon not offered yet: the current slot's, up to `window` places after the
    /// next one, each offered once (a slot's first ones together when it opens). A hint for
    /// prefetching: events pushed later may still come before them.
    #[inline]
    pub fn newly_upcoming(&mut self, window: usize) -> impl Iterator<Item = &E> {
        let end = (self.head + window).min(self.active.len());
        let from = self.offered.max(self.head).min(end);
        self.offered = end;
        self.active[from..end].iter().map(|p| &p.event)
    }

    /// Makes the next occupied slot the current one, moving events down the levels as their
    /// slots come up, and sorts it. Returns false when no event is pending.
    #[inline]
    fn advance(&mut self) -> bool {
        if self.len == 0 {
            return false;
        }
        let mut drained = std::mem::take(&mut self.active);
        drained.clear();
        if drained.capacity() > SMALL_ROOM {
            // A burst's vector: kept as a spare for the next slot to fill, or freed.
            self.recycle(0, std::mem::take(&mut drained));
        }
        self.head = 0;
        self.offered = 0;
        loop {
            // The lowest level with an occupied slot, its first one: every occupied slot lies
            // after the current one, so that is the earliest.
            let Some((level, j)) = (0..LEVELS).find_map(|k| first_set(&self.occupied[k]).map(|j| (k, j)))
            else {
                self.reload_overflow();
                continue;
            };
            self.occupied[level][j / 64] &= !(1 << (j % 64));
            // The slot's digit becomes the current slot number's, and the digits below restart at 0.
            let shift = LEVEL_BITS * level as u32;
            self.cur = (self.cur >> (shift + LEVEL_BITS) << (shift + LEVEL_BITS)) | ((j as u64) << shift);
            if level == 0 {
                // The drained vector takes the place of the slot opened (its next turn is soon).
                let mut slot = std::mem::replace(&mut self.levels[0][j], drained);
                if slot.len() > 1 {
                    // Stable: the vector is in insertion order, which breaks ties in time.
                    slot.sort_by_key(|p| p.time);
                }
                self.active = slot;
                return true;
            }
            // Down a level (or more), in insertion order.
            let mut slot = std::mem::take(&mut self.levels[level][j]);
            for p in slot.drain(..) {
                self.file(p);
            }
            self.recycle(level, slot);
        }
    }

    /// Every level is empty: makes the top-level span of the earliest overflow event current
    /// and files the events it holds.
    #[cold]
    fn reload_overflow(&mut self) {
        let top = LEVEL_BITS * LEVELS as u32;
        // Invariant: events are pending and the levels are empty, so the overflow holds them.
        let first =
            self.overflow.iter().map(|p| p.time >> SLOT_BITS).min().expect("overflow holds the events");
        self.cur = first >> top << top;
        for p in std::mem::take(&mut self.overflow) {
            self.file(p);
        }
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Index of the lowest set bit of a 256-bit set.
#[inline]
fn first_set(words: &[u64; SLOTS / 64]) -> Option<usize> {
    words.iter().enumerate().find(|(_, w)| **w != 0).map(|(i, w)| i * 64 + w.trailing_zeros() as usize)
}

/// One scheduled event with its due time and the sequence number that breaks ties.
#[derive(Clone, Copy, Debug)]
struct Entry<E> {
    time: Time,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed, so that the max-heap pops the earliest (time, seq) first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// Future events in a binary heap, popped in (time, insertion order); not monotone (any time
/// may be pushed). Memory is reused: after the first growth, scheduling and popping allocate
/// nothing.
#[derive(Debug)]
pub struct HeapCalendar<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
}

impl<E> Default for HeapCalendar<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> HeapCalendar<E> {
    /// An empty calendar.
    pub fn new() -> Self {
        Self { heap: BinaryHeap::with_capacity(1024), next_seq: 0 }
    }

    /// Schedules `event` at `time`.
    #[inline]
    pub fn push(&mut self, time: Time, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry { time, seq, event });
    }

    /// Removes and returns the earliest event, ties in insertion order.
    #[inline]
    pub fn pop(&mut self) -> Option<(Time, E)> {
        self.heap.pop().map(|e| (e.time, e.event))
    }

    /// The due time of the earliest event, if any (`&mut self` to share the radix heap's API).
    #[inline]
    pub fn peek_time(&mut self) -> Option<Time> {
        self.heap.peek().map(|e| e.time)
    }

    /// The events due soon not offered yet, for prefetching: the heap does not know cheaply, so
    /// none.
    #[inline]
    pub fn newly_upcoming(&mut self, _window: usize) -> impl Iterator<Item = &E> {
        std::iter::empty()
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same checks for both calendars.
    macro_rules! calendar_tests {
        ($module:ident, $cal:ident) => {
            mod $module {
                use super::*;

                #[test]
                fn pops_in_time_order_and_ties_first_in_first_out() {
                    let mut c = $cal::new();
                    c.push(5, 'a');
                    c.push(3, 'b');
                    c.push(5, 'c');
                    c.push(3, 'd');
                    c.push(0, 'e');
                    let order: Vec<char> = std::iter::from_fn(|| c.pop().map(|(_, e)| e)).collect();
                    assert_eq!(order, vec!['e', 'b', 'd', 'a', 'c']);
                }

                #[test]
                fn many_simultaneous_events_keep_insertion_order() {
                    let mut c = $cal::new();
                    for i in 0..10_000u32 {
                        c.push(7, i);
                    }
                    for i in 0..10_000u32 {
                        assert_eq!(c.peek_time(), Some(7));
                        assert_eq!(c.pop(), Some((7, i)));
                    }
                    assert!(c.is_empty());
                    assert_eq!(c.pop(), None);
                    assert_eq!(c.peek_time(), None);
                }
            }
        };
    }

    calendar_tests!(radix, RadixCalendar);
    calendar_tests!(wheel, WheelCalendar);
    calendar_tests!(heap, HeapCalendar);

    /// SplitMix64: a tiny deterministic generator for the randomized test.
    fn next(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Oracle: the binary heap, ordered by (time, seq) by construction. The mix imitates a
    /// simulation: pushes never before the last pop, many ties, delays from 0 to a year (past the
    /// wheel's top level), bursts at one instant, and the calendar emptying now and then.
    macro_rules! pops_like_the_binary_heap {
        ($name:ident, $cal:ident) => {
            #[test]
            fn $name() {
                let (mut cal, mut heap) = ($cal::new(), HeapCalendar::new());
                let mut rng = 42u64;
                let mut now: Time = 0;
                for i in 0..300_000u32 {
                    let r = next(&mut rng);
                    if r.is_multiple_of(11) {
                        // A peek between pushes (the kernel does this only at a period boundary).
                        assert_eq!(cal.peek_time(), heap.peek_time());
                    } else if r % 5 < 3 || heap.is_empty() {
                        let delay = match r % 9 {
                            0 => 0,
                            1 => r >> 60,
                            2 => (r >> 20) % 1_000,
                            3 => (r >> 20) % 3_600_000,
                            4 => (r >> 20) % 31_536_000_000,
                            5 if r % 1_000 == 5 => {
                                // A burst: many events due at one instant.
                                for _ in 0..2_000 {
                                    cal.push(now + 86_400_000, i);
                                    heap.push(now + 86_400_000, i);
                                }
                                0
                            }
                            _ => (r >> 20) % 200_000_000,
                        };
                        cal.push(now + delay, i);
                        heap.push(now + delay, i);
                    } else {
                        assert_eq!(cal.peek_time(), heap.peek_time());
                        let popped = heap.pop();
                        assert_eq!(cal.pop(), popped);
                        now = popped.expect("not empty").0;
                    }
                    assert_eq!(cal.len(), heap.len());
                }
                while let Some(p) = heap.pop() {
                    assert_eq!(cal.pop(), Some(p));
                }
                assert!(cal.is_empty());
                assert_eq!(cal.pop(), None);
            }
        };
    }

    pops_like_the_binary_heap!(radix_calendar_pops_exactly_like_the_binary_heap, RadixCalendar);
    pops_like_the_binary_heap!(wheel_calendar_pops_exactly_like_the_binary_heap, WheelCalendar);

    #[test]
    fn a_wheel_entry_of_a_16_byte_event_takes_24_bytes() {
        assert_eq!(std::mem::size_of::<Slotted<[u32; 4]>>(), 24);
    }

    #[test]
    fn wheel_calendar_frees_a_burst_once_it_is_over() {
        let mut c = WheelCalendar::new();
        for i in 0..100_000u32 {
            c.push(86_400_000, i);
        }
        for i in 0..100_000u32 {
            assert_eq!(c.pop(), Some((86_400_000, i)));
        }
        c.push(86_500_000, 0);
        assert_eq!(c.pop(), Some((86_500_000, 0)));
        let kept: usize = c.levels.iter().flatten().map(Vec::capacity).sum::<usize>() + c.active.capacity();
        let spares: usize = c.spares.iter().flatten().map(Vec::capacity).sum();
        assert!(kept + spares <= 4 * SMALL_ROOM, "{kept} + {spares} events of room kept after the burst");
    }

    /// What the monotone calendars (wheel and radix heap) promise beyond the binary heap: an
    /// event may come before the one a peek moved to the front, and a time in the past is taken
    /// as the last popped event's.
    macro_rules! monotone_calendar_tests {
        ($module:ident, $cal:ident) => {
            mod $module {
                use super::*;

                #[test]
                fn accepts_an_event_earlier_than_the_peeked_one() {
                    let mut c = $cal::new();
                    c.push(10, 'a');
                    assert_eq!(c.pop(), Some((10, 'a')));
                    c.push(10_000_000, 'b');
                    c.push(9_000_000, 'c');
                    assert_eq!(c.peek_time(), Some(9_000_000));
                    c.push(20, 'd');
                    c.push(20, 'e');
                    c.push(40_000_000_000, 'f');
                    assert_eq!(c.peek_time(), Some(20));
                    let order: Vec<char> = std::iter::from_fn(|| c.pop().map(|(_, e)| e)).collect();
                    assert_eq!(order, vec!['d', 'e', 'c', 'b', 'f']);
                }

                #[test]
                fn takes_a_time_in_the_past_as_the_last_popped_time() {
                    let mut c = $cal::new();
                    c.push(10, 'a');
                    c.push(5_000, 'b');
                    assert_eq!(c.pop(), Some((10, 'a')));
                    c.push(5, 'c');
                    assert_eq!(c.pop(), Some((10, 'c')));
                    assert_eq!(c.pop(), Some((5_000, 'b')));
                }
            }
        };
    }

    monotone_calendar_tests!(radix_monotone, RadixCalendar);
    monotone_calendar_tests!(wheel_monotone, WheelCalendar);
}
