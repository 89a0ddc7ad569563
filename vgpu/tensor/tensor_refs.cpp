#include "vgpu/tensor/tensor_refs.h"

namespace jarvis {

using nlohmann::json;

bool is_tensor_ref(const json& value) {
  return value.is_object() && value.size() == 1 && value.contains("tensor");
}

std::string resolve_tensor_ref(const json& value, const std::string& path, TensorStore* store,
                               std::shared_ptr<const StoredTensor>& out) {
  const json& id = value["tensor"];
  if (!id.is_string()) return path + ".tensor: expected a tensor id string (\"t-...\")";
  if (!store) return path + ".tensor: tensor ids are not available here (no tensor store)";
  const auto& text = id.get_ref<const std::string&>();
  out = store->find(text);
  if (out) return {};
  // Ids are "t-" + 16 hex; anything else is not echoed back.
  const bool well_formed = text.size() == 18 && text.rfind("t-", 0) == 0 &&
                           text.find_first_not_of("0123456789abcdef", 2) == std::string::npos;
  return path +
         ".tensor: " + (well_formed ? "no tensor '" + text + "'" : std::string("no such id")) +
         " (deleted, evicted or never uploaded)";
}

bool has_tensor_refs(const json& payload) {
  if (!payload.is_object()) return false;
  for (const auto& [key, value] : payload.items())
    if (is_tensor_ref(value)) return true;
  return false;
}

std::string tensor_key_payload(const json& payload, TensorStore* store, json& out) {
  out = payload;
  for (auto& [key, value] : out.items()) {
    if (!is_tensor_ref(value)) continue;
    std::shared_ptr<const StoredTensor> tensor;
    if (auto err = resolve_tensor_ref(value, key, store, tensor); !err.empty()) return err;
    value = json{{"tensor_sha256", tensor->digest_hex()}};
  }
  return {};
}

json tensor_summary(const StoredTensor& tensor) {
  return {{"id", tensor.id},
          {"shape", tensor.array.shape},
          {"dtype", dtype_name(tensor.array.dtype)},
          {"bytes", tensor.bytes()}};
}

std::string result_tensor_id(const json& result) {
  if (!result.is_object()) return {};
  auto it = result.find("tensor");
  if (it == result.end() || !it->is_object()) return {};
  auto id = it->find("id");
  if (id == it->end() || !id->is_string()) return {};
  return id->get<std::string>();
}

bool result_tensor_present(const std::string& id, TensorStore* store) {
  return id.empty() || (store && store->find(id) != nullptr);
}

}  // namespace jarvis
