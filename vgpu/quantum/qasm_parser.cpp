#include "vgpu/quantum/qasm_parser.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <span>

#include "vgpu/quantum/qasm_gates.h"

namespace jarvis::quantum {
namespace {

struct Register {
  uint32_t offset = 0;  ///< first qubit (qregs) or bit (cregs)
  uint32_t size = 0;
  bool quantum = true;
};

struct GateDef {
  std::vector<std::string> params;
  std::vector<std::string> qargs;
  size_t body = 0;  ///< token index just after the body's '{'
};

// What a call names: a built-in gate or a user definition.
struct Callee {
  const QasmBuiltin* builtin = nullptr;
  const GateDef* def = nullptr;
  size_t params() const { return builtin != nullptr ? builtin->params : def->params.size(); }
  size_t qubits() const { return builtin != nullptr ? builtin->qubits : def->qargs.size(); }
};

// One operand of a top-level statement: a whole register or one element.
struct Operand {
  const Token* name = nullptr;
  const Register* reg = nullptr;
  std::optional<uint32_t> index;
  uint32_t at(uint32_t k) const { return reg->offset + (index ? *index : k); }
  std::string element(uint32_t k) const {
    return name->text + "[" + std::to_string(index ? *index : k) + "]";
  }
};

class QasmParser {
 public:
  QasmParser(const std::vector<Token>& tokens, const Symbols& parameters,
             const QuantumOptions& options, Precision precision)
      : tokens_(tokens),
        cursor_(tokens, 0),
        parameters_(parameters),
        options_(options),
        precision_(precision) {}

  // Throws QasmSyntaxError.
  void run(QasmProgram& out) {
    header();
    while (cursor_.peek().kind != TokenKind::kEnd) statement();
    if (qubits_ == 0) TokenCursor::fail(cursor_.peek(), "the program declares no qreg");
    out.qubits = qubits_;
    out.gates = std::move(gates_);
    out.cregs = std::move(cregs_);
  }

 private:
  void header() {
    const Token& start = cursor_.peek();
    if (!cursor_.accept("OPENQASM")) {
      TokenCursor::fail(start, "expected the header 'OPENQASM 2.0;', got " + describe(start));
    }
    const Token& version = cursor_.take();
    if ((version.kind != TokenKind::kReal && version.kind != TokenKind::kInteger) ||
        std::strtod(version.text.c_str(), nullptr) != 2.0) {
      TokenCursor::fail(version,
                        "only OpenQASM 2.0 is supported, got version " + describe(version));
    }
    cursor_.expect(";", "';' after the header");
  }

  void statement() {
    const Token& t = cursor_.peek();
    if (t.kind != TokenKind::kIdentifier) {
      TokenCursor::fail(t,
                        "expected a statement (qreg, creg, gate, measure, barrier or a gate "
                        "call), got " +
                            describe(t));
    }
    if (t.text == "include") return include();
    if (t.text == "qreg" || t.text == "creg") return declare_register();
    if (t.text == "gate") return define_gate();
    if (t.text == "measure") return measure();
    if (t.text == "barrier") return barrier();
    if (t.text == "reset") {
      TokenCursor::fail(t,
                        "'reset' is not supported (this simulator keeps a pure state per "
                        "measurement history and has no reset)");
    }
    if (t.text == "if")
      TokenCursor::fail(t, "'if' (classically controlled gates) is not supported");
    if (t.text == "opaque") TokenCursor::fail(t, "'opaque' gates are not supported");
    if (t.text == "OPENQASM") TokenCursor::fail(t, "a second 'OPENQASM' header");
    top_level_call();
  }

  void include() {
    cursor_.take();
    const Token& file = cursor_.peek();
    if (file.kind != TokenKind::kString) {
      TokenCursor::fail(file,
                        "expected a file name in quotes after 'include', got " + describe(file));
    }
    if (file.text != "qelib1.inc") {
      TokenCursor::fail(file,
                        "only \"qelib1.inc\" can be included (built in), got " + describe(file));
    }
    cursor_.take();
    cursor_.expect(";", "';' after the include");
    qelib_ = true;
  }

