#include "vgpu/quantum/quantum_blocking.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace jarvis::quantum {
namespace {

unsigned popcount(uint64_t x) {
  return static_cast<unsigned>(std::popcount(x));
}

}  // namespace

uint64_t deposit(uint64_t x, uint64_t mask) {
  uint64_t out = 0;
  for (uint64_t m = mask; m != 0 && x != 0; m &= m - 1, x >>= 1) {
    if (x & 1) out |= m & (~m + 1);
  }
  return out;
}

uint64_t extract(uint64_t x, uint64_t mask) {
  uint64_t out = 0;
  unsigned k = 0;
  for (uint64_t m = mask; m != 0; m &= m - 1, ++k) {
    if (x & m & (~m + 1)) out |= uint64_t{1} << k;
  }
  return out;
}

std::vector<Pass> plan_passes(std::span<const Op> ops, unsigned m, unsigned block,
                              std::optional<unsigned> low_qubits) {
  std::vector<Pass> passes;
  if (block >= m) {
    passes.push_back({(uint64_t{1} << m) - 1, std::vector<Op>(ops.begin(), ops.end())});
    return passes;
  }
  // 4 measured fastest on the issue-18 circuit (docs/PERFORMANCE.md): runs
  // of 16 amplitudes are still whole cache lines, and a chunk keeps more
  // free places for high qubits, so fewer passes.
  const unsigned reserved = block < 4 ? 0 : std::min(low_qubits.value_or(4u), block / 2);
  // A pass scans the gates not yet placed, in order, and stops where none
  // further on could join: every qubit they touch is blocked (none of them
  // touching no qubit at all). Placed gates leave a linked list, so a pass
  // costs the gates it scans, not the whole circuit: planning stays near
  // linear in the gates where rescanning made it quadratic.
  const size_t n = ops.size();
  std::vector<uint64_t> touched_after(n + 1, 0);  // qubits ops[i..] touch
  std::vector<uint8_t> free_after(n + 1, 0);      // some op in ops[i..] touches none
  for (size_t i = n; i-- > 0;) {
    const uint64_t touched = op_touches(ops[i]);
    touched_after[i] = touched_after[i + 1] | touched;
    free_after[i] = free_after[i + 1] | (touched == 0 ? 1 : 0);
  }
  std::vector<size_t> next(n);
  for (size_t i = 0; i < n; ++i) next[i] = i + 1;
  size_t head = 0;  // the first gate not placed; n: none left
  while (head != n) {
    Pass pass;
    pass.chunk_qubits = (uint64_t{1} << reserved) - 1;
    uint64_t blocked = 0;
    size_t* link = &head;  // the link that leads to gate i
    for (size_t i = head; i != n; i = *link) {
      if ((touched_after[i] & ~blocked) == 0 && !free_after[i]) break;
      const Op& op = ops[i];
      const uint64_t touched = op_touches(op);
      uint64_t with = pass.chunk_qubits | op_needs(op);
      if (pass.ops.empty() && blocked == 0 && popcount(with) > block) {
        // A gate on more qubits than fit beside the reserved low ones (a
        // dense 3-qubit gate in a small chunk) starts its pass on its own.
        pass.chunk_qubits = 0;
        with = op_needs(op);
      }
      if ((touched & blocked) == 0 && popcount(with) <= block) {
        pass.chunk_qubits = with;
        pass.ops.push_back(op);
        *link = next[i];  // placed: unlinked
      } else {
        blocked |= touched;
        link = &next[i];
      }
    }
    for (unsigned q = 0; popcount(pass.chunk_qubits) < block; ++q) {
      pass.chunk_qubits |= uint64_t{1} << q;
    }
    passes.push_back(std::move(pass));
  }
  return passes;
}

bool localize(const Op& op, uint64_t chunk_qubits, uint64_t chunk_base, Op& out) {
  const uint64_t required = (op.controls | op.mask) & ~chunk_qubits;
  if ((chunk_base & required) != required) return false;
  out = op;
  out.controls = extract(op.controls, chunk_qubits);
  out.mask = extract(op.mask, chunk_qubits);
  out.off0 = extract(op.off0, chunk_qubits);
  out.off1 = extract(op.off1, chunk_qubits);
  const uint64_t target_bit = uint64_t{1} << op.target;
  if (op.kind == OpKind::kDiag && (chunk_qubits & target_bit) == 0) {
    out.kind = OpKind::kPhase;
    out.mask = 0;
    out.u[0] = (chunk_base & target_bit) ? op.u[1] : op.u[0];
    return true;
  }
  out.target = popcount(chunk_qubits & (target_bit - 1));
  return true;
}

namespace {

// A dense op's targets (its mask's bits, ascending) and qubit count.
unsigned dense_targets(const Op& op, unsigned* targets) {
  unsigned k = 0;
  for (uint64_t b = op.mask; b != 0 && k < 3; b &= b - 1) {
    targets[k++] = static_cast<unsigned>(std::countr_zero(b));
  }
  return k;
}

}  // namespace

