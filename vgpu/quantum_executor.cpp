#include "vgpu/quantum_executor.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace jarvis::quantum {
namespace {

// Bits of x deposited, lowest first, at the set bits of mask (BMI2 pdep).
uint64_t deposit(uint64_t x, uint64_t mask) {
  uint64_t out = 0;
  for (uint64_t m = mask; m != 0 && x != 0; m &= m - 1, x >>= 1) {
    if (x & 1) out |= m & (~m + 1);
  }
  return out;
}

// The bits of x at the set bits of mask, packed low (BMI2 pext).
uint64_t extract(uint64_t x, uint64_t mask) {
  uint64_t out = 0;
  unsigned k = 0;
  for (uint64_t m = mask; m != 0; m &= m - 1, ++k) {
    if (x & m & (~m + 1)) out |= uint64_t{1} << k;
  }
  return out;
}

unsigned popcount(uint64_t x) {
  return static_cast<unsigned>(std::popcount(x));
}

// Reductions and collapses work on blocks of this many amplitudes (log2),
// fixed so that partial sums never depend on thread count or block_qubits.
constexpr unsigned kReduceBlockLog2 = 12;

}  // namespace

// An op as it applies inside one chunk: qubit masks in chunk-local bit
// positions, plus the bits outside the chunk that must be 1 for it to apply.
struct Executor::LocalOp {
  OpKind kind;
  unsigned target;      // local target (matrix, diag with in-chunk target)
  uint64_t controls;    // local
  uint64_t off0, off1;  // local (swap)
  uint64_t mask;        // local (phase)
  uint64_t required;    // global bits that must all be 1 in the chunk index
  uint64_t diag_bit;    // diag with its target outside the chunk: that global bit, else 0
  std::array<Complex, 4> u;
};

Executor::Executor(unsigned qubits, const ExecOptions& options)
    : n_(qubits),
      b_(std::min(qubits, std::max(2u, options.block_qubits))),
      kernels_(options.kernels != nullptr ? options.kernels : &best_kernels()) {
  if (n_ > b_ && options.threads > 1) {
    const uint64_t chunks = uint64_t{1} << (n_ - b_);
    pool_ = std::make_unique<WorkerPool>(
        static_cast<unsigned>(std::min<uint64_t>(options.threads, chunks)));
  }
  if (n_ > b_) buffers_.assign(threads(), std::vector<double>(size_t{2} << b_));
}

void Executor::apply(StateVector& state, std::span<const Op> ops) {
  for (const Op& op : ops) flops_ += op_flops(op, n_);
  if (n_ <= b_) {
    // One chunk: the whole state, on this thread.
    double* a = state.data();
    for (const Op& op : ops) {
      switch (op.kind) {
        case OpKind::kMatrix:
          kernels_->matrix(a, n_, op.target, op.controls, op.u.data());
          break;
        case OpKind::kDiag:
          kernels_->diag(a, n_, op.target, op.u[0], op.u[1]);
          break;
        case OpKind::kPhase:
          kernels_->phase(a, n_, op.mask, op.u[0]);
          break;
        case OpKind::kSwap:
          kernels_->swap(a, n_, op.off0, op.off1, op.controls);
          break;
        case OpKind::kMeasure:
          break;
      }
    }
    return;
  }
  // Passes: each sweep takes, in order, every op that can join this pass's
  // chunk qubit set (its needs fit in b) and that touches no qubit of an op
  // left for a later pass; ops on disjoint qubits commute, so taking later
  // ops ahead of skipped ones is exact. The lowest `reserved` qubits are
  // always in the set so that gathered runs are at least 2^reserved long.
  const unsigned reserved = b_ >= 4 ? std::min(8u, b_ / 2) : 0;
  std::vector<Op> pending(ops.begin(), ops.end());
  std::vector<Op> taken, rest;
  while (!pending.empty()) {
    uint64_t chunk_qubits = (uint64_t{1} << reserved) - 1;
    uint64_t blocked = 0;
    taken.clear();
    rest.clear();
    for (const Op& op : pending) {
      const uint64_t touched = op_touches(op);
      const uint64_t with = chunk_qubits | op_needs(op);
      if ((touched & blocked) == 0 && popcount(with) <= b_) {
        chunk_qubits = with;
        taken.push_back(op);
      } else {
        blocked |= touched;
        rest.push_back(op);
      }
    }
    // Fill the set with the lowest other qubits: longer contiguous runs.
    for (unsigned q = 0; popcount(chunk_qubits) < b_; ++q) chunk_qubits |= uint64_t{1} << q;
    run_segment(state, taken, chunk_qubits);
    ++passes_;
    pending.swap(rest);
  }
}

