#include "daemon/port_in_use.h"

#include <gtest/gtest.h>

#include <utility>
// (utility first: Boost 1.74's Asio needs it)
#include <boost/asio.hpp>

namespace synthminer::daemon {
namespace {

TEST(PortInUse, AListeningPortIsInUseUntilItIsClosed) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor held(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const std::string listen = "127.0.0.1:" + std::to_string(held.local_endpoint().port());
  EXPECT_TRUE(port_in_use(listen));
  EXPECT_TRUE(port_in_use("localhost:" + std::to_string(held.local_endpoint().port())));
  const std::string explained =
      explain_bind_error("metrics: cannot listen", listen, "metrics.listen");
  EXPECT_EQ(explained, "metrics: cannot listen (" + listen +
                           " is in use by another program, perhaps another synthminerd: give each "
                           "instance its own metrics.listen; docs/SYSTEMD.md, \"Several instances "
                           "on one host\")");
  held.close();
  EXPECT_FALSE(port_in_use(listen));
  EXPECT_EQ(explain_bind_error("api: cannot listen", listen, "api.listen"), "api: cannot listen");
}

TEST(PortInUse, WhatCannotBeCheckedIsNotCalledInUse) {
  EXPECT_FALSE(port_in_use("127.0.0.1:0"));       // any free port
  EXPECT_FALSE(port_in_use("not an address"));    // the config check names this
  EXPECT_FALSE(port_in_use("example.com:9464"));  // not a literal address
  EXPECT_FALSE(port_in_use("192.0.2.1:9464"));    // not ours: EADDRNOTAVAIL, not in use
}

}  // namespace
}  // namespace synthminer::daemon
