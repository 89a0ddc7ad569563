// The tensor routes through the router, without sockets: upload, list,
// fetch (the very bytes), delete, every refusal with its status, and the
// /metrics families kept in step with the store.
#include "vgpu_service/tensor_routes.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "http/responder.h"
#include "telemetry/prometheus_render.h"
#include "vgpu/tensor/npy_codec.h"

namespace synthminer::vgpu_service {
namespace {

using nlohmann::json;

// Keeps what a handler answered; uploads and downloads answer from the
// routes' helper thread.
struct Captured : http::ReplyTarget {
  void deliver(http::Response r) override {
    std::lock_guard lock(mu);
    response = std::move(r);
    thread = std::this_thread::get_id();
    answered.notify_all();
  }
  std::optional<http::Response> wait() {
    std::unique_lock lock(mu);
    answered.wait_for(lock, std::chrono::seconds(30), [this] { return response.has_value(); });
    return response;
  }
  std::mutex mu;
  std::condition_variable answered;
  std::optional<http::Response> response;
  std::thread::id thread;  ///< that answered
};

class TensorRoutesTest : public ::testing::Test {
 protected:
  TensorRoutesTest()
      : store_(std::make_shared<jarvis::TensorStore>(jarvis::TensorStoreOptions{4096})),
        routes_(store_, registry_, TensorRouteOptions{2048, 1u << 20}) {
    routes_.add_routes(router_);
  }

  http::Response call(http::Verb verb, std::string path, std::string body = {},
                      std::string query = {}) {
    auto match = router_.find(verb, path);
    EXPECT_TRUE(match.route) << path;
    if (!match.route) return {};
    if (verb == http::Verb::post) {
      EXPECT_FALSE(match.route->json_body) << "the body is .npy";
    }
    http::Request request;
    request.method = verb;
    request.path = std::move(path);
    request.query = std::move(query);
    request.body = std::move(body);
    auto target = std::make_shared<Captured>();
    match.route->handler(std::move(request), http::Responder(target));
    auto response = target->wait();
    answered_on_ = target->thread;
    EXPECT_TRUE(response);
    return response.value_or(http::Response{});
  }

  static std::string npy(size_t n, double value = 1.5) {
    std::vector<double> data(n, value);
    return jarvis::encode_npy(jarvis::Dtype::kFloat64, {n}, data.data(), n * 8).bytes;
  }

  telemetry::Registry registry_;
  std::shared_ptr<jarvis::TensorStore> store_;
  TensorRoutes routes_;
  http::Router router_;
  std::thread::id answered_on_;  ///< the thread that answered the last call
};

// Decoding and hashing an upload, and copying a download, would hold up the
// io thread (the pool client, every other request): they are answered from
// the helper, not the thread that called the handler.
TEST_F(TensorRoutesTest, UploadsAndDownloadsAreAnsweredOffTheCallingThread) {
  const http::Response up = call(http::Verb::post, "/1/vgpu/tensors", npy(4));
  ASSERT_EQ(up.status, http::Status::created) << up.body.dump();
  EXPECT_NE(answered_on_, std::this_thread::get_id());
  const std::string id = up.body["id"];
  EXPECT_EQ(call(http::Verb::get, "/1/vgpu/tensors/" + id).status, http::Status::ok);
  EXPECT_NE(answered_on_, std::this_thread::get_id());
  // The cheap ones answer at once.
  EXPECT_EQ(call(http::Verb::get, "/1/vgpu/tensors").status, http::Status::ok);
  EXPECT_EQ(answered_on_, std::this_thread::get_id());
}

TEST_F(TensorRoutesTest, UploadFetchListDelete) {
  const std::string file = npy(4);
  http::Response up = call(http::Verb::post, "/1/vgpu/tensors", file);
  ASSERT_EQ(up.status, http::Status::created) << up.body.dump();
  const std::string id = up.body["id"];
  EXPECT_EQ(up.body["shape"], json::array({4}));
  EXPECT_EQ(up.body["dtype"], "float64");
  EXPECT_EQ(up.body["bytes"], 32);
  EXPECT_EQ(up.body["pinned"], false);
  EXPECT_EQ(up.body["sha256"].get<std::string>().size(), 64u);

  http::Response got = call(http::Verb::get, "/1/vgpu/tensors/" + id);
  EXPECT_EQ(got.status, http::Status::ok);
  EXPECT_EQ(got.content_type, "application/octet-stream");
  EXPECT_EQ(got.raw_body, file);

  http::Response listed = call(http::Verb::get, "/1/vgpu/tensors");
  ASSERT_EQ(listed.body["tensors"].size(), 1u);
  EXPECT_EQ(listed.body["tensors"][0]["id"], id);
  EXPECT_EQ(listed.body["bytes"], 32);
  EXPECT_EQ(listed.body["max_bytes"], 4096);

  EXPECT_EQ(call(http::Verb::delete_, "/1/vgpu/tensors/" + id).body["deleted"], id);
  EXPECT_EQ(call(http::Verb::get, "/1/vgpu/tensors/" + id).status, http::Status::not_found);
  EXPECT_EQ(call(http::Verb::delete_, "/1/vgpu/tensors/" + id).status, http::Status::not_found);
}

TEST_F(TensorRoutesTest, TheListingIsBoundedAndSaysSo) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    http::Response up = call(http::Verb::post, "/1/vgpu/tensors", npy(2));
    ASSERT_EQ(up.status, http::Status::created) << up.body.dump();
    ids.push_back(up.body["id"]);
  }
  http::Response all = call(http::Verb::get, "/1/vgpu/tensors");
  EXPECT_EQ(all.body["tensors"].size(), 3u);
  EXPECT_EQ(all.body["count"], 3);
  EXPECT_EQ(all.body["truncated"], false);
  http::Response two = call(http::Verb::get, "/1/vgpu/tensors", {}, "limit=2");
  ASSERT_EQ(two.status, http::Status::ok) << two.body.dump();
  ASSERT_EQ(two.body["tensors"].size(), 2u);
  EXPECT_EQ(two.body["tensors"][0]["id"], ids[2]);  // most recently used first
  EXPECT_EQ(two.body["tensors"][1]["id"], ids[1]);
  EXPECT_EQ(two.body["count"], 3);
  EXPECT_EQ(two.body["truncated"], true);
  for (const char* bad : {"limit=0", "limit=x", "limit=", "limit=65537", "limit=2x", "pin=true"}) {
    http::Response refused = call(http::Verb::get, "/1/vgpu/tensors", {}, bad);
    EXPECT_EQ(refused.status, http::Status::bad_request) << bad;
    EXPECT_NE(refused.body["error"].get<std::string>().find("limit=N"), std::string::npos) << bad;
  }
}

