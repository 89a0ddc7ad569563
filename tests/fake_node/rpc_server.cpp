#include "tests/fake_node/rpc_server.h"

#include "tests/fake_node/http_session.h"

namespace synthminer::fake_node {

RpcServer::RpcServer(RpcHandler& handler) : handler_(handler) {
  acceptor_.open(boost::asio::ip::tcp::v4());
  acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
  acceptor_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  do_accept();
  thread_ = std::thread([this] { io_.run(); });
}

RpcServer::~RpcServer() {
  boost::asio::post(io_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (auto& weak : sessions_) {
      if (auto session = weak.lock()) session->close();
    }
    io_.stop();  // what is still pending is dropped with the io_context
  });
  thread_.join();
}

void RpcServer::release_holds() {
  boost::asio::post(io_, [this] {
    for (auto& weak : sessions_) {
      if (auto session = weak.lock()) session->release();
    }
  });
}

void RpcServer::do_accept() {
  acceptor_.async_accept(
      boost::asio::make_strand(io_),
      [this](const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket) {
        on_accept(ec, std::move(socket));
      });
}

void RpcServer::on_accept(const boost::system::error_code& ec,
                          boost::asio::ip::tcp::socket socket) {
  if (ec) return;  // the acceptor closed
  handler_.on_connection();
  std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
  auto session = std::make_shared<HttpSession>(std::move(socket), handler_);
  sessions_.push_back(session);
  session->start();
  do_accept();
}

}  // namespace synthminer::fake_node
