#include "telemetry/json.h"

namespace synthminer::telemetry {

namespace {

nlohmann::json optional_number(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json shares_json(const ShareCounts& s) {
  return {{"accepted", s.accepted},
          {"rejected", s.rejected},
          {"stale", s.stale},
          {"accepted_difficulty", s.accepted_difficulty}};
}

}  // namespace

void to_json(nlohmann::json& j, const HashrateSnapshot& s) {
  j = {{"10s", optional_number(s.s10)},
       {"60s", optional_number(s.s60)},
       {"15m", optional_number(s.m15)}};
}

nlohmann::json histogram_json(const HistogramSnapshot& s) {
  nlohmann::json buckets = nlohmann::json::array();
  for (size_t i = 0; i < s.upper_bounds.size(); ++i) {
    buckets.push_back({{"le", s.upper_bounds[i]}, {"count", s.cumulative_counts[i]}});
  }
  return {
      {"count", s.count}, {"sum_seconds", s.sum}, {"mean_seconds", s.mean()}, {"buckets", buckets}};
}

void to_json(nlohmann::json& j, const DeviceSnapshot& s) {
  j = {{"name", s.name},
       {"hashrate", s.hashrate},
       {"hashes", s.hashes},
       {"batches", s.batches},
       {"abandoned_batches", s.abandoned_batches},
       {"candidates", s.candidates},
       {"candidates_held_back", s.candidates_held_back},
       {"hardware_errors", s.hardware_errors},
       {"hardware_error_ratio", optional_number(s.hardware_error_ratio)},
       {"last_batch_nonces", s.last_batch_nonces},
       {"last_batch_seconds", s.last_batch_seconds},
       {"batch_duration", histogram_json(s.batch_duration)}};
}

void to_json(nlohmann::json& j, const PoolSnapshot& s) {
  j = {{"name", s.name},
       {"up", s.up},
       {"difficulty", s.difficulty},
       {"shares", shares_json(s.shares)},
       {"rejected_by_reason", s.rejected_by_reason},
       {"stale_by_reason", s.stale_by_reason},
       {"disconnects_by_cause", s.disconnects_by_cause},
       {"submit_rtt", histogram_json(s.submit_rtt)}};
}

namespace {

/// Only the listeners that cannot bind: {"metrics": "cannot listen on ..."}.
nlohmann::json listener_errors_json(const std::map<std::string, std::string, std::less<>>& all) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, error] : all) {
    if (!error.empty()) out[name] = error;
  }
  return out;
}

}  // namespace

void to_json(nlohmann::json& j, const SummarySnapshot& s) {
  j = {{"version", s.build.version},
       {"commit", s.build.commit},
       {"uptime_seconds", s.uptime_seconds},
       {"hashrate", s.hashrate},
       {"hashes", s.hashes},
       {"hardware_errors", s.hardware_errors},
       {"shares", shares_json(s.shares)},
       {"devices", s.devices},
       {"pools", s.pools},
       {"pools_up", s.pools_up},
       {"config_reloads", {{"success", s.reloads_succeeded}, {"failure", s.reloads_failed}}},
       {"job_switch", histogram_json(s.job_switch)},
       {"listener_errors", listener_errors_json(s.listeners)}};
}

nlohmann::json summary_json(const SummarySnapshot& summary) {
  return summary;
}

nlohmann::json devices_json(const std::vector<DeviceSnapshot>& devices) {
  return {{"devices", devices}};
}

nlohmann::json pools_json(const std::vector<PoolSnapshot>& pools) {
  return {{"pools", pools}};
}

}  // namespace synthminer::telemetry
