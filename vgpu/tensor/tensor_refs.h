// Tensor ids inside a JSON payload: an operand written {"tensor": "<id>"}
// instead of its numbers. For the cache key each such operand is replaced by
// the tensor's content digest, so the key does not depend on the id (a
// re-upload of the same bytes hits) and a deleted or replaced id never
// answers with another tensor's result.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "vgpu/tensor/tensor_store.h"

namespace jarvis {

/// Whether `value` is an operand given by id: {"tensor": "<string>"}.
bool is_tensor_ref(const nlohmann::json& value);

/// The tensor `value` ({"tensor": id}) names, or the error naming `path`
/// ("matrix.tensor: no tensor 't-...' (deleted, evicted or never uploaded)").
std::string resolve_tensor_ref(const nlohmann::json& value, const std::string& path,
                               TensorStore* store, std::shared_ptr<const StoredTensor>& out);

/// Whether any top-level field of `payload` is a tensor operand.
bool has_tensor_refs(const nlohmann::json& payload);

/// `payload` with each top-level tensor operand replaced by
/// {"tensor_sha256": "<hex>"}: what the cache key is made of. Empty string on
/// success, else the resolve error.
std::string tensor_key_payload(const nlohmann::json& payload, TensorStore* store,
                               nlohmann::json& out);

/// {"id", "shape", "dtype", "bytes"} of `tensor`.
nlohmann::json tensor_summary(const StoredTensor& tensor);

/// The id of the output tensor a result names ({"tensor": {"id": ...}}), or
/// "" when it names none.
std::string result_tensor_id(const nlohmann::json& result);

/// Whether the output tensor `id` a cached result names ("" for none) is
/// still in `store`; a result whose output tensor is gone must be recomputed.
bool result_tensor_present(const std::string& id, TensorStore* store);

}  // namespace jarvis
