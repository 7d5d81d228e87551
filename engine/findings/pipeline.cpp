#include "engine/findings/pipeline.h"

#include <algorithm>
#include <cctype>

#include <re2/re2.h>

#include "engine/findings/actions.h"
#include "engine/findings/consequence.h"
#include "engine/findings/ranking.h"
#include "engine/findings/vocabulary.h"

namespace hindcast {
namespace {

bool by_score(const Candidate& a, const Candidate& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.first_ns < b.first_ns;
}

// The first path a change's message names ("release 3 to /srv/app: 1 file changed
// (/srv/app/lib/x.php)" -> the first such path); a relative one ("app/routes/x.php") too.
std::string path_named_by(const Record& r) {
  const std::vector<std::string_view> paths = paths_in(r.message, /*relative=*/true);
  return paths.empty() ? std::string() : std::string(paths.front());
}

// A crash with no file of its own, right after a change that names a file: that file is the
// likely culprit (the crash began after it changed). A path the change gives relative to a root
// the logs do not show is named in the explanation; the object is then the service that crashed.
void attribute_crash_to_change(Analysis& a) {
  if (a.causes.empty() || a.changes.empty() || !a.causes.front().is(CauseKind::kCrash)) return;
  Candidate& crash = a.causes.front();
  if (crash.object != "server processes") return;  // a named process died: that is its object
  const Candidate& change = a.changes.front();
  Record r;
  const EventRef ref = change.evidence.front();
  if (!decode_record(a.timeline.source(ref), a.timeline.event(ref), &r)) return;
  const std::string path = path_named_by(r);
  if (path.empty()) return;
  crash.path = path;
  if (path.starts_with('/')) crash.object = path;
  else if (crash.service) crash.object = *crash.service;
  crash.explanation += "; the crashes began " + std::to_string((crash.first_ns - change.first_ns) / kNanosPerSecond) +
                       " s after a change to " + path;
  crash.evidence.push_back(ref);
}

// A limit reached right after a new client began hammering: that client is who reached it.
void attribute_limit_to_client(Analysis& a) {
  if (a.causes.empty() || a.changes.empty() || !a.causes.front().is(CauseKind::kResourceLimit)) return;
  const Candidate& change = a.changes.front();
  if (change.kind != "new_client" || !change.client) return;
  Candidate& limit = a.causes.front();
  limit.client = change.client;
  std::string how = change.explanation;  // "A client never seen before (...) sent N requests ..."
  if (!how.empty()) how[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(how[0])));
  limit.explanation += "; reached while " + how;
}

// A TLS failure whose messages name no certificate (a client's "certificate has expired" names
// neither the file nor, through a relay, the peer): the certificate file an administrator's command
// or a deploy replaced as the failures stopped is the one that had failed (the last such path the
// command names: cp's destination).
void name_certificate_from_fix(Analysis& a) {
  if (!a.incident || a.still_failing || a.causes.empty()) return;
  Candidate& tls = a.causes[a.root.value_or(0)];
  if (!tls.is(CauseKind::kTlsFailure) || !tls.object.empty()) return;
  static const re2::RE2 cert_path(R"re((/[^\s'"(),;]+\.(?:crt|pem|cer|key|p12|pfx))\b)re");
  const int64_t end = a.incident->end_ns;
  const auto [b, e] = a.message_range(end - kResolutionReach, end + kResolutionReach);
  for (size_t i = e; i-- > b;) {
    const Record r = a.record(i);
    const std::optional<Action> act = read_action(r);
    if (!act || (act->type != ActionType::kAdminCommand && act->type != ActionType::kDeploy)) continue;
    re2::StringPiece in(act->key.data(), act->key.size());
    std::string path, last;
    while (re2::RE2::FindAndConsume(&in, cert_path, &path)) last = path;
    if (last.empty()) continue;
    tls.object = last;
    tls.explanation += "; the fix replaced " + last;
    tls.evidence.push_back(a.messages()[i].ref);
    return;
  }
}

// The root cause: the deepest candidate of a root kind on the chain that leads to the best one.
void choose_root(Analysis& a) {
  a.root.reset();
  a.chain.clear();
  if (a.causes.empty() || a.causes.front().score < kMinCauseScore || a.causes.front().cause == CauseKind::kUnknown) return;
  a.chain = causal_chain(a.causes, 0);
  for (size_t i : a.chain)
    if (kind_info(a.causes[i].cause).root && a.causes[i].score > 0) {
      a.root = i;
      return;
    }
}

}  // namespace

std::optional<IncidentWindow> run_analysis(Analysis& a) {
  run_stage(Stage::kSymptoms, a, a.symptoms);
  std::optional<IncidentWindow> incident = find_incident(a);
  if (!incident) return incident;
  a.set_incident(incident->window, kIncidentLead);
  refine_start(a, *incident);
  a.set_incident(incident->window, kIncidentLead);
  a.still_failing = incident->still_failing;
  run_stage(Stage::kCauses, a, a.causes);
  judge_consequences(a, a.causes);
  rank_causes(a, a.causes);
  choose_root(a);
  run_stage(Stage::kChanges, a, a.changes);
  std::stable_sort(a.changes.begin(), a.changes.end(), by_score);
  std::erase_if(a.changes, [](const Candidate& c) { return c.score < kMinTriggerScore; });
  attribute_crash_to_change(a);
  attribute_limit_to_client(a);
  run_stage(Stage::kResolutions, a, a.resolutions);
  std::stable_sort(a.resolutions.begin(), a.resolutions.end(), by_score);
  name_certificate_from_fix(a);
  return incident;
}

}  // namespace hindcast
