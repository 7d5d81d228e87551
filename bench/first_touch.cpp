// The floor a machine sets under a run: the time to touch fresh anonymous memory for the first
// time. hindcast's events must live somewhere (48 bytes each at most); on a virtual machine whose
// host backs guest pages lazily, or takes freed ones back, the first write to each page costs far
// more than the write (measured here: 0.35-1.3 GB/s, against tens of GB/s for the same pages once
// resident). bench/compare.sh runs this with the memory hindcast itself takes, beside wc -l.
//
//   hindcast-first-touch MB THREADS [huge]   # prints the seconds of the first touch
//
// hindcast asks for no huge pages (engine/core/memory.h says why); `huge` asks for them
// (MADV_HUGEPAGE), to see what they cost on the machine.
#include <sys/mman.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  const bool huge = argc == 4 && std::string_view(argv[3]) == "huge";
  if ((argc != 3 && !huge) || std::atol(argv[1]) <= 0 || std::atoi(argv[2]) <= 0) {
    std::fprintf(stderr, "usage: hindcast-first-touch MB THREADS [huge]\n");
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
      for (size_t i = bytes / threads * t; i < bytes / threads * (t + 1); i += 4096) p[i] = 1;
    });
  for (std::thread& t : pool) t.join();
  std::printf("%.3f\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}