TEST_F(TensorRoutesTest, RefusalsAndTheirStatus) {
  http::Response bad = call(http::Verb::post, "/1/vgpu/tensors", "not npy");
  EXPECT_EQ(bad.status, http::Status::unprocessable_entity);
  EXPECT_NE(bad.body["error"].get<std::string>().find("not a .npy file"), std::string::npos);
  std::vector<float> f(2);
  std::string i4 = jarvis::encode_npy(jarvis::Dtype::kFloat32, {2}, f.data(), 8).bytes;
  i4.replace(i4.find("<f4"), 3, "<i4");
  http::Response dtype = call(http::Verb::post, "/1/vgpu/tensors", i4);
  EXPECT_EQ(dtype.status, http::Status::unprocessable_entity);
  EXPECT_NE(dtype.body["error"].get<std::string>().find("descr '<i4' not supported"),
            std::string::npos);
  EXPECT_EQ(call(http::Verb::post, "/1/vgpu/tensors", npy(2), "pin=maybe").status,
            http::Status::bad_request);
  // Over the store's 4096 bytes (the 2048-byte body limit is the server's to enforce).
  http::Response big = call(http::Verb::post, "/1/vgpu/tensors", npy(600));
  EXPECT_EQ(big.status, http::Status::payload_too_large);
  // Pinned tensors fill the store: the next upload is refused, not an eviction.
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(call(http::Verb::post, "/1/vgpu/tensors", npy(128), "pin=true").status,
              http::Status::created);
  http::Response full = call(http::Verb::post, "/1/vgpu/tensors", npy(128));
  EXPECT_EQ(full.status, http::Status::payload_too_large);
  EXPECT_NE(full.body["error"].get<std::string>().find("full of pinned"), std::string::npos);
  auto upload = router_.find(http::Verb::post, "/1/vgpu/tensors");
  EXPECT_EQ(upload.route->body_limit_bytes, 2048u);
  EXPECT_TRUE(router_.find(http::Verb::get, "/1/vgpu/tensors/x").route->requires_auth);
}

TEST_F(TensorRoutesTest, MetricsFollowTheStore) {
  for (int i = 0; i < 5; ++i) call(http::Verb::post, "/1/vgpu/tensors", npy(128));  // 1 KiB each
  const std::string text = telemetry::prometheus_text(registry_);
  EXPECT_NE(text.find("synthminer_vgpu_tensors 4"), std::string::npos) << text;
  EXPECT_NE(text.find("synthminer_vgpu_tensor_bytes 4096"), std::string::npos) << text;
  EXPECT_NE(text.find("synthminer_vgpu_tensor_evictions_total 1"), std::string::npos) << text;
}

}  // namespace
}  // namespace synthminer::vgpu_service
