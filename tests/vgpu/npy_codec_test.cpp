// The .npy codec: known headers, every refusal, and write-then-read.
#include "vgpu/tensor/npy_codec.h"

#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "vgpu/tensor/npy_header.h"

namespace jarvis {
namespace {

// A .npy file with `header` (unpadded dict text) padded as numpy pads it.
std::string npy_file(const std::string& header, const std::string& data, int major = 1,
                     size_t align = 64) {
  const size_t width = major == 1 ? 2 : 4;
  const size_t prefix = 8 + width;
  std::string text = header;
  text.append(align - (prefix + text.size() + 1) % align, ' ');
  text += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  for (size_t i = 0; i < width; ++i) out += static_cast<char>((text.size() >> (8 * i)) & 0xff);
  return out + text + data;
}

std::string doubles(std::vector<double> values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * 8);
}

std::string decode_error(std::string bytes) {
  NpyArray out;
  return decode_npy(std::move(bytes), 1u << 20, out);
}

TEST(NpyCodec, ReadsWhatNumpyWrites) {
  // numpy 1.24: np.save(f, np.array([[1., 2.], [3., 4.]]))
  const std::string header =
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }" + std::string(20, ' ');
  NpyArray a;
  ASSERT_EQ(decode_npy(npy_file(header, doubles({1, 2, 3, 4})), 100, a), "");
  EXPECT_EQ(a.dtype, Dtype::kFloat64);
  EXPECT_EQ(a.shape, (std::vector<uint64_t>{2, 2}));
  EXPECT_EQ(a.elements(), 4u);
  EXPECT_EQ(a.data_offset % 64, 0u);
  double values[4];
  std::memcpy(values, a.data(), sizeof values);
  EXPECT_EQ(values[2], 3.0);
}

TEST(NpyCodec, WritesTheHeaderNumpyWrites) {
  const double x[3] = {1, 2, 3};
  NpyArray a = encode_npy(Dtype::kFloat64, {3}, x, sizeof x);
  // Byte for byte numpy 1.24's np.save(f, np.array([1., 2., 3.])).
  const std::string expected_header =
      "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }" + std::string(20, ' ');
  EXPECT_EQ(a.bytes, npy_file(expected_header, doubles({1, 2, 3})));
  EXPECT_EQ(a.bytes.substr(0, 10), std::string("\x93NUMPY\x01\x00\x76\x00", 10));
}

TEST(NpyCodec, RoundTripsEveryDtypeAndRank) {
  for (Dtype dtype : {Dtype::kFloat64, Dtype::kFloat32, Dtype::kComplex128}) {
    for (const std::vector<uint64_t>& shape :
         std::vector<std::vector<uint64_t>>{{}, {5}, {2, 3}, {2, 3, 4}, {1, 2, 3, 4}, {0, 3}}) {
      uint64_t n = 1;
      for (uint64_t d : shape) n *= d;
      std::string data(n * dtype_size(dtype), '\0');
      for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7);
      NpyArray written = encode_npy(dtype, shape, data.data(), data.size());
      EXPECT_EQ(written.data_offset % 64, 0u);
      NpyArray read;
      ASSERT_EQ(decode_npy(written.bytes, 1u << 20, read), "");
      EXPECT_EQ(read.dtype, dtype);
      EXPECT_EQ(read.shape, shape);
      EXPECT_EQ(std::string(read.data(), read.data_size()), data);
    }
  }
}

TEST(NpyCodec, ReadsVersionsTwoAndThreeAndOldPadding) {
  const std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  const std::string data(8, '\0');
  for (int major : {1, 2, 3}) {
    NpyArray a;
    EXPECT_EQ(decode_npy(npy_file(header, data, major), 10, a), "") << major;
    EXPECT_EQ(a.dtype, Dtype::kFloat32);
  }
  NpyArray a;
  EXPECT_EQ(decode_npy(npy_file(header, data, 1, 16), 10, a), "") << "numpy < 1.9 padded to 16";
}

