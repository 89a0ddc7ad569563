// Design: one stream per device; a scan enqueues a reset of the device hit
// buffer, as many kernel launches as the range needs, and one copy of the
// hit count and the first hits into pinned host memory, then waits once on a
// blocking event (a second copy only when there were more hits than that). Each thread
// hashes nonces_per_thread nonces, of up to kMaxRollsPerThread version rolls
// at once, with the job's constants passed as a kernel parameter (constant
// bank); hits are appended with an atomic. If a very easy target overflows
// the buffer, the range is split and rescanned, so no hit is ever dropped.
#include <cuda_runtime.h>

#include <algorithm>

#include "hashcore/cuda/cuda_scanner.h"
#include "hashcore/cuda/sha256d_device.h"

namespace synthminer::hashcore::cuda {
namespace {

constexpr uint32_t kHitCapacity = 1 << 16;
constexpr uint32_t kInlineHits = 1024;  // copied back with the count
constexpr uint64_t kMaxNoncesPerLaunch = uint64_t{1} << 30;
constexpr uint32_t kMinBlocksPerSm = 32;

struct Hit {
  uint32_t nonce;
  uint32_t roll;  // which of the launch's headers
};

struct DeviceHits {
  uint32_t count;
  uint32_t unused;
  Hit hit[kHitCapacity];
};

template <int kRolls>
struct LaunchParams {
  ScanConstants k[kRolls];
  uint32_t start;
  uint32_t count;
  uint32_t nonces_per_thread;
  uint32_t first_roll;  // index of k[0] among the scan's headers
  DeviceHits* hits;
};

// The block size and nonces per thread are launch-time values, so one
// instantiation per roll count and add flavour serves every shape (each
// costs seconds of ptxas time per architecture). The 8-roll kernel needs about 100
// registers: a block of kMaxThreads still fits an SM.
constexpr int kMaxThreads = 512;

template <int kRolls, bool kImadAdds>
__global__ void __launch_bounds__(kMaxThreads) sha256d_scan_kernel(const LaunchParams<kRolls> p) {
  const uint32_t per_block = blockDim.x * p.nonces_per_thread;
  const uint32_t first = blockIdx.x * per_block + threadIdx.x;
#pragma unroll 1
  for (uint32_t i = 0; i < p.nonces_per_thread; ++i) {
    const uint32_t offset = first + i * blockDim.x;
    if (offset >= p.count) return;
    const uint32_t nonce = p.start + offset;
    uint32_t mask = DeviceScan<kImadAdds>::template passes_multi<kRolls>(p.k, nonce);
    while (mask != 0) {
      const uint32_t roll = __ffs(mask) - 1;
      mask &= mask - 1;
      const uint32_t slot = atomicAdd(&p.hits->count, 1u);
      if (slot < kHitCapacity) p.hits->hit[slot] = Hit{nonce, p.first_roll + roll};
    }
  }
}

template <int kRolls>
cudaError_t launch(const CudaKernelShape& shape, const ScanConstants* k, uint32_t first_roll,
                   uint32_t start, uint32_t count, DeviceHits* hits, cudaStream_t stream) {
  LaunchParams<kRolls> p{};
  for (int j = 0; j < kRolls; ++j) p.k[j] = k[j];
  p.start = start;
  p.count = count;
  p.nonces_per_thread = shape.nonces_per_thread;
  p.first_roll = first_roll;
  p.hits = hits;
  const uint64_t per_block = uint64_t{shape.threads} * shape.nonces_per_thread;
  const auto blocks = static_cast<unsigned>((count + per_block - 1) / per_block);
  if (shape.imad_adds) {
    sha256d_scan_kernel<kRolls, true><<<blocks, shape.threads, 0, stream>>>(p);
  } else {
    sha256d_scan_kernel<kRolls, false><<<blocks, shape.threads, 0, stream>>>(p);
  }
  return cudaGetLastError();
}

// Launches `rolls` (1, 2, 4 or 8) headers' kernel for one nonce run.
cudaError_t launch_rolls(unsigned rolls, const CudaKernelShape& shape, const ScanConstants* k,
                         uint32_t first_roll, uint32_t start, uint32_t count, DeviceHits* hits,
                         cudaStream_t stream) {
  switch (rolls) {
    case 8:
      return launch<8>(shape, k, first_roll, start, count, hits, stream);
    case 4:
      return launch<4>(shape, k, first_roll, start, count, hits, stream);
    case 2:
      return launch<2>(shape, k, first_roll, start, count, hits, stream);
    default:
      return launch<1>(shape, k, first_roll, start, count, hits, stream);
  }
}

std::string describe(cudaError_t err, const char* what) {
  return std::string(what) + ": " + cudaGetErrorString(err);
}

// The largest of 8, 4, 2, 1 that is <= both.
unsigned rolls_for(size_t headers_left, unsigned per_thread) {
  for (unsigned r : {8u, 4u, 2u}) {
    if (r <= headers_left && r <= per_thread) return r;
  }
  return 1;
}

}  // namespace

const std::vector<CudaKernelShape>& cuda_kernel_shapes() {
  // The default first: the fastest measured on an H200 with version rolls,
  // 9.09 GH/s at 8 per thread; within 0.5 % of the fastest on one header
  // (docs/PERFORMANCE.md).
  static const std::vector<CudaKernelShape> shapes = {
      {"t512x16-imad", 512, 16, true}, {"t256x16-imad", 256, 16, true},
      {"t256x4-imad", 256, 4, true},   {"t256x16", 256, 16, false},
      {"t256x4", 256, 4, false},       {"t512x16", 512, 16, false},
  };
  return shapes;
}

struct CudaScanner::Impl {
  CudaDevice device;
  CudaKernelShape shape;
  cudaStream_t stream = nullptr;
  cudaEvent_t done = nullptr;  // blocking: the waiting thread sleeps, leaving its core to hashers
  DeviceHits* device_hits = nullptr;
  DeviceHits* host_hits = nullptr;  // pinned

