// Large arrays (a source's events, the timeline's order) are written once, front to back, into
// fresh memory right after they are allocated, and on this project's VM the first touch of fresh
// memory is most of what a run costs beyond parsing. Two rules keep it cheap, both measured
// (docs/performance.md, fifth session):
//   - Small pages, but for arrays of gigabytes. Transparent huge pages (asked for every large
//     array until the fifth session) cost a fault per 2 MiB instead of per 4 KiB, but the host
//     backs a fresh huge page far more slowly: touching 268 MB took 0.29-0.39 s on 2 threads with
//     huge pages and 0.05-0.12 s without (bench/first_touch.cpp). Only an array past kHugeFrom
//     asks for them (advise_huge_pages_if_large below says why).
//   - The first access to a fresh page is a write (write_fresh below). A read first maps the
//     shared zero page; the write after it faults again and, to replace that mapping, flushes the
//     TLB of every core the process runs on (an IPI each time).
#pragma once
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include <sys/mman.h>

namespace hindcast {

// *slot = value, with stores only. The compiler may otherwise build `value` in place in *slot, and
// a bit-field's assignment there reads the word it sits in first: on fresh memory, the read that
// the header above warns of (with small pages: 19 % of a `count` run's samples, in TLB-flush IPIs).
template <class T>
inline void write_fresh(T* slot, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
#if defined(__GNUC__)
  asm volatile("" : : "r"(&value) : "memory");  // `value` is in memory now, and not yet in *slot
#endif
  std::memcpy(static_cast<void*>(slot), &value, sizeof(T));
}

// Huge pages for an array of kHugeFrom bytes or more, asked for before its first touch (where THP
// is off or the call is refused, nothing changes). Measured on this project's VM, the first touch
// is two regimes: up to a few hundred MB the kernel hands out small pages the host already backs,
// quickly, and a huge page (a whole 2 MiB block, which the guest had given back to the host) is
// the slow one; for arrays of gigabytes both reach the host, and then the fault per 4 KiB is what
// costs: the 5.4 GB set's `count` took 5.2-6.3 s in small pages, 4.7-5.3 s with the arrays of
// 128 MiB or more in huge pages (system time 4.4-5.4 s against 3.6-4.4 s; three runs each,
// alternated). The 734 MB set's largest array is 97 MB.
constexpr size_t kHugeFrom = size_t{128} << 20;
inline void advise_huge_pages_if_large(const void* data, size_t bytes) {
#ifdef MADV_HUGEPAGE
  constexpr uintptr_t kPage = 4096;
  if (bytes < kHugeFrom) return;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kPage - 1) & ~(kPage - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kPage - 1);
  if (end > begin) (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

// Maps the whole pages of [data, data + bytes) for writing in one call (MADV_POPULATE_WRITE,
// Linux 5.14), on the thread that will write them, instead of a page fault per 4 KiB as the
// writes reach them. On this project's VM the fault's entry and exit, not the clearing of the
// page, were most of a first touch: 224 MB took 0.30-0.33 s on 2 threads by writes and
// 0.14-0.15 s populated (1 thread: 0.52 against 0.25 s; docs/performance.md, sixth session).
// Where the kernel refuses (older kernels: EINVAL), the writes fault as before. Pages already
// mapped are left as they are, so slices that share a page may both ask.
inline void populate_for_write(void* data, size_t bytes) {
  constexpr uintptr_t kPage = 4096;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kPage - 1) & ~(kPage - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kPage - 1);
#ifdef MADV_POPULATE_WRITE
  if (end > begin) (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#endif
}

// An allocator whose resize() leaves new elements unwritten: no constructor runs (an element type
// must be trivially copyable and destructible, an implicit-lifetime type, whose objects the
// allocation itself creates). An array that worker threads fill is then first touched by them, so
// the kernel clears its fresh pages on every core, not all on the thread that sized it (on a VM
// that clearing runs at about 1 GB/s: tens of milliseconds for a timeline's order, a third of a
// run for a source's events). Whoever sizes such an array writes every element before reading it.
template <class T>
struct UninitializedAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <class U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  template <class U>
  void construct(U*) noexcept {
    static_assert(std::is_trivially_copyable_v<U> && std::is_trivially_destructible_v<U>,
                  "only an implicit-lifetime type may be left unwritten");
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
// A vector for arrays sized first and filled in parallel afterwards (see UninitializedAllocator).
template <class T>
using FillVector = std::vector<T, UninitializedAllocator<T>>;

}  // namespace hindcast
