#include "daemon/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace synthminer::daemon {
namespace {

constexpr const char* kTextPattern = "[%Y-%m-%d %H:%M:%S.%e] [%^%l%$] %v";
constexpr const char* kJournalPattern = "%*%v";

// "%*": the journald priority prefix of the message's level.
class JournalPriorityFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string_view prefix =
        journal_prefix(msg.level, std::string_view(msg.logger_name.data(), msg.logger_name.size()));
    dest.append(prefix.data(), prefix.data() + prefix.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JournalPriorityFlag>();
  }
};

template <class T>
bool parse_decimal(std::string_view text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

spdlog::sink_ptr make_stderr_sink(LogOutput output) {
  switch (output) {
    case LogOutput::kJournal: {
      auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
      auto formatter = std::make_unique<spdlog::pattern_formatter>();
      formatter->add_flag<JournalPriorityFlag>('*').set_pattern(kJournalPattern);
      sink->set_formatter(std::move(formatter));
      return sink;
    }
    case LogOutput::kTerminal: {
      auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(spdlog::color_mode::always);
      sink->set_pattern(kTextPattern);
      return sink;
    }
    case LogOutput::kPlain:
      break;
  }
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_pattern(kTextPattern);
  return sink;
}

}  // namespace

bool journal_stream_matches(std::string_view journal_stream, int fd) {
  const auto colon = journal_stream.find(':');
  if (colon == std::string_view::npos) return false;
  unsigned long long device = 0;
  unsigned long long inode = 0;
  if (!parse_decimal(journal_stream.substr(0, colon), device) ||
      !parse_decimal(journal_stream.substr(colon + 1), inode)) {
    return false;
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) return false;
  return static_cast<unsigned long long>(st.st_dev) == device &&
         static_cast<unsigned long long>(st.st_ino) == inode;
}

LogOutput detect_log_output(int fd) {
  const char* journal = std::getenv("JOURNAL_STREAM");
  if (journal != nullptr && journal_stream_matches(journal, fd)) return LogOutput::kJournal;
  const char* no_color = std::getenv("NO_COLOR");
  if (isatty(fd) == 1 && (no_color == nullptr || *no_color == '\0')) return LogOutput::kTerminal;
  return LogOutput::kPlain;
}

std::string_view journal_prefix(spdlog::level::level_enum level, std::string_view logger) {
  if (level == spdlog::level::info && logger == kNoticeLogger) return "<5>";  // SD_NOTICE
  switch (level) {
    case spdlog::level::critical:
    case spdlog::level::err:
      return "<3>";  // SD_ERR
    case spdlog::level::warn:
      return "<4>";  // SD_WARNING
    case spdlog::level::info:
      return "<6>";  // SD_INFO
    case spdlog::level::debug:
    case spdlog::level::trace:
    default:
      return "<7>";  // SD_DEBUG
  }
}

spdlog::level::level_enum to_spdlog_level(config::LogLevel level) {
  switch (level) {
    case config::LogLevel::kTrace:
      return spdlog::level::trace;
    case config::LogLevel::kDebug:
      return spdlog::level::debug;
    case config::LogLevel::kInfo:
      return spdlog::level::info;
    case config::LogLevel::kWarn:
      return spdlog::level::warn;
    case config::LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

std::string redact(std::string_view text, const std::vector<std::string>& secrets) {
  std::string out(text);
  for (const auto& secret : secrets) {
    if (secret.size() < kMinSecretLength) continue;
    for (auto pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + 3)) {
      out.replace(pos, secret.size(), "***");
    }
  }
  return out;
}

void RedactingSink::set_secrets(std::vector<std::string> secrets) {
  // Longest first, so a secret that contains another is blanked whole.
  std::sort(secrets.begin(), secrets.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::lock_guard lock(mutex_);
  secrets_ = std::move(secrets);
}

void RedactingSink::sink_it_(const spdlog::details::log_msg& msg) {
  const std::string_view payload(msg.payload.data(), msg.payload.size());
  const std::string clean = redact(payload, secrets_);
  spdlog::details::log_msg copy(msg);
  copy.payload = spdlog::string_view_t(clean.data(), clean.size());
  inner_->log(copy);
}

void RedactingSink::flush_() {
  inner_->flush();
}

void RedactingSink::set_pattern_(const std::string& pattern) {
  inner_->set_pattern(pattern);
}

void RedactingSink::set_formatter_(std::unique_ptr<spdlog::formatter> formatter) {
  inner_->set_formatter(std::move(formatter));
}

std::shared_ptr<RedactingSink> setup_logging(LogOutput output, spdlog::level::level_enum level) {
  auto redactor = std::make_shared<RedactingSink>(make_stderr_sink(output));
  auto logger = std::make_shared<spdlog::logger>("synthminerd", redactor);
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  return redactor;
}

void log_notice(const std::string& text) {
  // Made per call (notices are rare) so that it always follows whichever
  // default logger is in place, a test's capture included.
  const std::shared_ptr<spdlog::logger> base = spdlog::default_logger();
  spdlog::logger notice(std::string(kNoticeLogger), base->sinks().begin(), base->sinks().end());
  notice.set_level(base->level());
  notice.flush_on(spdlog::level::info);
  notice.info(text);
}

void set_log_level(spdlog::level::level_enum level) {
  spdlog::set_level(level);
}

}  // namespace synthminer::daemon