  ~Impl() {
    if (done != nullptr) cudaEventDestroy(done);
    if (stream != nullptr) cudaStreamDestroy(stream);
    if (device_hits != nullptr) cudaFree(device_hits);
    if (host_hits != nullptr) cudaFreeHost(host_hits);
  }

  // The shape with fewer nonces per thread when `count` would give fewer
  // than kMinBlocksPerSm blocks per SM: a daemon's 5 ms piece of 16 rolls
  // is ~2M nonces per header, 275 blocks of t512x16 on 132 SMs, and a
  // partial last wave then idles a third of the chip.
  CudaKernelShape fitted_shape(uint64_t count) const {
    CudaKernelShape fitted = shape;
    const uint64_t wanted = uint64_t{kMinBlocksPerSm} * std::max(device.multiprocessors, 1);
    while (fitted.nonces_per_thread > 1 &&
           count / (uint64_t{fitted.threads} * fitted.nonces_per_thread) < wanted) {
      fitted.nonces_per_thread /= 2;
    }
    return fitted;
  }

  cudaError_t launch_all(const std::vector<ScanConstants>& k, unsigned per_thread, uint32_t start,
                         uint64_t count) {
    cudaError_t err = cudaSuccess;
    for (uint64_t done = 0; err == cudaSuccess && done < count;) {
      const uint64_t n = std::min(count - done, kMaxNoncesPerLaunch);
      const auto first = start + static_cast<uint32_t>(done);
      for (size_t roll = 0; err == cudaSuccess && roll < k.size();) {
        const unsigned rolls = rolls_for(k.size() - roll, per_thread);
        err = launch_rolls(rolls, fitted_shape(n), &k[roll], static_cast<uint32_t>(roll), first,
                           static_cast<uint32_t>(n), device_hits, stream);
        roll += rolls;
      }
      done += n;
    }
    return err;
  }

  cudaError_t wait() {
    const cudaError_t err = cudaEventRecord(done, stream);
    return err == cudaSuccess ? cudaEventSynchronize(done) : err;
  }

