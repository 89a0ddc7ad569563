#include "scheduler/batch_sizer.h"

#include <algorithm>
#include <cmath>

namespace synthminer::scheduler {

BatchSizerOptions cpu_batch_options() {
  return BatchSizerOptions{};
}

BatchSizerOptions gpu_batch_options() {
  BatchSizerOptions options;
  options.target_seconds = 0.020;
  options.initial_rate = 1.0e8;
  options.min_nonces = 1u << 16;
  options.max_nonces = uint64_t{1} << 32;
  return options;
}

BatchSizer::BatchSizer(BatchSizerOptions options)
    : options_(options), rate_(options.initial_rate > 0 ? options.initial_rate : 1.0) {}

void BatchSizer::record(uint64_t hashes, double seconds) {
  if (hashes == 0 || !(seconds > 0) || !std::isfinite(seconds)) return;
  const double sample = static_cast<double>(hashes) / seconds;
  const double tau = options_.time_constant_s > 0 ? options_.time_constant_s : 1.0;
  const double weight = 1.0 - std::exp(-seconds / tau);
  rate_ += weight * (sample - rate_);
}

uint64_t BatchSizer::batch_nonces() const {
  const double wanted = rate_ * options_.target_seconds;
  const double low = static_cast<double>(options_.min_nonces);
  const double high = static_cast<double>(std::max(options_.max_nonces, options_.min_nonces));
  return static_cast<uint64_t>(std::clamp(wanted, low, high));
}

}  // namespace synthminer::scheduler
