// Jarvis5090X: the orchestrator of the Jarvis layers, and VirtualGPU, its facade.
//
// Design. submit(kind, signature, payload) runs, on the calling thread:
//   1. the kind is parsed; an unknown kind is an error value;
//   2. the cache key (kind, signature, canonical payload) is looked up in
//      InfiniteMemoryCache, then in the persistent DiskCache when there is
//      one (a disk hit is copied into memory); a hit returns the stored
//      result (0 FLOPs executed, the original FLOPs counted as avoided by the
//      cache);
//   3. AdapterCluster chooses the device (earliest estimated finish); a device
//      with an executor (e.g. a GPU added by the daemon) runs the task there,
//      any other device runs it on the host: linalg (through
//      FlopCompressionLayer), hashing (hashcore's dispatch), generic, or quantum
//      (QuantumApproximationLayer);
//   4. a successful result is cached (in memory and on disk); errors are
//      returned, never cached.
// Every layer is thread-safe and the counters are atomics, so submit() may be
// called from several threads at once. Nothing throws out of submit().
//
// submit() is route() then run(): route() does steps 1-3 up to the choice of
// device, run() runs the routed task and does step 4. A caller that runs a
// device's tasks on that device's own thread (the daemon, for a GPU) routes
// on one thread and runs on the other, so nobody waits in between.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "hashcore/selftest.h"
#include "vgpu/adapter_cluster.h"
#include "vgpu/cache/disk_cache.h"
#include "vgpu/cache/memory_cache.h"
#include "vgpu/linalg/flop_compression.h"
#include "vgpu/payload/op_result.h"
#include "vgpu/payload/payload_limits.h"
#include "vgpu/payload/stop_token.h"
#include "vgpu/quantum/quantum_layer.h"
#include "vgpu/tensor/tensor_store.h"
#include "vgpu/types.h"

namespace jarvis {

/// Every option of the layers in one struct, for the daemon's config.
struct JarvisConfig {
  CacheOptions cache;
  DiskCacheOptions disk_cache;  ///< the persistent tier; off while its path is empty
  CompressionOptions compression;
  QuantumOptions quantum;
  ClusterOptions cluster;
  PayloadLimits limits;
};

/// The seed's extreme mode: 20,000 compression bases, a 1,000,000-item
/// cache and 128 quantum branches (shots) per spawn.
JarvisConfig make_extreme_config();
inline const JarvisConfig EXTREME_CONFIG = make_extreme_config();

/// The published FP32 peak of an RTX 5090 (NVIDIA's specification), TFLOP/s.
/// Only ever used as the denominator of a labelled ratio, not a measurement.
inline constexpr double kRtx5090Fp32PeakTflops = 104.8;

/// What a cache hit fills in: the result as a JSON tree too (kJson, for C++
/// callers), or only its text (kText, for callers that send it on as is).
enum class ResultForm : uint8_t { kJson, kText };

/// The answer to one submit().
struct SubmitResult {
  bool ok = false;
  std::string error;                       ///< when !ok, names the payload field and the reason
  OpError error_kind = OpError::kInvalid;  ///< when !ok: why (op_result.h)
  nlohmann::json result;                   ///< the workload's result object (see result_text)
  /// The result serialised, as the cache holds it. Always set on success; a
  /// hit routed with ResultForm::kText leaves `result` null and only copies this.
  std::string result_text;
  bool cached = false;  ///< served from InfiniteMemoryCache
  std::string device;   ///< id of the device that ran it ("cache" for a hit)
  uint64_t flops = 0;   ///< FLOPs executed for this call (0 for a hit)
  uint64_t flops_avoided = 0;
  double seconds = 0.0;  ///< wall time inside submit()

  /// {"ok":true,"result":...,"cached":...,"device":...,"flops":...,"seconds":...}
  /// or {"ok":false,"error":"..."}.
  nlohmann::json to_json() const;
  /// to_json() as text, with result_text spliced in as is (no JSON tree of
  /// the result is built): what the HTTP API sends.
  std::string to_text() const;
};

/// What benchmark_stats() reports; see docs/VGPU.md for each field.
struct BenchmarkStats {
  std::array<uint64_t, 4> operations_by_kind{};  ///< index kind_index(kind)
  uint64_t operations = 0, errors = 0;
  uint64_t cache_hits = 0, cache_misses = 0;
  uint64_t compression_operations = 0;  ///< products served from a low-rank basis
  uint64_t compression_bases_held = 0, compression_factorizations = 0;
  uint64_t flops_executed = 0;
  uint64_t flops_avoided_by_cache = 0;
  uint64_t flops_avoided_by_compression = 0;
  uint64_t hashes = 0;        ///< SHA-256 compressions and scanned nonces (not FLOPs)
  double wall_seconds = 0.0;  ///< since construction or reset_stats()
  double busy_seconds = 0.0;  ///< summed time inside submit() (threads add up)

