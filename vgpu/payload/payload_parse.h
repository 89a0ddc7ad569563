// Reading payload fields with errors that name the field and the reason.
// Every function returns an empty string on success, else the message
// ("matrix[2]: row has 3 entries, expected 4"); none throws on bad input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <nlohmann/json.hpp>

namespace jarvis {

/// A matrix: an array of rows (arrays of numbers, all the same length) or a
/// flat array of numbers, read as one row. Refuses empty, ragged, non-finite
/// and larger than `max_elements` entries or `max_dim` rows/columns.
std::string parse_matrix(const nlohmann::json& value, const std::string& path,
                         uint64_t max_elements, uint64_t max_dim, Eigen::MatrixXd& out);

/// A non-empty flat array of finite numbers of at most `max_length` entries.
std::string parse_vector(const nlohmann::json& value, const std::string& path, uint64_t max_length,
                         std::vector<double>& out);

/// payload[field] as a string; `required` false leaves `out` alone when absent.
std::string read_string(const nlohmann::json& payload, const char* field, bool required,
                        std::string& out);
/// A JSON number as an unsigned integer: any number whose value is a whole
/// number in [0, 2^64), so 3, 3.0 and 3e0 alike (JSON has no integer type,
/// and the cache key writes them alike); nullopt for anything else.
std::optional<uint64_t> whole_number(const nlohmann::json& value);

/// payload[field] as an integer in [min, max]; absent leaves `out` alone.
std::string read_uint(const nlohmann::json& payload, const char* field, uint64_t min, uint64_t max,
                      uint64_t& out);
/// payload[field] as a finite number in [min, max]; absent leaves `out` alone.
std::string read_double(const nlohmann::json& payload, const char* field, double min, double max,
                        double& out);
/// payload[field] as a boolean; absent leaves `out` alone.
std::string read_bool(const nlohmann::json& payload, const char* field, bool& out);

/// Row-major JSON arrays of a matrix ([[...], ...]) and of a vector.
nlohmann::json matrix_to_json(const Eigen::MatrixXd& m);
nlohmann::json vector_to_json(const Eigen::VectorXd& v);

/// Lower-case hex of `bytes`; and its inverse, which fails on odd length or a
/// non-hex digit (message names `path`).
std::string to_hex(const uint8_t* bytes, size_t size);
std::string from_hex(std::string_view hex, const std::string& path, std::vector<uint8_t>& out);

}  // namespace jarvis
