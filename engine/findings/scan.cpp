#include "engine/findings/scan.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace hindcast {
namespace {

constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();

double xlogy(double x, double y) { return x > 0 ? x * std::log(y) : 0.0; }

// Log-likelihood of x events among n trials at the rate x/n (binomial), or of x events against
// exposure n at the rate x/n (Poisson, without the terms that cancel in a ratio).
double log_likelihood(CountModel m, double x, double n) {
  if (n <= 0) return 0;
  if (m == CountModel::kBinomial) return xlogy(x, x / n) + xlogy(n - x, (n - x) / n);
  return xlogy(x, x / n);
}

struct Totals {
  double x = 0, n = 0;
};

Totals totals(const CountSeries& s, const std::vector<bool>& excluded) {
  Totals t;
  for (size_t b = 0; b < s.size(); ++b) {
    if (!excluded.empty() && excluded[b]) continue;
    t.x += s.x[b];
    t.n += s.n[b];
  }
  return t;
}

// The exact statistic of [first, last] given the series' totals and effective buckets, which
// every segment of one scan shares (computed once per scan, not once per grid rate).
double llr_of(const CountSeries& s, Direction d, size_t first, size_t last, const Totals& all, size_t buckets,
              const std::vector<bool>& excluded, Segment* out) {
  Totals in;
  for (size_t b = first; b <= last && b < s.size(); ++b) {
    if (!excluded.empty() && excluded[b]) continue;
    in.x += s.x[b];
    in.n += s.n[b];
  }
  const double x_out = all.x - in.x, n_out = all.n - in.n;
  Segment seg;
  seg.first = first;
  seg.last = last;
  seg.x_in = in.x;
  seg.n_in = in.n;
  seg.x_out = x_out;
  seg.n_out = n_out;
  double llr = 0;
  if (in.n > 0) {
    const bool higher = n_out <= 0 || in.x / in.n > x_out / n_out;
    const bool lower = n_out > 0 && in.x / in.n < x_out / n_out;
    if ((d == Direction::kExcess && higher) || (d == Direction::kDeficit && lower))
      llr = log_likelihood(s.model, in.x, in.n) + log_likelihood(s.model, x_out, n_out) - log_likelihood(s.model, all.x, all.n);
  }
  seg.llr = std::max(0.0, llr);
  seg.p_value = scan_p_value(seg.llr, buckets);
  if (out) *out = seg;
  return seg.llr;
}

// The alternative rates tried, as ratios to the background: a geometric grid (each step 1.6x, so
// the best grid rate is within 25 % of any true rate, which costs at most a few percent of the
// statistic), up to the highest rate any one bucket shows (no segment's rate is higher).
std::vector<double> ratio_grid(const CountSeries& s, Direction d, double rate0) {
  // A deficit: roughly geometric steps of the shortfall, down to none at all (chosen). No detector
  // scans for a deficit now: request_flow.cpp tests the longest run with no request directly.
  if (d == Direction::kDeficit) return {0.8, 0.5, 0.3, 0.15, 0.05, 0.01, 0.0};
  double peak = 0;
  for (size_t b = 0; b < s.size(); ++b)
    if (s.n[b] > 0) peak = std::max(peak, static_cast<double>(s.x[b]) / s.n[b]);
  // Numerical guards here and below: log(1 - p) stays finite, far below any rate step a count can
  // show (1/n) and far above double rounding near 1 (1e-16).
  if (s.model == CountModel::kBinomial) peak = std::min(peak, 1.0 - 1e-9);
  const double top = peak / rate0;
  std::vector<double> g;
  // From 1.25 ~ sqrt(1.6): the first point's cell [r / sqrt(1.6), r * sqrt(1.6)] starts at the background.
  for (double r = 1.25; r < top; r *= 1.6) g.push_back(r);
  if (top > 1.0) g.push_back(top);
  return g;
}

// The gain of a bucket under "rate0 * r inside" is x * per_event - n * per_trial (log-likelihood
// ratio terms, additive); r = 0 (nothing at all inside) forbids any event.
struct Gain {
  double per_event = 0, per_trial = 0;
  bool no_events = false;
  double of(double x, double n) const {
    if (no_events) return x > 0 ? kMinusInfinity : -n * per_trial;
    return x * per_event - n * per_trial;
  }
};

Gain gain_for(CountModel m, double r, double rate0) {
  Gain g;
  if (r == 0.0) {
    g.no_events = true;
    g.per_trial = m == CountModel::kBinomial ? std::log1p(-rate0) : -rate0;
    return g;
  }
  if (m == CountModel::kBinomial) {
    const double p1 = std::min(rate0 * r, 1.0 - 1e-12);
    // x log(p1/p0) + (n - x) log((1-p1)/(1-p0)) = x (log(p1/p0) - c) + n c, c = log((1-p1)/(1-p0))
    const double c = std::log1p(-p1) - std::log1p(-rate0);
    g.per_event = std::log(p1 / rate0) - c;
    g.per_trial = -c;
    return g;
  }
  g.per_event = std::log(r);
  g.per_trial = (r - 1.0) * rate0;
  return g;
}

// A scan's series as the grid's passes read it: the counts as doubles and the exclusions as bytes,
// converted once per scan instead of once per bucket and grid rate (the same values: a count is
// exact in a double).
struct ScanView {
  std::vector<double> x, n;
  std::vector<uint8_t> excluded;
};

// The best segment for one alternative rate: a maximum subarray of the gains. Excluded buckets
// break segments.
template <bool kNoEvents>
bool best_for_ratio_(const ScanView& v, const Gain& gain, size_t* first, size_t* last, double* value) {
  double best = 0, run = 0;
  size_t start = 0;
  bool found = false;
  const double* x = v.x.data();
  const double* n = v.n.data();
  const uint8_t* ex = v.excluded.data();
  const size_t size = v.x.size();
  const double per_event = gain.per_event, per_trial = gain.per_trial;
  for (size_t b = 0; b < size; ++b) {
    double g;  // gain.of(x, n), written out
    if (ex[b]) g = kMinusInfinity;
    else if constexpr (kNoEvents) g = x[b] > 0 ? kMinusInfinity : -n[b] * per_trial;
    else g = x[b] * per_event - n[b] * per_trial;
    if (run <= 0) {
      run = 0;
      start = b;
    }
    run += g;
    if (run > best) {
      best = run;
      *first = start;
      *last = b;
      found = true;
    }
    if (run == kMinusInfinity) run = 0;
  }
  *value = best;
  return found;
}

bool best_for_ratio(const ScanView& v, const Gain& gain, size_t* first, size_t* last, double* value) {
  return gain.no_events ? best_for_ratio_<true>(v, gain, first, last, value)
                        : best_for_ratio_<false>(v, gain, first, last, value);
}

// The best segment over the grid, scored exactly; `rate0` the background assumed.
bool best_segment(const CountSeries& s, const ScanView& view, Direction d, const std::vector<bool>& excluded, double rate0,
                  const Totals& all, size_t buckets, Segment* out) {
  bool any = false;
  for (double r : ratio_grid(s, d, rate0)) {
    size_t a = 0, b = 0;
    double v = 0;
    if (!best_for_ratio(view, gain_for(s.model, r, rate0), &a, &b, &v)) continue;
    Segment seg;
    const double llr = llr_of(s, d, a, b, all, buckets, excluded, &seg);
    if (llr > 0 && (!any || llr > out->llr)) {
      *out = seg;
      any = true;
    }
  }
  return any;
}

}  // namespace

