#!/usr/bin/env python3
"""Differential test of the OpenQASM front end and the state-vector simulator
against an independent reference written here with numpy.

It writes random OpenQASM 2.0 programs (every gate of the front end's
qelib1.inc, U and CX, user-defined gates with parameters, several registers,
register-wide calls, barriers, parameter expressions, terminal measurements,
parameter sweeps), runs each through the daemon's request path with the tool
qasm_state_tool (payload JSON per line on stdin, result JSON per line on
stdout, with "return_state" and "observables"), and compares the states and
Pauli expectation values with its own: this file parses the programs itself,
builds each gate's dense 2^n x 2^n unitary from its own matrix definitions
(Qiskit's standard gates, global phases included) and multiplies them in.

usage: qasm_reference.py QASM_STATE_TOOL [CASES] [SEED]
Exit 0: all agree to 1e-12; 1: a mismatch (printed with its program);
77: numpy is not installed (ctest counts the test as skipped).
"""
import cmath
import json
import math
import random
import re
import subprocess
import sys

try:
    import numpy as np
except ImportError:
    print("SKIPPED: numpy is not installed for", sys.executable, "(apt-get install python3-numpy)")
    sys.exit(77)

TOLERANCE = 1e-12

# --- the reference's own gate matrices -------------------------------------
# A k-qubit matrix's row index has the gate's first argument as its most
# significant bit (textbook order: cx a, b is [[I, 0], [0, X]]).

I2 = np.eye(2, dtype=complex)
X = np.array([[0, 1], [1, 0]], dtype=complex)
Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
Z = np.diag([1, -1]).astype(complex)
H = np.array([[1, 1], [1, -1]], dtype=complex) / math.sqrt(2)
S = np.diag([1, 1j])
T = np.diag([1, cmath.exp(1j * math.pi / 4)])
SX = np.array([[1 + 1j, 1 - 1j], [1 - 1j, 1 + 1j]]) / 2


def u3(theta, phi, lam):
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    return np.array([[c, -cmath.exp(1j * lam) * s],
                     [cmath.exp(1j * phi) * s, cmath.exp(1j * (phi + lam)) * c]])


def rx(t):
    return np.array([[math.cos(t / 2), -1j * math.sin(t / 2)],
                     [-1j * math.sin(t / 2), math.cos(t / 2)]])


def ry(t):
    return np.array([[math.cos(t / 2), -math.sin(t / 2)], [math.sin(t / 2), math.cos(t / 2)]],
                    dtype=complex)


def rz(t):
    return np.diag([cmath.exp(-0.5j * t), cmath.exp(0.5j * t)])


def phase(t):
    return np.diag([1, cmath.exp(1j * t)])


def controlled(m):
    k = m.shape[0]
    out = np.eye(2 * k, dtype=complex)
    out[k:, k:] = m
    return out


SWAP = np.eye(4, dtype=complex)[[0, 2, 1, 3]]


def rzz(t):
    return np.diag([cmath.exp(-0.5j * t), cmath.exp(0.5j * t), cmath.exp(0.5j * t),
                    cmath.exp(-0.5j * t)])


def rxx(t):
    c, s = math.cos(t / 2), -1j * math.sin(t / 2)
    return np.array([[c, 0, 0, s], [0, c, s, 0], [0, s, c, 0], [s, 0, 0, c]])


