// cert_expiry: a certificate that expired is a trigger with no action behind it. When the root
// cause is a TLS failure whose own words say the certificate has expired (or is not yet valid:
// a clock or a certificate issued for later), nobody changed anything: the change is the clock
// passing the certificate's notAfter. No log line marks that instant; the first line that says
// it had passed is the latest it can have been, and is cited as such. It is tied to the failure
// (the same certificate), but scored under a tied change by nature (a deploy that installed an
// expired certificate, 3 + 1 + news), which is then the trigger instead.
#include <re2/re2.h>

#include "engine/findings/analysis.h"

namespace hindcast {
namespace {

// The tie's weight (changes.cpp's kTied) and nothing for nature or news: enough to be named
// (kMinTriggerScore), never above an action tied to the same failure.
constexpr double kExpiryScore = 3;

class CertificateExpiryDetector final : public Detector {
 public:
  std::string_view name() const override { return "cert_expiry"; }
  Stage stage() const override { return Stage::kChanges; }
  void run(const Analysis& a, std::vector<Candidate>& out) const override {
    if (!a.incident || a.causes.empty()) return;
    const Candidate& tls = a.causes[a.root.value_or(0)];
    static const re2::RE2 expired{R"re((?i)(certificate has expired|certificate expired|certificate is not yet valid))re"};
    std::string phrase;
    if (!tls.is(CauseKind::kTlsFailure) || tls.evidence.empty() ||
        !re2::RE2::PartialMatch(re2::StringPiece(tls.explanation.data(), tls.explanation.size()), expired, &phrase))
      return;
    Candidate c = change_candidate(
        "cert_expiry", tls.object, tls.first_ns, tls.evidence.front(), kExpiryScore,
        "The certificate" + (tls.object.empty() ? std::string() : " of " + tls.object) +
            " expired with no change logged: the first line saying \"" + phrase + "\" is the latest the expiry can have been");
    c.host = tls.host;
    out.push_back(std::move(c));
  }
};

}  // namespace

const Detector& certificate_expiry_detector() {
  static const CertificateExpiryDetector d;
  return d;
}

}  // namespace hindcast
