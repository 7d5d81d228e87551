// How far a long run has got, for a progress bar. The ingest updates it from its worker
// threads (relaxed atomics: a display, not a synchronisation); the CLI reads it from its own.
#pragma once
#include <atomic>
#include <cstdint>

namespace hindcast {

enum class RunStage : int { kReading, kParsing, kResolving, kMerging, kAnalyzing, kWriting, kDone };

struct RunProgress {
  std::atomic<uint64_t> bytes_total{0};   // bytes to parse (known once the files are read)
  std::atomic<uint64_t> bytes_parsed{0};
  std::atomic<uint64_t> events_total{0};   // writing an export: events to write, and written
  std::atomic<uint64_t> events_written{0};
  std::atomic<int> stage{static_cast<int>(RunStage::kReading)};

  void set_stage(RunStage s) { stage.store(static_cast<int>(s), std::memory_order_relaxed); }
};

}  // namespace hindcast
