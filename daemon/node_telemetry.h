// Solo mining's figures in the registry: each node pool's chain and height,
// the age of its template, and its blocks (sent, accepted, rejected by the
// node's reason). The node sessions keep them (solo::NodeStatusBoard); this
// copies them into registry families whenever publish() is called (the
// daemon's status timer), adding the counters' increments since the last.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "solo/node_status.h"
#include "telemetry/registry.h"

namespace synthminer::daemon {

class NodeTelemetry {
 public:
  explicit NodeTelemetry(telemetry::Registry& registry);

  void publish(const std::vector<solo::NodeSnapshot>& nodes);

 private:
  void add_delta(telemetry::FamilyId family, const std::vector<std::string>& labels,
                 uint64_t total);

  telemetry::Registry& registry_;
  std::optional<telemetry::FamilyId> height_, template_age_, submitted_, accepted_, rejected_;
  std::map<std::pair<size_t, std::vector<std::string>>, uint64_t> published_;
};

/// "solo on regtest, height 213, template 4 s old, blocks accepted 12 rejected 0"
std::string describe_node(const solo::NodeSnapshot& node);

}  // namespace synthminer::daemon
