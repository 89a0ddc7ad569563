#include "vgpu/task_cost.h"

#include <cmath>
#include <string>

#include "vgpu/tensor/tensor_refs.h"

namespace jarvis {
namespace {

using nlohmann::json;

// Rows and columns of a matrix field (a flat array is one row), or of the
// tensor it names in `tensors`; 0 x 0 when absent or unknown.
std::pair<double, double> shape_of(const json& payload, const char* field, TensorStore* tensors) {
  auto it = payload.find(field);
  if (it == payload.end()) return {0.0, 0.0};
  if (tensors && is_tensor_ref(*it)) {
    const auto& id = (*it)["tensor"];
    auto tensor = id.is_string() ? tensors->find(id.get_ref<const std::string&>()) : nullptr;
    if (!tensor) return {0.0, 0.0};
    const std::vector<uint64_t>& shape = tensor->array.shape;
    if (shape.size() == 1) return {1.0, static_cast<double>(shape[0])};
    if (shape.size() == 2) return {static_cast<double>(shape[0]), static_cast<double>(shape[1])};
    return {0.0, 0.0};
  }
  if (!it->is_array() || it->empty()) return {0.0, 0.0};
  if (!it->front().is_array()) return {1.0, static_cast<double>(it->size())};
  return {static_cast<double>(it->size()), static_cast<double>(it->front().size())};
}

double size_of(const json& payload, const char* field) {
  auto it = payload.find(field);
  if (it == payload.end()) return 0.0;
  if (it->is_array()) return static_cast<double>(it->size());
  if (it->is_string()) return static_cast<double>(it->get_ref<const std::string&>().size());
  if (it->is_number()) return it->get<double>();
  return 0.0;
}

std::string operation_of(const json& payload) {
  auto it = payload.find("operation");
  return it != payload.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

TaskCost estimate_cost(OperationKind kind, const json& payload, TensorStore* tensors) {
  TaskCost cost;
  cost.kind = kind;
  if (!payload.is_object()) return cost;
  const std::string op = operation_of(payload);
  switch (kind) {
    case OperationKind::Linalg: {
      auto [m, k] = shape_of(payload, "matrix", tensors);
      auto [k2, n] = shape_of(payload, "other", tensors);
      if (n == 0.0) n = 1.0;
      if (op == "solve")
        cost.work = 2.0 * m * m * m / 3.0 + 2.0 * m * m * n;
      else if (op == "svd")
        cost.work = 4.0 * std::max(m, k) * std::min(m, k) * std::min(m, k);
      else if (op == "transpose")
        cost.work = m * k;
      else
        cost.work = 2.0 * m * k * n;
      cost.input_bytes = 8.0 * (m * k + k2 * n + size_of(payload, "vector"));
      break;
    }
    case OperationKind::Hashing:
      if (op == "scan") {
        cost.work = 128.0 * size_of(payload, "nonce_count");  // two 64-byte compressions per nonce
        cost.input_bytes = 112.0;
      } else {
        cost.work = size_of(payload, "data") + size_of(payload, "data_hex") / 2.0;
        cost.input_bytes = cost.work;
      }
      break;
    case OperationKind::Generic:
      cost.work = size_of(payload, "values") * (op == "sort" ? 20.0 : 2.0);
      cost.input_bytes = 8.0 * (size_of(payload, "values") + size_of(payload, "other"));
      break;
    case OperationKind::Quantum: {
      double qubits = size_of(payload, "qubits");
      qubits = qubits >= 0.0 ? std::min(qubits, 40.0) : 0.0;  // also maps NaN to 0
      cost.work =
          std::ldexp(8.0, static_cast<int>(qubits)) * std::max(1.0, size_of(payload, "gates"));
      cost.input_bytes = 64.0 * size_of(payload, "gates");
      break;
    }
  }
  // Malformed sizes (negative, NaN) must not steer routing; the payload will be refused.
  if (!(cost.work >= 0.0)) cost.work = 0.0;
  if (!(cost.input_bytes >= 0.0)) cost.input_bytes = 0.0;
  return cost;
}

}  // namespace jarvis