# name: (parameter count, qubit count, matrix from parameters)
GATES = {
    "U": (3, 1, lambda p: u3(*p)),
    "CX": (0, 2, lambda p: controlled(X)),
    "u3": (3, 1, lambda p: u3(*p)),
    "u": (3, 1, lambda p: u3(*p)),
    "u2": (2, 1, lambda p: u3(math.pi / 2, p[0], p[1])),
    "u1": (1, 1, lambda p: phase(p[0])),
    "p": (1, 1, lambda p: phase(p[0])),
    "u0": (1, 1, lambda p: I2),
    "id": (0, 1, lambda p: I2),
    "x": (0, 1, lambda p: X),
    "y": (0, 1, lambda p: Y),
    "z": (0, 1, lambda p: Z),
    "h": (0, 1, lambda p: H),
    "s": (0, 1, lambda p: S),
    "sdg": (0, 1, lambda p: S.conj().T),
    "t": (0, 1, lambda p: T),
    "tdg": (0, 1, lambda p: T.conj().T),
    "sx": (0, 1, lambda p: SX),
    "sxdg": (0, 1, lambda p: SX.conj().T),
    "rx": (1, 1, lambda p: rx(p[0])),
    "ry": (1, 1, lambda p: ry(p[0])),
    "rz": (1, 1, lambda p: rz(p[0])),
    "cx": (0, 2, lambda p: controlled(X)),
    "cz": (0, 2, lambda p: controlled(Z)),
    "cy": (0, 2, lambda p: controlled(Y)),
    "ch": (0, 2, lambda p: controlled(H)),
    "csx": (0, 2, lambda p: controlled(SX)),
    "swap": (0, 2, lambda p: SWAP),
    "crx": (1, 2, lambda p: controlled(rx(p[0]))),
    "cry": (1, 2, lambda p: controlled(ry(p[0]))),
    "crz": (1, 2, lambda p: controlled(rz(p[0]))),
    "cu1": (1, 2, lambda p: controlled(phase(p[0]))),
    "cp": (1, 2, lambda p: controlled(phase(p[0]))),
    "cu3": (3, 2, lambda p: controlled(u3(*p))),
    "cu": (4, 2, lambda p: controlled(cmath.exp(1j * p[3]) * u3(p[0], p[1], p[2]))),
    "rzz": (1, 2, lambda p: rzz(p[0])),
    "rxx": (1, 2, lambda p: rxx(p[0])),
    "ccx": (0, 3, lambda p: controlled(controlled(X))),
    "cswap": (0, 3, lambda p: controlled(SWAP)),
}


def embed(m, qubits, n):
    """The dense 2^n x 2^n unitary of matrix `m` on `qubits` (first = MSB of m)."""
    dim = 1 << n
    idx = np.arange(dim)
    k = len(qubits)
    sub = np.zeros(dim, dtype=np.int64)
    mask = 0
    for pos, q in enumerate(qubits):
        sub |= ((idx >> q) & 1) << (k - 1 - pos)
        mask |= 1 << q
    rest = idx & ~mask
    return np.where(rest[:, None] == rest[None, :], m[sub[:, None], sub[None, :]], 0)


# --- the reference's own reading of the programs ----------------------------

FUNCTIONS = {"pi": math.pi, "sin": math.sin, "cos": math.cos, "tan": math.tan,
             "exp": math.exp, "ln": math.log, "sqrt": math.sqrt}


def evaluate(expr, symbols):
    names = dict(FUNCTIONS)
    names.update(symbols)
    return float(eval(expr.replace("^", "**"), {"__builtins__": {}}, names))


