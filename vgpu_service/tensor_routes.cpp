#include "vgpu_service/tensor_routes.h"

#include <charconv>
#include <string_view>

#include <boost/asio/post.hpp>

#include <string>

#include <spdlog/spdlog.h>

#include "vgpu/tensor/tensor_refs.h"

namespace synthminer::vgpu_service {
namespace {

using nlohmann::json;

constexpr const char* kBase = "/1/vgpu/tensors";

std::optional<telemetry::FamilyId> add_family(telemetry::Registry& registry, const char* name,
                                              const char* help, telemetry::FamilyKind kind) {
  auto family = registry.add_family({name, help, kind, {}});
  if (!family) {
    spdlog::error("vgpu: cannot register {}: {}", name, family.error());
    return std::nullopt;
  }
  return *family;
}

}  // namespace

TensorRoutes::TensorRoutes(std::shared_ptr<jarvis::TensorStore> store,
                           telemetry::Registry& registry, TensorRouteOptions options)
    : store_(std::move(store)), options_(options) {
  watch_metrics(registry);
}

void TensorRoutes::watch_metrics(telemetry::Registry& registry) {
  using telemetry::FamilyKind;
  auto tensors = add_family(registry, "synthminer_vgpu_tensors", "tensors held by the vgpu store",
                            FamilyKind::kGauge);
  auto bytes = add_family(registry, "synthminer_vgpu_tensor_bytes",
                          "bytes of tensor data held by the vgpu store", FamilyKind::kGauge);
  auto evictions =
      add_family(registry, "synthminer_vgpu_tensor_evictions_total",
                 "tensors evicted from the vgpu store to make room", FamilyKind::kCounter);
  // The store owns the counts; the registry mirrors them after each change.
  // The store calls this under its lock, so `reported` needs no lock of its
  // own; a counter only goes up, so it gets the evictions since the last call.
  store_->on_change([&registry, tensors, bytes, evictions,
                     reported = uint64_t{0}](const jarvis::TensorStoreStats& s) mutable {
    if (tensors) registry.family_set(*tensors, {}, static_cast<double>(s.tensors));
    if (bytes) registry.family_set(*bytes, {}, static_cast<double>(s.bytes));
    if (evictions) registry.family_add(*evictions, {}, static_cast<double>(s.evictions - reported));
    reported = s.evictions;
  });
}

void TensorRoutes::add_routes(http::Router& router) {
  http::Route upload_route{http::Verb::post, kBase,
                           [this](http::Request request, http::Responder reply) {
                             upload(std::move(request), std::move(reply));
                           }};
  upload_route.body_limit_bytes = options_.max_upload_bytes;
  http::Route list_route{
      http::Verb::get, kBase,
      [this](http::Request request, http::Responder reply) { list(request, std::move(reply)); }};
  http::Route fetch_route{
      http::Verb::get, std::string(kBase) + "/*",
      [this](http::Request request, http::Responder reply) { fetch(request, std::move(reply)); }};
  http::Route erase_route{
      http::Verb::delete_, std::string(kBase) + "/*",
      [this](http::Request request, http::Responder reply) { erase(request, std::move(reply)); }};
  list_route.requires_auth = true;
  fetch_route.requires_auth = true;
  for (http::Route* route : {&upload_route, &list_route, &fetch_route, &erase_route}) {
    route->json_body = false;  // .npy in, nothing in for the others
    const std::string path = route->path;
    if (!router.add(std::move(*route))) spdlog::error("api: {} registered twice", path);
  }
}

void TensorRoutes::upload(http::Request request, http::Responder reply) {
  bool pinned = false;
  if (request.query == "pin=true") {
    pinned = true;
  } else if (!request.query.empty() && request.query != "pin=false") {
    return reply.fail(http::Status::bad_request, "query: expected nothing, pin=true or pin=false");
  }
  boost::asio::post(helper_, [this, body = std::move(request.body), pinned,
                              reply = std::move(reply)]() mutable {
    jarvis::NpyArray array;
    // The body is taken over, not copied.
    if (auto err = jarvis::decode_npy(std::move(body), options_.max_elements, array); !err.empty())
      return reply.fail(http::Status::unprocessable_entity, err);
    jarvis::PutOutcome put = store_->put(std::move(array), pinned);
    if (!put.tensor) return reply.fail(http::Status::payload_too_large, put.error);
    json answer = jarvis::tensor_summary(*put.tensor);
    answer["pinned"] = pinned;
    answer["sha256"] = put.tensor->digest_hex();
    reply.send(std::move(answer), http::Status::created);
  });
}

void TensorRoutes::fetch(const http::Request& request, http::Responder reply) {
  auto tensor = store_->find(http::path_segment(request.path));
  if (!tensor) return reply.fail(http::Status::not_found, "tensor: no such id");
  // The tensor is held by the pointer while its bytes are copied.
  boost::asio::post(helper_, [tensor = std::move(tensor), reply = std::move(reply)]() mutable {
    reply.send(http::Response::raw("application/octet-stream", tensor->array.bytes));
  });
}

void TensorRoutes::erase(const http::Request& request, http::Responder reply) {
  const std::string id(http::path_segment(request.path));
  if (!store_->erase(id)) return reply.fail(http::Status::not_found, "tensor: no such id");
  reply.send(json{{"deleted", id}});
}

void TensorRoutes::list(const http::Request& request, http::Responder reply) {
  // At most kListMax entries an answer (the store may hold 65,536 or more).
  constexpr uint64_t kListMax = 65536;
  uint64_t limit = 1000;
  if (!request.query.empty()) {
    const std::string_view q = request.query;
    const std::string_view digits = q.substr(q.find('=') + 1);
    const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), limit);
    if (q.rfind("limit=", 0) != 0 || digits.empty() || parsed.ec != std::errc() ||
        parsed.ptr != digits.data() + digits.size() || limit == 0 || limit > kListMax)
      return reply.fail(http::Status::bad_request,
                        "query: expected nothing or limit=N (1.." + std::to_string(kListMax) + ")");
  }
  json tensors = json::array();
  for (const auto& tensor : store_->list(limit)) {
    json item = jarvis::tensor_summary(*tensor);
    item["pinned"] = tensor->pinned;
    tensors.push_back(std::move(item));
  }
  const jarvis::TensorStoreStats stats = store_->stats();
  const bool truncated = tensors.size() < stats.tensors;
  reply.send(json{{"tensors", std::move(tensors)},
                  {"count", stats.tensors},
                  {"truncated", truncated},
                  {"bytes", stats.bytes},
                  {"max_bytes", stats.max_bytes},
                  {"max_tensors", stats.max_tensors},
                  {"evictions", stats.evictions}});
}

}  // namespace synthminer::vgpu_service
