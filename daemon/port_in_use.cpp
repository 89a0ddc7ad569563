#include "daemon/port_in_use.h"

#include <utility>
// (utility first: Boost 1.74's Asio needs it)
#include <boost/asio.hpp>

#include "config/address.h"

namespace synthminer::daemon {

bool port_in_use(std::string_view listen) {
  const auto address = config::parse_host_port(listen, /*allow_port_zero=*/true);
  if (!address || address->port == 0) return false;
  boost::system::error_code ec;
  // "localhost" is the only name a listen address may hold; the rest are
  // literal IPv4 or IPv6 addresses.
  const std::string host = address->host == "localhost" ? "127.0.0.1" : address->host;
  const auto ip = boost::asio::ip::make_address(host, ec);
  if (ec) return false;
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor probe(io);
  const boost::asio::ip::tcp::endpoint endpoint(ip, address->port);
  if (probe.open(endpoint.protocol(), ec)) return false;
  // As the listeners do: SO_REUSEADDR, so that only a listening socket (not
  // one in TIME_WAIT) makes the bind fail.
  probe.set_option(boost::asio::socket_base::reuse_address(true), ec);
  probe.bind(endpoint, ec);
  return ec == boost::asio::error::address_in_use;
}

std::string explain_bind_error(std::string error, std::string_view listen, std::string_view key) {
  if (!port_in_use(listen)) return error;
  return error + " (" + std::string(listen) +
         " is in use by another program, perhaps another synthminerd: give each instance its "
         "own " +
         std::string(key) + "; docs/SYSTEMD.md, \"Several instances on one host\")";
}

}  // namespace synthminer::daemon
