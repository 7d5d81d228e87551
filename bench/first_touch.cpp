// The floor a machine sets under a run: the time to touch fresh anonymous memory for the first
// time. hindcast's events must live somewhere (40 bytes each); on a virtual machine whose
// host backs guest pages lazily, or takes freed ones back, the first write to each page costs far
// more than the write (measured here: 0.35-1.3 GB/s, against tens of GB/s for the same pages once
// resident). bench/compare.sh runs this with the memory hindcast itself takes, beside wc -l.
//
//   hindcast-first-touch MB THREADS [huge|fault]   # prints the seconds of the first touch
//
// As hindcast touches it: each thread maps its slice in one call (populate_for_write,
// MADV_POPULATE_WRITE), then writes it. `fault` leaves the mapping to a page fault per 4 KiB
// (what hindcast did before the sixth session); `huge` asks for huge pages (MADV_HUGEPAGE), which
// hindcast asks for only past kHugeFrom (engine/core/memory.h says why).
#include <sys/mman.h>

#include "engine/core/memory.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  const std::string_view mode = argc == 4 ? argv[3] : "";
  const bool huge = mode == "huge", fault = mode == "fault";
  if ((argc != 3 && !huge && !fault) || std::atol(argv[1]) <= 0 || std::atoi(argv[2]) <= 0) {
    std::fprintf(stderr, "usage: hindcast-first-touch MB THREADS [huge|fault]\n");
    return 1;
  }
  const size_t bytes = static_cast<size_t>(std::atol(argv[1])) << 20;
  const size_t threads = static_cast<size_t>(std::atoi(argv[2]));
  void* map = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (map == MAP_FAILED) {
    std::perror("hindcast-first-touch: mmap");
    return 2;
  }
  auto* p = static_cast<volatile char*>(map);
#ifdef MADV_HUGEPAGE
  if (huge) (void)madvise(map, bytes, MADV_HUGEPAGE);
#endif
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t)
    pool.emplace_back([=] {
      if (!fault) hindcast::populate_for_write(static_cast<char*>(map) + bytes / threads * t, bytes / threads);
      for (size_t i = bytes / threads * t; i < bytes / threads * (t + 1); i += 4096) p[i] = 1;
    });
  for (std::thread& t : pool) t.join();
  std::printf("%.3f\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}
