// `synthminerd --config` as a user runs it: a real process mining against
// DemoPool on loopback, surviving SIGHUP, stopping cleanly on SIGINT.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "demo_pool/demo_pool.h"

namespace synthminer::daemon {
namespace {

using namespace std::chrono_literals;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Waits for `pid` up to `timeout`; the exit status, or -1 if still running.
int wait_exit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    std::this_thread::sleep_for(20ms);
  }
  return -1;
}

TEST(MineMode, MinesUntilSigintAndAccountsForEveryShare) {
  demo_pool::DemoPoolOptions o;
  o.zero_bits = 20;
  o.job_interval = 0ms;
  demo_pool::DemoPool pool(o);
  const auto port = pool.start();
  ASSERT_TRUE(port) << port.error();

  char dir_template[] = "/tmp/synthminer-mine-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  const std::string config = dir + "/config.json", log = dir + "/out.log";
  std::ofstream(config)
      << R"({"pools":[{"url":"stratum+tcp://127.0.0.1:)" << *port
      << R"(","user":"test.worker","password":"secret-pass"}],)"
      << R"("metrics":{"listen":"127.0.0.1:0"},"api":{"listen":"127.0.0.1:0"},)"
      << R"("stratum":{"backoff_initial_seconds":0.05,"backoff_max_seconds":0.2}})";

  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    execl(SYNTHMINERD_PATH, "synthminerd", "--config", config.c_str(), "--threads", "2", nullptr);
    _exit(127);
  }
  EXPECT_TRUE(pool.wait_for_shares(3, 15s)) << read_file(log);
  kill(pid, SIGHUP);  // must not kill it
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(wait_exit(pid, 1ms), -1) << "SIGHUP ended the process:\n" << read_file(log);
  kill(pid, SIGINT);
  const int status = wait_exit(pid, 15s);
  if (status == -1) kill(pid, SIGKILL);
  EXPECT_EQ(status, 0) << read_file(log);

  const std::string out = read_file(log);
  EXPECT_NE(out.find("share accepted"), std::string::npos) << out;
  EXPECT_NE(out.find("reload: applied (0 setting(s) changed)"), std::string::npos) << out;
  EXPECT_NE(out.find("stopped:"), std::string::npos) << out;
  EXPECT_NE(out.find("pending 0"), std::string::npos) << out;
  EXPECT_EQ(out.find("secret-pass"), std::string::npos) << "the password reached the log";
  EXPECT_EQ(pool.counts().rejected, 0u);
  std::remove(config.c_str());
  std::remove(log.c_str());
  rmdir(dir.c_str());
}

TEST(MineMode, BadConfigExitsWithThePathAndReason) {
  char dir_template[] = "/tmp/synthminer-bad-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string config = std::string(dir_template) + "/bad.json";
  std::ofstream(config) << R"({"pools":[{"url":"stratum+tcp://127.0.0.1:1","user":"u","x":1}]})";
  const std::string cmd = std::string(SYNTHMINERD_PATH) + " --config " + config + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
  const int status = pclose(p);
  EXPECT_EQ(WEXITSTATUS(status), 3);
  EXPECT_NE(out.find("/pools/0/x: unknown key"), std::string::npos) << out;
  std::remove(config.c_str());
  rmdir(dir_template);
}

}  // namespace
}  // namespace synthminer::daemon
