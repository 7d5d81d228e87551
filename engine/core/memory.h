// Large arrays (a source's events, the timeline's order) are touched once, front to back, right
// after they are allocated. With transparent huge pages in "madvise" mode (Debian's default) they
// would fault in 4 KiB at a time: a page fault per 100 events, a large share of a run on a
// virtual machine. reserve_huge() allocates the room and asks for huge pages before the first
// touch; nothing changes where THP is off or the call is refused.
#pragma once
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include <sys/mman.h>

namespace hindcast {

inline void advise_huge_pages(const void* data, size_t bytes) {
#ifdef MADV_HUGEPAGE
  constexpr uintptr_t kPage = 4096;
  constexpr size_t kWorthIt = size_t{8} << 20;  // below this the faults do not matter
  if (bytes < kWorthIt) return;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kPage - 1) & ~(kPage - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kPage - 1);
  if (end > begin) (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

// v.reserve(n), with huge pages asked for the new room (call before the first touch).
template <class T, class A>
void reserve_huge(std::vector<T, A>& v, size_t n) {
  if (n <= v.capacity()) return;
  v.reserve(n);
  advise_huge_pages(v.data(), v.capacity() * sizeof(T));
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
