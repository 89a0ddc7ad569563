#include "vgpu/tensor/npy_codec.h"

#include <bit>
#include <cstring>

#include "vgpu/tensor/npy_header.h"

namespace jarvis {
namespace {

static_assert(std::endian::native == std::endian::little,
              "tensors are kept as little-endian bytes and read in place");

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
constexpr size_t kAlignWritten = 64;  // numpy's ARRAY_ALIGN
constexpr size_t kAlignRead = 16;     // what numpy before 1.9 wrote; still valid
constexpr size_t kMaxHeaderBytes = 65535;

struct DtypeInfo {
  Dtype dtype;
  std::string_view name;
  std::string_view descr;
  size_t size;
};
constexpr DtypeInfo kDtypes[] = {
    {Dtype::kFloat64, "float64", "<f8", 8},
    {Dtype::kFloat32, "float32", "<f4", 4},
    {Dtype::kComplex128, "complex128", "<c16", 16},
};

const DtypeInfo& info(Dtype dtype) {
  return kDtypes[static_cast<size_t>(dtype)];
}

// The descr for a message: quoted when it is short printable text.
std::string shown(const std::string& descr) {
  if (descr.size() > 16) return "(too long to show)";
  for (const char ch : descr)
    if (ch < 0x20 || ch > 0x7e) return "(not printable)";
  return "'" + descr + "'";
}

uint32_t read_le(const std::string& bytes, size_t at, size_t width) {
  uint32_t value = 0;
  for (size_t i = 0; i < width; ++i)
    value |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + i])) << (8 * i);
  return value;
}

// Where the header text is: after the magic, the version and the length field.
std::string read_preamble(const std::string& bytes, size_t& header_start, size_t& header_size) {
  if (bytes.size() < kMagicSize + 2 || bytes.compare(0, kMagicSize, kMagic) != 0)
    return "npy: not a .npy file (the magic \\x93NUMPY is missing)";
  const auto major = static_cast<uint8_t>(bytes[6]), minor = static_cast<uint8_t>(bytes[7]);
  if (major < 1 || major > 3 || minor != 0)
    return "npy: format version " + std::to_string(major) + "." + std::to_string(minor) +
           " not supported (1.0, 2.0, 3.0)";
  const size_t width = major == 1 ? 2 : 4;
  if (bytes.size() < kMagicSize + 2 + width) return "npy: truncated before the header length";
  header_size = read_le(bytes, kMagicSize + 2, width);
  header_start = kMagicSize + 2 + width;
  if (header_size > kMaxHeaderBytes)
    return "npy header: " + std::to_string(header_size) + " bytes, over the limit of " +
           std::to_string(kMaxHeaderBytes);
  if (bytes.size() < header_start + header_size)
    return "npy header: truncated (" + std::to_string(header_size) + " bytes announced, " +
           std::to_string(bytes.size() - header_start) + " present)";
  if ((header_start + header_size) % kAlignRead != 0)
    return "npy header: the data does not start on a 16-byte boundary (numpy pads the header "
           "with spaces)";
  return {};
}

// Strips the padding numpy adds (spaces, then one '\n' last) and checks that
// the header is printable ASCII, as numpy writes it.
std::string header_text(const std::string& bytes, size_t start, size_t size,
                        std::string_view& text) {
  if (size == 0 || bytes[start + size - 1] != '\n') return "npy header: must end with a newline";
  for (size_t i = start; i + 1 < start + size; ++i) {
    const char ch = bytes[i];
    if (ch < 0x20 || ch > 0x7e) return "npy header: not printable ASCII";
  }
  text = std::string_view(bytes).substr(start, size - 1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return {};
}

std::string check_elements(const std::vector<uint64_t>& shape, uint64_t max_elements,
                           uint64_t& elements) {
  elements = 1;
  for (const uint64_t dim : shape) {
    if (dim != 0 && elements > max_elements / dim) {
      return "npy header: shape has more than " + std::to_string(max_elements) +
             " elements (the limit)";
    }
    elements *= dim;
  }
  if (elements > max_elements)
    return "npy header: shape has " + std::to_string(elements) + " elements, over the limit of " +
           std::to_string(max_elements);
  return {};
}

}  // namespace

std::string_view dtype_name(Dtype dtype) {
  return info(dtype).name;
}
std::string_view dtype_descr(Dtype dtype) {
  return info(dtype).descr;
}
size_t dtype_size(Dtype dtype) {
  return info(dtype).size;
}

uint64_t NpyArray::elements() const {
  uint64_t n = 1;
  for (const uint64_t dim : shape) n *= dim;
  return n;
}

std::string decode_npy(std::string bytes, uint64_t max_elements, NpyArray& out) {
  size_t start = 0, size = 0;
  if (auto err = read_preamble(bytes, start, size); !err.empty()) return err;
  std::string_view text;
  if (auto err = header_text(bytes, start, size, text); !err.empty()) return err;
  NpyHeader header;
  if (auto err = parse_npy_header(text, kNpyMaxDims, header); !err.empty()) return err;
  const DtypeInfo* found = nullptr;
  for (const DtypeInfo& d : kDtypes)
    if (header.descr == d.descr) found = &d;
  if (!found)
    return "npy header: descr " + shown(header.descr) +
           " not supported (float64 '<f8', float32 '<f4', complex128 '<c16')";
  if (header.fortran_order)
    return "npy header: fortran_order True not supported (save a C-ordered array: "
           "numpy.ascontiguousarray)";
  uint64_t elements = 0;
  if (auto err = check_elements(header.shape, max_elements, elements); !err.empty()) return err;
  const size_t data_offset = start + size;
  const uint64_t expected = elements * found->size;
  if (bytes.size() - data_offset != expected)
    return "npy data: " + std::to_string(bytes.size() - data_offset) + " bytes, expected " +
           std::to_string(expected) + " for the shape and dtype";
  out.dtype = found->dtype;
  out.shape = std::move(header.shape);
  out.bytes = std::move(bytes);
  out.data_offset = data_offset;
  return {};
}

NpyArray encode_npy(Dtype dtype, std::vector<uint64_t> shape, const void* data, size_t size) {
  std::string text = format_npy_header(dtype_descr(dtype), shape);
  // numpy: padlen = ALIGN - ((magic + 2 + len(header) + 1) % ALIGN), so 1..64 spaces.
  const size_t prefix = kMagicSize + 2 + 2;
  const size_t pad = kAlignWritten - ((prefix + text.size() + 1) % kAlignWritten);
  text.append(pad, ' ');
  text += '\n';
  NpyArray out;
  out.dtype = dtype;
  out.shape = std::move(shape);
  out.bytes.reserve(prefix + text.size() + size);
  out.bytes.append(kMagic, kMagicSize);
  out.bytes += '\x01';
  out.bytes += '\x00';
  out.bytes += static_cast<char>(text.size() & 0xff);
  out.bytes += static_cast<char>(text.size() >> 8);
  out.bytes += text;
  out.data_offset = out.bytes.size();
  out.bytes.append(static_cast<const char*>(data), size);
  return out;
}

}  // namespace jarvis
