#include "vgpu/quantum/quantum_executor.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstring>
#include <type_traits>

namespace jarvis::quantum {
namespace {

// Reductions and collapses work on blocks of this many amplitudes (log2),
// fixed so that partial sums never depend on thread count or block_qubits.
constexpr unsigned kReduceBlockLog2 = 12;

}  // namespace

Executor::Executor(unsigned qubits, const ExecOptions& options)
    : n_(qubits),
      // A float32 chunk takes one qubit more, the same bytes as a float64
      // one (measured faster), and must hold a dense 3-qubit gate.
      b_(std::min(qubits, options.precision == Precision::kFloat32
                              ? std::max(3u, options.block_qubits + 1)
                              : std::max(2u, options.block_qubits))),
      kernels_(options.kernels != nullptr ? options.kernels : &best_kernels()),
      dense_(options.dense != nullptr ? options.dense : &best_dense_kernels()),
      fusion_qubits_(std::clamp(options.fusion_qubits, 1u, 3u)),
      low_qubits_(options.low_qubits),
      precision_(options.precision),
      stop_(options.stop) {
  if (precision_ == Precision::kFloat32) {
    name_ = std::string(dense_->name) + " float32";
  } else if (fusion_qubits_ >= 2) {
    name_ = std::string(kernels_->name) + "+" + dense_->name;
  } else {
    name_ = kernels_->name;
  }
  if (n_ > b_ && options.threads > 1) {
    const uint64_t chunks = uint64_t{1} << (n_ - b_);
    pool_ = std::make_unique<WorkerPool>(
        static_cast<unsigned>(std::min<uint64_t>(options.threads, chunks)));
  }
  workers_.resize(threads());
  for (WorkerScratch& w : workers_) {
    // 64-byte aligned, so vector loads never straddle cache lines; float32
    // chunks use half of it.
    if (n_ > b_) {
      w.storage.resize((size_t{2} << b_) + 8);
      const uintptr_t at = reinterpret_cast<uintptr_t>(w.storage.data());
      w.chunk = w.storage.data() + ((64 - at % 64) % 64) / sizeof(double);
    }
  }
}

void Executor::apply(StateVector& state, std::span<const Op> ops) {
  assert(state.precision() == precision_);
  matrices_.clear();
  std::vector<Op> dense_ops;
  if (precision_ == Precision::kFloat32) {
    // Every gate as a dense op on the qubits it touches.
    dense_ops.resize(ops.size());
    for (size_t i = 0; i < ops.size(); ++i) flops_ += make_dense(ops[i], matrices_, dense_ops[i]);
    ops = dense_ops;
  }
  for (Pass& pass : plan_passes(ops, n_, b_, low_qubits_)) {
    // Each pass is one sweep over the state: a stop waits at most that long.
    if (stop_) stop_->check();
    if (fusion_qubits_ >= 2) {
      pass.ops =
          fuse_multi_qubit_gates(pass.ops, pass.chunk_qubits, fusion_qubits_, matrices_, flops_);
    }
    for (const Op& op : pass.ops) flops_ += op_flops(op, n_);
    if (precision_ == Precision::kFloat32) {
      run_pass(state.data32(), pass);
    } else {
      run_pass(state.data(), pass);
    }
    passes_.fetch_add(1, std::memory_order_relaxed);
  }
  // A pass cut short by a stop (run_pass) left the state half done.
  if (stop_) stop_->check();
}

template <typename T>
void Executor::run_pass(T* amps, const Pass& pass) {
  if constexpr (std::is_same_v<T, double>) {
    if (pass.ops.size() == 1 && pass.ops[0].kind == OpKind::kMatrix && pass.ops[0].controls == 0 &&
        pass.ops[0].target >= b_) {
      run_lone_high_gate(amps, pass.ops[0]);
      return;
    }
  }
  const ChunkRuns runs = chunk_runs(pass.chunk_qubits, b_);
  const uint64_t outside = ((uint64_t{1} << n_) - 1) & ~pass.chunk_qubits;
  const uint64_t chunks = uint64_t{1} << (n_ - b_);
  auto process = [&](uint64_t begin, uint64_t end, unsigned worker) {
    WorkerScratch& w = workers_[worker];
    for (uint64_t c = begin; c < end; ++c) {
      // A pass may hold thousands of gates: a stop is seen chunk by chunk.
      if (stop_ && stop_->reason() != StopReason::kNone) return;
      const uint64_t base = deposit(c, outside);
      w.ops.clear();
      Op local;
      for (const Op& op : pass.ops) {
        if (localize(op, pass.chunk_qubits, base, local)) w.ops.push_back(local);
      }
      if (w.ops.empty()) continue;
      T* a = runs.in_place ? amps + 2 * base : reinterpret_cast<T*>(w.chunk);
      if (!runs.in_place) gather(runs, amps, base, a);
      if constexpr (std::is_same_v<T, double>) {
        apply_direct(*kernels_, *dense_, a, b_, w.ops);
      } else {
        apply_direct32(*dense_, a, b_, w.ops);
      }
      if (!runs.in_place) scatter(runs, a, amps, base);
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
void Executor::run_lone_high_gate(double* amps, const Op& op) {
  const uint64_t stride = uint64_t{1} << op.target;
  const uint64_t slice = uint64_t{1} << b_;
  const uint64_t slices = (uint64_t{1} << (n_ - 1)) / slice;
  auto process = [&](uint64_t begin, uint64_t end, unsigned) {
    for (uint64_t s = begin; s < end; ++s) {
      const uint64_t pair = s * slice;
      const uint64_t first = (pair / stride) * 2 * stride + pair % stride;
      double* p0 = amps + 2 * first;
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
  if (state.precision() == Precision::kFloat32) return probabilities(state.data32(), q);
  return probabilities(state.data(), q);
}

void Executor::collapse(StateVector& state, unsigned q, unsigned outcome, double p_outcome) {
  if (state.precision() == Precision::kFloat32) {
    collapse_amps(state.data32(), q, outcome, p_outcome);
  } else {
    collapse_amps(state.data(), q, outcome, p_outcome);
  }
}

namespace {

// Sum of |a|^2 over count amplitudes, in index order, in double.
double norm_of(const KernelTable& k, const double* a, uint64_t count) {
  return k.norm(a, count);
}
double norm_of(const KernelTable&, const float* a, uint64_t count) {
  double sum = 0.0;
  for (uint64_t i = 0; i < 2 * count; ++i) sum += static_cast<double>(a[i]) * a[i];
  return sum;
}

}  // namespace

template <typename T>
std::array<double, 2> Executor::probabilities(const T* amps, unsigned q) {
  const unsigned blk = std::min(n_, kReduceBlockLog2);
  const unsigned run_log2 = std::min(q, blk);
  const uint64_t run = uint64_t{1} << run_log2;
  const uint64_t blocks = uint64_t{1} << (n_ - blk);
  std::vector<double> partial(2 * blocks);
  for_blocks(blk, [&](uint64_t begin, uint64_t end, unsigned) {
    for (uint64_t k = begin; k < end; ++k) {
      double sum[2] = {0.0, 0.0};
      for (uint64_t i = k << blk; i < (k + 1) << blk; i += run) {
        sum[(i >> q) & 1] += norm_of(*kernels_, amps + 2 * i, run);
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
  const uint64_t size = uint64_t{1} << n_;
  const uint64_t runs = size / run;
  flops_ += 4 * size + 4 * runs + 2 * blocks;
  return total;
}

template <typename T>
void Executor::collapse_amps(T* a, unsigned q, unsigned outcome, double p_outcome) {
  const T scale = static_cast<T>(1.0 / std::sqrt(p_outcome));
  const unsigned blk = std::min(n_, kReduceBlockLog2);
  for_blocks(blk, [&](uint64_t begin, uint64_t end, unsigned) {
    for (uint64_t i = begin << blk; i < end << blk; ++i) {
      if (((i >> q) & 1) == outcome) {
        a[2 * i] *= scale;
        a[2 * i + 1] *= scale;
      } else {
        a[2 * i] = 0;
        a[2 * i + 1] = 0;
      }
    }
  });
  flops_ += 2 + (uint64_t{1} << n_);  // sqrt and divide, then 2 multiplies per kept amplitude
}

}  // namespace jarvis::quantum
