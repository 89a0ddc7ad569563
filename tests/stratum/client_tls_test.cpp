// The pool client over TLS: a throwaway self-signed certificate made here
// with the OpenSSL C API, a TLS front on loopback that relays to DemoPool,
// and the client's verification: trusted CA + host name, wrong host, unknown
// CA, a pinned fingerprint alone or with tls_insecure, a wrong pin; and the
// log line that says which of them trusted the pool.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <boost/asio/ssl.hpp>
#include <fstream>

#include <gtest/gtest.h>

#include "client_test_util.h"
#include "demo_pool/demo_pool.h"
#include "log_capture.h"
#include "protocol/hex.h"
#include "tests/stratum/test_cert.h"

namespace synthminer::stratum {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::Recorder;
using testing::run_until;
using Tcp = asio::ip::tcp;

using testing::make_self_signed;
using testing::TestCert;

/// TLS on 127.0.0.1 in front of a plain TCP backend: each accepted
/// connection is handshaken, then relayed byte for byte both ways.
class TlsFront {
 public:
  TlsFront(asio::io_context& io, const TestCert& cert, uint16_t backend_port)
      : io_(io),
        ctx_(asio::ssl::context::tls_server),
        acceptor_(io, Tcp::endpoint(asio::ip::address_v4::loopback(), 0)),
        backend_port_(backend_port) {
    ctx_.use_certificate_chain(asio::buffer(cert.cert_pem));
    ctx_.use_private_key(asio::buffer(cert.key_pem), asio::ssl::context::pem);
    do_accept();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  size_t handshakes() const { return handshakes_; }
  const std::string& server_name() const { return server_name_; }  ///< SNI of the last handshake

 private:
  struct Link : std::enable_shared_from_this<Link> {
    Link(asio::io_context& io, Tcp::socket s, asio::ssl::context& ctx)
        : tls(std::move(s), ctx), backend(io) {}
    asio::ssl::stream<Tcp::socket> tls;
    Tcp::socket backend;
    std::array<char, 4096> up{}, down{};

    void close() {
      boost::system::error_code ec;
      tls.next_layer().close(ec);
      backend.close(ec);
    }
    void pump_up() {  // miner -> pool
      tls.async_read_some(asio::buffer(up), [self = shared_from_this()](auto ec, size_t n) {
        if (ec) return self->close();
        asio::async_write(self->backend, asio::buffer(self->up, n), [self](auto ec2, size_t) {
          if (ec2) return self->close();
          self->pump_up();
        });
      });
    }
    void pump_down() {  // pool -> miner
      backend.async_read_some(asio::buffer(down), [self = shared_from_this()](auto ec, size_t n) {
        if (ec) return self->close();
        asio::async_write(self->tls, asio::buffer(self->down, n), [self](auto ec2, size_t) {
          if (ec2) return self->close();
          self->pump_down();
        });
      });
    }
  };

  void do_accept() {
    acceptor_.async_accept([this](const boost::system::error_code& ec, Tcp::socket s) {
      if (ec) return;
      auto link = std::make_shared<Link>(io_, std::move(s), ctx_);
      link->tls.async_handshake(asio::ssl::stream_base::server, [this, link](auto hec) {
        if (hec) return link->close();
        ++handshakes_;
        const char* sni = SSL_get_servername(link->tls.native_handle(), TLSEXT_NAMETYPE_host_name);
        server_name_ = sni == nullptr ? "" : sni;
        link->backend.async_connect(Tcp::endpoint(asio::ip::address_v4::loopback(), backend_port_),
                                    [link](auto cec) {
                                      if (cec) return link->close();
                                      link->pump_up();
                                      link->pump_down();
                                    });
      });
      do_accept();
    });
  }

  asio::io_context& io_;
  asio::ssl::context ctx_;
  Tcp::acceptor acceptor_;
  uint16_t backend_port_;
  size_t handshakes_ = 0;
  std::string server_name_;
};

class ClientTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cert_ = new TestCert(make_self_signed()); }
  static void TearDownTestSuite() { delete cert_; }

  void SetUp() override {
    demo_pool::DemoPoolOptions o;
    o.zero_bits = 4;
    o.job_interval = 0ms;
    pool = std::make_unique<demo_pool::DemoPool>(o);
    ASSERT_TRUE(pool->start());
    front = std::make_unique<TlsFront>(io, *cert_, pool->port());
    ca_file = ::testing::TempDir() + "synthminer_client_tls_" + std::to_string(getpid()) + ".pem";
    std::ofstream(ca_file) << cert_->cert_pem;
  }
  void TearDown() override {
    if (client) {
      client->stop();
      testing::run_for(io, 20ms);
    }
    pool->stop();
    std::remove(ca_file.c_str());
  }
  void start_client(const std::string& url, const std::function<void(PoolOptions&)>& tweak) {
    ClientOptions o = testing::test_options({1});
    o.pools[0].url = url + ":" + std::to_string(front->port());
    tweak(o.pools[0]);
    client = testing::make_client(io, o, rec);
    client->start();
  }
  bool wait_ready() {
    return run_until(io, [&] { return client->ready() && !rec.jobs.empty(); });
  }
  std::string first_failure() {
    run_until(io, [&] { return rec.count_state(protocol::ConnectionState::kDisconnected) > 0; });
    for (const auto& e : rec.states) {
      if (e.state == protocol::ConnectionState::kDisconnected) return e.reason;
    }
    return "(none)";
  }

  static TestCert* cert_;
  testing::LogCapture log;  // first: made before, and gone after, the pool's thread
  asio::io_context io;
  Recorder rec;
  std::unique_ptr<demo_pool::DemoPool> pool;
  std::unique_ptr<TlsFront> front;
  std::shared_ptr<Client> client;
  std::string ca_file;
};
TestCert* ClientTls::cert_ = nullptr;

