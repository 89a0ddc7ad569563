// The vocabulary of the Jarvis layers: device kinds, operation kinds and the
// description of one adapter device, with their string forms.
#pragma once

#include <array>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace jarvis {

enum class DeviceKind { Cpu, Gpu, Virtual };
enum class OperationKind { Hashing, Linalg, Quantum, Generic };

inline constexpr std::array<OperationKind, 4> kAllOperationKinds = {
    OperationKind::Hashing, OperationKind::Linalg, OperationKind::Quantum, OperationKind::Generic};

/// "cpu", "gpu", "virtual".
std::string_view to_string(DeviceKind kind);
/// "hashing", "linalg", "quantum", "generic" (the `kind` argument of submit()).
std::string_view to_string(OperationKind kind);
/// Case-sensitive inverse of to_string; nullopt for an unknown name.
std::optional<DeviceKind> device_kind_from_string(std::string_view name);
std::optional<OperationKind> operation_kind_from_string(std::string_view name);

/// Index of `kind` in per-kind arrays (0..3).
constexpr size_t kind_index(OperationKind kind) {
  return static_cast<size_t>(kind);
}

/// One device of the adapter cluster, as the seed describes it.
struct AdapterDevice {
  std::string id;     ///< unique, e.g. "cpu_main"
  std::string label;  ///< for people, e.g. "CPU Device"
  DeviceKind kind = DeviceKind::Cpu;
  double perf_score = 0.0;  ///< GFLOP/s of dense linalg, measured by calibration
  std::set<OperationKind> capabilities;
  /// Work units per second for each OperationKind (index kind_index): FLOP/s
  /// for linalg, generic and quantum, bytes/s for hashing. 0 = not measured:
  /// the cluster then derives one from perf_score (perf_score * 1e9).
  std::array<double, 4> throughput{};

  bool can_run(OperationKind op) const { return capabilities.count(op) != 0; }
};

}  // namespace jarvis
