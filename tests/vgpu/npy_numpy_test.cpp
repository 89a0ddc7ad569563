// Byte-for-byte compatibility with numpy itself: files numpy.save writes are
// read here with the right values, encode_npy writes the very same bytes,
// and numpy.load reads what encode_npy writes. Runs Debian's python3 with
// numpy; skipped when that is not installed.
#include <unistd.h>

#include <complex>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "vgpu/tensor/npy_codec.h"

namespace jarvis {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPython = "/usr/bin/python3";

struct Case {
  const char* name;
  Dtype dtype;
  std::vector<uint64_t> shape;
  const char* numpy_dtype;
};

const Case kCases[] = {
    {"f8_2x3", Dtype::kFloat64, {2, 3}, "float64"},
    {"f8_scalar", Dtype::kFloat64, {}, "float64"},
    {"f8_empty", Dtype::kFloat64, {0, 3}, "float64"},
    {"f4_7", Dtype::kFloat32, {7}, "float32"},
    {"c16_2x2x2", Dtype::kComplex128, {2, 2, 2}, "complex128"},
    {"f8_4d", Dtype::kFloat64, {2, 1, 3, 2}, "float64"},
    {"f8_long_axis", Dtype::kFloat64, {1234567, 0}, "float64"},
};

// Element i is i * 0.25 - 3 (imaginary part -i for complex): exact in float32.
std::string expected_data(const Case& c) {
  uint64_t n = 1;
  for (uint64_t d : c.shape) n *= d;
  std::string out;
  for (uint64_t i = 0; i < n; ++i) {
    const double x = static_cast<double>(i) * 0.25 - 3;
    if (c.dtype == Dtype::kFloat32) {
      const float f = static_cast<float>(x);
      out.append(reinterpret_cast<const char*>(&f), sizeof f);
    } else if (c.dtype == Dtype::kComplex128) {
      // numpy computes x - 1j * i, whose imaginary part is +0.0 at i = 0.
      const std::complex<double> z(x, i == 0 ? 0.0 : -static_cast<double>(i));
      out.append(reinterpret_cast<const char*>(&z), sizeof z);
    } else {
      out.append(reinterpret_cast<const char*>(&x), sizeof x);
    }
  }
  return out;
}

std::string shape_tuple(const std::vector<uint64_t>& shape) {
  std::string out = "(";
  for (uint64_t d : shape) out += std::to_string(d) + ",";
  return out + ")";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// numpy: the same element formula as expected_data.
std::string numpy_array(const Case& c) {
  std::string expr = "np.arange(int(np.prod(" + shape_tuple(c.shape) + "))) * 0.25 - 3";
  if (c.dtype == Dtype::kComplex128)
    expr = "(" + expr + ") - 1j * np.arange(int(np.prod(" + shape_tuple(c.shape) + ")))";
  return "(" + expr + ").astype(np." + c.numpy_dtype + ").reshape(" + shape_tuple(c.shape) + ")";
}

class NpyNumpy : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system((std::string(kPython) + " -c 'import numpy' 2>/dev/null").c_str()) != 0)
      GTEST_SKIP() << "python3-numpy is not installed";
    dir_ = fs::temp_directory_path() / ("npy_numpy_test." + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  int python(const std::string& script) {
    const fs::path file = dir_ / "script.py";
    std::ofstream(file) << "import numpy as np\n" << script;
    return std::system((std::string(kPython) + " " + file.string()).c_str());
  }
  fs::path dir_;
};

TEST_F(NpyNumpy, ReadsNumpyFilesAndWritesTheSameBytes) {
  std::string script;
  for (const Case& c : kCases)
    script += "np.save('" + (dir_ / c.name).string() + ".npy', " + numpy_array(c) + ")\n";
  ASSERT_EQ(python(script), 0);
  for (const Case& c : kCases) {
    const std::string bytes = read_file(dir_ / (std::string(c.name) + ".npy"));
    NpyArray a;
    ASSERT_EQ(decode_npy(bytes, 1u << 24, a), "") << c.name;
    EXPECT_EQ(a.dtype, c.dtype) << c.name;
    EXPECT_EQ(a.shape, c.shape) << c.name;
    const std::string data = expected_data(c);
    EXPECT_EQ(std::string(a.data(), a.data_size()), data) << c.name;
    EXPECT_EQ(encode_npy(c.dtype, c.shape, data.data(), data.size()).bytes, bytes)
        << c.name << ": not byte-identical to numpy.save";
  }
}

TEST_F(NpyNumpy, NumpyLoadsWhatWeWrite) {
  std::string script = "import sys\n";
  for (const Case& c : kCases) {
    const std::string data = expected_data(c);
    const NpyArray a = encode_npy(c.dtype, c.shape, data.data(), data.size());
    std::ofstream(dir_ / (std::string(c.name) + ".out.npy"), std::ios::binary) << a.bytes;
    script += "a = np.load('" + (dir_ / c.name).string() + ".out.npy', allow_pickle=False)\n";
    script += "if a.dtype != np." + std::string(c.numpy_dtype) +
              " or a.shape != " + shape_tuple(c.shape) + " or not np.array_equal(a, " +
              numpy_array(c) + "): sys.exit('" + c.name + "')\n";
  }
  EXPECT_EQ(python(script), 0);
}

TEST_F(NpyNumpy, RefusesWhatNumpyWritesButWeDoNotTake) {
  ASSERT_EQ(python("np.save('" + (dir_ / "i4").string() + ".npy', np.arange(3, dtype=np.int32))\n" +
                   "np.save('" + (dir_ / "fortran").string() +
                   ".npy', np.asfortranarray(np.ones((2, 3))))\n"),
            0);
  NpyArray a;
  EXPECT_NE(decode_npy(read_file(dir_ / "i4.npy"), 100, a).find("descr '<i4' not supported"),
            std::string::npos);
  EXPECT_NE(decode_npy(read_file(dir_ / "fortran.npy"), 100, a).find("fortran_order True"),
            std::string::npos);
}

}  // namespace
}  // namespace jarvis
