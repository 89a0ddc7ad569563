// A pool that answers whatever the test tells it to, for the hostile cases
// DemoPool's fault injection does not reach (a reconnect in answer to every
// subscribe, a pool that never reads). It listens on 127.0.0.1, runs its own
// io thread, and hands every line a miner sends, parsed, to `reply`; the
// lines `reply` returns go back on that connection, each with a newline.
#pragma once

#include <utility>

#include <atomic>
#include <boost/asio.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace synthminer::stratum::testing {

class ScriptedPool {
 public:
  using Reply = std::function<std::vector<std::string>(const nlohmann::json& message)>;

  explicit ScriptedPool(Reply reply) : reply_(std::move(reply)) {
    acceptor_.open(boost::asio::ip::tcp::v4());
    acceptor_.set_option(boost::asio::socket_base::reuse_address(true));
    acceptor_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~ScriptedPool() {
    boost::asio::post(io_, [this] {
      acceptor_.close();
      for (auto& c : connections_) c->socket.close();
    });
    work_.reset();  // run() returns once the closed sockets' handlers ran
    thread_.join();
  }
  ScriptedPool(const ScriptedPool&) = delete;
  ScriptedPool& operator=(const ScriptedPool&) = delete;

  uint16_t port() const { return port_; }
  uint64_t connections_total() const { return connections_total_.load(); }
  uint64_t lines_received() const { return lines_received_.load(); }

  /// The standard answers, for scripts that only change one of them.
  static std::string result(const nlohmann::json& id, const nlohmann::json& result) {
    return nlohmann::json{{"id", id}, {"result", result}, {"error", nullptr}}.dump();
  }
  static std::string subscribe_result(const nlohmann::json& id) {
    return result(id, nlohmann::json::parse(R"([[["mining.notify","s1"]],"a1b2c3d4",4])"));
  }
  static std::string notify(const std::string& job_id, bool clean,
                            const std::string& prevhash = std::string(64, '1')) {
    const nlohmann::json params = {job_id,
                                   prevhash,
                                   "01000000010000",
                                   "ffffffff00000000",
                                   nlohmann::json::array(),
                                   "20000000",
                                   "1d00ffff",
                                   "5f5e1000",
                                   clean};
    return nlohmann::json{{"id", nullptr}, {"method", "mining.notify"}, {"params", params}}.dump();
  }

 private:
  struct Connection {
    explicit Connection(boost::asio::io_context& io) : socket(io) {}
    boost::asio::ip::tcp::socket socket;
    boost::asio::streambuf buffer;
  };

  void accept() {
    auto c = std::make_shared<Connection>(io_);
    acceptor_.async_accept(c->socket, [this, c](const boost::system::error_code& ec) {
      if (ec) return;
      ++connections_total_;
      connections_.push_back(c);
      read(c);
      accept();
    });
  }

  void read(const std::shared_ptr<Connection>& c) {
    boost::asio::async_read_until(
        c->socket, c->buffer, '\n', [this, c](const boost::system::error_code& ec, size_t n) {
          if (ec) return;
          std::string line(boost::asio::buffers_begin(c->buffer.data()),
                           boost::asio::buffers_begin(c->buffer.data()) + n);
          c->buffer.consume(n);
          ++lines_received_;
          auto message = nlohmann::json::parse(line, nullptr, false);
          std::string out;
          for (const auto& l : reply_(message)) out += l + "\n";
          boost::system::error_code write_error;
          if (!out.empty()) boost::asio::write(c->socket, boost::asio::buffer(out), write_error);
          if (!write_error) read(c);
        });
  }

  Reply reply_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  std::vector<std::shared_ptr<Connection>> connections_;
  std::atomic<uint64_t> connections_total_{0};
  std::atomic<uint64_t> lines_received_{0};
  uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace synthminer::stratum::testing
