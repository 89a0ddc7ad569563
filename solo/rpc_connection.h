// One HTTP/1.1 connection to the node, over TCP or TLS.
//
// Design: owned by shared_ptr, and every handler holds it, so the socket,
// buffer and parser an operation uses outlive it even after close(). Every
// handler runs on the io thread. connect() resolves, connects and, for TLS,
// handshakes and checks the peer (stratum/tls_client.h); exchange() writes
// one request and reads its answer, one at a time. It keeps no deadline of
// its own: the RpcClient's per-call timer closes it. The first failure closes
// the socket and reports once; close() by the owner reports nothing.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "solo/rpc_types.h"

namespace synthminer::solo {

namespace asio = boost::asio;
namespace http = boost::beast::http;

class RpcConnection : public std::enable_shared_from_this<RpcConnection> {
 public:
  using Request = http::request<http::string_body>;
  using Response = http::response<http::string_body>;
  using Connected = std::function<void(std::optional<RpcError> error)>;
  using Answered = std::function<void(common::Result<Response, RpcError> answer)>;

  /// Bytes of status line and headers we read; Bitcoin Core sends about 150.
  static constexpr uint32_t kMaxHeaderBytes = 16 * 1024;

  RpcConnection(asio::io_context& io, const RpcEndpoint& endpoint);
  ~RpcConnection();

  /// Resolves, connects and for TLS handshakes; `done` runs once, never
  /// from inside this call.
  void connect(Connected done);
  /// Writes `request` and reads the answer, its body at most `body_limit`
  /// bytes. Only on a connected connection, one exchange at a time.
  void exchange(Request request, size_t body_limit, Answered done);
  /// Closes at once; no handler runs afterwards.
  void close();

  /// Connected, and the last answer (if any) kept the connection alive.
  bool usable() const { return usable_ && !closed_; }
  /// An exchange was completed on it before: a failure may mean the node
  /// closed it while idle rather than refused this request.
  bool reused() const { return exchanges_ > 0; }
  /// The exchange in progress (or that failed) got any byte of an answer.
  bool answer_started() const { return parser_ && parser_->got_some(); }

 private:
  using Tcp = asio::ip::tcp;

  void on_resolve(const boost::system::error_code& ec, const Tcp::resolver::results_type& results,
                  Connected done);
  void on_connect(const boost::system::error_code& ec, Connected done);
  void on_handshake(const boost::system::error_code& ec, Connected done);
  void on_write(const boost::system::error_code& ec, Answered done);
  void do_read(Answered done);
  void on_header(const boost::system::error_code& ec, Answered done);
  void do_read_body(Answered done);
  void on_read(const boost::system::error_code& ec, Answered done);

  RpcError transport(const std::string& what) const;
  RpcError read_error(const boost::system::error_code& ec) const;
  Tcp::socket& socket() { return tls_ ? tls_->next_layer() : tcp_; }

  asio::io_context& io_;
  RpcEndpoint endpoint_;
  std::string where_;  ///< "host:port", for messages
  Tcp::resolver resolver_;
  Tcp::socket tcp_;                              ///< plain HTTP
  std::unique_ptr<asio::ssl::context> ssl_ctx_;  ///< TLS: lives as long as tls_
  std::unique_ptr<stratum::TlsStream> tls_;
  std::string verify_error_;  ///< why the TLS verification refused the node

  boost::beast::flat_buffer buffer_;  ///< bytes read past one answer stay for the next
  Request request_;
  std::optional<http::response_parser<http::string_body>> parser_;
  size_t body_limit_ = 0;
  uint64_t exchanges_ = 0;
  bool usable_ = false;
  bool closed_ = false;
};

}  // namespace synthminer::solo
