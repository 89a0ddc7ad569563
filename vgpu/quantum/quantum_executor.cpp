#include "vgpu/quantum/quantum_executor.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace jarvis::quantum {
namespace {

// Reductions and collapses work on blocks of this many amplitudes (log2),
// fixed so that partial sums never depend on thread count or block_qubits.
constexpr unsigned kReduceBlockLog2 = 12;

}  // namespace

Executor::Executor(unsigned qubits, const ExecOptions& options)
    : n_(qubits),
      b_(std::min(qubits, std::max(2u, options.block_qubits))),
      kernels_(options.kernels != nullptr ? options.kernels : &best_kernels()) {
  if (n_ > b_ && options.threads > 1) {
    const uint64_t chunks = uint64_t{1} << (n_ - b_);
    pool_ = std::make_unique<WorkerPool>(
        static_cast<unsigned>(std::min<uint64_t>(options.threads, chunks)));
  }
  workers_.resize(threads());
  for (WorkerScratch& w : workers_) {
    if (n_ > b_) w.chunk.resize(size_t{2} << b_);
  }
}

void Executor::apply(StateVector& state, std::span<const Op> ops) {
  for (const Op& op : ops) flops_ += op_flops(op, n_);
  for (const Pass& pass : plan_passes(ops, n_, b_)) {
    run_pass(state, pass);
    ++passes_;
  }
}

void Executor::run_pass(StateVector& state, const Pass& pass) {
  if (pass.ops.size() == 1 && pass.ops[0].kind == OpKind::kMatrix && pass.ops[0].controls == 0 &&
      pass.ops[0].target >= b_) {
    run_lone_high_gate(state, pass.ops[0]);
    return;
  }
  const ChunkRuns runs = chunk_runs(pass.chunk_qubits, b_);
  const uint64_t outside = ((uint64_t{1} << n_) - 1) & ~pass.chunk_qubits;
  const uint64_t chunks = uint64_t{1} << (n_ - b_);
  auto process = [&](uint64_t begin, uint64_t end, unsigned worker) {
    WorkerScratch& w = workers_[worker];
    for (uint64_t c = begin; c < end; ++c) {
      const uint64_t base = deposit(c, outside);
      w.ops.clear();
      Op local;
      for (const Op& op : pass.ops) {
        if (localize(op, pass.chunk_qubits, base, local)) w.ops.push_back(local);
      }
      if (w.ops.empty()) continue;
      double* a = runs.in_place ? state.data() + 2 * base : w.chunk.data();
      if (!runs.in_place) gather(runs, state.data(), base, a);
      apply_direct(*kernels_, a, b_, w.ops);
      if (!runs.in_place) scatter(runs, a, state.data(), base);
    }
  };
  if (pool_) {
    pool_->parallel_for(chunks, process);
  } else {
    process(0, chunks, 0);
  }
}

// A lone gate on a qubit t >= b: gathering gains nothing, so its pairs
// (i, i + 2^t) are updated in place, in slices of 2^b pairs that lie inside
// one contiguous half-block each, spread over the threads.
void Executor::run_lone_high_gate(StateVector& state, const Op& op) {
  const uint64_t stride = uint64_t{1} << op.target;
  const uint64_t slice = uint64_t{1} << b_;
  const uint64_t slices = (state.size() / 2) / slice;
  auto process = [&](uint64_t begin, uint64_t end, unsigned) {
    for (uint64_t s = begin; s < end; ++s) {
      const uint64_t pair = s * slice;
      const uint64_t first = (pair / stride) * 2 * stride + pair % stride;
      double* p0 = state.data() + 2 * first;
      kernels_->pair_matrix(p0, p0 + 2 * stride, slice, op.u.data());
    }
  };
  if (pool_) {
    pool_->parallel_for(slices, process);
  } else {
    process(0, slices, 0);
  }
}

void Executor::for_blocks(unsigned block_log2,
                          const std::function<void(uint64_t, uint64_t, unsigned)>& fn) {
  const uint64_t blocks = uint64_t{1} << (n_ - block_log2);
  if (pool_) {
    pool_->parallel_for(blocks, fn);
  } else {
    fn(0, blocks, 0);
  }
}

std::array<double, 2> Executor::qubit_probabilities(const StateVector& state, unsigned q) {
  const unsigned blk = std::min(n_, kReduceBlockLog2);
  const unsigned run_log2 = std::min(q, blk);
  const uint64_t run = uint64_t{1} << run_log2;
  const uint64_t blocks = uint64_t{1} << (n_ - blk);
  std::vector<double> partial(2 * blocks);
  for_blocks(blk, [&](uint64_t begin, uint64_t end, unsigned) {
    for (uint64_t k = begin; k < end; ++k) {
      double sum[2] = {0.0, 0.0};
      for (uint64_t i = k << blk; i < (k + 1) << blk; i += run) {
        sum[(i >> q) & 1] += kernels_->norm(state.data() + 2 * i, run);
      }
      partial[2 * k] = sum[0];
      partial[2 * k + 1] = sum[1];
    }
  });
  std::array<double, 2> total{0.0, 0.0};
  for (uint64_t k = 0; k < blocks; ++k) {
    total[0] += partial[2 * k];
    total[1] += partial[2 * k + 1];
  }
  const uint64_t runs = state.size() / run;
  flops_ += 4 * state.size() + 4 * runs + 2 * blocks;
  return total;
}

void Executor::collapse(StateVector& state, unsigned q, unsigned outcome, double p_outcome) {
  const double scale = 1.0 / std::sqrt(p_outcome);
  const unsigned blk = std::min(n_, kReduceBlockLog2);
  for_blocks(blk, [&](uint64_t begin, uint64_t end, unsigned) {
    double* a = state.data();
    for (uint64_t i = begin << blk; i < end << blk; ++i) {
      if (((i >> q) & 1) == outcome) {
        a[2 * i] *= scale;
        a[2 * i + 1] *= scale;
      } else {
        a[2 * i] = 0.0;
        a[2 * i + 1] = 0.0;
      }
    }
  });
  flops_ += 2 + state.size();  // sqrt and divide, then 2 multiplies per kept amplitude
}

}  // namespace jarvis::quantum
