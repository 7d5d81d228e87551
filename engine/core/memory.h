// Large arrays (a source's events, the timeline's order) are written once, front to back, into
// fresh memory right after they are allocated, and on a virtual machine whose host backs guest
// pages lazily the first touch of fresh memory is most of what a run costs beyond parsing. Two
// rules keep it cheap (the measurements behind them: docs/performance.md, "Fresh memory"):
//   - Small pages, but for arrays of gigabytes. A transparent huge page costs one fault per
//     2 MiB instead of 512, but a host backs a fresh huge page far more slowly than small pages
//     it already holds (bench/first_touch.cpp measures both). Only an array past kHugeFrom asks
//     for them (advise_huge_pages_if_large below says why).
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
// the header above warns of.
template <class T>
inline void write_fresh(T* slot, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
#if defined(__GNUC__)
  asm volatile("" : : "r"(&value) : "memory");  // `value` is in memory now, and not yet in *slot
#endif
  std::memcpy(static_cast<void*>(slot), &value, sizeof(T));
}

// Huge pages for an array of kHugeFrom bytes or more, asked for before its first touch (where THP
// is off or the call is refused, nothing changes). A first touch has two regimes: up to a few
// hundred MB the kernel hands out small pages the host already backs, quickly, and a huge page (a
// whole 2 MiB block, which the guest had given back to the host) is the slow one; for arrays of
// gigabytes both reach the host, and then the fault per 4 KiB is what costs. The threshold lies
// between the two (docs/performance.md, "Fresh memory").
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
// writes reach them: on a VM a fault's entry and exit, not the clearing of the page, are most of
// a first touch (docs/performance.md, "Fresh memory"). Where the kernel refuses (older kernels: EINVAL), the writes fault as before. Pages already
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
// that clearing is slow enough to be a large part of a run). Whoever sizes such an array writes every element before reading it.
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
