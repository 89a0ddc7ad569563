// jarvis-bench's GPUs: each CUDA device, measured (calibrate_gpu) and added
// to the cluster with a GpuExecutor, so the suite routes to the real machine.
// Without vgpu/cuda built, or without a driver, it adds nothing and says why.
#pragma once

#include <string>
#include <vector>

#include "vgpu/jarvis.h"

namespace jarvis::bench {

/// Adds every CUDA GPU to `jarvis`; returns one line per device or reason.
std::vector<std::string> add_gpus(Jarvis5090X& jarvis, double calibration_seconds);

}  // namespace jarvis::bench
