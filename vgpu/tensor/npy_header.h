// The header dict of a .npy file, {'descr': '<f8', 'fortran_order': False,
// 'shape': (3, 4), }, parsed strictly as the Python literal numpy writes:
// exactly those three keys, each once; string, bool and tuple-of-int values;
// spaces allowed between tokens; an optional trailing comma; nothing else.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jarvis {

struct NpyHeader {
  std::string descr;
  bool fortran_order = false;
  std::vector<uint64_t> shape;
};

/// Parses `text` (the header after its length field, without the trailing
/// padding and '\n'); empty string on success, else "npy header: <reason>".
/// At most `max_dims` dimensions.
std::string parse_npy_header(std::string_view text, size_t max_dims, NpyHeader& out);

/// The dict as numpy.save writes it, before padding: keys sorted, repr of
/// each value, "'key': value, " each, then the spare spaces numpy leaves so
/// the first axis can grow in place.
std::string format_npy_header(std::string_view descr, const std::vector<uint64_t>& shape);

}  // namespace jarvis
