// SystemdNotifier against a real notify socket: a unix datagram socket in a
// temporary directory named by NOTIFY_SOCKET, as systemd sets it up.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "lifecycle/systemd_notify.h"
#include "tests/daemon/scoped_env.h"

namespace synthminer::lifecycle {
namespace {

using testing::ScopedEnv;

class NotifySocket : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/synthminer-notify-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    path_ = dir_ + "/notify.sock";
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd_, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    ASSERT_LT(path_.size(), sizeof(addr.sun_path));
    path_.copy(addr.sun_path, path_.size());
    ASSERT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    // A missing datagram fails the test instead of hanging it.
    timeval timeout{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  void TearDown() override {
    if (fd_ >= 0) close(fd_);
    std::filesystem::remove_all(dir_);
  }

  /// The next datagram, or "" when none came.
  std::string receive(int flags = 0) {
    char buf[4096];
    const ssize_t n = recv(fd_, buf, sizeof(buf), flags);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  }

  std::string dir_;
  std::string path_;
  int fd_ = -1;
};

TEST_F(NotifySocket, MessagesArriveInOrder) {
  ScopedEnv env("NOTIFY_SOCKET", path_);
  SystemdNotifier notifier;
  ASSERT_TRUE(notifier.enabled());
  EXPECT_TRUE(notifier.ready());
  EXPECT_TRUE(notifier.reloading());
  EXPECT_TRUE(notifier.ready());
  EXPECT_TRUE(notifier.status("mining: 12.5 MH/s\naccepted 3"));
  EXPECT_TRUE(notifier.watchdog_ping());
  EXPECT_TRUE(notifier.stopping());

  EXPECT_EQ(receive(), "READY=1");
  const std::string reload = receive();
  EXPECT_TRUE(reload.starts_with("RELOADING=1\nMONOTONIC_USEC=")) << reload;
  const std::string usec = reload.substr(reload.find('=', 12) + 1);
  ASSERT_FALSE(usec.empty());
  EXPECT_GT(std::stoull(usec), 0u);
  EXPECT_EQ(receive(), "READY=1");
  EXPECT_EQ(receive(), "STATUS=mining: 12.5 MH/s accepted 3");
  EXPECT_EQ(receive(), "WATCHDOG=1");
  EXPECT_EQ(receive(), "STOPPING=1");
  EXPECT_EQ(receive(MSG_DONTWAIT), "") << "nothing else was sent";
}

TEST_F(NotifySocket, NoOpWithoutNotifySocket) {
  unsetenv("NOTIFY_SOCKET");
  SystemdNotifier notifier;
  EXPECT_FALSE(notifier.enabled());
  EXPECT_FALSE(notifier.ready());
  EXPECT_FALSE(notifier.status("idle"));
  EXPECT_FALSE(notifier.watchdog_ping());
  EXPECT_EQ(receive(MSG_DONTWAIT), "");
}

TEST(SystemdWatchdog, IntervalFromEnvironment) {
  SystemdNotifier notifier;
  {
    ScopedEnv usec("WATCHDOG_USEC", "30000000");
    ScopedEnv pid("WATCHDOG_PID", std::to_string(getpid()));
    const auto interval = notifier.watchdog_interval();
    ASSERT_TRUE(interval);
    EXPECT_EQ(*interval, std::chrono::seconds(30));
  }
  {
    ScopedEnv usec("WATCHDOG_USEC", "30000000");
    ScopedEnv pid("WATCHDOG_PID", std::to_string(getpid() + 1));
    EXPECT_FALSE(notifier.watchdog_interval()) << "meant for another process";
  }
  unsetenv("WATCHDOG_USEC");
  EXPECT_FALSE(notifier.watchdog_interval());
}

}  // namespace
}  // namespace synthminer::lifecycle
