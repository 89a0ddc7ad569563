// LineConnection against raw loopback peers: a pool that accepts and never
// reads must not make the write queue grow without bound.
#include "stratum/line_connection.h"

#include <gtest/gtest.h>
#include <optional>
#include <string>

#include "client_test_util.h"

namespace synthminer::stratum {
namespace {

namespace asio = boost::asio;
using Tcp = asio::ip::tcp;
using namespace std::chrono_literals;

/// Accepts one connection on 127.0.0.1 and never reads from it; its receive
/// buffer is as small as the kernel allows, so the sender's fills soon.
class DeafPeer {
 public:
  explicit DeafPeer(asio::io_context& io) : acceptor_(io), socket_(io) {
    acceptor_.open(Tcp::v4());
    acceptor_.set_option(asio::socket_base::receive_buffer_size(1024));  // inherited
    acceptor_.bind(Tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    acceptor_.listen();
    acceptor_.async_accept(socket_, [](const boost::system::error_code&) {});
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  Tcp::acceptor acceptor_;
  Tcp::socket socket_;
};

TEST(LineConnection, APoolThatNeverReadsEndsTheConnectionAtTheWriteQueueLimit) {
  asio::io_context io;
  DeafPeer peer(io);
  LineEndpoint endpoint;
  endpoint.host = "127.0.0.1";
  endpoint.port = peer.port();
  endpoint.max_write_queue_bytes = 64 * 1024;
  auto conn = std::make_shared<LineConnection>(io, endpoint);
  bool connected = false;
  std::optional<std::string> closed;
  conn->start({[&] { connected = true; }, [](std::string) {},
               [&](const std::string& reason) { closed = reason; }});
  ASSERT_TRUE(testing::run_until(io, [&] { return connected; }));

  // Far more than any kernel buffers on loopback hold (tcp_wmem's maximum
  // is a few MiB), sent a line at a time while the loop runs the writes.
  const std::string line(1000, 'x');
  size_t sent = 0;
  while (!closed && sent < 64 * 1024 * 1024) {
    for (int i = 0; i < 64; ++i) conn->send(line + "\n");
    sent += 64 * (line.size() + 1);
    io.poll();
  }
  ASSERT_TRUE(testing::run_until(io, [&] { return closed.has_value(); }))
      << "still open after " << sent << " bytes";
  EXPECT_NE(closed->find("write queue over 65536 bytes"), std::string::npos) << *closed;
  EXPECT_FALSE(conn->connected());
}

TEST(LineConnection, AReadingPoolGetsEveryLineWhateverTheQueueLimit) {
  // The limit counts unwritten bytes only: a pool that reads gets far more
  // than the limit over the connection's life.
  asio::io_context io;
  Tcp::acceptor acceptor(io, Tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  Tcp::socket server(io);
  acceptor.async_accept(server, [](const boost::system::error_code&) {});
  LineEndpoint endpoint;
  endpoint.host = "127.0.0.1";
  endpoint.port = acceptor.local_endpoint().port();
  endpoint.max_write_queue_bytes = 4096;
  auto conn = std::make_shared<LineConnection>(io, endpoint);
  bool connected = false;
  std::optional<std::string> closed;
  conn->start({[&] { connected = true; }, [](std::string) {},
               [&](const std::string& reason) { closed = reason; }});
  ASSERT_TRUE(testing::run_until(io, [&] { return connected && server.is_open(); }));

  const std::string line = std::string(999, 'y') + "\n";
  constexpr size_t kLines = 200;  // 200 KB through a 4 KiB queue
  std::string received;
  std::array<char, 8192> buffer{};
  std::function<void()> read_more = [&] {
    server.async_read_some(asio::buffer(buffer),
                           [&](const boost::system::error_code& ec, size_t n) {
                             if (ec) return;
                             received.append(buffer.data(), n);
                             read_more();
                           });
  };
  read_more();
  for (size_t i = 0; i < kLines; ++i) {
    conn->send(line);
    ASSERT_TRUE(testing::run_until(io, [&] { return received.size() == (i + 1) * line.size(); }));
  }
  EXPECT_FALSE(closed) << *closed;
  EXPECT_EQ(received.size(), kLines * line.size());
}

}  // namespace
}  // namespace synthminer::stratum