TEST(NpyCodec, AcceptsPythonLiteralVariants) {
  NpyHeader h;
  EXPECT_EQ(parse_npy_header("{\"shape\":(3,4),\"descr\":\"<c16\",\"fortran_order\":False}", 4, h),
            "");
  EXPECT_EQ(h.descr, "<c16");
  EXPECT_EQ(h.shape, (std::vector<uint64_t>{3, 4}));
  EXPECT_EQ(parse_npy_header("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4,), }", 4, h),
            "");
  EXPECT_EQ(parse_npy_header("{'descr': '<f8', 'fortran_order': False, 'shape': ()}", 4, h), "");
  EXPECT_TRUE(h.shape.empty());
}

struct Refusal {
  const char* header;
  const char* reason;
};

TEST(NpyCodec, RefusesBadHeadersNamingTheProblem) {
  const Refusal cases[] = {
      {"{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
       "npy header: descr '<i4' not supported (float64 '<f8', float32 '<f4', complex128 '<c16')"},
      {"{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", "descr '>f8' not supported"},
      {"{'descr': '<f8', 'fortran_order': True, 'shape': (2,), }",
       "fortran_order True not supported"},
      {"{'descr': '<f8', 'fortran_order': 0, 'shape': (2,), }", "fortran_order must be True or"},
      {"{'descr': '<f8', 'shape': (2,), }", "missing key 'fortran_order'"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': 1}", "unknown key"},
      {"{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2,)}", "given twice"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (2)}", "shape must be a tuple: (n,)"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': [2]}", "shape must be a tuple"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (-2,)}", "non-negative integer"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (02,)}", "non-negative integer"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (2L,)}", "expected ',' or ')'"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1)}",
       "more than 4 dimensions"},
      {"{'descr': '<f8' 'fortran_order': False, 'shape': (2,)}", "expected ',' or '}'"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (2,)} x", "unexpected text"},
      {"['descr', '<f8']", "expected a dict"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999, 99999999999)}", "elements"},
  };
  for (const Refusal& c : cases) {
    const std::string err = decode_error(npy_file(c.header, std::string(16, '\0')));
    EXPECT_NE(err.find(c.reason), std::string::npos) << c.header << " -> " << err;
    EXPECT_EQ(err.rfind("npy", 0), 0u) << err;
  }
}

TEST(NpyCodec, RefusesBadFramingAndData) {
  const std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
  const std::string good = npy_file(header, doubles({1, 2}));
  EXPECT_EQ(decode_error(good), "");
  EXPECT_NE(decode_error("PK\x03\x04 zip").find("not a .npy file"), std::string::npos);
  std::string v4 = good;
  v4[6] = 4;
  EXPECT_NE(decode_error(v4).find("format version 4.0 not supported"), std::string::npos);
  EXPECT_NE(decode_error(good.substr(0, 9)).find("truncated"), std::string::npos);
  EXPECT_NE(decode_error(good.substr(0, 40)).find("header: truncated"), std::string::npos);
  EXPECT_NE(decode_error(good.substr(0, good.size() - 1)).find("npy data: 15 bytes, expected 16"),
            std::string::npos);
  EXPECT_NE(decode_error(good + "x").find("npy data: 17 bytes"), std::string::npos);
  std::string no_newline = good;
  no_newline[no_newline.find('\n')] = ' ';
  EXPECT_NE(decode_error(no_newline).find("must end with a newline"), std::string::npos);
  std::string misaligned = npy_file(header, doubles({1, 2}), 1, 8);
  if (misaligned.find('\n') % 16 != 15) {
    EXPECT_NE(decode_error(misaligned).find("16-byte boundary"), std::string::npos);
  }
  std::string control = good;
  control[20] = '\t';
  EXPECT_NE(decode_error(control).find("printable"), std::string::npos);
  NpyArray a;
  EXPECT_NE(decode_npy(good, 1, a).find("more than 1 elements"), std::string::npos);
}

}  // namespace
}  // namespace jarvis