TEST_F(ClientTls, TrustedCaAndMatchingHostName) {
  start_client("stratum+ssl://localhost", [&](PoolOptions& p) { p.tls_ca_file = ca_file; });
  ASSERT_TRUE(wait_ready()) << first_failure();
  auto share = testing::find_share(rec.jobs.back());
  ASSERT_TRUE(share);
  client->submit(*share);
  ASSERT_TRUE(run_until(io, [&] { return !rec.results.empty(); }));
  EXPECT_EQ(rec.results[0].fate, protocol::ShareFate::kAccepted);
  EXPECT_EQ(front->handshakes(), 1u);
  EXPECT_EQ(front->server_name(), "localhost");  // SNI
}

TEST_F(ClientTls, VerifiedChainIsSaidInTheLog) {
  start_client("stratum+ssl://localhost", [&](PoolOptions& p) { p.tls_ca_file = ca_file; });
  ASSERT_TRUE(wait_ready()) << first_failure();
  EXPECT_TRUE(log.contains("connected, TLS verified chain")) << log.text();
}

TEST_F(ClientTls, PinAloneTrustsASelfSignedPool) {
  // No tls_insecure, no CA file, an address the certificate does not name:
  // the pin replaces the chain and host-name checks.
  start_client("stratum+ssl://127.0.0.1", [&](PoolOptions& p) {
    p.tls_fingerprint_sha256 = protocol::to_hex(cert_->fingerprint);
  });
  ASSERT_TRUE(wait_ready()) << first_failure();
  EXPECT_TRUE(log.contains("connected, TLS trusted by pin")) << log.text();
}

TEST_F(ClientTls, WrongPinWithoutInsecureIsRefused) {
  protocol::Hash256 wrong = cert_->fingerprint;
  wrong[7] ^= 4;
  start_client("stratum+ssl://localhost",
               [&](PoolOptions& p) { p.tls_fingerprint_sha256 = protocol::to_hex(wrong); });
  const std::string why = first_failure();
  EXPECT_NE(why.find("does not match the pin"), std::string::npos) << why;
  EXPECT_EQ(rec.count_state(protocol::ConnectionState::kConnected), 0u);
  EXPECT_EQ(pool->connections_total(), 0u);
}

TEST_F(ClientTls, WrongHostNameIsRefused) {
  // The certificate names "localhost", not the address.
  start_client("stratum+tls://127.0.0.1", [&](PoolOptions& p) { p.tls_ca_file = ca_file; });
  const std::string why = first_failure();
  EXPECT_NE(why.find("does not match host '127.0.0.1'"), std::string::npos) << why;
  EXPECT_EQ(rec.count_state(protocol::ConnectionState::kConnected), 0u);
  EXPECT_EQ(pool->connections_total(), 0u);
}

TEST_F(ClientTls, UnknownIssuerIsRefused) {
  start_client("stratum+ssl://localhost", [](PoolOptions&) {});  // the system store
  const std::string why = first_failure();
  EXPECT_NE(why.find("certificate verification failed"), std::string::npos) << why;
  EXPECT_EQ(rec.count_state(protocol::ConnectionState::kConnected), 0u);
}

TEST_F(ClientTls, MatchingPinWithInsecureIsAccepted) {
  start_client("stratum+ssl://127.0.0.1", [&](PoolOptions& p) {
    p.tls_insecure = true;
    p.tls_fingerprint_sha256 = protocol::to_hex(cert_->fingerprint);
  });
  ASSERT_TRUE(wait_ready()) << first_failure();
  EXPECT_TRUE(log.contains("connected, TLS trusted by pin")) << log.text();
}

TEST_F(ClientTls, InsecureWithoutPinAccepted) {
  start_client("stratum+ssl://127.0.0.1", [&](PoolOptions& p) { p.tls_insecure = true; });
  ASSERT_TRUE(wait_ready()) << first_failure();
  EXPECT_EQ(front->server_name(), "");  // no SNI for an address
  EXPECT_TRUE(log.contains("connected, TLS NOT verified (tls.insecure)")) << log.text();
}

TEST_F(ClientTls, WrongPinIsRefused) {
  protocol::Hash256 wrong = cert_->fingerprint;
  wrong[0] ^= 1;
  start_client("stratum+ssl://127.0.0.1", [&](PoolOptions& p) {
    p.tls_insecure = true;
    p.tls_fingerprint_sha256 = protocol::to_hex(wrong);
  });
  const std::string why = first_failure();
  EXPECT_NE(why.find("does not match the pin"), std::string::npos) << why;
  EXPECT_EQ(pool->connections_total(), 0u);
}

TEST_F(ClientTls, PinIsCheckedOnVerifiedConnectionsToo) {
  protocol::Hash256 wrong = cert_->fingerprint;
  wrong[31] ^= 0x80;
  start_client("stratum+ssl://localhost", [&](PoolOptions& p) {
    p.tls_ca_file = ca_file;
    p.tls_fingerprint_sha256 = protocol::to_hex(wrong);
  });
  EXPECT_NE(first_failure().find("does not match the pin"), std::string::npos);
}

TEST_F(ClientTls, PlainClientAgainstTlsPoolFailsCleanly) {
  ClientOptions o = testing::test_options({front->port()});
  o.request_timeout = 200ms;
  client = testing::make_client(io, o, rec);
  client->start();
  EXPECT_NE(first_failure(), "(none)");
  EXPECT_EQ(rec.count_state(protocol::ConnectionState::kAuthorized), 0u);
}

}  // namespace
}  // namespace synthminer::stratum
