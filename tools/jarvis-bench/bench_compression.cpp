#include "tools/jarvis-bench/bench_compression.h"

#include "tools/jarvis-bench/bench_util.h"
#include "vgpu/linalg/flop_compression.h"

namespace jarvis::bench {

using Eigen::MatrixXd;
using nlohmann::json;

json run_compression_bench(bool quick, const synthminer::hashcore::Backend* sha) {
  const Eigen::Index n = quick ? 1024 : 4096, rank = quick ? 16 : 64;
  const double noise = 1e-12, tolerance = 1e-9;
  std::mt19937_64 rng(42);
  const MatrixXd a = gaussian(n, rank, rng) * gaussian(rank, n, rng) + noise * gaussian(n, n, rng);
  CompressionOptions options;
  options.min_sightings = 1;
  FlopCompressionLayer layer(options);
  double t0 = wall_now();
  const MatrixDigest digest = FlopCompressionLayer::matrix_digest(a, sha);
  const double digest_seconds = wall_now() - t0;
  t0 = wall_now();
  const double c0 = thread_cpu_now();
  auto basis = layer.observe(digest, a, tolerance);
  const double factor_wall = wall_now() - t0, factor_cpu = thread_cpu_now() - c0;
  json out = {{"matrix", std::to_string(n) + " x " + std::to_string(n)},
              {"true_rank", rank},
              {"noise", noise},
              {"tolerance", tolerance},
              {"digest_seconds", digest_seconds},
              {"factor_seconds_wall", factor_wall},
              {"factor_seconds_thread_cpu", factor_cpu}};
  if (!basis) {
    out["compressed"] = false;
    return out;
  }
  out["compressed"] = true;
  out["rank_found"] = basis->rank();
  out["relative_error_bound"] = basis->relative_error_bound();
  const int reps = quick ? 10 : 20;
  MatrixXd x = gaussian(n, 1, rng), dense, low;
  t0 = wall_now();
  for (int i = 0; i < reps; ++i) {
    x(0, 0) += 1e-3;
    dense = a * x;
  }
  const double dense_seconds = (wall_now() - t0) / reps;
  const int lr_reps = reps * 20;
  t0 = wall_now();
  for (int i = 0; i < lr_reps; ++i) low = FlopCompressionLayer::apply(*basis, x);
  const double low_seconds = (wall_now() - t0) / lr_reps;
  const double error = (low - dense).norm(), bound = basis->error_bound * x.norm();
  out["dense_matvec_seconds"] = dense_seconds;
  out["low_rank_matvec_seconds"] = low_seconds;
  out["matvec_speedup"] = dense_seconds / low_seconds;
  out["matvec_error"] = error;
  out["matvec_error_bound"] = bound;
  out["error_within_bound"] = error <= bound;
  out["flops_dense"] = 2.0 * static_cast<double>(n) * static_cast<double>(n);
  out["flops_low_rank"] = static_cast<double>(FlopCompressionLayer::apply_flops(*basis, 1));
  return out;
}

}  // namespace jarvis::bench
