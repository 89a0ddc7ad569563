// The tokens of an OpenQASM 2.0 source, each with its line and column, so
// every later error can say where it is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jarvis::quantum {

enum class TokenKind : uint8_t {
  kIdentifier,  ///< names and keywords (OPENQASM, qreg, gate, pi, sin, ...)
  kReal,        ///< 1.5, 2e-3, 3. (OpenQASM "real")
  kInteger,     ///< 0, 42 (OpenQASM "nninteger")
  kString,      ///< "qelib1.inc" (text holds what is between the quotes)
  kSymbol,      ///< ; , ( ) [ ] { } + - * / ^ -> ==
  kEnd,         ///< after the last token
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  uint32_t line = 1;    ///< 1-based
  uint32_t column = 1;  ///< 1-based, in bytes
};

/// The tokens of `source`, ending with one kEnd token; or, when `error` is
/// not empty, "line:column: why" for the first character that starts no token.
struct LexResult {
  std::vector<Token> tokens;
  std::string error;
};

/// Splits `source` into tokens, dropping whitespace and // and /* */ comments.
LexResult lex_qasm(std::string_view source);

/// How a token is shown in an error: 'h', "qelib1.inc", or "the end of the source".
std::string describe(const Token& token);

}  // namespace jarvis::quantum
