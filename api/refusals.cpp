#include "api/refusals.h"

#include <spdlog/spdlog.h>

#include "common/printable.h"

namespace synthminer::api {

ApiRefusals::ApiRefusals(telemetry::Registry& registry, common::LogThrottle::Now now)
    : registry_(registry), throttle_(common::LogThrottleOptions{}, std::move(now)) {
  auto family = registry_.add_family(
      {"synthminer_api_refused_total",
       "API requests and connections refused: bad token, bad request, over a limit, slots full, "
       "no header in time",
       telemetry::FamilyKind::kCounter,
       {"reason"}});
  if (family) family_ = *family;
}

void ApiRefusals::record(const http::RefusalRecord& refusal) {
  const char* kind = http::to_string(refusal.kind);
  if (family_) registry_.family_add(*family_, {kind});
  // Keyed by kind alone: a key never comes from the client.
  const auto verdict = throttle_.admit(kind);
  if (!verdict) return;
  const std::string status =
      refusal.status ? " (" + std::to_string(refusal.status) + ")" : std::string(" (dropped)");
  const std::string path =
      refusal.path.empty() ? std::string() : " " + common::printable(refusal.path, 200);
  spdlog::warn("api: refused {}{} from {}{}{}", kind, status,
               common::printable(refusal.remote_address, 64), path, verdict.suffix());
}

}  // namespace synthminer::api
