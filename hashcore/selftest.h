// The start-up self-test of every backend, and the immutable dispatch table
// that says which backend to use. A backend that fails is disabled with its
// reason; it never aborts the process.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hashcore/backend.h"
#include "hashcore/cpu_features.h"

namespace synthminer::hashcore {

/// Checks `backend` against the reference: compression of unaligned random
/// blocks in every lane, the genesis nonce, and a random scan with an easy
/// target (unaligned start, odd length, and a range ending at 2^32 - 1).
/// Returns an empty string on success, else what failed.
std::string self_test(const Backend& backend);

struct BackendStatus {
  const Backend* backend = nullptr;
  bool cpu_supported = false;
  std::string failure;  ///< self-test failure; empty when it passed
  bool usable() const { return cpu_supported && failure.empty(); }
};

/// Which backends this machine can use, and the one it will use.
class Dispatch {
 public:
  /// Detects the CPU, self-tests every supported backend and picks the first
  /// usable one in preference order, or `override_name` when given. Returns
  /// nullopt with `error` set when the override is unknown or unusable.
  static std::optional<Dispatch> create(const std::optional<std::string>& override_name,
                                        std::string& error);

  const Backend& chosen() const { return *chosen_; }
  const CpuFeatures& cpu() const { return cpu_; }
  const std::vector<BackendStatus>& statuses() const { return statuses_; }
  /// The usable backend called `name`, or nullptr.
  const Backend* usable(std::string_view name) const;

 private:
  CpuFeatures cpu_;
  std::vector<BackendStatus> statuses_;
  const Backend* chosen_ = nullptr;
};

/// The value of SYNTHMINER_HASHCORE, if set and not empty.
std::optional<std::string> backend_override_from_env();

}  // namespace synthminer::hashcore
