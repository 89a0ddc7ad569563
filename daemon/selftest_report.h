// What `--selftest` and `--benchmark` print about this machine: the CPU, each
// hash backend's self-test, the chosen backend and the CUDA devices.
#pragma once

#include <ostream>

#include "hashcore/selftest.h"

namespace synthminer::daemon {

/// Writes the report; returns false when a backend the CPU supports failed.
bool print_selftest_report(std::ostream& out, const hashcore::Dispatch& dispatch);

/// One line per CUDA device, or why there is none.
void print_cuda_devices(std::ostream& out);

}  // namespace synthminer::daemon
