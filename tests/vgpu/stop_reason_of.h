// The stop tests' shared helper: how a call ended.
#pragma once

#include "vgpu/payload/stop_token.h"

namespace jarvis::test {

/// The reason `call` stopped with (it threw Stopped), or kNone when it returned.
template <typename Call>
StopReason stop_reason_of(Call&& call) {
  try {
    call();
  } catch (const Stopped& stopped) {
    return stopped.reason;
  }
  return StopReason::kNone;
}

}  // namespace jarvis::test