  void declare_register() {
    const bool quantum = cursor_.take().text == "qreg";
    const Token& name = cursor_.expect_identifier("a register name");
    if (registers_.count(name.text) != 0) {
      TokenCursor::fail(name, "the register " + describe(name) + " is already declared");
    }
    cursor_.expect("[", "'[' and the register's size");
    const Token& size_token = cursor_.peek();
    const uint64_t size = cursor_.expect_integer("the register size", uint64_t{1} << 32);
    if (size == 0) TokenCursor::fail(size_token, "a register needs at least one bit");
    cursor_.expect("]", "']' after the register size");
    cursor_.expect(";", "';' after the register");
    Register reg;
    reg.quantum = quantum;
    reg.size = static_cast<uint32_t>(size);
    uint32_t& next = quantum ? qubits_ : clbits_;
    if (quantum) {
      if (std::string e = check_qubits(uint64_t{qubits_} + size, options_, precision_);
          !e.empty()) {
        TokenCursor::fail(size_token, e);
      }
    } else if (uint64_t{clbits_} + size > (uint64_t{1} << 20)) {
      TokenCursor::fail(size_token, "more than 2^20 classical bits");
    }
    reg.offset = next;
    next += reg.size;
    registers_.emplace(name.text, reg);
    if (!quantum) cregs_.push_back({name.text, reg.size});
  }

  // A definition may replace a qelib1.inc gate (exporters write their own
  // rzz or sx beside the include), but not U, CX or an earlier definition.
  void check_new_gate(const Token& name) const {
    const QasmBuiltin* b = find_qasm_builtin(name.text);
    if (defs_.count(name.text) != 0 || (b != nullptr && !b->from_qelib)) {
      TokenCursor::fail(name, "the gate " + describe(name) + " is already defined");
    }
  }

  const QasmBuiltin* builtin(const std::string& name) const {
    const QasmBuiltin* b = find_qasm_builtin(name);
    return b != nullptr && (!b->from_qelib || qelib_) ? b : nullptr;
  }

  Callee find_callee(const Token& name) const {
    Callee c;
    if (auto it = defs_.find(name.text); it != defs_.end()) {
      c.def = &it->second;
    } else {
      c.builtin = builtin(name.text);
    }
    if (c.builtin == nullptr && c.def == nullptr) {
      const QasmBuiltin* lib = find_qasm_builtin(name.text);
      TokenCursor::fail(
          name, lib != nullptr ? "gate " + describe(name) +
                                     " comes from qelib1.inc: add 'include \"qelib1.inc\";'"
                               : "unknown gate " + describe(name) +
                                     " (not defined; qelib1.inc has " + qelib_gate_names() + ")");
    }
    return c;
  }

  // gate name ( params ) qargs { body }
  void define_gate() {
    cursor_.take();
    const Token& name = cursor_.expect_identifier("a gate name");
    check_new_gate(name);
    GateDef def;
    if (cursor_.accept("(") && !cursor_.accept(")")) {
      do {
        def.params.push_back(unique_in(def.params, cursor_.expect_identifier("a parameter name")));
      } while (cursor_.accept(","));
      cursor_.expect(")", "',' or ')' in the parameter list");
    }
    do {
      def.qargs.push_back(unique_in(def.qargs, cursor_.expect_identifier("a qubit argument name")));
    } while (cursor_.accept(","));
    cursor_.expect("{", "',' or '{' to start the gate body");
    def.body = cursor_.position();
    // Check the body once now, so its errors show at definition and a
    // later call cannot fail in the body; the angles' values do not matter.
    std::vector<double> params(def.params.size(), 0.5);
    std::vector<uint32_t> qubits(def.qargs.size());
    for (uint32_t k = 0; k < qubits.size(); ++k) qubits[k] = k;
    const uint64_t before = calls_;
    const size_t end = expand_body(def, params, qubits, 1, /*dry=*/true);
    calls_ = before;
    cursor_.seek(end);
    defs_.emplace(name.text, std::move(def));
  }

  static std::string unique_in(const std::vector<std::string>& names, const Token& t) {
    if (std::find(names.begin(), names.end(), t.text) != names.end()) {
      TokenCursor::fail(t, describe(t) + " is named twice in this gate's arguments");
    }
    return t.text;
  }

