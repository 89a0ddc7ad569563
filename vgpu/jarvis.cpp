#include "vgpu/jarvis.h"

#include <cstdio>
#include <exception>
#include <utility>

#include "vgpu/generic_ops.h"
#include "vgpu/hashing_ops.h"
#include "vgpu/linalg/linalg_ops.h"
#include "vgpu/state_tensor.h"
#include "vgpu/task_cost.h"
#include "vgpu/tensor/tensor_refs.h"

namespace jarvis {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

JarvisConfig make_extreme_config() {
  JarvisConfig c;
  c.compression.max_bases = 20'000;
  c.compression.max_bytes = 4ull << 30;
  c.cache.max_items = 1'000'000;
  c.cache.max_bytes = 4ull << 30;
  c.cache.shards = 64;
  c.quantum.branches = 128;
  return c;
}

json SubmitResult::to_json() const {
  if (!ok) return {{"ok", false}, {"error", error}};
  json value = result.is_null() && !result_text.empty() ? json::parse(result_text) : result;
  return {
      {"ok", true},     {"result", std::move(value)},     {"cached", cached},  {"device", device},
      {"flops", flops}, {"flops_avoided", flops_avoided}, {"seconds", seconds}};
}

std::string SubmitResult::to_text() const {
  if (!ok || (result_text.empty() && !result.is_null())) return to_json().dump();
  // {"result":<text>, then the other members in the order a json object
  // dumps them (sorted), written directly: a hit should not build a tree.
  const std::string device_text = json(device).dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(result_text.size() + device_text.size() + 120);
  out += "{\"result\":";
  out += result_text.empty() ? "null" : result_text;
  out += cached ? ",\"cached\":true,\"device\":" : ",\"cached\":false,\"device\":";
  out += device_text;
  out += ",\"flops\":";
  out += std::to_string(flops);
  out += ",\"flops_avoided\":";
  out += std::to_string(flops_avoided);
  out += ",\"ok\":true,\"seconds\":";
  out += json(seconds).dump();
  out += '}';
  return out;
}

double BenchmarkStats::achieved_tflops() const {
  return wall_seconds > 0 ? static_cast<double>(flops_executed) / wall_seconds * 1e-12 : 0.0;
}

double BenchmarkStats::effective_tflops() const {
  const double total =
      static_cast<double>(flops_executed + flops_avoided_by_cache + flops_avoided_by_compression);
  return wall_seconds > 0 ? total / wall_seconds * 1e-12 : 0.0;
}

json BenchmarkStats::to_json() const {
  json by_kind = json::object();
  for (OperationKind k : kAllOperationKinds)
    by_kind[std::string(to_string(k))] = operations_by_kind[kind_index(k)];
  return {
      {"operations", operations},
      {"operations_by_kind", by_kind},
      {"errors", errors},
      {"cache", {{"hits", cache_hits}, {"misses", cache_misses}}},
      {"compression",
       {{"operations", compression_operations},
        {"bases_held", compression_bases_held},
        {"factorizations", compression_factorizations}}},
      {"flops_executed", flops_executed},
      {"flops_avoided_by_cache", flops_avoided_by_cache},
      {"flops_avoided_by_compression", flops_avoided_by_compression},
      {"hashes", hashes},
      {"wall_seconds", wall_seconds},
      {"busy_seconds", busy_seconds},
      {"achieved_tflops",
       {{"value", achieved_tflops()}, {"label", "measured: FLOPs executed / wall seconds"}}},
      {"effective_tflops",
       {{"value", effective_tflops()},
        {"label",
         "measured: (FLOPs executed + FLOPs avoided by cache and compression) / wall "
         "seconds; avoided work was not done"}}},
      {"rtx5090_fp32_peak_tflops",
       {{"value", kRtx5090Fp32PeakTflops},
        {"label", "published specification, not measured here"}}},
      {"achieved_ratio_to_rtx5090_peak",
       {{"value", achieved_tflops() / kRtx5090Fp32PeakTflops},
        {"label",
         "ratio of our measured achieved TFLOP/s to a published spec, not a "
         "measurement of that card"}}},
      {"effective_ratio_to_rtx5090_peak",
       {{"value", effective_tflops() / kRtx5090Fp32PeakTflops},
        {"label",
         "ratio of our effective TFLOP/s to a published spec, not a measurement of "
         "that card"}}},
  };
}

std::string BenchmarkStats::to_text() const {
  char buf[2048];
  std::snprintf(
      buf, sizeof buf,
      "operations            %llu (hashing %llu, linalg %llu, quantum %llu, generic %llu), "
      "errors %llu\n"
      "cache                 %llu hits, %llu misses\n"
      "compression           %llu products from bases, %llu bases held, %llu factorizations\n"
      "FLOPs executed        %.4g\n"
      "FLOPs avoided         %.4g by the cache, %.4g by compression (not executed)\n"
      "wall time             %.4f s (busy %.4f s)\n"
      "achieved              %.6f TFLOP/s (measured: executed / wall)\n"
      "effective             %.6f TFLOP/s (measured: (executed + avoided) / wall)\n"
      "vs RTX 5090 FP32 peak %.3g x achieved, %.3g x effective (ratios to the published "
      "104.8 TFLOP/s spec, not a measurement of that card)\n",
      static_cast<unsigned long long>(operations),
      static_cast<unsigned long long>(operations_by_kind[0]),
      static_cast<unsigned long long>(operations_by_kind[1]),
      static_cast<unsigned long long>(operations_by_kind[2]),
      static_cast<unsigned long long>(operations_by_kind[3]),
      static_cast<unsigned long long>(errors), static_cast<unsigned long long>(cache_hits),
      static_cast<unsigned long long>(cache_misses),
      static_cast<unsigned long long>(compression_operations),
      static_cast<unsigned long long>(compression_bases_held),
      static_cast<unsigned long long>(compression_factorizations),
      static_cast<double>(flops_executed), static_cast<double>(flops_avoided_by_cache),
      static_cast<double>(flops_avoided_by_compression), wall_seconds, busy_seconds,
      achieved_tflops(), effective_tflops(), achieved_tflops() / kRtx5090Fp32PeakTflops,
      effective_tflops() / kRtx5090Fp32PeakTflops);
  return buf;
}

Jarvis5090X::Jarvis5090X(std::vector<AdapterDevice> devices,
                         std::shared_ptr<FlopCompressionLayer> compression,
                         std::shared_ptr<InfiniteMemoryCache> cache,
                         std::shared_ptr<QuantumApproximationLayer> quantum,
                         std::shared_ptr<AdapterCluster> cluster, PayloadLimits limits)
    : limits_(limits),
      compression_(compression ? std::move(compression) : std::make_shared<FlopCompressionLayer>()),
      cache_(cache ? std::move(cache) : std::make_shared<InfiniteMemoryCache>()),
      quantum_(quantum ? std::move(quantum) : std::make_shared<QuantumApproximationLayer>()),
      cluster_(cluster ? cluster : std::make_shared<AdapterCluster>(devices)) {
  if (cluster) {
    // Devices given beside an existing cluster join it (duplicates by id are ignored).
    AdapterCluster calibrated(std::move(devices), cluster_->options());
    for (AdapterDevice& d : calibrated.devices()) cluster_->add_device(std::move(d));
  }
  std::string error;
  dispatch_ = synthminer::hashcore::Dispatch::create(std::nullopt, error);
  backend_ = dispatch_ ? &dispatch_->chosen() : synthminer::hashcore::find_backend("scalar");
  sha_ = dispatch_ ? dispatch_->usable("shani") : nullptr;
  compression_->use_sha_backend(sha_);
  counters_.start_ns = now_ns();
}

Jarvis5090X::Jarvis5090X(std::vector<AdapterDevice> devices, const JarvisConfig& config)
    : Jarvis5090X(std::move(devices), std::make_shared<FlopCompressionLayer>(config.compression),
                  std::make_shared<InfiniteMemoryCache>(config.cache),
                  std::make_shared<QuantumApproximationLayer>(config.quantum), nullptr,
                  config.limits) {
  if (!config.disk_cache.path.empty()) disk_cache_ = std::make_shared<DiskCache>(config.disk_cache);
}

std::unique_ptr<Jarvis5090X> Jarvis5090X::build_extreme(std::vector<AdapterDevice> devices) {
  return std::make_unique<Jarvis5090X>(std::move(devices), EXTREME_CONFIG);
}

void Jarvis5090X::set_executor(const std::string& device_id, DeviceExecutor executor) {
  std::lock_guard lock(executors_mu_);
  executors_[device_id] = std::move(executor);
}

OpResult Jarvis5090X::execute(OperationKind kind, const json& payload, const StopToken& stop) {
  switch (kind) {
    case OperationKind::Linalg:
      return run_linalg(payload, limits_, compression_.get(), {}, {}, tensors_.get(), {}, stop);
    case OperationKind::Hashing:
      return run_hashing(payload, limits_, *backend_, sha_);
    case OperationKind::Generic:
      return run_generic(payload, limits_);
    case OperationKind::Quantum: {
      QuantumOutcome q = quantum_->run(payload, stop);
      if (!q.ok) {
        OpResult refused = OpResult::failure(std::move(q.error));
        refused.error_kind = q.error_kind;
        return refused;
      }
      return OpResult::success(std::move(q.result), q.flops);
    }
  }
  return OpResult::failure("kind: unknown");
}

SubmitResult Jarvis5090X::fail(std::string error, Clock::time_point start, OpError kind) {
  ++counters_.errors;
  SubmitResult r;
  r.error = std::move(error);
  r.error_kind = kind;
  r.seconds = seconds_since(start);
  counters_.busy_ns += static_cast<uint64_t>(r.seconds * 1e9);
  return r;
}

SubmitResult Jarvis5090X::cache_hit(const std::string& text, uint64_t flops,
                                    Clock::time_point start, ResultForm form, const json* tree,
                                    json* parsed) {
  ++counters_.hits;
  counters_.avoided_cache += flops;
  SubmitResult r;
  r.ok = true;
  r.result_text = text;
  if (form == ResultForm::kJson) {
    if (parsed) {
      r.result = std::move(*parsed);
    } else {
      r.result = tree ? *tree : json::parse(text);
    }
  }
  r.cached = true;
  r.device = "cache";
  r.flops_avoided = flops;
  r.seconds = seconds_since(start);
  counters_.busy_ns += static_cast<uint64_t>(r.seconds * 1e9);
  return r;
}

SubmitResult Jarvis5090X::submit(std::string_view kind_name, std::string_view signature,
                                 const json& payload, ResultForm form, const StopToken& stop) {
  auto routed = route(kind_name, signature, payload, form);
  if (auto* answered = std::get_if<SubmitResult>(&routed)) return std::move(*answered);
  auto& task = std::get<RoutedTask>(routed);
  task.stop = stop;
  return run(task);
}

std::string Jarvis5090X::cache_key(std::string_view kind_name, std::string_view signature,
                                   const json& payload, CacheKey& key) const {
  // Tensor operands are keyed by their content digest, not their id.
  json keyed;
  if (has_tensor_refs(payload)) {
    if (auto err = tensor_key_payload(payload, tensors_.get(), keyed); !err.empty()) return err;
  }
  key = CacheKey::make(kind_name, signature, keyed.is_null() ? payload : keyed, sha_);
  return {};
}

std::optional<SubmitResult> Jarvis5090X::lookup(std::string_view kind_name,
                                                std::string_view signature, const json& payload,
                                                ResultForm form) {
  const auto start = Clock::now();
  try {
    const auto kind = operation_kind_from_string(kind_name);
    if (!kind || !payload.is_object()) return std::nullopt;
    CacheKey key;
    if (!cache_key(kind_name, signature, payload, key).empty()) return std::nullopt;
    auto hit = cache_->lookup(key, /*count_miss=*/false);
    if (!hit || !result_tensor_present(hit->tensor_id, tensors_.get())) return std::nullopt;
    ++counters_.operations;
    ++counters_.by_kind[kind_index(*kind)];
    return cache_hit(hit->text, hit->flops, start, form, hit->tree.get());
  } catch (const std::exception&) {
    return std::nullopt;  // route() will say what went wrong
  }
}

std::variant<SubmitResult, RoutedTask> Jarvis5090X::route(std::string_view kind_name,
                                                          std::string_view signature,
                                                          const json& payload, ResultForm form) {
  const auto start = Clock::now();
  try {
    const auto kind = operation_kind_from_string(kind_name);
    if (!kind)
      return fail("kind: unknown workload kind \"" + std::string(kind_name) +
                      "\" (hashing, linalg, quantum, generic)",
                  start);
    ++counters_.operations;
    ++counters_.by_kind[kind_index(*kind)];
    if (!payload.is_object()) return fail("payload: expected a JSON object", start);
    CacheKey key;
    if (auto err = cache_key(kind_name, signature, payload, key); !err.empty())
      return fail(std::move(err), start);
    // A result whose output tensor was since evicted is computed again.
    auto hit = cache_->lookup(key);
    if (hit && result_tensor_present(hit->tensor_id, tensors_.get()))
      return cache_hit(hit->text, hit->flops, start, form, hit->tree.get());
    if (disk_cache_) {
      if (auto stored = disk_cache_->lookup(key)) {
        json parsed = json::parse(stored->text);  // checked by the disk tier
        stored->tensor_id = result_tensor_id(parsed);
        if (stored->text.size() <= CachedValue::kMaxTreeTextBytes)
          stored->tree = std::make_shared<const json>(parsed);
        if (result_tensor_present(stored->tensor_id, tensors_.get())) {
          SubmitResult r = cache_hit(stored->text, stored->flops, start, form, nullptr, &parsed);
          cache_->insert(key, std::move(*stored));
          return r;
        }
      }
    }
    ++counters_.misses;
    const TaskCost cost = estimate_cost(*kind, payload, tensors_.get());
    auto assignment = cluster_->assign(cost);
    if (!assignment)
      return fail("kind: no device in the cluster can run " + std::string(kind_name) + " tasks",
                  start);
    return RoutedTask{*kind, &payload, std::move(key), cost, std::move(*assignment), start, {}};
  } catch (const std::bad_alloc&) {
    return fail("out of memory while running it", start, OpError::kInternal);
  } catch (const std::exception& e) {
    return fail(e.what(), start, OpError::kInternal);
  }
}

namespace {

// The failure a task stopped for `reason` ends with.
OpResult stopped_result(StopReason reason) {
  const auto [kind, message] = [reason]() -> std::pair<OpError, const char*> {
    switch (reason) {
      case StopReason::kDeadlinePassed:
        return {OpError::kDeadlinePassed, "deadline passed while it ran (deadline_ms)"};
      case StopReason::kShutdown:
        return {OpError::kShutdown, "stopped: the daemon is shutting down"};
      case StopReason::kPreempted:
        return {OpError::kPreempted, "preempted: the workers are being rebuilt (a reload)"};
      case StopReason::kNone:
      case StopReason::kCancelled:
        break;
    }
    return {OpError::kCancelled, "cancelled while it ran"};
  }();
  OpResult r = OpResult::failure(message);
  r.error_kind = kind;
  return r;
}

}  // namespace

OpResult Jarvis5090X::execute_routed(const RoutedTask& task) {
  task.stop.check();  // it may have waited in a queue since it was routed
  DeviceExecutor executor;
  {
    std::lock_guard lock(executors_mu_);
    if (auto it = executors_.find(task.device_id()); it != executors_.end()) executor = it->second;
  }
  return executor ? executor(task.kind, *task.payload, tensors_.get(), task.stop)
                  : execute(task.kind, *task.payload, task.stop);
}

SubmitResult Jarvis5090X::run(const RoutedTask& task) {
  const auto run_start = Clock::now();
  OpResult op;
  try {
    op = execute_routed(task);
  } catch (const Stopped& stopped) {
    op = stopped_result(stopped.reason);
  } catch (const std::bad_alloc&) {
    op = OpResult::internal("out of memory while running it");
  } catch (const std::exception& e) {
    op = OpResult::internal(e.what());
  }
  // The device's queue always gives the task back; its speed is learnt only
  // from work done, and from the numeric work alone where the op measured
  // it: parsing a JSON matrix is not the device's speed.
  cluster_->complete(task.assignment, task.cost,
                     !op.ok                    ? 0.0
                     : op.compute_seconds >= 0 ? op.compute_seconds
                                               : seconds_since(run_start));
  try {
    const double run_seconds = seconds_since(run_start);
    counters_.flops += op.flops;
    counters_.hashes += op.hashes;
    if (op.ok && task.kind == OperationKind::Quantum && wants_state_tensor(*task.payload)) {
      if (auto err = store_state_tensor(op.result, tensors_.get()); !err.empty())
        op = OpResult::failure(std::move(err));
    }
    if (!op.ok) return fail(std::move(op.error), task.start, op.error_kind);
    if (op.flops_avoided) {
      counters_.avoided_compression += op.flops_avoided;
      ++counters_.compressed;
    }
    CachedValue stored;
    stored.text = op.result.dump(-1, ' ', false, json::error_handler_t::replace);
    stored.tensor_id = result_tensor_id(op.result);
    if (stored.text.size() <= CachedValue::kMaxTreeTextBytes)
      stored.tree = std::make_shared<const json>(op.result);
    stored.compute_ns = static_cast<uint64_t>(run_seconds * 1e9);
    stored.flops = op.flops;
    if (disk_cache_) disk_cache_->insert(task.key, stored);
    SubmitResult r;
    r.ok = true;
    r.result_text = stored.text;
    cache_->insert(task.key, std::move(stored));
    r.result = std::move(op.result);
    r.device = task.device_id();
    r.flops = op.flops;
    r.flops_avoided = op.flops_avoided;
    r.seconds = seconds_since(task.start);
    counters_.busy_ns += static_cast<uint64_t>(r.seconds * 1e9);
    return r;
  } catch (const std::bad_alloc&) {
    return fail("out of memory while running it", task.start, OpError::kInternal);
  } catch (const std::exception& e) {
    return fail(e.what(), task.start, OpError::kInternal);
  }
}

BenchmarkStats Jarvis5090X::benchmark_stats() const {
  BenchmarkStats s;
  for (size_t i = 0; i < 4; ++i) s.operations_by_kind[i] = counters_.by_kind[i];
  s.operations = counters_.operations;
  s.errors = counters_.errors;
  s.cache_hits = counters_.hits;
  s.cache_misses = counters_.misses;
  s.compression_operations = counters_.compressed;
  const CompressionStats c = compression_->stats();
  s.compression_bases_held = c.bases;
  s.compression_factorizations = c.factorizations;
  s.flops_executed = counters_.flops;
  s.flops_avoided_by_cache = counters_.avoided_cache;
  s.flops_avoided_by_compression = counters_.avoided_compression;
  s.hashes = counters_.hashes;
  s.wall_seconds = static_cast<double>(now_ns() - counters_.start_ns) * 1e-9;
  s.busy_seconds = static_cast<double>(counters_.busy_ns) * 1e-9;
  return s;
}

void Jarvis5090X::reset_stats() {
  for (auto& k : counters_.by_kind) k = 0;
  for (auto* a : {&counters_.operations, &counters_.errors, &counters_.hits, &counters_.misses,
                  &counters_.flops, &counters_.avoided_cache, &counters_.avoided_compression,
                  &counters_.compressed, &counters_.hashes, &counters_.busy_ns})
    *a = 0;
  counters_.start_ns = now_ns();
}

}  // namespace jarvis
