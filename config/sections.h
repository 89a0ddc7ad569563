// One reader per section of the config document. Each checks its own keys and
// values and throws FieldError (config/object_reader.h) on the first bad one.
// Internal to the config module; parse_config (config/load.h) is the boundary.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "config/object_reader.h"

namespace synthminer::config {

/// pools[i], at JSON pointer `path`.
PoolConfig read_pool(const nlohmann::json& value, const std::string& path);

void read_stratum(ObjectReader& in, StratumConfig& out);
void read_devices(ObjectReader& in, DevicesConfig& out);
void read_scheduler(ObjectReader& in, SchedulerConfig& out);
void read_logging(ObjectReader& in, LoggingConfig& out);
void read_metrics(ObjectReader& in, MetricsConfig& out);
void read_api(ObjectReader& in, ApiConfig& out);
void read_vgpu(ObjectReader& in, VgpuConfig& out);

/// Calls `read(section_reader)` on the object under `key` when present, then
/// refuses its unknown keys.
template <class F>
void read_section(ObjectReader& parent, std::string_view key, F&& read) {
  const nlohmann::json* value = parent.find(key);
  if (value == nullptr) return;
  ObjectReader section(*value, parent.path_of(key));
  read(section);
  section.finish();
}

}  // namespace synthminer::config
