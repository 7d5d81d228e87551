// A minimal parallel loop: `fn(i)` for i in [0, n) on up to `threads` threads (0: one per core),
// work handed out one index at a time so uneven tasks balance. Runs inline for one thread or
// one task, so the single-threaded path has no thread at all.
//
// An exception thrown by `fn` (std::bad_alloc on a huge input, a bug) stops the hand-out of
// further indices and is rethrown to the caller once every worker has finished: the same as
// the single-threaded loop, never std::terminate from a worker thread.
#pragma once
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hindcast {

inline unsigned resolve_thread_count(unsigned requested) {
  if (requested) return requested;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw ? hw : 1;
}

inline void parallel_for(size_t n, unsigned threads, const std::function<void(size_t)>& fn) {
  threads = resolve_thread_count(threads);
  if (threads <= 1 || n <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto worker = [&]() noexcept {
    for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
      try {
        fn(i);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next.store(n);  // hand out nothing more
        return;
      }
    }
  };
  std::vector<std::thread> pool;
  const size_t extra = std::min<size_t>(threads, n) - 1;
  pool.reserve(extra);
  for (size_t t = 0; t < extra; ++t) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace hindcast