void apply_direct(const KernelTable& k, const DenseKernels& d, double* a, unsigned m,
                  std::span<const Op> ops) {
  for (const Op& op : ops) {
    switch (op.kind) {
      case OpKind::kMatrix:
        k.matrix(a, m, op.target, op.controls, op.u.data());
        break;
      case OpKind::kDiag:
        k.diag(a, m, op.target, op.u[0], op.u[1]);
        break;
      case OpKind::kPhase:
        k.phase(a, m, op.mask, op.u[0]);
        break;
      case OpKind::kSwap:
        k.swap(a, m, op.off0, op.off1, op.controls);
        break;
      case OpKind::kDense: {
        unsigned targets[3];
        const unsigned count = dense_targets(op, targets);
        d.dense64(a, m, count, targets, op.dense);
        break;
      }
      case OpKind::kMeasure:
        break;
    }
  }
}

void apply_direct(const KernelTable& k, double* a, unsigned m, std::span<const Op> ops) {
  apply_direct(k, best_dense_kernels(), a, m, ops);
}

void apply_direct32(const DenseKernels& d, float* a, unsigned m, std::span<const Op> ops) {
  for (const Op& op : ops) {
    assert(op.kind == OpKind::kDense);
    unsigned targets[3];
    const unsigned count = dense_targets(op, targets);
    d.dense32(a, m, count, targets, op.dense);
  }
}

ChunkRuns chunk_runs(uint64_t chunk_qubits, unsigned block) {
  ChunkRuns runs;
  runs.run_log2 = std::min(block, static_cast<unsigned>(std::countr_zero(~chunk_qubits)));
  runs.in_place = runs.run_log2 >= block;
  if (!runs.in_place) {
    runs.offsets.resize(size_t{1} << (block - runs.run_log2));
    for (uint64_t r = 0; r < runs.offsets.size(); ++r) {
      runs.offsets[r] = deposit(r << runs.run_log2, chunk_qubits);
    }
  }
  return runs;
}

template <typename T>
void gather(const ChunkRuns& runs, const T* amps, uint64_t base, T* buffer) {
  const size_t bytes = sizeof(T) * (size_t{2} << runs.run_log2);
  for (size_t r = 0; r < runs.offsets.size(); ++r) {
    std::memcpy(buffer + (r << (runs.run_log2 + 1)), amps + 2 * (base + runs.offsets[r]), bytes);
  }
}

template <typename T>
void scatter(const ChunkRuns& runs, const T* buffer, T* amps, uint64_t base) {
  const size_t bytes = sizeof(T) * (size_t{2} << runs.run_log2);
  for (size_t r = 0; r < runs.offsets.size(); ++r) {
    T* to = amps + 2 * (base + runs.offsets[r]);
    const T* from = buffer + (r << (runs.run_log2 + 1));
#if defined(__SSE2__)
    // Streaming stores: the destination lines are not in cache any more, and
    // an ordinary store would first read each one from memory (a third pass
    // of memory traffic). `to` is 16-byte aligned when a run is a multiple
    // of 16 bytes: the state is 64-byte aligned and runs start at whole runs.
    if (bytes % 16 == 0) {
      double* dst = reinterpret_cast<double*>(to);
      const double* src = reinterpret_cast<const double*>(from);
      for (size_t i = 0; i < bytes / 8; i += 2) _mm_stream_pd(dst + i, _mm_loadu_pd(src + i));
      continue;
    }
#endif
    std::memcpy(to, from, bytes);
  }
#if defined(__SSE2__)
  _mm_sfence();  // order the streaming stores before anything that follows
#endif
}

template void gather<double>(const ChunkRuns&, const double*, uint64_t, double*);
template void gather<float>(const ChunkRuns&, const float*, uint64_t, float*);
template void scatter<double>(const ChunkRuns&, const double*, double*, uint64_t);
template void scatter<float>(const ChunkRuns&, const float*, float*, uint64_t);

void apply_blocked(const KernelTable& kernels, double* amps, unsigned m, std::span<const Op> ops,
                   unsigned block, double* buffer, std::vector<Op>& scratch) {
  if (m <= block) {
    apply_direct(kernels, amps, m, ops);
    return;
  }
  for (const Pass& pass : plan_passes(ops, m, block)) {
    const ChunkRuns runs = chunk_runs(pass.chunk_qubits, block);
    const uint64_t outside = ((uint64_t{1} << m) - 1) & ~pass.chunk_qubits;
    for (uint64_t c = 0; c < (uint64_t{1} << (m - block)); ++c) {
      const uint64_t base = deposit(c, outside);
      scratch.clear();
      Op local;
      for (const Op& op : pass.ops) {
        if (localize(op, pass.chunk_qubits, base, local)) scratch.push_back(local);
      }
      if (scratch.empty()) continue;
      double* a = runs.in_place ? amps + 2 * base : buffer;
      if (!runs.in_place) gather(runs, amps, base, buffer);
      apply_direct(kernels, a, block, scratch);
      if (!runs.in_place) scatter(runs, buffer, amps, base);
    }
  }
}

}  // namespace jarvis::quantum
