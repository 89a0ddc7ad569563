#include "daemon/node_telemetry.h"

#include <chrono>

#include <fmt/format.h>

namespace synthminer::daemon {
namespace {

std::optional<telemetry::FamilyId> add(telemetry::Registry& registry, const char* name,
                                       const char* help, telemetry::FamilyKind kind,
                                       std::vector<std::string> labels) {
  auto family = registry.add_family({name, help, kind, std::move(labels)});
  if (!family) return std::nullopt;
  return *family;
}

uint64_t rejected_total(const solo::NodeSnapshot& node) {
  uint64_t total = 0;
  for (const auto& [reason, count] : node.blocks_rejected) total += count;
  return total;
}

}  // namespace

NodeTelemetry::NodeTelemetry(telemetry::Registry& registry) : registry_(registry) {
  using telemetry::FamilyKind;
  height_ = add(registry, "synthminer_node_height",
                "Solo mining: the height of the block being mined, by node and chain",
                FamilyKind::kGauge, {"pool", "chain"});
  template_age_ = add(registry, "synthminer_node_template_age_seconds",
                      "Solo mining: seconds since the node's latest block template (updated every "
                      "status interval)",
                      FamilyKind::kGauge, {"pool"});
  submitted_ =
      add(registry, "synthminer_blocks_submitted_total",
          "Solo mining: blocks sent to the node with submitblock", FamilyKind::kCounter, {"pool"});
  accepted_ = add(registry, "synthminer_blocks_accepted_total",
                  "Solo mining: blocks the node accepted (submitblock answered null)",
                  FamilyKind::kCounter, {"pool"});
  rejected_ = add(registry, "synthminer_blocks_rejected_total",
                  "Solo mining: blocks the node rejected, by its reason", FamilyKind::kCounter,
                  {"pool", "reason"});
}

void NodeTelemetry::add_delta(telemetry::FamilyId family, const std::vector<std::string>& labels,
                              uint64_t total) {
  uint64_t& seen = published_[{family.index, labels}];
  if (total > seen) registry_.family_add(family, labels, static_cast<double>(total - seen));
  seen = std::max(seen, total);
}

void NodeTelemetry::publish(const std::vector<solo::NodeSnapshot>& nodes) {
  const auto now = std::chrono::steady_clock::now();
  for (const solo::NodeSnapshot& node : nodes) {
    const std::string& pool = node.pool_name;
    if (height_ && !node.chain.empty()) {
      registry_.family_set(*height_, {pool, node.chain}, static_cast<double>(node.template_height));
    }
    if (template_age_) {
      if (const auto age = node.template_age_seconds(now)) {
        registry_.family_set(*template_age_, {pool}, *age);
      }
    }
    if (submitted_) add_delta(*submitted_, {pool}, node.blocks_submitted);
    if (accepted_) add_delta(*accepted_, {pool}, node.blocks_accepted);
    if (rejected_) {
      for (const auto& [reason, count] : node.blocks_rejected) {
        add_delta(*rejected_, {pool, reason}, count);
      }
    }
  }
}

std::string describe_node(const solo::NodeSnapshot& node) {
  const auto age = node.template_age_seconds(std::chrono::steady_clock::now());
  return fmt::format("solo on {}, height {}, template {} | blocks accepted {} rejected {}",
                     node.chain.empty() ? "?" : node.chain, node.template_height,
                     age ? fmt::format("{:.0f} s old", *age) : std::string("none yet"),
                     node.blocks_accepted, rejected_total(node));
}

}  // namespace synthminer::daemon
