// ApiRefusals: what the daemon does with each request or connection the
// API server refuses (bad token, bad body, over a limit, slots full, no
// header in time): counts it in synthminer_api_refused_total{reason} and
// logs it, at most a few lines a second per kind, the rest summarised with
// a count on the next line of that kind. Client text (the path) is made
// printable and bounded before it is logged; header values never are.
// Any thread: the registry and the throttle have their own locks.
#pragma once

#include <optional>

#include "common/log_throttle.h"
#include "http/refusal.h"
#include "telemetry/registry.h"

namespace synthminer::api {

class ApiRefusals {
 public:
  /// Registers the counter family in `registry`, which must outlive this.
  /// `now` is the throttle's clock (tests script it).
  explicit ApiRefusals(telemetry::Registry& registry,
                       common::LogThrottle::Now now = common::LogThrottle::Clock::now);

  /// Counts and (throttled) logs one refusal.
  void record(const http::RefusalRecord& refusal);

 private:
  telemetry::Registry& registry_;
  std::optional<telemetry::FamilyId> family_;  ///< unset if the name was taken
  common::LogThrottle throttle_;
};

}  // namespace synthminer::api