def split_args(text):
    """Splits on commas outside parentheses."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


CALL = re.compile(r"^(\w+)\s*(?:\((.*)\))?\s+(.+)$", re.S)


def run_program(source, symbols):
    """The final state of `source` (terminal measurements left out) and its qubit count."""
    body = re.sub(r"//[^\n]*", "", source)
    regs, n, defs, calls = {}, 0, {}, []
    for m in re.finditer(r"gate\s+(\w+)\s*(?:\(([^)]*)\))?\s*([^{]*)\{([^}]*)\}", body):
        params = [p.strip() for p in (m.group(2) or "").split(",") if p.strip()]
        qargs = [q.strip() for q in m.group(3).split(",")]
        defs[m.group(1)] = (params, qargs, [s.strip() for s in m.group(4).split(";") if s.strip()])
    body = re.sub(r"gate\s+\w+[^{]*\{[^}]*\}", "", body)
    for stmt in (s.strip() for s in body.split(";")):
        if not stmt or stmt.startswith(("OPENQASM", "include", "creg", "barrier", "measure")):
            continue
        m = re.match(r"qreg\s+(\w+)\s*\[(\d+)\]$", stmt)
        if m:
            regs[m.group(1)] = (n, int(m.group(2)))
            n += int(m.group(2))
            continue
        calls.append(stmt)
    state = np.zeros(1 << n, dtype=complex)
    state[0] = 1

    def apply(name, params, qubits, env):
        nonlocal state
        if name in defs:
            dparams, dqargs, dbody = defs[name]
            inner = dict(symbols)
            inner.update(zip(dparams, params))
            where = dict(zip(dqargs, qubits))
            for s in dbody:
                m = CALL.match(s)
                if m.group(1) == "barrier":
                    continue
                ps = [evaluate(e, inner) for e in split_args(m.group(2) or "")]
                apply(m.group(1), ps, [where[a] for a in split_args(m.group(3))], inner)
            return
        count, arity, matrix = GATES[name]
        assert len(params) == count and len(qubits) == arity, (name, params, qubits)
        state = embed(matrix(params), qubits, n) @ state

    for stmt in calls:
        m = CALL.match(stmt)
        name = m.group(1)
        params = [evaluate(e, symbols) for e in split_args(m.group(2) or "")]
        operands = []
        for a in split_args(m.group(3)):
            r = re.match(r"(\w+)\s*(?:\[(\d+)\])?$", a)
            offset, size = regs[r.group(1)]
            operands.append([offset + int(r.group(2))] if r.group(2) else
                            list(range(offset, offset + size)))
        times = max(len(o) for o in operands)
        for k in range(times):
            apply(name, params, [o[0] if len(o) == 1 else o[k] for o in operands], symbols)
    return state, n


PAULI = {"I": I2, "X": X, "Y": Y, "Z": Z}


def expectation(state, text):
    op = np.array([[1]], dtype=complex)
    for letter in text:  # qubit n-1 first: the first factor is the most significant bit
        op = np.kron(op, PAULI[letter])
    return float(np.real(np.vdot(state, op @ state)))


# --- random programs --------------------------------------------------------

def random_expr(rng, names):
    atoms = [f"{rng.uniform(-3, 3):.6f}", "pi", f"pi/{rng.randint(1, 8)}"] + names
    a = rng.choice(atoms)
    form = rng.randrange(8)
    if form == 0:
        return f"-{a}"
    if form == 1:
        return f"{a}*{rng.uniform(-2, 2):.4f}+{rng.choice(atoms)}"
    if form == 2:
        return f"{rng.choice(['sin', 'cos', 'tan', 'exp', 'sqrt'])}({rng.uniform(0.1, 1.2):.5f})*{a}"
    if form == 3:
        return f"ln({rng.uniform(1.1, 5):.4f})-({a})/{rng.randint(2, 5)}"
    if form == 4:
        return f"{rng.uniform(0.5, 1.5):.4f}^2*{a}"
    return a


def random_call(rng, name, qubits, names):
    count = GATES[name][0]
    params = ",".join(random_expr(rng, names) for _ in range(count))
    return f"{name}({params}) {', '.join(qubits)}" if count else f"{name} {', '.join(qubits)}"


def random_program(rng, sweep_names=()):
    sizes = [rng.randint(1, 4) for _ in range(rng.randint(1, 3))]
    while sum(sizes) > 10:
        sizes.pop()
    n = sum(sizes)
    regs = [(f"r{i}", s) for i, s in enumerate(sizes)]
    usable = [g for g, (c, a, _) in GATES.items() if a <= n]
    lines = ["OPENQASM 2.0;", 'include "qelib1.inc";']
    lines += [f"qreg {name}[{size}];" for name, size in regs]
    lines.append(f"creg c[{n}];")
    # two user-defined gates, the second calling the first
    defs = []
    for d in range(2):
        params = [f"a{d}{k}" for k in range(rng.randint(0, 2))]
        qargs = [f"w{d}{k}" for k in range(rng.randint(1, min(3, n)))]
        body = []
        for _ in range(rng.randint(1, 4)):
            g = rng.choice([u for u in usable if GATES[u][1] <= len(qargs)] +
                           ([defs[0][0]] if d == 1 and defs[0][2] <= len(qargs) else []))
            arity = GATES[g][1] if g in GATES else defs[0][2]
            count = GATES[g][0] if g in GATES else len(defs[0][1])
            operands = rng.sample(qargs, arity)
            ps = ",".join(random_expr(rng, params + list(sweep_names)) for _ in range(count))
            body.append(f"{g}({ps}) {','.join(operands)};" if count else
                        f"{g} {','.join(operands)};")
        name = f"my{d}"
        head = f"gate {name}({','.join(params)}) " if params else f"gate {name} "
        lines.append(head + ",".join(qargs) + " { " + " ".join(body) + " }")
        defs.append((name, params, len(qargs)))
    flat = [f"{r}[{i}]" for r, s in regs for i in range(s)]
    for _ in range(rng.randint(5, 40)):
        pick = rng.randrange(10)
        if pick == 0:
            r, _ = rng.choice(regs)
            lines.append(f"barrier {r};")
            continue
        if pick == 1:  # a register-wide one-qubit gate
            r, _ = rng.choice(regs)
            g = rng.choice([u for u in usable if GATES[u][1] == 1])
            lines.append(random_call(rng, g, [r], list(sweep_names)) + ";")
            continue
        if pick == 2:
            name, params, arity = rng.choice(defs)
            if arity <= n:
                ps = ",".join(random_expr(rng, list(sweep_names)) for _ in params)
                qs = rng.sample(flat, arity)
                lines.append((f"{name}({ps}) " if params else f"{name} ") + ", ".join(qs) + ";")
            continue
        g = rng.choice(usable)
        lines.append(random_call(rng, g, rng.sample(flat, GATES[g][1]), list(sweep_names)) + ";")
    lines += [f"measure {flat[i]} -> c[{i}];" for i in range(n) if rng.random() < 0.5]
    return "\n".join(lines) + "\n", n


def random_paulis(rng, n, count):
    return ["".join(rng.choice("IXYZ") for _ in range(n)) for _ in range(count)]


def main():
    tool = sys.argv[1]
    cases = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 18)
    payloads, expected = [], []
    for case in range(cases):
        sweep = ("theta", "phi") if case % 4 == 3 else ()
        source, n = random_program(rng, sweep)
        paulis = random_paulis(rng, n, 3)
        payload = {"qasm": source, "shots": 4, "seed": case, "return_state": True,
                   "observables": paulis}
        bindings = [{}]
        if sweep:
            bindings = [{"theta": rng.uniform(-3, 3), "phi": rng.uniform(-3, 3)} for _ in range(3)]
            payload["parameters"] = list(sweep)
            payload["bindings"] = bindings
        payloads.append(payload)
        expected.append([run_program(source, b) for b in bindings])
    run = subprocess.run([tool], input="\n".join(json.dumps(p) for p in payloads) + "\n",
                         capture_output=True, text=True, check=True)
    answers = run.stdout.strip().split("\n")
    assert len(answers) == len(payloads), run.stdout + run.stderr
    worst, failures = 0.0, 0
    for payload, answer, refs in zip(payloads, answers, expected):
        got = json.loads(answer)
        if "error" in got:
            print("FAIL: refused:", got["error"], "\n" + payload["qasm"])
            failures += 1
            continue
        results = got["results"] if "bindings" in payload else [got]
        for result, (state, n) in zip(results, refs):
            ours = np.array([complex(re_, im_) for re_, im_ in result["state"]])
            diff = float(np.max(np.abs(ours - state)))
            for text, value in zip(payload["observables"], result["expectations"]):
                diff = max(diff, abs(value - expectation(state, text)))
            worst = max(worst, diff)
            if not diff <= TOLERANCE:
                failures += 1
                print(f"FAIL: differs by {diff:.3g} on {n} qubits\n" + payload["qasm"])
    runs = sum(len(r) for r in expected)
    print(f"{len(payloads)} programs, {runs} runs, up to 10 qubits: largest difference "
          f"{worst:.3g} (tolerance {TOLERANCE:g}), {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
