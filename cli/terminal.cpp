#include "cli/terminal.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "engine/report/postmortem.h"
#include "engine/report/safe_text.h"

namespace hindcast::cli {
namespace {

bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v && *v;
}

bool dumb_terminal() {
  const char* t = std::getenv("TERM");
  return t && std::strcmp(t, "dumb") == 0;
}

constexpr uint64_t kBigInput = 100ull << 20;  // bytes: a bar from the start
constexpr auto kSlowRun = std::chrono::seconds(2);

std::string short_time(const ResolvedTime& t) { return format_rfc3339_utc(t.utc, 0).substr(11, 8) + "Z"; }

}  // namespace

bool use_color(const std::string& option) {
  if (option == "always") return true;
  if (option == "never") return false;
  return isatty(STDOUT_FILENO) && !env_set("NO_COLOR") && !dumb_terminal();
}

bool use_progress(const std::string& option, int verbosity) {
  if (option == "always") return true;
  if (option == "never") return false;
  return verbosity == 0 && isatty(STDERR_FILENO) && !env_set("CI") && !dumb_terminal();
}

std::string terminal_summary(const Report& r, bool color, const std::string& written_to) {
  auto paint = [&](const char* code, const std::string& s) { return color ? "\x1b[" + std::string(code) + "m" + s + "\x1b[0m" : s; };
  auto row = [&](const char* label, const std::string& value) { return "  " + paint("2", std::string(label)) + value + "\n"; };
  std::string out = paint("1", printable(r.postmortem.title)) + "\n";
  if (!r.incident) {
    out += row("result      ", paint("32", "no incident found") + (r.anomalies.empty() ? "" : "; " + std::to_string(r.anomalies.size()) + " anomalies to review"));
  } else {
    const IncidentReport& i = *r.incident;
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.1f%%", i.impact.failed_ratio * 100);
    out += row("incident    ", paint("31;1", short_time(i.start) + " → " + (i.end ? short_time(*i.end) : std::string("still failing"))) +
                                   (i.duration_s ? " (" + duration_text(*i.duration_s) + ")" : ""));
    out += row("impact      ", paint("31", std::to_string(i.impact.requests_failed) + " of " + std::to_string(i.impact.requests_total) +
                                               " requests failed") + " (" + ratio + "), " + std::to_string(i.impact.clients_affected) + " clients");
    if (r.root_cause) {
      char conf[16];
      std::snprintf(conf, sizeof conf, "%.2f", r.root_cause->confidence);
      out += row("root cause  ", paint("33;1", printable(r.root_cause->kind)) + " " + printable(r.root_cause->summary) + " (confidence " + conf + ")");
    }
    if (r.trigger)
      out += row("trigger     ", short_time(r.trigger->time) + "  " + printable(r.trigger->message.substr(0, 120)) + "  " +
                                     paint("2", printable(r.trigger->source) + ":" + std::to_string(r.trigger->line)));
    const DetectionReport& d = r.postmortem.detection;
    out += row("detected    ", d.first_alert ? short_time(*d.first_alert) + "  first alert, " +
                                                   (d.gap_s ? duration_text(std::abs(*d.gap_s)) + (*d.gap_s >= 0 ? " after" : " before") : std::string()) +
                                                   " the first failure"
                                             : paint("33", "no alert in the logs"));
    if (r.resolution)
      out += row("resolved    ", paint("32", short_time(r.resolution->time)) + "  " + printable(r.resolution->kind) + "  " +
                                     paint("2", printable(r.resolution->source) + ":" + std::to_string(r.resolution->line)));
    out += row("actions     ", std::to_string(r.postmortem.action_items.size()) + " items, owners to fill in");
  }
  if (!written_to.empty()) out += row("report      ", printable(written_to));
  return out;
}

ProgressBar::ProgressBar(RunProgress& progress)
    : progress_(progress), start_(std::chrono::steady_clock::now()), thread_([this] { run(); }) {}

ProgressBar::~ProgressBar() { stop(); }

void ProgressBar::stop() {
  if (!thread_.joinable()) return;
  stop_ = true;
  thread_.join();
  // A big input that went faster than the first tick still shows its bar once.
  if (!drawn_ && progress_.bytes_total.load() >= kBigInput) draw(std::chrono::steady_clock::now() - start_);
  if (drawn_) std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
}

void ProgressBar::draw(std::chrono::steady_clock::duration elapsed) {
  static constexpr const char* kStage[] = {"reading", "parsing", "resolving times", "merging", "analyzing", "writing", "done"};
  const uint64_t total = progress_.bytes_total.load(std::memory_order_relaxed);
  const uint64_t done = progress_.bytes_parsed.load(std::memory_order_relaxed);
  const int stage = std::clamp(progress_.stage.load(std::memory_order_relaxed), 0, 6);
  // Parsing is most of an ingest's time; writing an export is counted in events.
  const bool writing = stage == static_cast<int>(RunStage::kWriting) && progress_.events_total.load() > 0;
  const uint64_t events = progress_.events_total.load(std::memory_order_relaxed);
  const uint64_t written = progress_.events_written.load(std::memory_order_relaxed);
  const double frac = writing      ? static_cast<double>(written) / static_cast<double>(events)
                      : stage < 1  ? 0.0
                      : stage > 1  ? 1.0
                      : total      ? static_cast<double>(done) / static_cast<double>(total)
                                   : 0.0;
  constexpr int kWidth = 30;
  const int filled = std::clamp(static_cast<int>(frac * kWidth), 0, kWidth);
  char line[160];
  if (writing)
    std::snprintf(line, sizeof line, "\r\x1b[K[%.*s%.*s] %3d%% %-15s %llu/%llu events %4.0f s", filled, "==============================",
                  kWidth - filled, "                              ", static_cast<int>(frac * 100), kStage[stage],
                  static_cast<unsigned long long>(written), static_cast<unsigned long long>(events),
                  std::chrono::duration<double>(elapsed).count());
  else
    std::snprintf(line, sizeof line, "\r\x1b[K[%.*s%.*s] %3d%% %-15s %.0f/%.0f MB %4.0f s", filled, "==============================",
                  kWidth - filled, "                              ", static_cast<int>(frac * 100), kStage[stage],
                  static_cast<double>(done) / 1e6, static_cast<double>(total) / 1e6, std::chrono::duration<double>(elapsed).count());
  std::fputs(line, stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::run() {
  while (!stop_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (stop_) break;
    const auto elapsed = std::chrono::steady_clock::now() - start_;
    if (!drawn_ && progress_.bytes_total.load(std::memory_order_relaxed) < kBigInput && elapsed < kSlowRun) continue;
    draw(elapsed);
  }
}

}  // namespace hindcast::cli
