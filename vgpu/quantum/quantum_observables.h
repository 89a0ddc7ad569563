// Pauli-string observables and their exact expectation values on a state.
// A Pauli string is written like a bitstring of the result: one letter of
// I, X, Y, Z per qubit, qubit n-1 first ("ZZI" on 3 qubits is Z on qubits
// 2 and 1, identity on qubit 0), so it lines up with the "counts" keys.
#pragma once

#include <cstdint>
#include <string>

#include "vgpu/quantum/quantum_state.h"

namespace jarvis::quantum {

/// P = (x_mask: X or Y) and (z_mask: Z or Y) per qubit bit; Y is both.
struct PauliString {
  std::string text;  ///< as given, e.g. "XIZ"
  uint64_t x_mask = 0;
  uint64_t z_mask = 0;
};

/// Parses `text` for a register of `qubits` qubits into `out`. Empty on
/// success, else why (length, or the first letter not in IXYZ with its place).
std::string parse_pauli(const std::string& text, unsigned qubits, PauliString& out);

/// <psi|P|psi> / <psi|psi> for the (possibly unnormalised) `state`, exact up to
/// rounding: one pass over the amplitudes, 2^n terms. Returns the FLOPs
/// executed in `flops` when not null.
double expectation(const StateVector& state, const PauliString& pauli, uint64_t* flops = nullptr);

/// The same value by the plain loop, one term per amplitude: the reference
/// the tests hold expectation() to.
double expectation_reference(const StateVector& state, const PauliString& pauli);

}  // namespace jarvis::quantum
