#include "vgpu/quantum/qasm_expression.h"

#include <cmath>
#include <cstdlib>
#include <numbers>

namespace jarvis::quantum {

const Token& TokenCursor::take() {
  const Token& t = tokens_[pos_];
  if (t.kind != TokenKind::kEnd) ++pos_;
  return t;
}

bool TokenCursor::accept(std::string_view symbol_or_word) {
  const Token& t = peek();
  if ((t.kind == TokenKind::kSymbol || t.kind == TokenKind::kIdentifier) &&
      t.text == symbol_or_word) {
    ++pos_;
    return true;
  }
  return false;
}

void TokenCursor::expect(std::string_view symbol, std::string_view what) {
  if (!accept(symbol)) fail(peek(), "expected " + std::string(what) + ", got " + describe(peek()));
}

const Token& TokenCursor::expect_identifier(std::string_view what) {
  if (peek().kind != TokenKind::kIdentifier) {
    fail(peek(), "expected " + std::string(what) + ", got " + describe(peek()));
  }
  return take();
}

uint64_t TokenCursor::expect_integer(std::string_view what, uint64_t limit) {
  const Token& t = peek();
  if (t.kind != TokenKind::kInteger) {
    fail(t, "expected " + std::string(what) + " (a non-negative integer), got " + describe(t));
  }
  // Digits only, so the only failure left is size.
  if (t.text.size() > 18 || std::strtoull(t.text.c_str(), nullptr, 10) >= limit) {
    fail(t, std::string(what) + " " + describe(t) + " is too large (limit " +
                std::to_string(limit - 1) + ")");
  }
  take();
  return std::strtoull(t.text.c_str(), nullptr, 10);
}

void TokenCursor::fail(const Token& where, std::string message) {
  throw QasmSyntaxError{where, std::move(message)};
}

namespace {

class ExpressionReader {
 public:
  ExpressionReader(TokenCursor& cursor, const Symbols& symbols)
      : cursor_(cursor), symbols_(symbols) {}

  // expr := term (('+' | '-') term)*
  double expression() {
    const Token& start = cursor_.peek();
    if (++depth_ > kMaxExpressionDepth) {
      TokenCursor::fail(start, "expression nested deeper than " +
                                   std::to_string(kMaxExpressionDepth) + " levels");
    }
    double value = term();
    for (;;) {
      if (cursor_.accept("+")) {
        value += term();
      } else if (cursor_.accept("-")) {
        value -= term();
      } else {
        break;
      }
    }
    --depth_;
    return value;
  }

 private:
  // term := unary (('*' | '/') unary)*
  double term() {
    double value = unary();
    for (;;) {
      if (cursor_.accept("*")) {
        value *= unary();
      } else if (cursor_.accept("/")) {
        value /= unary();
      } else {
        return value;
      }
    }
  }

  // unary := ('-' | '+') unary | power; so -2^2 is -(2^2).
  double unary() {
    if (cursor_.accept("-")) return -nested([this] { return unary(); });
    if (cursor_.accept("+")) return nested([this] { return unary(); });
    return power();
  }

  // power := primary ('^' unary)?, right-associative.
  double power() {
    const double base = primary();
    if (cursor_.accept("^")) return std::pow(base, nested([this] { return unary(); }));
    return base;
  }

  double primary() {
    const Token& t = cursor_.peek();
    if (t.kind == TokenKind::kInteger || t.kind == TokenKind::kReal) {
      cursor_.take();
      return std::strtod(t.text.c_str(), nullptr);
    }
    if (cursor_.accept("(")) {
      const double value = expression();
      cursor_.expect(")", "')' to close the '(' of an expression");
      return value;
    }
    if (t.kind != TokenKind::kIdentifier) {
      TokenCursor::fail(
          t,
          "expected an expression (a number, pi, a parameter or a function), got " + describe(t));
    }
    cursor_.take();
    if (t.text == "pi") return std::numbers::pi;
    if (double (*f)(double) = function(t.text); f != nullptr) {
      cursor_.expect("(", "'(' after the function " + describe(t));
      const double arg = expression();
      cursor_.expect(")", "')' to close the argument of " + describe(t));
      return f(arg);
    }
    auto it = symbols_.find(t.text);
    if (it == symbols_.end()) {
      TokenCursor::fail(t, "unknown name " + describe(t) +
                               " in an expression (not pi, a function or a parameter here)");
    }
    return it->second;
  }

  static double (*function(const std::string& name))(double) {
    if (name == "sin") return [](double x) { return std::sin(x); };
    if (name == "cos") return [](double x) { return std::cos(x); };
    if (name == "tan") return [](double x) { return std::tan(x); };
    if (name == "exp") return [](double x) { return std::exp(x); };
    if (name == "ln") return [](double x) { return std::log(x); };
    if (name == "sqrt") return [](double x) { return std::sqrt(x); };
    return nullptr;
  }

  // Unary chains ("- - - x") recurse without passing through expression().
  template <typename F>
  double nested(F read) {
    if (++depth_ > kMaxExpressionDepth) {
      TokenCursor::fail(cursor_.peek(), "expression nested deeper than " +
                                            std::to_string(kMaxExpressionDepth) + " levels");
    }
    const double value = read();
    --depth_;
    return value;
  }

  TokenCursor& cursor_;
  const Symbols& symbols_;
  unsigned depth_ = 0;
};

}  // namespace

double parse_expression(TokenCursor& cursor, const Symbols& symbols) {
  return ExpressionReader(cursor, symbols).expression();
}

}  // namespace jarvis::quantum