void Executor::run_segment(StateVector& state, std::span<const Op> ops, uint64_t chunk_qubits) {
  const uint64_t outside = ((uint64_t{1} << n_) - 1) & ~chunk_qubits;
  std::vector<LocalOp> local;
  local.reserve(ops.size());
  for (const Op& op : ops) {
    LocalOp l{};
    l.kind = op.kind;
    l.u = op.u;
    l.target = popcount(chunk_qubits & ((uint64_t{1} << op.target) - 1));
    l.controls = extract(op.controls, chunk_qubits);
    l.off0 = extract(op.off0, chunk_qubits);
    l.off1 = extract(op.off1, chunk_qubits);
    l.mask = extract(op.mask, chunk_qubits);
    l.required = (op.controls | op.mask) & outside;
    if (op.kind == OpKind::kDiag && (outside >> op.target & 1))
      l.diag_bit = uint64_t{1} << op.target;
    local.push_back(l);
  }
  // Gather/scatter runs: S holds qubits 0..p-1, so runs are 2^p amplitudes long.
  const unsigned p = static_cast<unsigned>(std::countr_zero(~chunk_qubits));
  const bool in_place = p >= b_;
  std::vector<uint64_t> run_offsets;
  if (!in_place) {
    run_offsets.resize(size_t{1} << (b_ - p));
    for (uint64_t r = 0; r < run_offsets.size(); ++r) {
      run_offsets[r] = deposit(r << p, chunk_qubits);
    }
  }
  const size_t run_bytes = sizeof(double) * (size_t{2} << p);
  const uint64_t chunks = uint64_t{1} << (n_ - b_);
  auto process = [&](uint64_t begin, uint64_t end, unsigned worker) {
    for (uint64_t c = begin; c < end; ++c) {
      const uint64_t base = deposit(c, outside);
      double* a = in_place ? state.data() + 2 * base : buffers_[worker].data();
      if (!in_place) {
        for (size_t r = 0; r < run_offsets.size(); ++r) {
          std::memcpy(a + (r << (p + 1)), state.data() + 2 * (base + run_offsets[r]), run_bytes);
        }
      }
      for (const LocalOp& l : local) {
        if ((base & l.required) != l.required) continue;
        switch (l.kind) {
          case OpKind::kMatrix:
            kernels_->matrix(a, b_, l.target, l.controls, l.u.data());
            break;
          case OpKind::kDiag:
            if (l.diag_bit != 0) {
              kernels_->phase(a, b_, 0, (base & l.diag_bit) ? l.u[1] : l.u[0]);
            } else {
              kernels_->diag(a, b_, l.target, l.u[0], l.u[1]);
            }
            break;
          case OpKind::kPhase:
            kernels_->phase(a, b_, l.mask, l.u[0]);
            break;
          case OpKind::kSwap:
            kernels_->swap(a, b_, l.off0, l.off1, l.controls);
            break;
          case OpKind::kMeasure:
            break;
        }
      }
      if (!in_place) {
        for (size_t r = 0; r < run_offsets.size(); ++r) {
          std::memcpy(state.data() + 2 * (base + run_offsets[r]), a + (r << (p + 1)), run_bytes);
        }
      }
    }
  };
  if (pool_) {
    pool_->parallel_for(chunks, process);
  } else {
    process(0, chunks, 0);
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