size_t effective_buckets(const CountSeries& s) {
  if (s.model == CountModel::kPoisson) return s.size();
  return static_cast<size_t>(std::count_if(s.n.begin(), s.n.end(), [](uint32_t n) { return n > 0; }));
}

double segment_llr(const CountSeries& s, Direction d, size_t first, size_t last, Segment* out,
                   const std::vector<bool>& excluded) {
  return llr_of(s, d, first, last, totals(s, excluded), effective_buckets(s), excluded, out);
}

double scan_p_value(double llr, size_t buckets) {
  if (llr <= 0) return 1.0;
  const double t = static_cast<double>(std::max<size_t>(buckets, 2));
  const double tests = t * std::ceil(std::log2(t) + 1);
  // One-sided: P(chi2_1 >= 2 llr) / 2 = erfc(sqrt(llr)) / 2.
  return std::min(1.0, tests * 0.5 * std::erfc(std::sqrt(llr)));
}

namespace {

// A series with every run of event-free buckets merged into one bucket (its trials or exposure
// summed), and where each merged bucket began. Exact for the scan: within such a run every
// bucket's gain has one sign for a given rate, so a best segment takes all of the run or none of
// it, and never starts or ends inside it; the statistic of a segment depends on its sums alone.
// A sparse series (a route failing a few times in a day of 200,000 buckets) shrinks to its events.
struct Compressed {
  CountSeries s;
  std::vector<size_t> begin;  // original bucket where each merged bucket begins
};

Compressed compress(const CountSeries& in) {
  Compressed c;
  c.s.model = in.model;
  const size_t size = in.size();
  const uint32_t* x = in.x.data();
  const uint32_t* n = in.n.data();
  for (size_t b = 0; b < size;) {
    c.begin.push_back(b);
    c.s.x.push_back(x[b]);
    uint32_t trials = n[b];
    if (x[b] == 0) {  // a run of event-free buckets: one bucket, its trials summed
      ++b;
#ifdef __SSE2__
      // Four buckets a step while all four are event-free (sums modulo 2^32, as the loop's).
      __m128i sum = _mm_setzero_si128();
      const __m128i zero = _mm_setzero_si128();
      for (; b + 4 <= size; b += 4) {
        const __m128i xs = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x + b));
        if (_mm_movemask_epi8(_mm_cmpeq_epi32(xs, zero)) != 0xffff) break;
        sum = _mm_add_epi32(sum, _mm_loadu_si128(reinterpret_cast<const __m128i*>(n + b)));
      }
      alignas(16) uint32_t lanes[4];
      _mm_store_si128(reinterpret_cast<__m128i*>(lanes), sum);
      trials += lanes[0] + lanes[1] + lanes[2] + lanes[3];
#endif
      for (; b < size && x[b] == 0; ++b) trials += n[b];
    } else {
      ++b;
    }
    c.s.n.push_back(trials);
  }
  return c;
}

}  // namespace

