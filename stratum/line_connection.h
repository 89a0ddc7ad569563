// A newline-delimited stream to a pool over TCP or TLS.
//
// Design: one object per connection attempt, owned by shared_ptr; every
// handler runs on the io thread (the single thread running the io_context),
// so no strand is needed. start() resolves, connects and, for TLS,
// handshakes under one deadline timer; then a read loop feeds a LineFramer
// and hands each complete line to on_line. send() queues lines; one write
// runs at a time. The first failure (socket error, end of stream, a line
// over the limit, a write queue over its byte limit because the pool stopped
// reading, TLS verification) closes the socket and reports
// on_closed(reason) exactly once. close() by the owner reports nothing.
// Handlers must not own the owner (capture a weak_ptr): the connection keeps
// them until it is destroyed.
//
// TLS trusts the pool by the rules of stratum/tls_client.h: a pin alone
// decides; else the chain and the host name; tls.insecure checks nothing.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "protocol/job.h"
#include "stratum/client_options.h"
#include "stratum/line_framer.h"
#include "stratum/result.h"
#include "stratum/tls_client.h"

namespace synthminer::stratum {

namespace asio = boost::asio;

/// "ab:cd:..." or "abcd..." (64 hex digits) to the 32 bytes of a SHA-256.
Result<protocol::Hash256> parse_fingerprint(std::string_view text);

struct LineEndpoint {
  std::string host;
  uint16_t port = 0;
  TlsSettings tls;
  Millis connect_timeout{10000};
  size_t max_line_bytes = 64 * 1024;
  size_t max_write_queue_bytes = 1024 * 1024;  ///< queued, unwritten bytes before we give up
};

class LineConnection : public std::enable_shared_from_this<LineConnection> {
 public:
  struct Handlers {
    std::function<void()> on_connected;             ///< ready to read and write
    std::function<void(std::string line)> on_line;  ///< without its "\n"
    std::function<void(const std::string& reason)> on_closed;
  };

  LineConnection(asio::io_context& io, LineEndpoint endpoint);
  ~LineConnection();

  /// Starts connecting. Lines sent before the connection is up wait for it.
  void start(Handlers handlers);
  /// Queues one line (it must end with "\n"). Ignored once closed. A line
  /// that would take the queue past max_write_queue_bytes is dropped and
  /// the connection fails (reported from the io loop, not from this call).
  void send(std::string line);
  /// Closes at once; no handler is called afterwards.
  void close();

  bool connected() const { return connected_ && !closed_; }
  /// How the pool is trusted once connected (from the endpoint's settings).
  TlsTrust trust() const;
  const LineEndpoint& endpoint() const { return endpoint_; }

 private:
  using Tcp = asio::ip::tcp;

  void do_resolve();
  void on_resolve(const boost::system::error_code& ec, const Tcp::resolver::results_type& results);
  void do_connect(const Tcp::resolver::results_type& results);
  void on_connect(const boost::system::error_code& ec);
  void do_handshake();
  void on_handshake(const boost::system::error_code& ec);
  void on_deadline(const boost::system::error_code& ec);
  void on_ready();
  void do_read();
  void on_read(const boost::system::error_code& ec, size_t bytes);
  void do_write();
  void on_write(const boost::system::error_code& ec, size_t bytes);

  Result<bool> setup_tls();
  Tcp::socket& socket() { return tls_ ? tls_->next_layer() : tcp_; }
  void fail(const std::string& reason);

  asio::io_context& io_;
  LineEndpoint endpoint_;
  Handlers handlers_;
  Tcp::resolver resolver_;
  asio::steady_timer deadline_;
  Tcp::socket tcp_;                              ///< plain TCP
  std::unique_ptr<asio::ssl::context> ssl_ctx_;  ///< TLS: lives as long as tls_
  std::unique_ptr<TlsStream> tls_;
  std::string verify_error_;  ///< why the TLS verification refused the peer

  LineFramer framer_;
  std::array<char, 16 * 1024> read_buffer_{};
  std::vector<std::string> lines_;
  std::deque<std::string> write_queue_;
  size_t write_queue_bytes_ = 0;   ///< sum of write_queue_'s sizes, the one being written included
  bool write_queue_full_ = false;  ///< the failure is posted; send() drops lines until it runs
  bool writing_ = false;
  bool connected_ = false;
  bool closed_ = false;
};

}  // namespace synthminer::stratum
