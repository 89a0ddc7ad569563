#include "vgpu/state_tensor.h"

#include <vector>

#include "vgpu/tensor/npy_codec.h"
#include "vgpu/tensor/tensor_refs.h"

namespace jarvis {

using nlohmann::json;

bool wants_state_tensor(const json& payload) {
  auto it = payload.find("output");
  return it != payload.end() && *it == "tensor";
}

std::string store_state_tensor(json& result, TensorStore* store) {
  if (!store) return "output: \"tensor\" needs the tensor store, which is not available here";
  auto it = result.find("state");
  if (it == result.end() || !it->is_binary()) return "output: the result has no state to store";
  // Interleaved (re, im) doubles: numpy's complex128 in C order.
  const json::binary_t& bytes = it->get_binary();
  constexpr size_t kAmplitudeBytes = 2 * sizeof(double);
  if (bytes.size() % kAmplitudeBytes != 0) return "output: the result's state is malformed";
  PutOutcome put = store->put(
      encode_npy(Dtype::kComplex128, {bytes.size() / kAmplitudeBytes}, bytes.data(), bytes.size()));
  if (!put.tensor) return "output: " + put.error;
  json summary = tensor_summary(*put.tensor);
  summary.erase("bytes");
  result.erase("state");
  result["tensor"] = std::move(summary);
  return {};
}

}  // namespace jarvis
