// A 2048 x 2048 matvec four ways, side by side in one run: (a) Eigen in
// process, (b) through the HTTP API with the matrix uploaded once as a
// tensor and named by id, (b') the same with no JSON numbers at all: each
// call uploads its vector as .npy, names both by id and reads the product
// back as .npy (three requests), (c) through the HTTP API with the matrix as
// JSON; and a cache hit end to end through the HTTP API.
//
// The server is the daemon's http::Server on loopback with the tensor
// routes and a submit route that runs the service's own request code
// (vgpu_service::answer_vgpu_submit: parse, Jarvis route/run, answer) on the
// io thread. What it leaves out is the hop to a mining worker, which waits
// for the worker's current batch to end (scheduler-dependent, not the cost
// measured here). The client is Beast, one keep-alive connection. The
// server's io thread runs the daemon's IoLoop; the small cache hit is
// measured with api.busy_poll_us off (/0) and at 200 us (/200).
#include <utility>

#include <benchmark/benchmark.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include <Eigen/Dense>

#include "http/io_loop.h"
#include "http/server.h"
#include "telemetry/registry.h"
#include "tests/vgpu/random_values.h"
#include "vgpu/jarvis.h"
#include "vgpu_service/tensor_routes.h"
#include "vgpu_service/vgpu_request.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using namespace synthminer;
using nlohmann::json;

constexpr int kN = 2048;

jarvis::AdapterDevice cpu_device() {
  jarvis::AdapterDevice cpu;
  cpu.id = "cpu_main";
  cpu.kind = jarvis::DeviceKind::Cpu;
  cpu.perf_score = 10.0;
  cpu.capabilities = {jarvis::OperationKind::Linalg, jarvis::OperationKind::Generic};
  return cpu;
}

using synthminer::testing::random_values;

// The server, its Jarvis and tensor store, and one keep-alive client.
class Rig {
 public:
  explicit Rig(std::chrono::microseconds busy_poll = std::chrono::microseconds(0))
      : jarvis_({cpu_device()}, nullptr, nullptr, nullptr, nullptr),
        // SHA-NI for tensor digests where the CPU has it, as the daemon's store.
        store_(std::make_shared<jarvis::TensorStore>(jarvis::TensorStoreOptions{
            .max_bytes = uint64_t{1} << 30, .sha = jarvis_.digest_backend()})),
        routes_(store_, registry_),
        guard_(asio::make_work_guard(io_)) {
    jarvis_.use_tensor_store(store_);
    http::Router router;
    routes_.add_routes(router);
    http::Route submit{http::Verb::post, "/1/vgpu/submit",
                       [this](http::Request request, http::Responder reply) {
                         auto answer = vgpu_service::answer_vgpu_submit(jarvis_, request.body);
                         reply.send(vgpu_service::vgpu_response(std::move(answer)));
                       }};
    submit.body_limit_bytes = size_t{512} << 20;
    submit.json_body = false;
    (void)router.add(std::move(submit));
    http::ServerOptions options;
    options.port = 0;
    options.open_loopback = true;
    options.rate_limit.requests_per_second = 0;
    server_ = std::make_unique<http::Server>(io_, options, std::move(router));
    auto bound = server_->start();
    if (!bound) throw std::runtime_error(bound.error().message);
    thread_ = std::thread([this, busy_poll] {
      http::IoLoop loop(io_, busy_poll);
      while (!io_.stopped()) loop.run_one_for(std::chrono::milliseconds(50));
    });
    stream_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), bound->port()));
  }
  ~Rig() {
    beast::error_code ec;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    asio::post(io_, [this] { server_->stop(); });
    guard_.reset();
    io_.stop();
    thread_.join();
  }

  bhttp::response<bhttp::string_body> request(bhttp::verb verb, const std::string& target,
                                              std::string body, const char* type) {
    bhttp::request<bhttp::string_body> req{verb, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.set(bhttp::field::content_type, type);
    req.keep_alive(true);
    req.body() = std::move(body);
    req.prepare_payload();
    bhttp::write(stream_, req);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(size_t{1} << 30);
    bhttp::read(stream_, buffer_, parser);
    return parser.release();
  }
  json submit(const std::string& body) {
    auto res = request(bhttp::verb::post, "/1/vgpu/submit", body, "application/json");
    return json::parse(res.body());
  }
  std::string download(const std::string& id) {
    return request(bhttp::verb::get, "/1/vgpu/tensors/" + id, {}, "application/octet-stream")
        .body();
  }
  std::string upload(const std::vector<double>& rows_major, std::vector<uint64_t> shape) {
    auto npy = jarvis::encode_npy(jarvis::Dtype::kFloat64, std::move(shape), rows_major.data(),
                                  rows_major.size() * sizeof(double));
    auto res = request(bhttp::verb::post, "/1/vgpu/tensors", std::move(npy.bytes),
                       "application/octet-stream");
    return json::parse(res.body()).at("id");
  }

 private:
  telemetry::Registry registry_;
  jarvis::Jarvis5090X jarvis_;
  std::shared_ptr<jarvis::TensorStore> store_;
  vgpu_service::TensorRoutes routes_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  beast::tcp_stream stream_{io_.get_executor()};
  beast::flat_buffer buffer_;
};

