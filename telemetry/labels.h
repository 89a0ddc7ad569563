// Label values from outside (a pool's reject reason, a configured pool
// name) made safe for Prometheus and JSON, and bounded in number so a
// chatty pool cannot grow the series count without limit.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>

namespace synthminer::telemetry {

/// A reason as a short token: ASCII letters lowered, every run of other
/// bytes one '_', no '_' at either end, at most kMaxReasonLength bytes;
/// "unknown" when nothing is left. "Job not found (=stale)" ->
/// "job_not_found_stale".
std::string sanitize_reason(std::string_view reason);
inline constexpr size_t kMaxReasonLength = 48;

/// A name (pool, device, vgpu kind) kept readable: valid UTF-8 is kept,
/// control characters and invalid bytes become '_', at most kMaxNameLength
/// bytes (cut on a character boundary); "unnamed" when empty.
std::string sanitize_name(std::string_view name);
inline constexpr size_t kMaxNameLength = 128;

/// At most `cap` distinct values; later new ones fold into `overflow`.
class BoundedLabels {
 public:
  explicit BoundedLabels(size_t cap, std::string overflow = "other")
      : cap_(cap), overflow_(std::move(overflow)) {}
  /// `value` when already admitted or there is room for it, else the
  /// overflow value.
  std::string admit(const std::string& value);
  size_t size() const { return admitted_.size(); }

 private:
  size_t cap_;
  std::string overflow_;
  std::set<std::string> admitted_;
};

}  // namespace synthminer::telemetry