std::vector<Segment> scan_segments(const CountSeries& original, Direction d, size_t max_segments) {
  // Significance counts the buckets of the series as observed, whatever the compression.
  const size_t buckets = effective_buckets(original);
  const Compressed c = compress(original);
  const CountSeries& s = c.s;
  const auto last_of = [&](size_t k) { return k + 1 < c.begin.size() ? c.begin[k + 1] - 1 : original.size() - 1; };
  std::vector<Segment> found;
  std::vector<bool> excluded(s.size(), false);
  ScanView view;
  view.x.assign(s.x.begin(), s.x.end());
  view.n.assign(s.n.begin(), s.n.end());
  view.excluded.assign(s.size(), 0);
  while (found.size() < max_segments) {
    const Totals all = totals(s, excluded);
    if (all.n <= 0 || all.x <= 0) break;
    double rate0 = all.x / all.n;
    if (s.model == CountModel::kBinomial && rate0 >= 1.0) break;
    Segment seg;
    if (!best_segment(s, view, d, excluded, rate0, all, buckets, &seg)) break;
    // The background again without the segment (it inflated the first estimate); a half event
    // keeps a background with no events at all from being taken for certainty.
    const double rate_out = (seg.x_out + 0.5) / (seg.n_out + 1.0);
    if (d == Direction::kExcess && rate_out < rate0) {
      Segment again;
      if (best_segment(s, view, d, excluded, rate_out, all, buckets, &again) && again.llr > seg.llr) seg = again;
    }
    for (size_t k = seg.first; k <= seg.last; ++k) excluded[k] = true, view.excluded[k] = 1;
    const size_t first = seg.first, last = seg.last;
    seg.first = c.begin[first];
    seg.last = last_of(last);
    found.push_back(seg);
  }
  return found;
}

std::vector<bool> benjamini_hochberg(const std::vector<double>& p, double q) {
  std::vector<size_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
  size_t cutoff = 0;  // the largest k with p_(k) <= k q / m
  const double m = static_cast<double>(p.size());
  for (size_t k = 0; k < order.size(); ++k)
    if (p[order[k]] <= static_cast<double>(k + 1) * q / m) cutoff = k + 1;
  std::vector<bool> out(p.size(), false);
  for (size_t k = 0; k < cutoff; ++k) out[order[k]] = true;
  return out;
}

}  // namespace hindcast
