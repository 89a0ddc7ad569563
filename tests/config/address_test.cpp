#include <gtest/gtest.h>

#include "config/address.h"

namespace synthminer::config {
namespace {

TEST(ConfigAddress, HostPortForms) {
  auto v4 = parse_host_port("10.0.0.1:80");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "10.0.0.1");
  EXPECT_EQ(v4->port, 80);
  auto v6 = parse_host_port("[::1]:65535");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 65535);
  auto name = parse_host_port("pool-1.example.com:1");
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(name->host, "pool-1.example.com");
}

TEST(ConfigAddress, BadHostPorts) {
  for (const char* text : {"", "host", "host:", ":1", "host:0", "host:65536", "host:+1", "host:1x",
                           "[::1]", "[::1]1", "[]:1", "[g::]:1", "a b:1"}) {
    EXPECT_FALSE(parse_host_port(text).ok()) << text;
  }
}

TEST(ConfigAddress, Loopback) {
  for (const char* host : {"localhost", "::1", "127.0.0.1", "127.255.0.9"}) {
    EXPECT_TRUE(is_loopback(host)) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "128.0.0.1", "127.0.0", "127.0.0.1.5", "127.0.0.256",
                           "localhost.example.com", "10.127.0.1", ""}) {
    EXPECT_FALSE(is_loopback(host)) << host;
  }
}

TEST(ConfigAddress, PoolUrls) {
  const auto tcp = parse_pool_url("stratum+tcp://h:1");
  ASSERT_TRUE(tcp.ok());
  EXPECT_FALSE(tcp->tls);
  EXPECT_TRUE(parse_pool_url("stratum+ssl://h:1")->tls);
  EXPECT_TRUE(parse_pool_url("stratum+tls://[::1]:1")->tls);
  EXPECT_FALSE(parse_pool_url("stratum+udp://h:1").ok());
  EXPECT_FALSE(parse_pool_url("stratum+tcp://").ok());
}

TEST(ConfigAddress, Hex) {
  EXPECT_TRUE(is_hex("1fffe000", 8));
  EXPECT_TRUE(is_hex("ABCDEF01", 8));
  EXPECT_FALSE(is_hex("1fffe00", 8));
  EXPECT_FALSE(is_hex("1fffe00x", 8));
}

}  // namespace
}  // namespace synthminer::config
