// The NumPy .npy format (what numpy.save writes), read strictly and written
// byte for byte as numpy writes it. Only what the vgpu layer computes on:
// dtypes '<f8', '<f4' and '<c16', C order, up to kNpyMaxDims dimensions.
//
// A file is: "\x93NUMPY", major, minor (1.0, 2.0 or 3.0), the header length
// (2 bytes little-endian for 1.0, 4 for 2.0/3.0), then the header, a Python
// dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...), } padded
// with spaces to a multiple of 16 bytes (numpy pads to 64) and ended by
// '\n', then the raw elements. Every refusal names what was wrong, e.g.
// "npy header: descr '<i4' not supported (float64, float32, complex128)".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jarvis {

enum class Dtype : uint8_t { kFloat64, kFloat32, kComplex128 };

inline constexpr size_t kNpyMaxDims = 4;

/// "float64", "float32", "complex128".
std::string_view dtype_name(Dtype dtype);
/// numpy's descr: "<f8", "<f4", "<c16".
std::string_view dtype_descr(Dtype dtype);
/// Bytes per element: 8, 4, 16.
size_t dtype_size(Dtype dtype);

/// One array in .npy form: the whole file's bytes, kept as they came, and
/// where its elements start. Elements are C order (row-major), little-endian.
struct NpyArray {
  Dtype dtype = Dtype::kFloat64;
  std::vector<uint64_t> shape;  ///< empty for a 0-d array (one element)
  std::string bytes;            ///< header and data, as on disk
  size_t data_offset = 0;       ///< where the elements start in `bytes`

  uint64_t elements() const;
  size_t data_size() const { return bytes.size() - data_offset; }
  const char* data() const { return bytes.data() + data_offset; }
};

/// Parses `bytes` as a .npy file (taking them over); empty string on
/// success, else the refusal ("npy header: ...", "npy data: ..."). Never
/// throws on bad input. Refuses more than `max_elements` elements.
std::string decode_npy(std::string bytes, uint64_t max_elements, NpyArray& out);

/// A .npy file of `shape` and `dtype` holding `data` (C order, exactly
/// elements * dtype_size bytes), with the header numpy.save writes for it
/// (format 1.0, padded to 64 bytes).
NpyArray encode_npy(Dtype dtype, std::vector<uint64_t> shape, const void* data, size_t size);

}  // namespace jarvis
