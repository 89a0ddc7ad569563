#!/usr/bin/env python3
# A client of synthminer's vgpu API using only Debian's python3, numpy and
# requests (apt-get install python3-numpy python3-requests): it uploads a
# matrix as .npy, multiplies it by id, asks for a result as a tensor and
# reads it back as .npy, then runs an OpenQASM circuit with expectation
# values and the state vector (as JSON and as a .npy tensor). Every answer is checked against numpy; the
# exit status is 0 only when all agree.
#
#   examples/vgpu_client.py [--url http://127.0.0.1:4048] [--token TOKEN]
#
# The token may also come from SYNTHMINER_TOKEN. The demo daemon
# (--config examples/demo.json) takes requests from this machine without
# one while api.token is unset.
import argparse
import io
import os
import sys

import numpy as np
import requests


class VgpuClient:
    def __init__(self, url, token=None, timeout=60):
        self.url = url.rstrip("/")
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = "Bearer " + token
        self.timeout = timeout

    def _check(self, response):
        if response.status_code >= 400:
            try:
                reason = response.json().get("error", response.text)
            except ValueError:
                reason = response.text
            raise RuntimeError(f"{response.request.method} {response.url}: "
                               f"{response.status_code} {reason}")
        return response

    def upload(self, array):
        """Stores `array` (float64, float32 or complex128) and returns its id."""
        buffer = io.BytesIO()
        np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
        response = self._check(self.session.post(
            self.url + "/1/vgpu/tensors", data=buffer.getvalue(),
            headers={"Content-Type": "application/octet-stream"}, timeout=self.timeout))
        return response.json()["id"]

    def download(self, tensor_id):
        response = self._check(self.session.get(
            self.url + "/1/vgpu/tensors/" + tensor_id, timeout=self.timeout))
        return np.load(io.BytesIO(response.content), allow_pickle=False)

    def delete(self, tensor_id):
        self._check(self.session.delete(self.url + "/1/vgpu/tensors/" + tensor_id,
                                        timeout=self.timeout))

    def submit(self, kind, payload, signature="vgpu_client"):
        """Runs one workload and returns the answer's "result" object."""
        response = self._check(self.session.post(
            self.url + "/1/vgpu/submit",
            json={"kind": kind, "signature": signature, "payload": payload},
            timeout=self.timeout))
        answer = response.json()
        if not answer.get("ok", False):
            raise RuntimeError(f"{kind}: {answer.get('error', answer)}")
        return answer["result"]


GHZ_WITH_ROTATION = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[3];
h q[0];
cx q[0], q[1];
cx q[1], q[2];
ry(pi/3) q[2];
measure q -> c;
"""


def ghz_with_rotation_state():
    """The state of GHZ_WITH_ROTATION before measurement, from dense matrices."""
    h = np.array([[1, 1], [1, -1]]) / np.sqrt(2)
    c, s = np.cos(np.pi / 6), np.sin(np.pi / 6)
    ry = np.array([[c, -s], [s, c]])
    eye = np.eye(2)

    def on(gate, qubit):  # qubit 0 is the least significant index bit
        ops = [gate if q == qubit else eye for q in (2, 1, 0)]
        return np.kron(np.kron(ops[0], ops[1]), ops[2])

    def cx(control, target):
        m = np.zeros((8, 8))
        for i in range(8):
            j = i ^ (1 << target) if (i >> control) & 1 else i
            m[j, i] = 1
        return m

    psi = np.zeros(8, dtype=complex)
    psi[0] = 1
    for u in (on(h, 0), cx(0, 1), cx(1, 2), on(ry, 2)):
        psi = u @ psi
    return psi


def pauli_expectation(psi, text):
    """<psi|P|psi> for a Pauli string written qubit n-1 first."""
    mats = {"I": np.eye(2), "X": np.array([[0, 1], [1, 0]]),
            "Y": np.array([[0, -1j], [1j, 0]]), "Z": np.diag([1, -1])}
    p = np.array([[1]])
    for letter in text:
        p = np.kron(p, mats[letter])
    return float(np.real(np.conj(psi) @ p @ psi))


def agree(name, got, want, tolerance):
    error = float(np.max(np.abs(np.asarray(got) - np.asarray(want))))
    verdict = "ok" if error <= tolerance else "MISMATCH"
    print(f"{name}: max error {error:.3g} ({verdict})")
    return error <= tolerance


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:4048")
    parser.add_argument("--token", default=os.environ.get("SYNTHMINER_TOKEN"))
    parser.add_argument("--size", type=int, default=512, help="the matrix is size x size")
    args = parser.parse_args()
    client = VgpuClient(args.url, args.token)
    rng = np.random.default_rng(2026)
    ok = True

    a = rng.standard_normal((args.size, args.size))
    x = rng.standard_normal(args.size)
    a_id = client.upload(a)
    x_id = client.upload(x)
    print(f"uploaded A {a.shape} as {a_id}, x as {x_id}")

    result = client.submit("linalg", {"operation": "matvec", "matrix": {"tensor": a_id},
                                      "vector": {"tensor": x_id}, "compress": False})
    ok &= agree("A x by id, JSON result", result["value"], a @ x, 1e-9 * np.abs(a).sum())

    result = client.submit("linalg", {"operation": "matvec", "matrix": {"tensor": a_id},
                                      "vector": {"tensor": x_id}, "compress": False,
                                      "output": "tensor"})
    y = client.download(result["tensor"]["id"])
    ok &= agree("A x by id, result as .npy", y.reshape(-1), a @ x, 1e-9 * np.abs(a).sum())
    for tensor_id in (a_id, x_id, result["tensor"]["id"]):
        client.delete(tensor_id)

    psi = ghz_with_rotation_state()
    observables = ["ZZI", "IZZ", "XXX"]
    result = client.submit("quantum", {"qasm": GHZ_WITH_ROTATION, "shots": 2000, "seed": 7,
                                       "observables": observables, "return_state": True})
    print(f"counts over {result['shots']} shots: {result['counts']}")
    ok &= agree("expectations " + " ".join(observables), result["expectations"],
                [pauli_expectation(psi, p) for p in observables], 1e-12)
    state = np.array([complex(re, im) for re, im in result["state"]])
    ok &= agree("state vector", state, psi, 1e-12)
    probabilities = np.abs(psi) ** 2
    counted = np.zeros(8)
    for bits, n in result["counts"].items():
        counted[int(bits, 2)] = n / result["shots"]
    # 2000 shots: each frequency within 5 standard deviations (<= 0.056).
    ok &= agree("measured frequencies", counted, probabilities, 0.056)
    # measure q -> c: the classical bits (clbit_counts, Qiskit's keys) read
    # the qubits one to one.
    same_bits = result.get("clbit_counts") == result["counts"]
    print(f"counts by classical bits: {'ok' if same_bits else 'MISMATCH'}")
    ok &= same_bits

    # The same state as a stored complex128 tensor, read back as .npy.
    stored = client.submit("quantum", {"qasm": GHZ_WITH_ROTATION, "shots": 0,
                                       "return_state": True, "output": "tensor"})
    state = client.download(stored["tensor"]["id"])
    client.delete(stored["tensor"]["id"])
    ok &= state.dtype == np.complex128 and state.shape == (8,)
    ok &= agree("state vector as .npy", state, psi, 1e-12)

    print("all answers agree with numpy" if ok else "some answers DISAGREE with numpy")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, requests.RequestException) as error:
        print(f"vgpu_client: {error}", file=sys.stderr)
        sys.exit(2)