  double achieved_tflops() const;   ///< flops_executed / wall_seconds / 1e12
  double effective_tflops() const;  ///< (executed + avoided) / wall_seconds / 1e12
  nlohmann::json to_json() const;
  /// A human-readable table of the same fields, labelled.
  std::string to_text() const;
};

/// Runs a task on a device other than the host (e.g. CUDA), set by the daemon.
/// `tensors` is the store that operands given by id are read from and
/// "output": "tensor" results written to (null when there is none); `stop`
/// is checked between the task's steps (it may throw Stopped).
using DeviceExecutor = std::function<OpResult(OperationKind, const nlohmann::json& payload,
                                              TensorStore* tensors, const StopToken& stop)>;

/// A submit() whose device is chosen and that has not run yet (route()).
/// Move-only in spirit: run it exactly once, through Jarvis5090X::run().
struct RoutedTask {
  OperationKind kind = OperationKind::Generic;
  /// The payload route() was given; the caller keeps it alive until run().
  const nlohmann::json* payload = nullptr;
  CacheKey key;
  TaskCost cost;
  Assignment assignment;                        ///< assignment.device_id: the device that runs it
  std::chrono::steady_clock::time_point start;  ///< when route() began
  /// Set by the caller before run(): a job's cancel flag and deadline, and
  /// the service's shutdown and preemption (stop_token.h).
  StopToken stop;

  const std::string& device_id() const { return assignment.device_id; }
};

class Jarvis5090X {
 public:
  /// The seed's constructor. Null layers are created with default options;
  /// devices missing from `cluster` are added to it.
  Jarvis5090X(std::vector<AdapterDevice> devices, std::shared_ptr<FlopCompressionLayer> compression,
              std::shared_ptr<InfiniteMemoryCache> cache,
              std::shared_ptr<QuantumApproximationLayer> quantum,
              std::shared_ptr<AdapterCluster> cluster, PayloadLimits limits = {});
  /// All layers from one config.
  Jarvis5090X(std::vector<AdapterDevice> devices, const JarvisConfig& config);

  /// Jarvis5090X(devices, EXTREME_CONFIG).
  static std::unique_ptr<Jarvis5090X> build_extreme(std::vector<AdapterDevice> devices);

  /// Runs one workload: `kind` is "linalg", "hashing", "quantum" or "generic";
  /// `signature` names the caller's operation and is part of the cache key.
  /// `stop` may end it early (OpError::kCancelled, kDeadlinePassed,
  /// kShutdown or kPreempted).
  /// Thread-safe; never throws.
  SubmitResult submit(std::string_view kind, std::string_view signature,
                      const nlohmann::json& payload, ResultForm form = ResultForm::kJson,
                      const StopToken& stop = {});

  /// submit() up to the choice of device: the answer when there is one
  /// already (an error, or a cache hit), else the task routed to its device,
  /// which run() runs. `payload` must outlive run(). Thread-safe; never throws.
  std::variant<SubmitResult, RoutedTask> route(std::string_view kind, std::string_view signature,
                                               const nlohmann::json& payload,
                                               ResultForm form = ResultForm::kJson);
  /// The answer from the memory cache alone, counted as submit() counts a
  /// hit; nullopt (nothing counted) for anything else: a miss, an error, a
  /// disk-tier entry. Cheap (the key and one lookup), so the daemon answers
  /// hits on its io thread instead of queueing them for a mining worker.
  /// Thread-safe; never throws.
  std::optional<SubmitResult> lookup(std::string_view kind, std::string_view signature,
                                     const nlohmann::json& payload,
                                     ResultForm form = ResultForm::kJson);
  /// Runs a routed task on the calling thread (through the device's executor,
  /// or on the host), caches a success and answers as submit() does. A task
  /// whose task.stop asks it to stop, before or while it runs, fails with
  /// the OpError of the reason (kCancelled, kDeadlinePassed, kShutdown,
  /// kPreempted). Thread-safe; never throws.
  SubmitResult run(const RoutedTask& task);