// The JSON of a vector whose first entry is `first` (so each call misses the cache).
std::string vector_json(const std::vector<double>& x, uint64_t first) {
  json v = x;
  v[0] = static_cast<double>(first);
  return v.dump();
}

void BM_Matvec2048_InProcessEigen(benchmark::State& state) {
  const auto a = random_values(size_t{kN} * kN, 1);
  const Eigen::MatrixXd m = Eigen::Map<const Eigen::MatrixXd>(a.data(), kN, kN);
  const Eigen::VectorXd x = Eigen::Map<const Eigen::VectorXd>(random_values(kN, 2).data(), kN);
  Eigen::VectorXd y(kN);
  for (auto _ : state) {
    y.noalias() = m * x;
    benchmark::DoNotOptimize(y.data());
  }
  state.counters["flops"] =
      benchmark::Counter(2.0 * kN * kN, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Matvec2048_HttpTensorId(benchmark::State& state) {
  Rig rig;
  const std::string id = rig.upload(random_values(size_t{kN} * kN, 1), {kN, kN});
  const auto x = random_values(kN, 2);
  const std::string prefix = R"({"kind":"linalg","payload":{"operation":"matvec","compress":false,)"
                             R"("matrix":{"tensor":")" +
                             id + R"("},"vector":)";
  uint64_t i = 0;
  for (auto _ : state) {
    json r = rig.submit(prefix + vector_json(x, ++i) + "}}");
    if (!r.value("ok", false) || r.value("cached", true)) state.SkipWithError(r.dump().c_str());
  }
}

void BM_Matvec2048_HttpAllTensors(benchmark::State& state) {
  Rig rig;
  const std::string a_id = rig.upload(random_values(size_t{kN} * kN, 1), {kN, kN});
  auto x = random_values(kN, 2);
  uint64_t i = 0;
  for (auto _ : state) {
    x[0] = static_cast<double>(++i);  // a new vector each call: no cache hits
    const std::string x_id = rig.upload(x, {kN});
    json r = rig.submit(R"({"kind":"linalg","payload":{"operation":"matvec","compress":false,)"
                        R"("matrix":{"tensor":")" +
                        a_id + R"("},"vector":{"tensor":")" + x_id + R"("},"output":"tensor"}})");
    if (!r.value("ok", false) || r.value("cached", true)) {
      state.SkipWithError(r.dump().c_str());
      break;
    }
    const std::string npy = rig.download(r["result"]["tensor"]["id"].get<std::string>());
    benchmark::DoNotOptimize(npy.data());
  }
}

