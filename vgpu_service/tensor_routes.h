// The tensor routes: operands uploaded once as .npy and referred to by id
// in submit payloads ({"tensor": "<id>"}).
//
//   POST   /1/vgpu/tensors[?pin=true]  body: .npy bytes -> 201 {"id", "shape", "dtype", "bytes",
//                                      "pinned", "sha256"}
//   GET    /1/vgpu/tensors[?limit=N]   -> {"tensors": [...] (the N, default 1000, most recently
//                                      used), "count", "truncated", "bytes", "max_bytes",
//                                      "max_tensors", "evictions"}
//   GET    /1/vgpu/tensors/<id>        -> the .npy bytes (application/octet-stream)
//   DELETE /1/vgpu/tensors/<id>        -> {"deleted": id}
//
// Every route needs the API token (POST and DELETE as every write does, the
// GETs because tensors are users' data). Refusals: 400 bad query, 422 a
// .npy the codec refuses (naming the problem), 404 unknown id, 413 a body
// over the upload limit or a tensor the store cannot hold.
//
// Threads: handlers start on the io thread, which also runs the pool client
// and every other request; an upload's decoding (in place: the body is taken
// over, not copied) and SHA-256 (~20 ms for 32 MiB on SHA-NI, ten times that
// at the 256 MiB limit), and a download's copy, run on a helper thread of
// their own, one at a time. The store is thread-safe; workers read it while
// uploads arrive.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio/thread_pool.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "http/router.h"
#include "telemetry/registry.h"
#include "vgpu/tensor/tensor_store.h"

namespace synthminer::vgpu_service {

struct TensorRouteOptions {
  size_t max_upload_bytes = size_t{256} << 20;  ///< .npy body limit; larger gets 413
  uint64_t max_elements = uint64_t{1} << 28;    ///< elements of one tensor
};

class TensorRoutes {
 public:
  /// Registers the /metrics families (synthminer_vgpu_tensors,
  /// synthminer_vgpu_tensor_bytes, synthminer_vgpu_tensor_evictions_total) and
  /// keeps them in step with `store`. Store and registry outlive this.
  TensorRoutes(std::shared_ptr<jarvis::TensorStore> store, telemetry::Registry& registry,
               TensorRouteOptions options = {});

  void add_routes(http::Router& router);

 private:
  void upload(http::Request request, http::Responder reply);
  void fetch(const http::Request& request, http::Responder reply);
  void erase(const http::Request& request, http::Responder reply);
  void list(const http::Request& request, http::Responder reply);
  void watch_metrics(telemetry::Registry& registry);

  std::shared_ptr<jarvis::TensorStore> store_;
  TensorRouteOptions options_;
  boost::asio::thread_pool helper_{1};  ///< last member: joined before the rest goes
};

}  // namespace synthminer::vgpu_service
