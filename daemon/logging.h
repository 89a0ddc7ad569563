// Logging set-up for synthminerd (spdlog): where stderr goes decides the
// format. Under systemd (JOURNAL_STREAM names stderr's device:inode) each
// line starts with a journald priority ("<3>" error … "<7>" debug) and has
// no colours or timestamp (journald adds its own); on a terminal, colours;
// otherwise plain timestamped lines. Every line passes a RedactingSink that
// blanks known secrets (pool passwords, API token) as a second line of
// defence: the daemon avoids logging them in the first place.
#pragma once

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace synthminer::daemon {

enum class LogOutput { kJournal, kTerminal, kPlain };

/// True when `journal_stream` ("<device>:<inode>", decimal, as systemd sets
/// JOURNAL_STREAM) names the file open on `fd`.
bool journal_stream_matches(std::string_view journal_stream, int fd);

/// kJournal when JOURNAL_STREAM matches `fd`, else kTerminal when `fd` is a
/// terminal and NO_COLOR is unset, else kPlain.
LogOutput detect_log_output(int fd);

/// The journald priority prefix for `level`: "<3>" err and critical, "<4>"
/// warn, "<6>" info, "<7>" debug and trace; "<5>" (notice) for an info line
/// from the logger named kNoticeLogger.
std::string_view journal_prefix(spdlog::level::level_enum level, std::string_view logger = {});

/// spdlog has no notice level: a notice is an info line through a logger of
/// this name, which shares the default logger's sinks and level.
inline constexpr std::string_view kNoticeLogger = "notice";

/// Logs `text` at journal priority notice (5): good news worth a look, such
/// as a block found, that must not land in error filters. Other formats
/// show it as info.
void log_notice(const std::string& text);

/// The spdlog level for a config level.
spdlog::level::level_enum to_spdlog_level(config::LogLevel level);

/// `text` with every occurrence of each secret replaced by "***". Secrets
/// shorter than kMinSecretLength are ignored (a placeholder password "x"
/// would otherwise blank every x in the log).
std::string redact(std::string_view text, const std::vector<std::string>& secrets);
constexpr std::size_t kMinSecretLength = 4;

/// A sink that redacts each message's text and hands it to `inner`, which
/// does the formatting (colours included). set_secrets may be called from
/// any thread, e.g. on config reload.
class RedactingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit RedactingSink(spdlog::sink_ptr inner) : inner_(std::move(inner)) {}
  /// Replaces the set of secrets to blank.
  void set_secrets(std::vector<std::string> secrets);

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;
  void set_pattern_(const std::string& pattern) override;
  void set_formatter_(std::unique_ptr<spdlog::formatter> formatter) override;

 private:
  spdlog::sink_ptr inner_;
  std::vector<std::string> secrets_;
};

/// Makes a logger writing to stderr formatted for `output`, at `level`, the
/// spdlog default logger, and returns its redacting sink (keep it to set the
/// secrets). Call once at start-up, before other threads log.
std::shared_ptr<RedactingSink> setup_logging(LogOutput output, spdlog::level::level_enum level);

/// Changes the default logger's level (config reload). Any thread.
void set_log_level(spdlog::level::level_enum level);

}  // namespace synthminer::daemon
