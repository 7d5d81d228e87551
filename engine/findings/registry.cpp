// Every detector, by stage. Adding one: write its file (a Detector subclass and the accessor
// below), add one line here.
#include "engine/findings/analysis.h"

namespace hindcast {

const Detector& http_failure_detector();
const Detector& monitor_check_detector();
const Detector& crash_symptom_detector();
const Detector& latency_detector();
const Detector& request_gap_detector();
const Detector& error_burst_detector();
const Detector& message_cause_detector();
const Detector& syscall_failure_detector();
const Detector& crash_cause_detector();
const Detector& change_detector();
const Detector& traffic_detector();
const Detector& database_client_detector();
const Detector& certificate_expiry_detector();
const Detector& resolution_detector();

const std::vector<const Detector*>& detectors() {
  static const std::vector<const Detector*> all{
      // symptoms: is something wrong, and when
      &http_failure_detector(), &monitor_check_detector(), &crash_symptom_detector(), &latency_detector(),
      &request_gap_detector(), &error_burst_detector(),
      // causes: why
      &message_cause_detector(), &syscall_failure_detector(), &crash_cause_detector(),
      // changes: what set it off
      &change_detector(), &traffic_detector(), &database_client_detector(),
      &certificate_expiry_detector(),
      // resolutions: what ended it
      &resolution_detector(),
  };
  return all;
}

}  // namespace hindcast

namespace hindcast {
const Detector* find_detector(std::string_view name) {
  for (const Detector* d : detectors())
    if (d->name() == name) return d;
  return nullptr;
}
}  // namespace hindcast
