// Test helpers for running synthminerd as a real process: start it with
// its output in a file, wait for lines, talk HTTP to its API, listen on a
// NOTIFY_SOCKET like systemd does.
#pragma once

#include <utility>  // before Asio: Boost 1.74 needs it

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace synthminer::daemon::testing {

using namespace std::chrono_literals;

inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Polls `done` every 20 ms until it holds or `timeout` passes.
inline bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return done();
}

/// A temporary directory, removed with its files at the end.
class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/synthminer-test-XXXXXX";
    path_ = mkdtemp(name) ? name : "/tmp";
  }
  ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// synthminerd as a child process; killed at the end if still running.
class DaemonProcess {
 public:
  DaemonProcess(std::vector<std::string> args, std::string log,
                std::vector<std::pair<std::string, std::string>> env = {})
      : log_(std::move(log)) {
    pid_ = fork();
    if (pid_ != 0) return;
    const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>("synthminerd"));
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(SYNTHMINERD_PATH, argv.data());
    _exit(127);
  }
  ~DaemonProcess() {
    if (running()) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  std::string log() const { return read_file(log_); }
  void signal(int sig) const { kill(pid_, sig); }
  bool running() {
    if (exit_) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return false;
    }
    return true;
  }
  /// The exit status, or nullopt if it is still running after `timeout`.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout) {
    eventually([this] { return !running(); }, timeout);
    return exit_;
  }
  /// The first capture of `pattern` in the log, waiting up to `timeout`.
  std::optional<std::string> wait_for_log(const std::string& pattern,
                                          std::chrono::milliseconds timeout) {
    const std::regex re(pattern);
    std::optional<std::string> found;
    eventually(
        [&] {
          std::smatch m;
          const std::string text = log();
          if (!std::regex_search(text, m, re)) return false;
          found = m.size() > 1 ? m[1].str() : m[0].str();
          return true;
        },
        timeout);
    return found;
  }

 private:
  std::string log_;
  pid_t pid_ = -1;
  std::optional<int> exit_;
};

struct HttpReply {
  int status = 0;
  std::string body;
};

/// One HTTP/1.1 request to 127.0.0.1:port; status 0 when it failed.
inline HttpReply http_request(uint16_t port, boost::beast::http::verb method,
                              const std::string& target, const std::string& body = {},
                              const std::optional<std::string>& token = {}) {
  namespace http = boost::beast::http;
  HttpReply reply;
  try {
    boost::asio::io_context io;
    boost::beast::tcp_stream stream(io);
    stream.expires_after(5s);
    stream.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (token) req.set(http::field::authorization, "Bearer " + *token);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    http::write(stream, req);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    reply.status = res.result_int();
    reply.body = res.body();
  } catch (const std::exception&) {
    reply.status = 0;
  }
  return reply;
}

/// Sends only a request head that announces a body of `content_length`
/// bytes, and reads the answer (a server should refuse an oversized body
/// from the head alone). Status 0 when it failed.
inline int http_status_for_announced_body(uint16_t port, const std::string& target,
                                          size_t content_length, const std::string& token) {
  try {
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    const std::string head =
        "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(content_length) +
        "\r\n\r\n";
    boost::asio::write(socket, boost::asio::buffer(head));
    boost::beast::flat_buffer buffer;
    boost::beast::http::response<boost::beast::http::string_body> res;
    boost::beast::http::read(socket, buffer, res);
    return res.result_int();
  } catch (const std::exception&) {
    return 0;
  }
}

/// A unix datagram socket systemd-style: a thread collects what the daemon
/// sends to NOTIFY_SOCKET (as systemd does: a full socket would block the
/// sender).
class NotifySocket {
 public:
  explicit NotifySocket(std::string path) : path_(std::move(path)) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path_.copy(addr.sun_path, sizeof(addr.sun_path) - 1);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    reader_ = std::thread([this] {
      char buffer[4096];
      while (!stop_.load()) {
        const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
        if (n > 0) {
          std::lock_guard lock(mutex_);
          messages_.emplace_back(buffer, static_cast<size_t>(n));
        } else {
          std::this_thread::sleep_for(5ms);
        }
      }
    });
  }
  ~NotifySocket() {
    stop_.store(true);
    reader_.join();
    close(fd_);
    unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }
  /// Every message received so far, in order.
  std::vector<std::string> messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  /// The index of the first message at or after `from` containing `text`.
  std::optional<size_t> find(const std::string& text, size_t from = 0) {
    const auto all = messages();
    for (size_t i = from; i < all.size(); ++i)
      if (all[i].find(text) != std::string::npos) return i;
    return std::nullopt;
  }

 private:
  std::string path_;
  int fd_ = -1;
  std::mutex mutex_;
  std::vector<std::string> messages_;
  std::atomic<bool> stop_{false};
  std::thread reader_;
};

}  // namespace synthminer::daemon::testing
