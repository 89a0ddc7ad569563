// Fuzzes the Stratum line parser and every typed message parser behind it:
// whatever a pool sends, each must return a value or an error, never crash,
// hang or touch memory it does not own (run under ASan and UBSan).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "demo_pool/demo_pool_share.h"
#include "protocol/messages.h"
#include "protocol/work.h"

namespace proto = synthminer::protocol;
namespace demo = synthminer::demo_pool;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const auto in = proto::parse_line(line);
  if (!in) return 0;

  if (auto job = proto::parse_notify(in->params)) {
    // Build a share header from whatever the job holds.
    const proto::Extranonce session{{1, 2, 3, 4}, 4};
    const uint8_t en2[4] = {0, 0, 0, 1};
    (void)proto::share_header(*job, session, en2, job->version, job->ntime, 0);
    (void)proto::nbits_to_target(job->nbits);
  }
  // DemoPool's side: a submit from a miner, judged against a fixed job.
  if (auto sub = demo::parse_submit(in->params)) {
    static const proto::Job job = [] {
      proto::Job j;
      j.job_id = "bf";
      j.coinb1 = {1, 0};
      j.coinb2 = {2, 0};
      j.version = 0x20000000;
      j.nbits = 0x1d00ffff;
      j.ntime = 0x504e86b9;
      return j;
    }();
    (void)demo::validate_share(job, {{8, 0, 0, 2}, 4}, sub->share, 1.0, 0x1fffe000);
  }
  if (auto d = proto::parse_set_difficulty(in->params)) (void)proto::difficulty_to_target(*d);
  (void)proto::parse_set_extranonce(in->params);
  (void)proto::parse_set_version_mask(in->params);
  (void)proto::parse_reconnect(in->params);
  (void)proto::parse_subscribe_result(in->result);
  (void)proto::parse_configure_result(in->result);
  (void)proto::parse_subscribe_result(in->params);
  (void)proto::parse_configure_result(in->params.empty() ? in->params : in->params[0]);
  return 0;
}
