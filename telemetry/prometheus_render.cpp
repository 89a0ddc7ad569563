#include "telemetry/prometheus_render.h"

#include <prometheus/text_serializer.h>

#include <limits>
#include <string>
#include <utility>

#include "telemetry/registry.h"

namespace synthminer::telemetry {

namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using Labels = std::vector<ClientMetric::Label>;

MetricFamily family(std::string name, std::string help, MetricType type) {
  return MetricFamily{std::move(name), std::move(help), type, {}};
}

void add_counter(MetricFamily& f, Labels labels, double value) {
  ClientMetric m;
  m.label = std::move(labels);
  m.counter.value = value;
  f.metric.push_back(std::move(m));
}

void add_gauge(MetricFamily& f, Labels labels, double value) {
  ClientMetric m;
  m.label = std::move(labels);
  m.gauge.value = value;
  f.metric.push_back(std::move(m));
}

void add_histogram(MetricFamily& f, Labels labels, const HistogramSnapshot& h) {
  ClientMetric m;
  m.label = std::move(labels);
  m.histogram.sample_count = h.count;
  m.histogram.sample_sum = h.sum;
  for (size_t i = 0; i < h.upper_bounds.size(); ++i) {
    m.histogram.bucket.push_back({h.cumulative_counts[i], h.upper_bounds[i]});
  }
  m.histogram.bucket.push_back({h.count, std::numeric_limits<double>::infinity()});
  f.metric.push_back(std::move(m));
}

void add_windows(MetricFamily& f, const Labels& labels, const HashrateSnapshot& rates) {
  const std::pair<const char*, const std::optional<double>*> windows[] = {
      {"10s", &rates.s10}, {"60s", &rates.s60}, {"15m", &rates.m15}};
  for (const auto& [name, value] : windows) {
    if (!*value) continue;
    Labels l = labels;
    l.push_back({"window", name});
    add_gauge(f, std::move(l), **value);
  }
}

void render_summary(const SummarySnapshot& s, std::vector<MetricFamily>& out) {
  auto build = family("synthminer_build_info", "Version and git commit of the running daemon",
                      MetricType::Gauge);
  add_gauge(build, {{"commit", s.build.commit}, {"version", s.build.version}}, 1);
  out.push_back(std::move(build));

  auto uptime =
      family("synthminer_uptime_seconds", "Seconds since telemetry started", MetricType::Gauge);
  add_gauge(uptime, {}, s.uptime_seconds);
  out.push_back(std::move(uptime));

  auto total = family("synthminer_total_hashrate_hashes_per_second",
                      "Hashrate of all devices together over a rolling window", MetricType::Gauge);
  add_windows(total, {}, s.hashrate);
  out.push_back(std::move(total));

  auto job = family("synthminer_job_switch_latency_seconds",
                    "From a clean job reaching the daemon to a device's first batch of it",
                    MetricType::Histogram);
  add_histogram(job, {}, s.job_switch);
  out.push_back(std::move(job));

  auto reloads =
      family("synthminer_config_reloads_total", "Config reloads by result", MetricType::Counter);
  add_counter(reloads, {{"result", "failure"}}, static_cast<double>(s.reloads_failed));
  add_counter(reloads, {{"result", "success"}}, static_cast<double>(s.reloads_succeeded));
  out.push_back(std::move(reloads));

  auto listeners = family("synthminer_listener_up",
                          "1 while the daemon's listener serves, 0 while its bind fails (retried)",
                          MetricType::Gauge);
  for (const auto& [name, error] : s.listeners) {
    add_gauge(listeners, {{"listener", name}}, error.empty() ? 1 : 0);
  }
  out.push_back(std::move(listeners));
}

void render_devices(const std::vector<DeviceSnapshot>& devices, std::vector<MetricFamily>& out) {
  auto hashes = family("synthminer_hashes_total", "Nonces hashed", MetricType::Counter);
  auto rate = family("synthminer_hashrate_hashes_per_second",
                     "Hashrate of one device over a rolling window", MetricType::Gauge);
  auto batches =
      family("synthminer_batches_total",
             "Batches finished: complete, or abandoned (cut short by a clean job or stop)",
             MetricType::Counter);
  auto errors = family("synthminer_hardware_errors_total",
                       "Candidates that failed CPU re-verification", MetricType::Counter);
  auto held_back = family("synthminer_candidates_held_back_total",
                          "Candidates past the per-batch bound, dropped unverified (a pool "
                          "difficulty near zero)",
                          MetricType::Counter);
  auto duration = family("synthminer_batch_duration_seconds", "Wall time of one complete batch",
                         MetricType::Histogram);
  auto nonces = family("synthminer_batch_nonces", "Nonces the latest batch held (batch size)",
                       MetricType::Gauge);
  for (const DeviceSnapshot& d : devices) {
    const Labels labels{{"device", d.name}};
    add_counter(hashes, labels, static_cast<double>(d.hashes));
    add_windows(rate, labels, d.hashrate);
    add_counter(batches, {{"device", d.name}, {"result", "abandoned"}},
                static_cast<double>(d.abandoned_batches));
    add_counter(batches, {{"device", d.name}, {"result", "complete"}},
                static_cast<double>(d.batches - d.abandoned_batches));
    add_counter(errors, labels, static_cast<double>(d.hardware_errors));
    add_counter(held_back, labels, static_cast<double>(d.candidates_held_back));
    add_histogram(duration, labels, d.batch_duration);
    add_gauge(nonces, labels, static_cast<double>(d.last_batch_nonces));
  }
  for (auto* f : {&hashes, &rate, &batches, &errors, &held_back, &duration, &nonces}) {
    out.push_back(std::move(*f));
  }
}

void render_pools(const std::vector<PoolSnapshot>& pools, std::vector<MetricFamily>& out) {
  auto shares = family("synthminer_shares_total", "Shares by fate: accepted, rejected, stale",
                       MetricType::Counter);
  auto rejected =
      family("synthminer_shares_rejected_total",
             "Rejected shares by the pool's reason (sanitised, capped)", MetricType::Counter);
  auto stale =
      family("synthminer_shares_stale_total", "Stale shares by reason", MetricType::Counter);
  auto disconnects =
      family("synthminer_pool_disconnects_total",
             "Ended connections to the pool by cause (sanitised, capped)", MetricType::Counter);
  auto difficulty_total = family("synthminer_accepted_difficulty_total",
                                 "Sum of the difficulty of accepted shares", MetricType::Counter);
  auto rtt = family("synthminer_share_submit_rtt_seconds",
                    "From a share's submit to the pool's answer", MetricType::Histogram);
  auto up = family("synthminer_pool_up", "1 while connected and subscribed to the pool",
                   MetricType::Gauge);
  auto difficulty = family("synthminer_pool_difficulty", "The pool's current share difficulty",
                           MetricType::Gauge);
  for (const PoolSnapshot& p : pools) {
    const Labels pool{{"pool", p.name}};
    add_counter(shares, {{"pool", p.name}, {"result", "accepted"}},
                static_cast<double>(p.shares.accepted));
    add_counter(shares, {{"pool", p.name}, {"result", "rejected"}},
                static_cast<double>(p.shares.rejected));
    add_counter(shares, {{"pool", p.name}, {"result", "stale"}},
                static_cast<double>(p.shares.stale));
    for (const auto& [reason, n] : p.rejected_by_reason) {
      add_counter(rejected, {{"pool", p.name}, {"reason", reason}}, static_cast<double>(n));
    }
    for (const auto& [reason, n] : p.stale_by_reason) {
      add_counter(stale, {{"pool", p.name}, {"reason", reason}}, static_cast<double>(n));
    }
    for (const auto& [cause, n] : p.disconnects_by_cause) {
      add_counter(disconnects, {{"pool", p.name}, {"cause", cause}}, static_cast<double>(n));
    }
    add_counter(difficulty_total, pool, p.shares.accepted_difficulty);
    add_histogram(rtt, pool, p.submit_rtt);
    add_gauge(up, pool, p.up ? 1 : 0);
    add_gauge(difficulty, pool, p.difficulty);
  }
  for (auto* f :
       {&shares, &rejected, &stale, &disconnects, &difficulty_total, &rtt, &up, &difficulty}) {
    out.push_back(std::move(*f));
  }
}

void render_families(const std::vector<FamilySnapshot>& families, std::vector<MetricFamily>& out) {
  for (const FamilySnapshot& fs : families) {
    const bool counter = fs.kind == FamilyKind::kCounter;
    auto f = family(fs.name, fs.help, counter ? MetricType::Counter : MetricType::Gauge);
    for (const auto& [values, value] : fs.series) {
      Labels labels;
      for (size_t i = 0; i < fs.label_names.size() && i < values.size(); ++i) {
        labels.push_back({fs.label_names[i], values[i]});
      }
      counter ? add_counter(f, std::move(labels), value) : add_gauge(f, std::move(labels), value);
    }
    out.push_back(std::move(f));
  }
}

}  // namespace

std::vector<MetricFamily> render_prometheus(const Snapshot& snapshot) {
  std::vector<MetricFamily> out;
  render_summary(snapshot.summary, out);
  render_devices(snapshot.devices, out);
  render_pools(snapshot.pools, out);
  render_families(snapshot.families, out);
  return out;
}

std::string prometheus_text(const Registry& registry) {
  return prometheus::TextSerializer().Serialize(render_prometheus(registry.snapshot()));
}

}  // namespace synthminer::telemetry