void BM_Matvec2048_HttpJson(benchmark::State& state) {
  Rig rig;
  const auto a = random_values(size_t{kN} * kN, 1);
  json rows = json::array();
  for (int r = 0; r < kN; ++r)
    rows.push_back(std::vector<double>(a.begin() + r * kN, a.begin() + (r + 1) * kN));
  const std::string prefix =
      R"({"kind":"linalg","payload":{"operation":"matvec","compress":false,"matrix":)" +
      rows.dump() + R"(,"vector":)";
  const auto x = random_values(kN, 2);
  uint64_t i = 0;
  for (auto _ : state) {
    json r = rig.submit(prefix + vector_json(x, ++i) + "}}");
    if (!r.value("ok", false) || r.value("cached", true)) state.SkipWithError(r.dump().c_str());
  }
  state.counters["body_bytes"] = static_cast<double>(prefix.size());
}

// The seed's example, answered from the cache after the first call.
void BM_CacheHit_HttpSmall(benchmark::State& state) {
  Rig rig(std::chrono::microseconds(state.range(0)));
  const std::string body =
      R"({"kind":"linalg","signature":"s","payload":{"matrix":[1.0,2.0],"vector":[3.0,4.0],"operation":"matmul"}})";
  rig.submit(body);
  for (auto _ : state) {
    json r = rig.submit(body);
    if (!r.value("cached", false)) state.SkipWithError(r.dump().c_str());
  }
}

// A 2048 x 2048 matvec by tensor id, answered from the cache (2048 numbers back).
void BM_CacheHit_HttpTensorId2048(benchmark::State& state) {
  Rig rig;
  const std::string id = rig.upload(random_values(size_t{kN} * kN, 1), {kN, kN});
  const std::string body = R"({"kind":"linalg","payload":{"operation":"matvec","compress":false,)"
                           R"("matrix":{"tensor":")" +
                           id + R"("},"vector":)" + json(random_values(kN, 2)).dump() + "}}";
  rig.submit(body);
  for (auto _ : state) {
    json r = rig.submit(body);
    if (!r.value("cached", false)) state.SkipWithError(r.dump().c_str());
  }
}

// The floor under the HTTP rows: a bare loopback TCP round trip of 300
// bytes between this thread and an echo thread, no HTTP, no work.
void BM_LoopbackRoundTrip_Floor(benchmark::State& state) {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  asio::ip::tcp::socket client(io), server(io);
  client.connect(acceptor.local_endpoint());
  acceptor.accept(server);
  client.set_option(asio::ip::tcp::no_delay(true));
  server.set_option(asio::ip::tcp::no_delay(true));
  std::thread echo([&server] {
    std::array<char, 4096> buf;
    boost::system::error_code ec;
    for (;;) {
      const std::size_t n = server.read_some(asio::buffer(buf), ec);
      if (ec) return;
      asio::write(server, asio::buffer(buf.data(), n), ec);
    }
  });
  std::array<char, 300> message{};
  for (auto _ : state) {
    asio::write(client, asio::buffer(message));
    asio::read(client, asio::buffer(message));
  }
  client.shutdown(asio::ip::tcp::socket::shutdown_both);
  echo.join();
}

// The same hit without HTTP: Jarvis5090X::submit in process.
void BM_CacheHit_InProcessSubmit(benchmark::State& state) {
  jarvis::Jarvis5090X j({cpu_device()}, nullptr, nullptr, nullptr, nullptr);
  const json payload =
      json::parse(R"({"matrix":[1.0,2.0],"vector":[3.0,4.0],"operation":"matmul"})");
  j.submit("linalg", "s", payload);
  for (auto _ : state) benchmark::DoNotOptimize(j.submit("linalg", "s", payload).cached);
}

BENCHMARK(BM_Matvec2048_InProcessEigen)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Matvec2048_HttpTensorId)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Matvec2048_HttpAllTensors)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Matvec2048_HttpJson)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_CacheHit_HttpSmall)->Unit(benchmark::kMicrosecond)->Arg(0)->Arg(200);
BENCHMARK(BM_CacheHit_HttpTensorId2048)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CacheHit_InProcessSubmit)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LoopbackRoundTrip_Floor)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
