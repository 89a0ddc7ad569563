// BatchSizer: how many nonces to give a device so a batch lasts about the
// target duration. It keeps an exponential moving average of the device's
// measured rate, weighted by time: a sample of d seconds moves the average
// by 1 - exp(-d / time_constant), so the estimate follows a rate change
// within a few time constants whatever the batch size.
//
// Design: not thread-safe; each device's worker owns its sizer.
#pragma once

#include <cstdint>

namespace synthminer::scheduler {

struct BatchSizerOptions {
  double target_seconds = 0.050;   ///< batch duration to aim for (GPU: 0.020)
  double time_constant_s = 1.0;    ///< EMA time constant, seconds
  double initial_rate = 1.0e6;     ///< hashes/s assumed before any sample
  uint64_t min_nonces = 1024;      ///< smallest batch
  uint64_t max_nonces = 1u << 30;  ///< largest batch
};

/// Defaults for a CPU worker (50 ms batches) and a GPU (20 ms).
BatchSizerOptions cpu_batch_options();
BatchSizerOptions gpu_batch_options();

class BatchSizer {
 public:
  explicit BatchSizer(BatchSizerOptions options = cpu_batch_options());

  /// Records a finished batch: `hashes` nonces hashed in `seconds` (> 0;
  /// samples with no time or no hashes are ignored).
  void record(uint64_t hashes, double seconds);

  /// The estimated rate, hashes per second.
  double rate() const { return rate_; }
  /// The next batch size in nonces: rate * target_seconds, clamped.
  uint64_t batch_nonces() const;
  const BatchSizerOptions& options() const { return options_; }

 private:
  BatchSizerOptions options_;
  double rate_;
};

}  // namespace synthminer::scheduler
