// Where is a rate significantly above (or below) what the same series shows elsewhere? One test
// for every symptom: failing responses among requests, failing checks among a monitor's results,
// process deaths per second, slow requests, requests that stop arriving, a new error's rate.
//
//   CountSeries s = CountSeries::binomial(buckets);  // x[t] events among n[t] trials per bucket
//   s.add(bucket_of(request), failed);
//   for (const Segment& seg : scan_segments(s, Direction::kExcess, 3))
//     if (seg.p_value < 0.01) report(seg.first, seg.last);
//
// The statistic is the likelihood ratio of "one rate inside [first, last], another outside" against
// "one rate everywhere" (Kulldorff's scan statistic), maximised over segments, with the background
// rate learned from the series itself: nothing is compared with an absolute share, so 3 % of
// requests failing where 0.01 % usually do stands out as clearly as 100 % where 12 % usually do.
//
// Finding the segment: for a fixed alternative rate r1 the log-likelihood ratio is a sum over
// buckets, so its best segment is a maximum subarray (Page's CUSUM); a geometric grid of r1 covers
// every effect size from 1.25x to certainty, and the best segment of the grid is scored with the
// exact statistic. O(buckets x grid) per segment, no O(buckets^2) search.
//
// Its significance: a scan tests many segments, so the single-segment p-value (chi-square, one
// degree of freedom, one-sided) is multiplied by the number of segments a scan of T buckets can
// tell apart, T * log2(T) (every start at every dyadic scale; T counts the buckets that hold
// observations, effective_buckets): a Bonferroni bound, conservative
// where it matters (a quiet log), and irrelevant for a real outage, whose statistic is in the
// hundreds. Several series are then judged together with Benjamini-Hochberg (benjamini_hochberg):
// on a log with no incident every discovery is false, so the false-discovery rate q bounds the
// chance of reporting an incident that is not there.
//
// Thread-safe: pure functions.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hindcast {

enum class CountModel : uint8_t {
  kBinomial,  // x events among n trials per bucket (failing requests among requests)
  kPoisson,   // x events per bucket against an exposure n (process deaths per second)
};

enum class Direction : uint8_t { kExcess, kDeficit };

struct CountSeries {
  CountModel model = CountModel::kBinomial;
  std::vector<uint32_t> x;  // events per bucket
  std::vector<uint32_t> n;  // trials (binomial) or exposure (Poisson) per bucket

  static CountSeries binomial(size_t buckets) { return {CountModel::kBinomial, std::vector<uint32_t>(buckets, 0), std::vector<uint32_t>(buckets, 0)}; }
  // Poisson with one unit of exposure per bucket (a rate per bucket of time).
  static CountSeries poisson(size_t buckets) { return {CountModel::kPoisson, std::vector<uint32_t>(buckets, 0), std::vector<uint32_t>(buckets, 1)}; }
  size_t size() const { return x.size(); }
  // One trial (binomial) in bucket b, an event or not; for Poisson, `event` adds one event.
  void add(size_t b, bool event) {
    if (model == CountModel::kBinomial) ++n[b];
    x[b] += event ? 1u : 0u;
  }
};

struct Segment {
  size_t first = 0, last = 0;  // buckets, inclusive
  double x_in = 0, n_in = 0;   // events and trials (exposure) inside
  double x_out = 0, n_out = 0; // outside (other segments already found excluded)
  double llr = 0;              // log-likelihood ratio (natural log)
  double p_value = 1;          // corrected for the scan's multiplicity
  double rate_in() const { return n_in > 0 ? x_in / n_in : 0; }
  double rate_out() const { return n_out > 0 ? x_out / n_out : 0; }
};

// Up to `max_segments` disjoint segments, most significant first: each found with the others
// already found set aside (excluded from inside and outside alike), so a second outage is judged
// against the quiet time, not against the first one. Stops at the first segment with no effect.
std::vector<Segment> scan_segments(const CountSeries& s, Direction d, size_t max_segments);

// The exact statistic of [first, last] (Kulldorff), 0 when the rates inside and outside do not
// differ in direction `d`. `excluded` buckets (may be empty) count neither inside nor outside.
double segment_llr(const CountSeries& s, Direction d, size_t first, size_t last, Segment* out = nullptr,
                   const std::vector<bool>& excluded = {});

// The buckets a scan can tell apart: for a binomial series those with trials (segments that differ
// only by empty buckets are one test: a monitor checked 15 times is 15 observations, not the
// seconds between them); for a Poisson series every bucket (no event is an observation too).
size_t effective_buckets(const CountSeries& s);

// The p-value of a scan statistic over `buckets` buckets (see the header comment).
double scan_p_value(double llr, size_t buckets);

// Benjamini-Hochberg: which p-values are discoveries at false-discovery rate q.
std::vector<bool> benjamini_hochberg(const std::vector<double>& p, double q);

}  // namespace hindcast
