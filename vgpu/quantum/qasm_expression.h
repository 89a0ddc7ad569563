// Reading an OpenQASM 2.0 token stream: a cursor over the tokens, the syntax
// error it raises, and parameter expressions (pi, numbers, parameters,
// + - * / ^, unary -, sin cos tan exp ln sqrt) evaluated as they are read.
//
// Errors inside the recursive-descent parser are thrown as QasmSyntaxError
// and caught once, at parse_qasm() (qasm_parser.h), which turns them into a
// "line:column: what" value: every nesting level would otherwise have to
// pass an error up by hand. Nothing throws out of parse_qasm().
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "vgpu/quantum/qasm_lexer.h"

namespace jarvis::quantum {

/// Raised inside the QASM parser only; `where` is the token at fault.
struct QasmSyntaxError {
  Token where;
  std::string message;
};

/// A read position in a token vector that ends with a kEnd token.
class TokenCursor {
 public:
  TokenCursor(const std::vector<Token>& tokens, size_t pos) : tokens_(tokens), pos_(pos) {}

  const Token& peek() const { return tokens_[pos_]; }
  /// The current token, then moves past it (never past kEnd).
  const Token& take();
  /// Moves past the current token when it is `symbol_or_word`; says whether.
  bool accept(std::string_view symbol_or_word);
  /// Moves past `symbol`, else throws "expected <what>, got <token>".
  void expect(std::string_view symbol, std::string_view what);
  /// Takes an identifier, else throws "expected <what>, got <token>".
  const Token& expect_identifier(std::string_view what);
  /// Takes a non-negative integer below `limit`, else throws.
  uint64_t expect_integer(std::string_view what, uint64_t limit);
  size_t position() const { return pos_; }
  /// Continues at token index `pos` (after a gate body read elsewhere).
  void seek(size_t pos) { pos_ = pos; }

  [[noreturn]] static void fail(const Token& where, std::string message);

 private:
  const std::vector<Token>& tokens_;
  size_t pos_;
};

/// Names an expression may use (a gate's parameters, the request's sweep
/// parameters) and their values.
using Symbols = std::map<std::string, double, std::less<>>;

/// Reads one expression at `cursor` and returns its value. Nesting deeper
/// than kMaxExpressionDepth is refused. The value may be inf or nan
/// (1/0, ln(0)); the caller decides whether that is an error.
double parse_expression(TokenCursor& cursor, const Symbols& symbols);

constexpr unsigned kMaxExpressionDepth = 200;

}  // namespace jarvis::quantum
