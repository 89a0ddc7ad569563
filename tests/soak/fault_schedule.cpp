#include "tests/soak/fault_schedule.h"

#include <nlohmann/json.hpp>

namespace synthminer::soak {

using demo_pool::Reject;

namespace {

struct Timed {
  uint64_t second;  ///< of each minute
  const char* name;
};

constexpr Timed kEveryMinute[] = {
    {15, "drop"},
    {20, "response_delay"},
    {25, "oversized_line"},
    {35, "reconnect"},
    {40, "reconnect_elsewhere"},
    {45, "set_extranonce"},
    {50, "unanswered_submits"},
};

}  // namespace

FaultSchedule::FaultSchedule(demo_pool::DemoPool& pool, ScheduleOptions options)
    : pool_(pool), options_(options), rng_(options.seed) {
  // Rejects all along: 1 share in 20 is refused although valid.
  pool_.set_reject_ratio(0.05, Reject::kLowDifficulty);
}

bool FaultSchedule::chance(uint32_t one_in) {
  return rng_() % one_in == 0;
}

void FaultSchedule::tick(uint64_t second) {
  end_windows(second);
  const auto interval = static_cast<uint64_t>(options_.difficulty_interval.count());
  if (second > 0 && interval > 0 && second % interval == 0) {
    high_difficulty_ = !high_difficulty_;
    pool_.set_difficulty(options_.difficulty * (high_difficulty_ ? 2 : 1));
    // The pool's reject reason changes with it, so both kinds are seen.
    pool_.set_reject_ratio(0.05, high_difficulty_ ? Reject::kJobNotFound : Reject::kLowDifficulty);
    ++counts_["set_difficulty"];
  }
  // The faults that cost the miner its connection (and the windows that
  // slow it) come once a minute each, at fixed seconds, so that every run of
  // 60 s or more sees all of them.
  for (const auto& [at, name] : kEveryMinute) {
    if (second % 60 == at) inject(name, second);
  }
  // The harmless ones at random; every draw is made every second, whatever
  // the outcome, so that one fault's timing does not depend on another's.
  if (chance(4)) inject("garbage", second);
  if (chance(10)) inject("long_line", second);
  if (chance(20)) inject("show_message", second);
  if (chance(20)) inject("get_version", second);
  if (chance(5)) inject("new_job", second);
}

void FaultSchedule::end_windows(uint64_t second) {
  if (delay_until_ != 0 && second >= delay_until_) {
    pool_.set_response_delay(std::chrono::milliseconds(0));
    delay_until_ = 0;
  }
  if (unanswered_until_ != 0 && second >= unanswered_until_) {
    pool_.set_unanswered({});
    unanswered_until_ = 0;
  }
}

void FaultSchedule::inject(const std::string& name, uint64_t second) {
  ++counts_[name];
  if (name == "response_delay") {
    pool_.set_response_delay(std::chrono::milliseconds(400));
    delay_until_ = second + 3;
  } else if (name == "unanswered_submits") {
    // Three seconds of shares: enough for the miner's 3 time-outs in a row.
    pool_.set_unanswered({"mining.submit"});
    unanswered_until_ = second + 3;
  } else if (name == "garbage") {
    pool_.send_garbage();
  } else if (name == "long_line") {
    // Long but under the miner's 64 KiB line limit: parsed and refused, not a drop.
    pool_.send_line(std::string(20 * 1024, 'y'));
  } else if (name == "show_message") {
    // A forged journal entry and terminal escapes: the miner must log them inert.
    pool_.send_notification("client.show_message",
                            nlohmann::json::array({"hi\n<3>forged entry \x1b[31mred\x1b[0m"}));
  } else if (name == "get_version") {
    pool_.send_request("client.get_version", nlohmann::json::array());
  } else if (name == "new_job") {
    pool_.send_new_job(false);
  } else if (name == "set_extranonce") {
    pool_.send_set_extranonce(4, 4);
  } else if (name == "oversized_line") {
    pool_.send_oversized_line(100 * 1024);  // over the miner's limit: it hangs up
  } else if (name == "drop") {
    pool_.drop_connections();
  } else if (name == "reconnect") {
    pool_.send_reconnect("127.0.0.1", options_.port, 1);
  } else if (name == "reconnect_elsewhere") {
    pool_.send_reconnect("192.0.2.1", 3333, 0);  // another host: the miner must refuse
  }
}

}  // namespace synthminer::soak
