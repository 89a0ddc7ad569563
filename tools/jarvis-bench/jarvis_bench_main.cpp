// jarvis-bench: the seed's benchmark suite and the layer measurements.
//   jarvis-bench [--quick] [--json FILE] [--no-gpu] [--skip-layers | --only
//   suite|cache|compression]
// Prints a table; --json writes every number. --quick takes a few seconds.
// Each CUDA GPU is measured and joins the cluster unless --no-gpu.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include "tools/jarvis-bench/bench_cache.h"
#include "tools/jarvis-bench/bench_compression.h"
#include "tools/jarvis-bench/bench_gpus.h"
#include "tools/jarvis-bench/bench_suite.h"
#include "vgpu/jarvis.h"

namespace {

using nlohmann::json;

void print_suite(const json& suite) {
  std::printf("\n%-27s %6s %6s %6s %6s %11s %11s %11s %9s %10s %10s\n", "scenario", "ops", "errors",
              "hits", "lowrk", "FLOPs exec", "avoid cache", "avoid compr", "wall s", "achv GF/s",
              "effv GF/s");
  for (const json& s : suite)
    std::printf("%-27s %6llu %6llu %6llu %6llu %11.3e %11.3e %11.3e %9.4f %10.3f %10.3f\n",
                s["name"].get<std::string>().c_str(), s["operations"].get<unsigned long long>(),
                s["errors"].get<unsigned long long>(), s["cache"]["hits"].get<unsigned long long>(),
                s["compression"]["operations"].get<unsigned long long>(),
                s["flops_executed"].get<double>(), s["flops_avoided_by_cache"].get<double>(),
                s["flops_avoided_by_compression"].get<double>(), s["wall_seconds"].get<double>(),
                s["achieved_tflops"]["value"].get<double>() * 1e3,
                s["effective_tflops"]["value"].get<double>() * 1e3);
  for (const json& s : suite)
    if (s["hashes"].get<double>() > 0)
      std::printf("  %s: %.3e SHA-256 compressions and scanned nonces, %.2f M/s (not FLOPs)\n",
                  s["name"].get<std::string>().c_str(), s["hashes"].get<double>(),
                  s["hashes"].get<double>() / s["wall_seconds"].get<double>() * 1e-6);
  for (const json& s : suite)
    if (s.contains("first_error"))
      std::printf("  %s: first error: %s\n", s["name"].get<std::string>().c_str(),
                  s["first_error"].get<std::string>().c_str());
  std::printf(
      "achieved = FLOPs executed / wall time; effective also counts FLOPs the cache and the\n"
      "low-rank bases made unnecessary (work not done). Both are measured on this machine.\n");
}

void print_cache(const json& cache) {
  const json& hits = cache["hits_one_core"];
  std::printf("\ncache, one thread, %llu entries resident:\n",
              hits["entries_resident"].get<unsigned long long>());
  for (const char* order : {"uniform", "zipf0.9"})
    std::printf(
        "  %-8s %.2f M hits/s wall, %.2f M hits/s thread CPU (request-order keys); cold keys "
        "%.2f M/s wall, %.2f M/s CPU\n",
        order, hits[order]["hits_per_second_wall"].get<double>() * 1e-6,
        hits[order]["hits_per_second_cpu"].get<double>() * 1e-6,
        hits[order]["cold_keys_hits_per_second_wall"].get<double>() * 1e-6,
        hits[order]["cold_keys_hits_per_second_cpu"].get<double>() * 1e-6);
  const json& h = cache["payload_hashing"];
  std::printf(
      "  payload hashing (%s), a %llu-byte key: make %.3f GB/s = json dump %.3f GB/s + "
      "SHA-256; SHA-256 reference %.3f GB/s",
      h["digest_backend"].get<std::string>().c_str(), h["key_bytes"].get<unsigned long long>(),
      h["key_make_gb_per_second"].get<double>(), h["json_dump_gb_per_second"].get<double>(),
      h["sha256_reference_gb_per_second"].get<double>());
  if (h.contains("sha256_shani_gb_per_second"))
    std::printf(", SHA-NI %.3f GB/s", h["sha256_shani_gb_per_second"].get<double>());
  std::printf("\n");
  for (const json& z : cache["zipf_vs_lru"])
    std::printf(
        "  Zipf(0.9) %llu keys, %llu requests, capacity %llu: S3-FIFO %.2f%%, LRU %.2f%% (%+.2f "
        "points)\n",
        z["distinct_keys"].get<unsigned long long>(), z["requests"].get<unsigned long long>(),
        z["capacity_items"].get<unsigned long long>(), 100 * z["s3fifo_hit_ratio"].get<double>(),
        100 * z["lru_hit_ratio"].get<double>(), z["points_above_lru"].get<double>());
}

void print_compression(const json& comp) {
  std::printf("\ncompression, %s of rank %d plus %.0e noise, tolerance %.0e:\n",
              comp["matrix"].get<std::string>().c_str(), comp["true_rank"].get<int>(),
              comp["noise"].get<double>(), comp["tolerance"].get<double>());
  std::printf("  digest %.3f s; factor %.3f s wall (%.3f s thread CPU)\n",
              comp["digest_seconds"].get<double>(), comp["factor_seconds_wall"].get<double>(),
              comp["factor_seconds_thread_cpu"].get<double>());
  if (!comp["compressed"].get<bool>()) {
    std::printf("  NOT compressed\n");
    return;
  }
  std::printf("  rank found %d, relative error bound %.3e\n", comp["rank_found"].get<int>(),
              comp["relative_error_bound"].get<double>());
  std::printf(
      "  matvec: dense %.3f ms, low-rank %.4f ms, speedup %.1fx; error %.3e <= bound %.3e: %s\n",
      comp["dense_matvec_seconds"].get<double>() * 1e3,
      comp["low_rank_matvec_seconds"].get<double>() * 1e3, comp["matvec_speedup"].get<double>(),
      comp["matvec_error"].get<double>(), comp["matvec_error_bound"].get<double>(),
      comp["error_within_bound"].get<bool>() ? "yes" : "NO");
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false, layers = true, gpus = true;
  std::string json_path, only;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) {
      quick = true;
    } else if (!std::strcmp(argv[i], "--no-gpu")) {
      gpus = false;
    } else if (!std::strcmp(argv[i], "--skip-layers")) {
      layers = false;
    } else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) {
      only = argv[++i];
    } else if (!std::strcmp(argv[i], "--json") && i + 1 < argc) {
      json_path = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: %s [--quick] [--json FILE] [--no-gpu] [--skip-layers | --only "
                   "suite|cache|compression]\n",
                   argv[0]);
      return 2;
    }
  }
  using namespace jarvis;
  auto jarvis_ptr = Jarvis5090X::build_extreme({AdapterCluster::host_cpu(true)});
  Jarvis5090X& jarvis = *jarvis_ptr;
  const std::vector<std::string> gpu_lines =
      gpus ? bench::add_gpus(jarvis, 0.05) : std::vector<std::string>{"cuda: not used (--no-gpu)"};
  json report = {{"mode", quick ? "quick" : "full"},
                 {"hardware_threads", std::thread::hardware_concurrency()},
                 {"hash_backend", std::string(jarvis.hash_backend())},
                 {"gpus", gpu_lines}};
  std::printf("jarvis-bench (%s), hash backend %s, %u hardware threads\n", quick ? "quick" : "full",
              std::string(jarvis.hash_backend()).c_str(), std::thread::hardware_concurrency());
  for (const std::string& line : gpu_lines) std::printf("  %s\n", line.c_str());
  if (only.empty() || only == "suite") {
    report["suite"] = bench::run_seed_suite(jarvis, quick);
    print_suite(report["suite"]);
  }
  if (layers && (only.empty() || only == "cache")) {
    report["cache"] = bench::run_cache_bench(quick, jarvis.digest_backend());
    print_cache(report["cache"]);
  }
  if (layers && (only.empty() || only == "compression")) {
    report["compression"] = bench::run_compression_bench(quick, jarvis.digest_backend());
    print_compression(report["compression"]);
  }
  // At the end, so each device's task counts show where the suite ran.
  report["devices"] = jarvis.cluster().to_json();
  report["rtx5090_fp32_peak_tflops"] = {{"value", kRtx5090Fp32PeakTflops},
                                        {"label", "published specification, not measured here"}};
  if (!json_path.empty()) {
    std::ofstream out(json_path);
    out << report.dump(2) << "\n";
    if (!out) {
      std::fprintf(stderr, "jarvis-bench: cannot write %s\n", json_path.c_str());
      return 1;
    }
  }
  return 0;
}
