#!/usr/bin/env python3
"""Writes template_regtest_segwit.json: a getblocktemplate result
synthesized, not recorded from a node. Its transactions are well formed
(legacy and segwit serializations) but their signatures are filler, so a
node would not accept them; their txid, hash (wtxid), weight and the
default_witness_commitment are computed here, with Python's hashlib, apart
from the C++ code under test. Deterministic: rerunning gives the same file.
"""
import hashlib
import json
import random


def sha256d(b):
    return hashlib.sha256(hashlib.sha256(b).digest()).digest()


def compact(n):
    assert n < 0xfd
    return bytes([n])


def tx(rng, n_in, n_out, segwit):
    version = (2).to_bytes(4, "little")
    if segwit:
        # P2WPKH spends: empty scriptSig, witness (signature, public key).
        ins = b"".join(rng.randbytes(32) + rng.randrange(4).to_bytes(4, "little") +
                       compact(0) + (0xfffffffd).to_bytes(4, "little") for _ in range(n_in))
    else:
        # P2PKH spends: a 106-byte scriptSig of filler.
        ins = b"".join(rng.randbytes(32) + rng.randrange(4).to_bytes(4, "little") +
                       compact(106) + rng.randbytes(106) + (0xffffffff).to_bytes(4, "little")
                       for _ in range(n_in))
    outs = b"".join(rng.randrange(1000, 10**8).to_bytes(8, "little") + compact(22) +
                    b"\x00\x14" + rng.randbytes(20) for _ in range(n_out))
    locktime = (0).to_bytes(4, "little")
    stripped = version + compact(n_in) + ins + compact(n_out) + outs + locktime
    if not segwit:
        return stripped, stripped
    witness = b"".join(compact(2) + compact(71) + rng.randbytes(71) + compact(33) +
                       b"\x02" + rng.randbytes(32) for _ in range(n_in))
    full = (version + b"\x00\x01" + compact(n_in) + ins + compact(n_out) + outs + witness +
            locktime)
    return stripped, full


def merkle_root(leaves):
    level = list(leaves)
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [sha256d(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def main():
    rng = random.Random(16)
    shapes = [(1, 2, True), (2, 1, False), (1, 1, True), (3, 2, True), (1, 3, False)]
    txs = []
    total_fees = 0
    for n_in, n_out, segwit in shapes:
        stripped, full = tx(rng, n_in, n_out, segwit)
        fee = rng.randrange(200, 20000)
        total_fees += fee
        txs.append({
            "data": full.hex(),
            "txid": sha256d(stripped)[::-1].hex(),
            "hash": sha256d(full)[::-1].hex(),
            "depends": [],
            "fee": fee,
            "sigops": 1,
            "weight": 3 * len(stripped) + len(full),
        })
    wtxids = [b"\x00" * 32] + [bytes.fromhex(t["hash"])[::-1] for t in txs]
    commitment = sha256d(merkle_root(wtxids) + b"\x00" * 32)
    template = {
        "capabilities": ["proposal"],
        "version": 0x20000000,
        "rules": ["csv", "!segwit", "taproot"],
        "vbavailable": {},
        "vbrequired": 0,
        "previousblockhash": rng.randbytes(32).hex(),
        "transactions": txs,
        "coinbaseaux": {},
        "coinbasevalue": 312500000 + total_fees,
        "longpollid": rng.randbytes(32).hex() + "7",
        "target": "7fffff0000000000000000000000000000000000000000000000000000000000",
        "mintime": 1733400000,
        "mutable": ["time", "transactions", "prevblock"],
        "noncerange": "00000000ffffffff",
        "sigoplimit": 80000,
        "sizelimit": 4000000,
        "weightlimit": 4000000,
        "curtime": 1733400600,
        "bits": "207fffff",
        "height": 300,
        "default_witness_commitment": (b"\x6a\x24\xaa\x21\xa9\xed" + commitment).hex(),
    }
    with open("template_regtest_segwit.json", "w") as f:
        json.dump(template, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
