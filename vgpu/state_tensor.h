// A quantum result's state vector as a stored tensor: with "output":
// "tensor" the quantum layer leaves the state in the result as json::binary
// (its amplitudes' bytes, not 2^n JSON pairs), and this makes it a
// complex128 tensor of shape (2^n,) in the tensor store, readable as .npy;
// the result then names it under "tensor" as a linalg tensor output does.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "vgpu/tensor/tensor_store.h"

namespace jarvis {

/// Whether `payload` (a quantum payload the layer accepted) asks for the
/// state as a tensor.
bool wants_state_tensor(const nlohmann::json& payload);

/// Moves result["state"] into `store` and puts its summary under
/// result["tensor"]; empty on success, else why ("output: ...").
std::string store_state_tensor(nlohmann::json& result, TensorStore* store);

}  // namespace jarvis
