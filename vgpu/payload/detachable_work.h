// run_detachable: a step that cannot check a stop token itself (Eigen's SVD,
// an LU solve), run so that a shutdown or a reload need not wait for it.
//
// Design: the step runs on a thread of its own while the calling worker
// waits, reading the token every few milliseconds. When the daemon shuts
// down or the reload preempts the task, the wait ends at once (Stopped) and
// the thread is left to finish alone, its result dropped: the step owns
// everything it reads, and the process may exit under it. A cancel or a
// deadline does not leave it: the step runs whole, as it would inline, so no
// CPU is spent behind the budget's back (a user can cancel often; the daemon
// stops or reloads rarely). Used only for steps long enough (about a tenth of
// a second or more) that a thread's start is lost in them.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <utility>

#include "vgpu/payload/stop_token.h"

namespace jarvis {

/// Runs `work` (a callable owning all it reads) on a detached thread and
/// returns its value or rethrows its exception; throws Stopped when `stop`
/// says kShutdown or kPreempted first.
template <typename Work>
auto run_detachable(Work work, const StopToken& stop) -> decltype(work()) {
  using Value = decltype(work());
  auto task = std::make_shared<std::packaged_task<Value()>>(std::move(work));
  std::future<Value> done = task->get_future();
  std::thread([task] { (*task)(); }).detach();
  while (done.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready) {
    const StopReason reason = stop.reason();
    if (reason == StopReason::kShutdown || reason == StopReason::kPreempted) throw Stopped{reason};
  }
  return done.get();
}

}  // namespace jarvis
