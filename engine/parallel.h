// The threads a run works with. One Executor is made where a run starts (the CLI, from
// --threads; 0: one per core) and passed down to every pass that works in parallel: the ingest's
// read, parse and assembly, the resolver, the sort and merge of the timeline, the analysis. The
// count is resolved once, there, and nowhere below.
//
//   const Executor executor(threads);   // once, where the run starts (0: one per core)
//   executor.parallel_for(files.size(), [&](size_t i) { ... });
//
// parallel_for runs `fn(i)` for i in [0, n) on up to threads() threads, work handed out one index
// at a time so uneven tasks balance. It runs inline for one thread or one task, so the
// single-threaded path has no thread at all. An exception thrown by `fn` (std::bad_alloc on a
// huge input, a bug) stops the hand-out of further indices and is rethrown to the caller once
// every worker has finished: the same as the single-threaded loop, never std::terminate from a
// worker thread. An Executor holds no thread between calls; it is a small value, copyable, and
// const calls from several threads are safe.
#pragma once
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hindcast {

class Executor {
 public:
  explicit Executor(unsigned threads = 0) : threads_(threads ? threads : hardware_threads()) {}
  // One thread: what a caller with nothing to share uses (a test, a fuzzer, one small file).
  static const Executor& serial() {
    static const Executor one(1);
    return one;
  }

  unsigned threads() const { return threads_; }

  void parallel_for(size_t n, const std::function<void(size_t)>& fn) const {
    if (threads_ <= 1 || n <= 1) {
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
    const size_t extra = std::min<size_t>(threads_, n) - 1;
    pool.reserve(extra);
    for (size_t t = 0; t < extra; ++t) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
    if (failure) std::rethrow_exception(failure);
  }

 private:
  static unsigned hardware_threads() {
    const unsigned hw = std::thread::hardware_concurrency();
    return hw ? hw : 1;
  }

  unsigned threads_;
};

}  // namespace hindcast
