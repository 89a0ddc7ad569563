#include "http/io_loop.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace synthminer::http {
namespace {

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}

}  // namespace

std::size_t IoLoop::run_one_for(std::chrono::milliseconds block) {
  if (busy_poll_.count() > 0) {
    const auto until = last_handler_ + busy_poll_;
    while (!io_.stopped() && Clock::now() < until) {
      if (io_.poll_one() > 0) {
        last_handler_ = Clock::now();
        return 1;
      }
      cpu_relax();
    }
  }
  const std::size_t ran = io_.run_one_for(block);
  if (ran > 0) last_handler_ = Clock::now();
  return ran;
}

}  // namespace synthminer::http