  /// Runs tasks routed to device `device_id` through `executor` instead of the host.
  void set_executor(const std::string& device_id, DeviceExecutor executor);

  BenchmarkStats benchmark_stats() const;
  void reset_stats();

  InfiniteMemoryCache& cache() { return *cache_; }
  /// The persistent tier behind the memory cache, or null when there is none.
  DiskCache* disk_cache() { return disk_cache_.get(); }
  /// Puts `disk` behind the memory cache: a memory miss looks there, and
  /// every result cached in memory is written there too. Call before use.
  void use_disk_cache(std::shared_ptr<DiskCache> disk) { disk_cache_ = std::move(disk); }
  /// Operands given by id ({"tensor": "<id>"}) and "output": "tensor"
  /// results are read from and written to `store` (host runs only; set
  /// before the first submit). Cache keys use the tensors' content digests.
  void use_tensor_store(std::shared_ptr<TensorStore> store) { tensors_ = std::move(store); }
  TensorStore* tensor_store() { return tensors_.get(); }
  FlopCompressionLayer& compression() { return *compression_; }
  AdapterCluster& cluster() { return *cluster_; }
  const QuantumApproximationLayer& quantum() const { return *quantum_; }
  const PayloadLimits& limits() const { return limits_; }
  /// Name of the hashcore backend used for scans ("shani", "avx512", ...).
  std::string_view hash_backend() const { return backend_->name; }
  /// The self-tested one-lane backend used for key and matrix digests, or null (reference).
  const synthminer::hashcore::Backend* digest_backend() const { return sha_; }

 private:
  OpResult execute(OperationKind kind, const nlohmann::json& payload, const StopToken& stop);
  /// Runs `task` on its device's executor or the host; may throw.
  OpResult execute_routed(const RoutedTask& task);
  SubmitResult fail(std::string error, std::chrono::steady_clock::time_point start,
                    OpError kind = OpError::kInvalid);
  /// The cache key of `payload` (an object): tensor ids become their
  /// content digests. Empty on success, else why a tensor id was refused.
  std::string cache_key(std::string_view kind, std::string_view signature,
                        const nlohmann::json& payload, CacheKey& key) const;
  /// The answer for a cached result `text` that cost `flops`, counted as a
  /// hit; with ResultForm::kJson also as a tree: `parsed` moved, or `tree`
  /// copied, when given, else the text parsed.
  SubmitResult cache_hit(const std::string& text, uint64_t flops,
                         std::chrono::steady_clock::time_point start, ResultForm form,
                         const nlohmann::json* tree = nullptr, nlohmann::json* parsed = nullptr);

  PayloadLimits limits_;
  std::shared_ptr<FlopCompressionLayer> compression_;
  std::shared_ptr<InfiniteMemoryCache> cache_;
  std::shared_ptr<DiskCache> disk_cache_;  // may be null
  std::shared_ptr<TensorStore> tensors_;   // may be null
  std::shared_ptr<QuantumApproximationLayer> quantum_;
  std::shared_ptr<AdapterCluster> cluster_;
  std::optional<synthminer::hashcore::Dispatch> dispatch_;
  const synthminer::hashcore::Backend* backend_ = nullptr;
  const synthminer::hashcore::Backend* sha_ = nullptr;  // one-lane SHA-NI for keys, if usable

  mutable std::mutex executors_mu_;  // guards executors_
  std::map<std::string, DeviceExecutor> executors_;

  struct Counters {
    std::array<std::atomic<uint64_t>, 4> by_kind{};
    std::atomic<uint64_t> operations{0}, errors{0}, hits{0}, misses{0};
    std::atomic<uint64_t> flops{0}, avoided_cache{0}, avoided_compression{0}, compressed{0};
    std::atomic<uint64_t> hashes{0}, busy_ns{0};
    std::atomic<int64_t> start_ns{0};
  };
  Counters counters_;
};

/// The seed's facade: submit() answers JSON (SubmitResult::to_json()).
class VirtualGPU {
 public:
  explicit VirtualGPU(Jarvis5090X& jarvis) : jarvis_(jarvis) {}
  nlohmann::json submit(std::string_view kind, std::string_view signature,
                        const nlohmann::json& payload) {
    return jarvis_.submit(kind, signature, payload).to_json();
  }
  nlohmann::json stats() const { return jarvis_.benchmark_stats().to_json(); }

 private:
  Jarvis5090X& jarvis_;
};

}  // namespace jarvis