  // Scans [start, start + count), count <= 2^32 - start, of every header in
  // `k`; appends the hits to out[header].
  bool scan_range(const std::vector<ScanConstants>& k, unsigned per_thread, uint32_t start,
                  uint64_t count, std::vector<std::vector<uint32_t>>& out, std::string& error) {
    constexpr size_t kInlineBytes = offsetof(DeviceHits, hit) + kInlineHits * sizeof(Hit);
    cudaError_t err = cudaSetDevice(device.index);
    if (err == cudaSuccess) err = cudaMemsetAsync(&device_hits->count, 0, sizeof(uint32_t), stream);
    if (err == cudaSuccess) err = launch_all(k, per_thread, start, count);
    if (err == cudaSuccess) {
      err = cudaMemcpyAsync(host_hits, device_hits, kInlineBytes, cudaMemcpyDeviceToHost, stream);
    }
    if (err == cudaSuccess) err = wait();
    const uint32_t found = err == cudaSuccess ? host_hits->count : 0;
    if (err == cudaSuccess && found > kInlineHits && found <= kHitCapacity) {
      err = cudaMemcpyAsync(&host_hits->hit[kInlineHits], &device_hits->hit[kInlineHits],
                            (found - kInlineHits) * sizeof(Hit), cudaMemcpyDeviceToHost, stream);
      if (err == cudaSuccess) err = wait();
    }
    if (err != cudaSuccess) {
      error = describe(err, "sha256d scan");
      return false;
    }
    if (found > kHitCapacity) {
      // Too many hits to hold: halve the range until each half fits.
      const uint64_t half = count / 2;
      return scan_range(k, per_thread, start, half, out, error) &&
             scan_range(k, per_thread, start + static_cast<uint32_t>(half), count - half, out,
                        error);
    }
    for (uint32_t i = 0; i < found; ++i) {
      out[host_hits->hit[i].roll].push_back(host_hits->hit[i].nonce);
    }
    return true;
  }
};

CudaScanner::CudaScanner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CudaScanner::~CudaScanner() = default;

std::unique_ptr<CudaScanner> CudaScanner::open(int index, std::string& error,
                                               std::string_view kernel) {
  const auto& shapes = cuda_kernel_shapes();
  const auto shape = kernel.empty() ? shapes.begin()
                                    : std::find_if(shapes.begin(), shapes.end(),
                                                   [&](const auto& s) { return s.name == kernel; });
  if (shape == shapes.end()) {
    error = "no CUDA kernel shape \"" + std::string(kernel) + "\"";
    return nullptr;
  }
  const CudaInventory inventory = list_cuda_devices();
  const auto it = std::find_if(inventory.devices.begin(), inventory.devices.end(),
                               [&](const CudaDevice& d) { return d.index == index; });
  if (it == inventory.devices.end()) {
    error = inventory.devices.empty() ? "no CUDA device: " + inventory.none_reason
                                      : "no CUDA device " + std::to_string(index);
    return nullptr;
  }
  auto impl = std::make_unique<Impl>();
  impl->device = *it;
  impl->shape = *shape;
  cudaError_t err = cudaSetDevice(index);
  if (err == cudaSuccess) err = cudaStreamCreateWithFlags(&impl->stream, cudaStreamNonBlocking);
  if (err == cudaSuccess) {
    err = cudaEventCreateWithFlags(&impl->done, cudaEventBlockingSync | cudaEventDisableTiming);
  }
  if (err == cudaSuccess) err = cudaMalloc(&impl->device_hits, sizeof(DeviceHits));
  if (err == cudaSuccess) err = cudaMallocHost(&impl->host_hits, sizeof(DeviceHits));
  if (err != cudaSuccess) {
    error = describe(err, "opening CUDA device");
    return nullptr;
  }
  return std::unique_ptr<CudaScanner>(new CudaScanner(std::move(impl)));
}

std::optional<ScanResult> CudaScanner::scan(const PreparedScan& prepared, NonceRange range,
                                            std::string& error) {
  auto results = scan_rolls({&prepared, 1}, range, 1, error);
  if (!results) return std::nullopt;
  return std::move(results->front());
}

std::optional<std::vector<ScanResult>> CudaScanner::scan_rolls(
    std::span<const PreparedScan> headers, NonceRange range, unsigned rolls_per_thread,
    std::string& error) {
  if (headers.empty()) return std::vector<ScanResult>{};
  std::vector<ScanConstants> k;
  for (const PreparedScan& h : headers) {
    if (h.job.tail != headers.front().job.tail || h.job.target != headers.front().job.target) {
      error = "version roll " + std::to_string(k.size()) +
              " has another header tail or target than roll 0";
      return std::nullopt;
    }
    k.push_back(h.constants);
  }
  const uint64_t count = std::min<uint64_t>(range.count, (uint64_t{1} << 32) - range.start);
  std::vector<std::vector<uint32_t>> hits(headers.size());
  if (!impl_->scan_range(k, std::clamp(rolls_per_thread, 1u, kMaxRollsPerThread), range.start,
                         count, hits, error)) {
    return std::nullopt;
  }
  std::vector<ScanResult> results(headers.size());
  for (size_t i = 0; i < headers.size(); ++i) {
    std::sort(hits[i].begin(), hits[i].end());
    results[i].hashes = count;
    for (uint32_t nonce : hits[i]) {
      if (meets_target(header_hash(headers[i].job, nonce), headers[i].job.target)) {
        results[i].nonces.push_back(nonce);
      }
    }
  }
  return results;
}

const CudaDevice& CudaScanner::device() const {
  return impl_->device;
}

const CudaKernelShape& CudaScanner::kernel() const {
  return impl_->shape;
}

}  // namespace synthminer::hashcore::cuda
