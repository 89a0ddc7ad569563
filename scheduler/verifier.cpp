#include "scheduler/verifier.h"

#include "protocol/work.h"

namespace synthminer::scheduler {

const char* to_string(CandidateFate fate) {
  switch (fate) {
    case CandidateFate::kShare:
      return "share";
    case CandidateFate::kHardwareError:
      return "hardware error";
    case CandidateFate::kStale:
      return "stale";
  }
  return "unknown";
}

protocol::Share make_share(const Midstate& midstate, uint32_t nonce) {
  const protocol::WorkItem& in = midstate.job->work;
  protocol::Share share;
  share.job_id = in.job.job_id;
  share.extranonce2 = midstate.extranonce2;
  share.ntime = in.job.ntime;
  share.nonce = nonce;
  if (in.version_mask != 0) share.version_bits = midstate.version & in.version_mask;
  return share;
}

Verifier::Verifier(const JobGeneration& generation, HealthPolicy policy)
    : generation_(generation), policy_(policy) {}

Verification Verifier::verify(const std::string& device, const Midstate& midstate, uint32_t nonce) {
  const JobContext& job = *midstate.job;
  const protocol::WorkItem& in = job.work;
  Verification result;
  const auto header = protocol::share_header(in.job, in.extranonce, midstate.extranonce2,
                                             midstate.version, in.job.ntime, nonce);
  result.hash = hashcore::sha256d(header);
  const bool ok = hashcore::meets_target(result.hash, in.share_target);

  std::lock_guard lock(mutex_);
  DeviceRecord& record = record_locked(device);
  record.health.record(ok);
  if (!ok) {
    result.fate = CandidateFate::kHardwareError;
    result.reason = "hash above the share target";
    return result;
  }
  result.share = make_share(midstate, nonce);
  result.block = job.network_target && hashcore::meets_target(result.hash, *job.network_target);
  if (generation_.is_stale(job.generation)) {
    result.fate = CandidateFate::kStale;
    result.reason = "job cleaned";
    ++record.stale;
    ++stale_reasons_[result.reason];
    return result;
  }
  result.fate = CandidateFate::kShare;
  ++record.shares;
  if (result.block) ++blocks_;
  return result;
}

void Verifier::set_policy(HealthPolicy policy) {
  std::lock_guard lock(mutex_);
  policy_ = policy;
  for (auto& [name, record] : devices_) record.health.set_policy(policy);
}

void Verifier::disable_device(const std::string& device, std::string reason) {
  std::lock_guard lock(mutex_);
  record_locked(device).health.disable(std::move(reason));
}

DeviceReport Verifier::device(const std::string& device) const {
  std::lock_guard lock(mutex_);
  DeviceReport report;
  const auto found = devices_.find(device);
  if (found == devices_.end()) return report;
  const DeviceHealth& health = found->second.health;
  report.state = health.state();
  report.error_rate = health.error_rate();
  report.candidates = health.candidates();
  report.hardware_errors = health.hardware_errors();
  report.reason = health.reason();
  return report;
}

Verifier::DeviceRecord& Verifier::record_locked(const std::string& device) {
  return devices_.try_emplace(device, policy_).first->second;
}

VerifierStats Verifier::stats() const {
  VerifierStats stats;
  for (const DeviceVerdicts& d : verdicts()) {
    stats.shares += d.shares;
    stats.hardware_errors += d.hardware_errors;
    stats.stale += d.stale;
  }
  std::lock_guard lock(mutex_);
  stats.blocks = blocks_;
  stats.stale_reasons = stale_reasons_;
  return stats;
}

std::vector<DeviceVerdicts> Verifier::verdicts() const {
  std::lock_guard lock(mutex_);
  std::vector<DeviceVerdicts> out;
  out.reserve(devices_.size());
  for (const auto& [name, r] : devices_) {
    out.push_back({name, r.health.candidates(), r.health.hardware_errors(), r.shares, r.stale});
  }
  return out;
}

}  // namespace synthminer::scheduler
