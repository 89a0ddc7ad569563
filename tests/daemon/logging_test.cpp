// Logging set-up: the journald/terminal/plain decision, priority prefixes
// under a JOURNAL_STREAM that names stderr, colours on a terminal (a pty),
// live level changes and redaction of secrets.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "daemon/logging.h"
#include "tests/daemon/scoped_env.h"

namespace synthminer::daemon {
namespace {

std::string dev_ino(int fd) {
  struct stat st {};
  EXPECT_EQ(fstat(fd, &st), 0);
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

// Points stderr (fd 2) at `fd` for the scope and puts it back after.
class StderrRedirect {
 public:
  explicit StderrRedirect(int fd) {
    std::fflush(stderr);
    saved_ = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
  }
  ~StderrRedirect() {
    spdlog::default_logger()->flush();
    std::fflush(stderr);
    dup2(saved_, STDERR_FILENO);
    close(saved_);
  }

 private:
  int saved_ = -1;
};

using testing::ScopedEnv;

class LogFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/synthminer-log-XXXXXX";
    fd_ = mkstemp(name);
    ASSERT_GE(fd_, 0);
    path_ = name;
  }
  void TearDown() override {
    close(fd_);
    std::filesystem::remove(path_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("reset"));
  }
  std::string contents() const {
    std::ifstream in(path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  int fd_ = -1;
  std::string path_;
};

TEST_F(LogFile, JournalStreamMustNameTheFile) {
  EXPECT_TRUE(journal_stream_matches(dev_ino(fd_), fd_));
  EXPECT_FALSE(journal_stream_matches(dev_ino(fd_) + "1", fd_));
  EXPECT_FALSE(journal_stream_matches("", fd_));
  EXPECT_FALSE(journal_stream_matches("12", fd_));
  EXPECT_FALSE(journal_stream_matches("a:b", fd_));
  {
    ScopedEnv env("JOURNAL_STREAM", dev_ino(fd_).c_str());
    EXPECT_EQ(detect_log_output(fd_), LogOutput::kJournal);
  }
  {
    // Inherited by a child whose stderr went elsewhere: not the journal.
    ScopedEnv env("JOURNAL_STREAM", "1:2");
    EXPECT_EQ(detect_log_output(fd_), LogOutput::kPlain);
  }
}

TEST_F(LogFile, UnderJournalLinesCarryPrioritiesAndNoColour) {
  ScopedEnv env("JOURNAL_STREAM", dev_ino(fd_).c_str());
  {
    StderrRedirect redirect(fd_);
    const LogOutput output = detect_log_output(STDERR_FILENO);
    ASSERT_EQ(output, LogOutput::kJournal);
    setup_logging(output, spdlog::level::debug);
    spdlog::error("e1");
    spdlog::warn("w1");
    spdlog::info("i1");
    spdlog::debug("d1");
    spdlog::trace("t1");  // below the level
  }
  EXPECT_EQ(contents(), "<3>e1\n<4>w1\n<6>i1\n<7>d1\n");
}

TEST_F(LogFile, PlainOutputHasLevelsAndNoColour) {
  ScopedEnv env("JOURNAL_STREAM", nullptr);
  {
    StderrRedirect redirect(fd_);
    const LogOutput output = detect_log_output(STDERR_FILENO);
    ASSERT_EQ(output, LogOutput::kPlain);
    setup_logging(output, spdlog::level::info);
    spdlog::warn("careful");
  }
  const std::string text = contents();
  EXPECT_NE(text.find("[warning] careful"), std::string::npos) << text;
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find("<4>"), std::string::npos);
}

TEST_F(LogFile, LevelChangesLive) {
  ScopedEnv env("JOURNAL_STREAM", dev_ino(fd_).c_str());
  {
    StderrRedirect redirect(fd_);
    setup_logging(LogOutput::kJournal, spdlog::level::info);
    spdlog::debug("hidden");
    set_log_level(spdlog::level::debug);
    spdlog::debug("shown");
    set_log_level(to_spdlog_level(config::LogLevel::kError));
    spdlog::warn("hidden too");
    spdlog::error("still shown");
  }
  EXPECT_EQ(contents(), "<7>shown\n<3>still shown\n");
}

TEST_F(LogFile, SecretsAreRedactedLive) {
  {
    StderrRedirect redirect(fd_);
    auto redactor = setup_logging(LogOutput::kJournal, spdlog::level::info);
    spdlog::info("before: hunter22");
    redactor->set_secrets({"hunter22", "api-token-abcdef"});
    spdlog::info("pool password hunter22, token api-token-abcdef, again hunter22");
    redactor->set_secrets({"x"});  // too short to redact
    spdlog::info("hunter22 x");
  }
  EXPECT_EQ(contents(),
            "<6>before: hunter22\n"
            "<6>pool password ***, token ***, again ***\n"
            "<6>hunter22 x\n");
}

TEST(Logging, TerminalGetsColours) {
  int master = -1;
  int slave = -1;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  ScopedEnv journal("JOURNAL_STREAM", nullptr);
  ScopedEnv no_color("NO_COLOR", nullptr);
  {
    StderrRedirect redirect(slave);
    const LogOutput output = detect_log_output(STDERR_FILENO);
    ASSERT_EQ(output, LogOutput::kTerminal);
    setup_logging(output, spdlog::level::info);
    spdlog::error("red");
  }
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("reset"));
  // A pty hands the line over in pieces: read until it ends (or 2 s pass).
  fcntl(master, F_SETFL, O_NONBLOCK);
  std::string text;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (text.find('\n') == std::string::npos && std::chrono::steady_clock::now() < give_up) {
    char buf[4096];
    const ssize_t n = read(master, buf, sizeof(buf));
    if (n > 0) {
      text.append(buf, static_cast<size_t>(n));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ASSERT_FALSE(text.empty());
  EXPECT_NE(text.find("\x1b["), std::string::npos) << text;
  EXPECT_NE(text.find("red"), std::string::npos);
  {
    ScopedEnv env("NO_COLOR", "1");
    EXPECT_EQ(detect_log_output(slave), LogOutput::kPlain);
  }
  close(slave);
  close(master);
}

TEST(Logging, RedactReplacesEveryOccurrence) {
  EXPECT_EQ(redact("a secret and secret", {"secret"}), "a *** and ***");
  EXPECT_EQ(redact("abc", {}), "abc");
  EXPECT_EQ(redact("pw=x", {"x"}), "pw=x");
  EXPECT_EQ(redact("secretsecret", {"secret"}), "******");
}

TEST(Logging, JournalPrefixes) {
  EXPECT_EQ(journal_prefix(spdlog::level::critical), "<3>");
  EXPECT_EQ(journal_prefix(spdlog::level::err), "<3>");
  EXPECT_EQ(journal_prefix(spdlog::level::warn), "<4>");
  EXPECT_EQ(journal_prefix(spdlog::level::info), "<6>");
  EXPECT_EQ(journal_prefix(spdlog::level::debug), "<7>");
  EXPECT_EQ(journal_prefix(spdlog::level::trace), "<7>");
  EXPECT_EQ(journal_prefix(spdlog::level::info, kNoticeLogger), "<5>");
  EXPECT_EQ(journal_prefix(spdlog::level::warn, kNoticeLogger), "<4>");
  EXPECT_EQ(journal_prefix(spdlog::level::info, "synthminerd"), "<6>");
}

TEST_F(LogFile, NoticesAreJournalPriorityFiveAndRedacted) {
  ScopedEnv env("JOURNAL_STREAM", dev_ino(fd_).c_str());
  {
    StderrRedirect redirect(fd_);
    auto redactor = setup_logging(LogOutput::kJournal, spdlog::level::info);
    redactor->set_secrets({"hunter22"});
    spdlog::info("plain");
    log_notice("BLOCK FOUND, hunter22");
    set_log_level(spdlog::level::warn);
    log_notice("below the level");  // a notice is info: hidden at warn
  }
  EXPECT_EQ(contents(), "<6>plain\n<5>BLOCK FOUND, ***\n");
}

}  // namespace
}  // namespace synthminer::daemon
