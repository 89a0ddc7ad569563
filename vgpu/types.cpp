#include "vgpu/types.h"

namespace jarvis {

std::string_view to_string(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::Cpu:
      return "cpu";
    case DeviceKind::Gpu:
      return "gpu";
    case DeviceKind::Virtual:
      return "virtual";
  }
  return "unknown";
}

std::string_view to_string(OperationKind kind) {
  switch (kind) {
    case OperationKind::Hashing:
      return "hashing";
    case OperationKind::Linalg:
      return "linalg";
    case OperationKind::Quantum:
      return "quantum";
    case OperationKind::Generic:
      return "generic";
  }
  return "unknown";
}

std::optional<DeviceKind> device_kind_from_string(std::string_view name) {
  for (DeviceKind kind : {DeviceKind::Cpu, DeviceKind::Gpu, DeviceKind::Virtual})
    if (to_string(kind) == name) return kind;
  return std::nullopt;
}

std::optional<OperationKind> operation_kind_from_string(std::string_view name) {
  for (OperationKind kind : kAllOperationKinds)
    if (to_string(kind) == name) return kind;
  return std::nullopt;
}

}  // namespace jarvis
