// Fuzzes the API's request path as a client reaches it: bytes written to an
// in-process API server on loopback go through the header parser, rate
// limit, routing, token check, body limits and JSON bodies; its
// POST /1/vgpu/submit runs the vgpu request parser and the Jarvis layers
// (answer_vgpu_submit, as the daemon's workers do). Whatever arrives, the
// server must answer or close, never crash or touch memory it does not own
// (ASan, UBSan), and never hold a connection open after the client is done:
// a connection still open 10 s after the client's last byte aborts as a stall.
//
// The first byte picks what the rest is: 'V' a vgpu submit body and 'J' a
// JSON body for a JSON route (each sent in a well-formed request, so the
// fuzzer works on the body), anything else the raw request bytes.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "http/server.h"
#include "vgpu/jarvis.h"
#include "vgpu_service/vgpu_request.h"

namespace {

namespace asio = boost::asio;
namespace http = synthminer::http;
using nlohmann::json;

constexpr const char* kToken = "fuzz-token";
constexpr int kStallSeconds = 10;

// Layers small enough that any payload runs in milliseconds: the target is
// the parsing, not the arithmetic.
jarvis::JarvisConfig small_layers() {
  jarvis::JarvisConfig c;
  c.cache.max_items = 256;
  c.cache.max_bytes = 1 << 20;
  c.compression.max_bases = 8;
  c.quantum.max_qubits = 10;
  c.quantum.max_state_bytes = 1 << 16;
  c.quantum.max_gates = 256;
  c.quantum.max_shots = 256;
  c.quantum.threads = 1;
  c.quantum.max_result_elements = 4096;
  c.limits.max_matrix_elements = 4096;
  c.limits.max_matrix_dim = 256;
  c.limits.max_product_flops = 1 << 22;
  c.limits.max_factor_dim = 32;
  c.limits.max_array_length = 4096;
  c.limits.max_histogram_bins = 256;
  c.limits.max_hash_bytes = 1 << 16;
  c.limits.max_scan_nonces = 4096;
  c.limits.max_scan_results = 64;
  c.limits.max_result_elements = 4096;
  return c;
}

jarvis::AdapterDevice host_cpu() {
  jarvis::AdapterDevice cpu;
  cpu.id = "cpu_main";
  cpu.kind = jarvis::DeviceKind::Cpu;
  cpu.perf_score = 1.0;
  cpu.capabilities = {jarvis::OperationKind::Hashing, jarvis::OperationKind::Linalg,
                      jarvis::OperationKind::Generic, jarvis::OperationKind::Quantum};
  return cpu;
}

http::Router make_router(jarvis::Jarvis5090X& jarvis) {
  http::Router router;
  (void)router.add({http::Verb::get, "/1/summary", [](http::Request, http::Responder reply) {
                      reply.send(json{{"up", true}});
                    }});
  (void)router.add(
      {http::Verb::post, "/1/pools/switch", [](http::Request request, http::Responder reply) {
         reply.send(json{{"echo", request.json}});
       }});
  http::Route submit{
      http::Verb::post, "/1/vgpu/submit", [&jarvis](http::Request request, http::Responder reply) {
        auto answer = synthminer::vgpu_service::answer_vgpu_submit(jarvis, request.body);
        reply.send(synthminer::vgpu_service::vgpu_response(std::move(answer)));
      }};
  submit.body_limit_bytes = 64 * 1024;
  submit.json_body = false;
  (void)router.add(std::move(submit));
  return router;
}

// The server and its io thread, started once and kept for the whole run.
class Harness {
 public:
  Harness() : jarvis_({host_cpu()}, small_layers()) {
    http::ServerOptions options;
    options.port = 0;
    options.token = kToken;
    options.rate_limit.requests_per_second = 0;  // every input must reach the routes
    options.read_timeout = std::chrono::milliseconds(500);
    options.write_timeout = std::chrono::milliseconds(500);
    options.linger_timeout = std::chrono::milliseconds(100);
    server_ = std::make_unique<http::Server>(io_, options, make_router(jarvis_));
    auto bound = server_->start();
    if (!bound) {
      std::fprintf(stderr, "http_fuzz: cannot start the server: %s\n",
                   bound.error().message.c_str());
      std::abort();
    }
    port_ = bound->port();
    thread_ = std::thread([this] { io_.run(); });
  }

  // Sends `bytes`, ends the sending side, and reads until the server closes.
  // Plain POSIX calls: the client needs a deadline on each wait, nothing else.
  void exchange(std::string_view bytes) const {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
      for (size_t sent = 0; sent < bytes.size();) {  // the server may close early
        const ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<size_t>(n);
      }
      shutdown(fd, SHUT_WR);
      drain_until_closed(fd);
    }
    close(fd);
  }

 private:
  static void drain_until_closed(int fd) {
    char buf[4096];
    for (;;) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, kStallSeconds * 1000) == 0) {
        std::fprintf(stderr, "http_fuzz: the server held the connection %d s after the request\n",
                     kStallSeconds);
        std::abort();
      }
      if (recv(fd, buf, sizeof buf, 0) <= 0) return;  // closed or reset
    }
  }

  jarvis::Jarvis5090X jarvis_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::unique_ptr<http::Server> server_;
  uint16_t port_ = 0;
  std::thread thread_;
};

std::string wrapped(const char* target, std::string_view body) {
  return std::string("POST ") + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
         kToken + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Harness* harness = new Harness();  // lives for the whole run
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!input.empty() && input[0] == 'V') {
    harness->exchange(wrapped("/1/vgpu/submit", input.substr(1)));
  } else if (!input.empty() && input[0] == 'J') {
    harness->exchange(wrapped("/1/pools/switch", input.substr(1)));
  } else {
    harness->exchange(input);
  }
  return 0;
}
