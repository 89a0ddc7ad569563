// The Jarvis layers on a CUDA GPU: a start-up calibration that measures what
// the device does per operation kind, and an executor that runs the tasks
// AdapterCluster routes to it (Jarvis5090X::set_executor). Plain C++ header:
// callers need no CUDA toolkit to include it.
//
// What runs on the device: quantum circuits (the CPU simulator's parsing,
// fusion, branching and sampling, with the state vector and every gate on
// the GPU, quantum_engine.h), linalg matmul / matvec (cuBLAS DGEMM / DGEMV;
// a float64 matrix given by tensor id stays on the device between products)
// and solve (cuSOLVER getrf + getrs), the libraries loaded with dlopen at
// first use, so the daemon does not link them. Transpose and svd, and solve
// where cuSOLVER does not load, run on the host and say so ("device": "host").
// Hashing and generic tasks are refused: the calibration leaves them out of
// the device's capabilities, so the cluster never routes them here.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "vgpu/adapter_cluster.h"
#include "vgpu/payload/op_result.h"
#include "vgpu/payload/payload_limits.h"
#include "vgpu/payload/stop_token.h"
#include "vgpu/quantum/quantum_layer.h"
#include "vgpu/tensor/tensor_store.h"
#include "vgpu/types.h"

namespace jarvis::gpu {

struct GpuCalibration {
  bool ok = false;    ///< at least one operation kind was measured
  std::string error;  ///< when !ok: why ("no CUDA driver", "device 1 of 1", ...)
  /// Kinds measured but left out, and why (e.g. "linalg: libcublas.so.13 not
  /// found"); also when solve falls back to the host (cuSOLVER not loaded).
  std::string note;
  /// id "gpu<index>", label the device name, kind Gpu, perf_score = linalg
  /// GFLOP/s (0 when linalg is not available), capabilities = the kinds
  /// measured, throughput[kind] in FLOP/s.
  AdapterDevice device;
  DeviceLink link;  ///< host -> device: latency (s) and pageable cudaMemcpy bytes/s
};

/// The number of CUDA devices here: 0 with `why` (may be null) set when
/// there is no driver or no device, an answer rather than a failure.
/// Never throws.
int cuda_device_count(std::string* why = nullptr);

/// Measures CUDA device `cuda_index` for about `seconds_per_kind` per
/// operation kind it can run: quantum FLOP/s from the real gate kernels on a
/// 2^22-amplitude state (smaller when memory is short), linalg FLOP/s from
/// cuBLAS DGEMM on 2048 x 2048 matrices, and the host -> device link by timed
/// cudaMemcpy (64 bytes for latency, 64 MiB for bandwidth). Never throws; no
/// driver or no such device gives ok = false with the reason.
GpuCalibration calibrate_gpu(int cuda_index, double seconds_per_kind);

/// Runs quantum and linalg tasks on one CUDA device. run() is thread-safe
/// (one mutex: tasks on one device run one at a time).
class GpuExecutor {
 public:
  GpuExecutor(int cuda_index, QuantumOptions quantum, PayloadLimits limits);
  ~GpuExecutor();
  GpuExecutor(const GpuExecutor&) = delete;
  GpuExecutor& operator=(const GpuExecutor&) = delete;

  /// Validates `payload` exactly as the host does (same errors for the same
  /// bad payload), then runs it on the device. The result carries "device":
  /// "gpu<index>" (or "host" for linalg operations the device does not run).
  /// No driver, no memory or a CUDA error is an error value; the one thing
  /// thrown is Stopped, when `stop` says so (checked between a circuit's
  /// stretches of gates and a sweep's bindings).
  /// `tensors` resolves linalg operands given by id; a float64 matrix given
  /// by id is uploaded at its first product and kept on the device (its
  /// StoredTensor::device_copies, under id()) until the store drops it.
  OpResult run(OperationKind kind, const nlohmann::json& payload, TensorStore* tensors = nullptr,
               const StopToken& stop = {});

  /// Checks, on small matrices, that products by tensor id from the device's
  /// copy agree with the host's. If they do not (or cannot run), products by
  /// id go back to a column-major copy uploaded for each product. Empty when
  /// the device copies are in use, else why not (a start-up note).
  std::string check_tensor_copies();

  /// "gpu<index>".
  const std::string& id() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jarvis::gpu