  // Runs a gate body from def.body to its '}', on `qubits` with `params`;
  // returns the token index after the '}'.
  size_t expand_body(const GateDef& def, std::span<const double> params,
                     std::span<const uint32_t> qubits, unsigned depth, bool dry) {
    Symbols symbols = parameters_;
    for (size_t k = 0; k < params.size(); ++k) symbols[def.params[k]] = params[k];
    TokenCursor body(tokens_, def.body);
    while (!body.accept("}")) {
      const Token& name = body.peek();
      if (name.kind != TokenKind::kIdentifier) {
        TokenCursor::fail(
            name, "expected a gate call, 'barrier' or '}' in the gate body, got " + describe(name));
      }
      body.take();
      if (name.text == "measure" || name.text == "reset" || name.text == "if" ||
          name.text == "gate" || name.text == "qreg" || name.text == "creg") {
        TokenCursor::fail(name,
                          "a gate body holds only gate calls and 'barrier', got " + describe(name));
      }
      const bool is_barrier = name.text == "barrier";
      const Callee callee = is_barrier ? Callee{} : find_callee(name);
      const std::vector<double> values =
          is_barrier ? std::vector<double>{} : read_params(body, callee, name, symbols);
      std::vector<uint32_t> args;
      do {
        const Token& arg = body.expect_identifier("a qubit argument of the gate");
        auto it = std::find(def.qargs.begin(), def.qargs.end(), arg.text);
        if (it == def.qargs.end()) {
          TokenCursor::fail(arg, describe(arg) + " is not a qubit argument of this gate");
        }
        args.push_back(qubits[static_cast<size_t>(it - def.qargs.begin())]);
      } while (body.accept(","));
      body.expect(";", "',' or ';' after the arguments");
      if (is_barrier) continue;
      check_arity(name, callee, args.size());
      for (size_t i = 0; i < args.size(); ++i) {
        for (size_t k = 0; k < i; ++k) {
          if (args[i] == args[k]) {
            TokenCursor::fail(name,
                              "a qubit argument is used twice in this call to " + describe(name));
          }
        }
      }
      call(name, callee, values, args, depth, dry);
    }
    return body.position();
  }

  std::vector<double> read_params(TokenCursor& at, const Callee& callee, const Token& name,
                                  const Symbols& symbols) const {
    std::vector<double> values;
    if (at.accept("(") && !at.accept(")")) {
      do {
        values.push_back(parse_expression(at, symbols));
      } while (at.accept(","));
      at.expect(")", "',' or ')' in the parameter list");
    }
    if (values.size() != callee.params()) {
      TokenCursor::fail(name, "gate " + describe(name) + " takes " +
                                  std::to_string(callee.params()) + " parameter(s), got " +
                                  std::to_string(values.size()));
    }
    return values;
  }

  static void check_arity(const Token& name, const Callee& callee, size_t args) {
    if (args != callee.qubits()) {
      TokenCursor::fail(name, "gate " + describe(name) + " acts on " +
                                  std::to_string(callee.qubits()) + " qubit(s), got " +
                                  std::to_string(args));
    }
  }

  // One application of a gate on distinct qubits.
  void call(const Token& name, const Callee& callee, std::span<const double> params,
            std::span<const uint32_t> qubits, unsigned depth, bool dry) {
    if (++calls_ > options_.max_gates) {
      TokenCursor::fail(name, "the program expands to more than " +
                                  std::to_string(options_.max_gates) +
                                  " gate applications (the limit)");
    }
    if (!dry) {
      for (double p : params) {
        if (!std::isfinite(p)) {
          TokenCursor::fail(name, "a parameter of " + describe(name) + " is not finite");
        }
      }
    }
    if (callee.def != nullptr) {
      if (depth >= kMaxGateNesting) {
        TokenCursor::fail(
            name, "gate calls nest deeper than " + std::to_string(kMaxGateNesting) + " levels");
      }
      expand_body(*callee.def, params, qubits, depth + 1, dry);
    } else if (!dry) {
      callee.builtin->emit(params, qubits, gates_);
    }
  }

  Operand operand(bool quantum) {
    Operand op;
    op.name = &cursor_.expect_identifier(quantum ? "a qubit or qreg" : "a bit or creg");
    auto it = registers_.find(op.name->text);
    if (it == registers_.end() || it->second.quantum != quantum) {
      TokenCursor::fail(*op.name, describe(*op.name) + " is not a " + (quantum ? "qreg" : "creg") +
                                      " declared before");
    }
    op.reg = &it->second;
    if (cursor_.accept("[")) {
      const Token& index = cursor_.peek();
      const uint64_t i = cursor_.expect_integer("an index", uint64_t{1} << 32);
      if (i >= op.reg->size) {
        TokenCursor::fail(index, "index " + std::to_string(i) + " is out of range for " +
                                     describe(*op.name) + " of size " +
                                     std::to_string(op.reg->size));
      }
      op.index = static_cast<uint32_t>(i);
      cursor_.expect("]", "']' after the index");
    }
    return op;
  }

