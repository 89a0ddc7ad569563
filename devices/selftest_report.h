// What `--selftest` and `--benchmark` print about this machine's CPU: each
// hash backend's self-test and the chosen backend. The GPUs' lines come
// from print_cuda_devices (devices/gpu_devices.h).
#pragma once

#include <ostream>

#include "hashcore/selftest.h"

namespace synthminer::devices {

/// Writes the report; returns false when a backend the CPU supports failed.
bool print_selftest_report(std::ostream& out, const hashcore::Dispatch& dispatch);

}  // namespace synthminer::devices
