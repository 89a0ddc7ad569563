// A scripted stand-in for Bitcoin Core's RPC server: HTTP/1.1, or HTTPS with
// a given context, on 127.0.0.1:0, run by the test's own io_context. Each
// request is recorded, then answered as the script says: an answer, silence,
// a hang-up, or raw bytes.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace synthminer::solo::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Tcp = asio::ip::tcp;

struct SeenRequest {
  http::verb method = http::verb::unknown;
  std::string target;
  std::string host;
  std::string content_type;
  std::string authorization;
  nlohmann::json body;    ///< discarded when not JSON
  size_t connection = 0;  ///< which connection it came on, from 1
};

struct FakeReply {
  unsigned status = 200;
  std::string body;
  bool close = false;          ///< say "Connection: close", then close
  bool close_quietly = false;  ///< say keep-alive, then close anyway
  bool silent = false;         ///< never answer, keep the connection open
  bool hang_up = false;        ///< close without answering
  std::string raw;             ///< when set: these bytes instead of an answer, then close
};

/// An answer of this status and body.
inline FakeReply http_reply(unsigned status, std::string body = "") {
  FakeReply out;
  out.status = status;
  out.body = std::move(body);
  return out;
}
/// No answer at all.
inline FakeReply silence() {
  FakeReply out;
  out.silent = true;
  return out;
}
/// These bytes, then the connection closed.
inline FakeReply raw_bytes(std::string bytes) {
  FakeReply out;
  out.raw = std::move(bytes);
  return out;
}

/// {"result":result,"error":null,"id":<the request's id>}.
inline FakeReply rpc_result(const SeenRequest& r, nlohmann::json result) {
  const nlohmann::json id = r.body.is_object() ? r.body.value("id", nlohmann::json()) : nullptr;
  const nlohmann::json body = {{"result", std::move(result)}, {"error", nullptr}, {"id", id}};
  return http_reply(200, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

/// Bitcoin Core's JSON-RPC 1.0 error: HTTP 500 and {"result":null,"error":{..}}.
inline FakeReply rpc_error(const SeenRequest& r, int code, const std::string& message,
                           unsigned status = 500) {
  FakeReply reply = rpc_result(r, nullptr);
  auto body = nlohmann::json::parse(reply.body);
  body["error"] = {{"code", code}, {"message", message}};
  reply.status = status;
  reply.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return reply;
}

class FakeRpcServer {
 public:
  using Script = std::function<FakeReply(const SeenRequest&)>;

  /// Plain HTTP when `tls` is null; the context must outlive the server.
  FakeRpcServer(asio::io_context& io, Script script, asio::ssl::context* tls = nullptr)
      : acceptor_(io, Tcp::endpoint(asio::ip::address_v4::loopback(), 0)),
        state_(std::make_shared<State>()),
        tls_(tls) {
    state_->script = std::move(script);
    do_accept();
  }
  ~FakeRpcServer() { stop(); }

  uint16_t port() const { return port_; }
  const std::vector<SeenRequest>& requests() const { return state_->requests; }
  size_t connections() const { return state_->connections; }
  void set_script(Script script) { state_->script = std::move(script); }
  /// Stops accepting and closes every connection held open by silence.
  void stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (auto& close : state_->held) close();
    state_->held.clear();
  }

 private:
  struct State {
    Script script;
    std::vector<SeenRequest> requests;
    size_t connections = 0;
    std::vector<std::function<void()>> held;  ///< closers of silent connections
  };

  template <class Stream>
  struct Session : std::enable_shared_from_this<Session<Stream>> {
    template <class... Args>
    Session(std::shared_ptr<State> shared, size_t number, Args&&... args)
        : state(std::move(shared)), index(number), stream(std::forward<Args>(args)...) {}

    std::shared_ptr<State> state;
    size_t index;
    Stream stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response<http::string_body> response;
    std::string raw;

    Tcp::socket& socket() {
      if constexpr (std::is_same_v<Stream, Tcp::socket>) {
        return stream;
      } else {
        return stream.next_layer();
      }
    }
    void close() {
      boost::system::error_code ignored;
      socket().shutdown(Tcp::socket::shutdown_both, ignored);
      socket().close(ignored);
    }
    void start() {
      if constexpr (std::is_same_v<Stream, Tcp::socket>) {
        do_read();
      } else {
        stream.async_handshake(asio::ssl::stream_base::server,
                               [self = this->shared_from_this()](auto ec) {
                                 if (ec) return self->close();
                                 self->do_read();
                               });
      }
    }
    void do_read() {
      request = {};
      http::async_read(stream, buffer, request, [self = this->shared_from_this()](auto ec, size_t) {
        if (ec) return self->close();
        self->on_request();
      });
    }
    void on_request() {
      SeenRequest seen;
      seen.method = request.method();
      seen.target = std::string(request.target());
      seen.host = std::string(request[http::field::host]);
      seen.content_type = std::string(request[http::field::content_type]);
      seen.authorization = std::string(request[http::field::authorization]);
      seen.body = nlohmann::json::parse(request.body(), nullptr, false);
      seen.connection = index;
      state->requests.push_back(seen);
      const FakeReply reply = state->script(seen);
      if (reply.hang_up) return close();
      if (reply.silent) {
        state->held.push_back([self = this->shared_from_this()] { self->close(); });
        return;
      }
      auto self = this->shared_from_this();
      if (!reply.raw.empty()) {
        raw = reply.raw;
        return asio::async_write(stream, asio::buffer(raw),
                                 [self](auto, size_t) { self->close(); });
      }
      response = {static_cast<http::status>(reply.status), 11};
      response.set(http::field::content_type, "application/json");
      response.keep_alive(!reply.close);
      response.body() = reply.body;
      response.prepare_payload();
      const bool end = reply.close || reply.close_quietly;
      http::async_write(stream, response, [self, end](auto ec, size_t) {
        if (ec || end) return self->close();
        self->do_read();
      });
    }
  };

  void do_accept() {
    port_ = acceptor_.local_endpoint().port();
    acceptor_.async_accept(
        [this, state = state_](const boost::system::error_code& ec, Tcp::socket socket) {
          if (ec) return;
          const size_t index = ++state->connections;
          if (tls_ == nullptr) {
            std::make_shared<Session<Tcp::socket>>(state, index, std::move(socket))->start();
          } else {
            using TlsStream = asio::ssl::stream<Tcp::socket>;
            std::make_shared<Session<TlsStream>>(state, index, std::move(socket), *tls_)->start();
          }
          do_accept();
        });
  }

  Tcp::acceptor acceptor_;
  std::shared_ptr<State> state_;
  asio::ssl::context* tls_;
  uint16_t port_ = 0;
};

}  // namespace synthminer::solo::testing