  // The number of applications a statement over `ops` makes: 1, or the
  // common size of the whole registers it names.
  static uint32_t broadcast(const Token& at, const std::vector<Operand>& ops) {
    std::optional<uint32_t> size;
    for (const Operand& op : ops) {
      if (op.index) continue;
      if (size && *size != op.reg->size) {
        TokenCursor::fail(*op.name, "registers of different sizes (" + std::to_string(*size) +
                                        " and " + std::to_string(op.reg->size) +
                                        ") in one statement at " + describe(at));
      }
      size = op.reg->size;
    }
    return size.value_or(1);
  }

  void top_level_call() {
    const Token& name = cursor_.take();
    const Callee callee = find_callee(name);
    const std::vector<double> values = read_params(cursor_, callee, name, parameters_);
    std::vector<Operand> ops;
    do {
      ops.push_back(operand(true));
    } while (cursor_.accept(","));
    cursor_.expect(";", "',' or ';' after the qubits");
    check_arity(name, callee, ops.size());
    const uint32_t times = broadcast(name, ops);
    std::vector<uint32_t> qubits(ops.size());
    for (uint32_t k = 0; k < times; ++k) {
      for (size_t i = 0; i < ops.size(); ++i) {
        qubits[i] = ops[i].at(k);
        for (size_t j = 0; j < i; ++j) {
          if (qubits[j] == qubits[i]) {
            TokenCursor::fail(*ops[i].name, "qubit " + ops[i].element(k) +
                                                " is used twice in this call to " + describe(name));
          }
        }
      }
      call(name, callee, values, qubits, 0, /*dry=*/false);
    }
  }

  void measure() {
    const Token& keyword = cursor_.take();
    std::vector<Operand> ops;
    ops.push_back(operand(true));
    cursor_.expect("->", "'->' and the bit that receives the outcome");
    ops.push_back(operand(false));
    cursor_.expect(";", "';' after the measure");
    if (ops[0].index.has_value() != ops[1].index.has_value()) {
      TokenCursor::fail(*ops[1].name, "measure takes a qubit to a bit or a qreg to a creg");
    }
    const uint32_t times = broadcast(keyword, ops);
    for (uint32_t k = 0; k < times; ++k) {
      if (++calls_ > options_.max_gates) {
        TokenCursor::fail(keyword, "the program expands to more than " +
                                       std::to_string(options_.max_gates) +
                                       " gate applications (the limit)");
      }
      Gate g;
      g.kind = GateKind::kMeasure;
      g.q[0] = ops[0].at(k);
      g.clbit = ops[1].at(k);
      gates_.push_back(g);
    }
  }

  void barrier() {
    cursor_.take();
    do {
      operand(true);
    } while (cursor_.accept(","));
    cursor_.expect(";", "',' or ';' after the barrier's qubits");
  }

  const std::vector<Token>& tokens_;
  TokenCursor cursor_;
  const Symbols& parameters_;
  const QuantumOptions& options_;
  Precision precision_;
  std::map<std::string, Register, std::less<>> registers_;
  std::vector<ClassicalRegister> cregs_;
  std::map<std::string, GateDef, std::less<>> defs_;
  bool qelib_ = false;
  uint32_t qubits_ = 0;
  uint32_t clbits_ = 0;
  uint64_t calls_ = 0;
  std::vector<Gate> gates_;
};

}  // namespace

QasmProgram parse_qasm(std::string_view source, const Symbols& parameters,
                       const QuantumOptions& options, Precision precision) {
  QasmProgram out;
  if (source.size() > kMaxQasmBytes) {
    out.error = "qasm: the source is " + std::to_string(source.size()) + " bytes, the limit is " +
                std::to_string(kMaxQasmBytes);
    return out;
  }
  LexResult lexed = lex_qasm(source);
  if (!lexed.error.empty()) {
    out.error = "qasm: " + lexed.error;
    return out;
  }
  try {
    QasmParser(lexed.tokens, parameters, options, precision).run(out);
  } catch (const QasmSyntaxError& e) {
    out = QasmProgram{};
    out.error = "qasm: " + std::to_string(e.where.line) + ":" + std::to_string(e.where.column) +
                ": " + e.message;
  }
  return out;
}

}  // namespace jarvis::quantum
