// Drawing measurement outcomes from a state vector with the seeded PRNG.
#pragma once

#include <cstdint>
#include <map>

#include "vgpu/quantum/kernels/quantum_rng.h"
#include "vgpu/quantum/quantum_state.h"

namespace jarvis::quantum {

/// Adds `shots` outcomes (basis-state indices) drawn from |a_i|^2 / sum|a|^2
/// to `counts`. Draws exactly `shots` uniforms from `rng`, sorts them and
/// walks the state once in index order (O(2^n + shots log shots)), on the
/// calling thread, so the outcome depends only on the state and the rng.
/// Returns the FLOPs executed.
uint64_t sample_outcomes(const StateVector& state, uint32_t shots, Xoshiro256& rng,
                         std::map<uint64_t, uint64_t>& counts);

}  // namespace jarvis::quantum
