#include "vgpu/quantum/qasm_lexer.h"

#include <cctype>

namespace jarvis::quantum {
namespace {

bool is_ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}
bool is_ident_char(char c) {
  return is_ident_start(c) || std::isdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

class Lexer {
 public:
  explicit Lexer(std::string_view source) : src_(source) {}

  LexResult run() {
    LexResult out;
    for (;;) {
      skip_space_and_comments(out.error);
      if (!out.error.empty()) return out;
      Token t;
      t.line = line_;
      t.column = column_;
      if (pos_ >= src_.size()) {
        out.tokens.push_back(t);
        return out;
      }
      if (std::string e = next(t); !e.empty()) {
        out.error = std::to_string(t.line) + ":" + std::to_string(t.column) + ": " + e;
        return out;
      }
      out.tokens.push_back(std::move(t));
    }
  }

 private:
  char peek(size_t ahead = 0) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
  }

  void advance() {
    if (src_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }

  void skip_space_and_comments(std::string& error) {
    while (pos_ < src_.size()) {
      const char c = peek();
      if (std::isspace(static_cast<unsigned char>(c)) != 0) {
        advance();
      } else if (c == '/' && peek(1) == '/') {
        while (pos_ < src_.size() && peek() != '\n') advance();
      } else if (c == '/' && peek(1) == '*') {
        const uint32_t line = line_, column = column_;
        advance();
        advance();
        while (pos_ < src_.size() && !(peek() == '*' && peek(1) == '/')) advance();
        if (pos_ >= src_.size()) {
          error = std::to_string(line) + ":" + std::to_string(column) +
                  ": a /* comment is never closed";
          return;
        }
        advance();
        advance();
      } else {
        return;
      }
    }
  }

  // Reads one token into `t` (whose position is set); an error otherwise.
  std::string next(Token& t) {
    const char c = peek();
    if (is_ident_start(c)) {
      t.kind = TokenKind::kIdentifier;
      while (pos_ < src_.size() && is_ident_char(peek())) take(t);
      return {};
    }
    if (is_digit(c) || (c == '.' && is_digit(peek(1)))) return number(t);
    if (c == '"') {
      t.kind = TokenKind::kString;
      advance();
      while (pos_ < src_.size() && peek() != '"' && peek() != '\n') take(t);
      if (peek() != '"') return "a string is not closed on its line";
      advance();
      return {};
    }
    t.kind = TokenKind::kSymbol;
    if ((c == '-' && peek(1) == '>') || (c == '=' && peek(1) == '=')) {
      take(t);
      take(t);
      return {};
    }
    static constexpr std::string_view kSingle = ";,()[]{}+-*/^";
    if (kSingle.find(c) != std::string_view::npos) {
      take(t);
      return {};
    }
    if (std::isprint(static_cast<unsigned char>(c)) != 0) {
      return std::string("unexpected character '") + c + "'";
    }
    return "unexpected byte " + std::to_string(static_cast<unsigned char>(c));
  }

  std::string number(Token& t) {
    t.kind = TokenKind::kInteger;
    while (is_digit(peek())) take(t);
    if (peek() == '.') {
      t.kind = TokenKind::kReal;
      take(t);
      while (is_digit(peek())) take(t);
    }
    if (peek() == 'e' || peek() == 'E') {
      const size_t sign = (peek(1) == '+' || peek(1) == '-') ? 1 : 0;
      if (!is_digit(peek(1 + sign))) return "a number's exponent has no digits";
      t.kind = TokenKind::kReal;
      take(t);
      if (sign != 0) take(t);
      while (is_digit(peek())) take(t);
    }
    if (is_ident_start(peek())) return "a number runs into a name ('" + t.text + peek() + "')";
    return {};
  }

  void take(Token& t) {
    t.text += peek();
    advance();
  }

  std::string_view src_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t column_ = 1;
};

}  // namespace

LexResult lex_qasm(std::string_view source) {
  return Lexer(source).run();
}

std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEnd:
      return "the end of the source";
    case TokenKind::kString:
      return "\"" + token.text + "\"";
    default:
      return "'" + (token.text.size() > 32 ? token.text.substr(0, 29) + "..." : token.text) + "'";
  }
}

}  // namespace jarvis::quantum
