"""The recording itself, run by record.sh against a fresh regtest node.

Python 3 standard library only. The key is fixed (sha256 of a phrase), so
the addresses and scripts are the same on every run; the block hashes and
times are not (regtest blocks carry the current time).
"""
import hashlib
import json
import os
import subprocess
import time
from decimal import Decimal

CLI = [os.environ["RECORD_CLI"], "-regtest", "-datadir=" + os.environ["RECORD_DATADIR"],
       "-rpcport=" + os.environ["RECORD_RPCPORT"]]
OUT = os.environ["RECORD_OUT"]
KEY_PHRASE = b"synthminer fake_node regtest key"
FEE = Decimal("0.00010000")  # per transaction, 10,000 sat: well above the relay minimum
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def cli(*args):
    text = subprocess.run(CLI + [str(a) for a in args], check=True, capture_output=True,
                          text=True).stdout.strip()
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError:
        return text


def base58check(payload):
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def regtest_wif():
    """The key as WIF: testnet/regtest prefix 0xef, compressed (01 suffix)."""
    return base58check(b"\xef" + hashlib.sha256(KEY_PHRASE).digest() + b"\x01")


def address(descriptor):
    info = cli("getdescriptorinfo", descriptor)
    return info["descriptor"], cli("deriveaddresses", info["descriptor"])[0]


def save(name, value):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(value, f, indent=2, default=str)
        f.write("\n")


def gbt():
    return json.loads(subprocess.run(CLI + ["getblocktemplate", '{"rules":["segwit"]}'],
                                     check=True, capture_output=True, text=True).stdout)


def plain(*args):
    """An answer as Core printed it, numbers unchanged."""
    return json.loads(subprocess.run(CLI + list(args), check=True, capture_output=True,
                                     text=True).stdout)


def coinbase_utxo(height):
    block = cli("getblock", cli("getblockhash", height), 2)
    tx = block["tx"][0]
    out = tx["vout"][0]
    return {"txid": tx["txid"], "vout": 0, "scriptPubKey": out["scriptPubKey"]["hex"],
            "amount": out["value"]}


def spend(wif, inputs, outputs):
    """Signs and sends; returns the new outputs as prevtxs entries."""
    raw = cli("createrawtransaction", json.dumps([{"txid": i["txid"], "vout": i["vout"]} for i in inputs]),
              json.dumps([{a: str(v)} for a, v in outputs]))
    prevtxs = [{k: (str(v) if k == "amount" else v) for k, v in i.items()} for i in inputs]
    signed = cli("signrawtransactionwithkey", raw, json.dumps([wif]), json.dumps(prevtxs))
    assert signed["complete"], signed
    txid = cli("sendrawtransaction", signed["hex"])
    decoded = cli("decoderawtransaction", signed["hex"])
    return [{"txid": txid, "vout": n, "scriptPubKey": o["scriptPubKey"]["hex"], "amount": o["value"]}
            for n, o in enumerate(decoded["vout"])]


def fill_mempool(wif, wpkh_addr, pkh_addr, other_addrs):
    """Five transactions: one without witness, a chain of three (child and
    grandchild of unconfirmed parents), one paying P2SH-P2WPKH and P2TR.
    createrawtransaction refuses two outputs to one address."""
    sh_addr, tr_addr = other_addrs
    legacy = coinbase_utxo(1)          # mined to P2PKH: a transaction without witness
    cb2, cb3 = coinbase_utxo(2), coinbase_utxo(3)
    half = (legacy["amount"] - FEE) / 2
    a = spend(wif, [legacy], [(wpkh_addr, half), (pkh_addr, half)])       # no witness
    b = spend(wif, [cb2], [(wpkh_addr, Decimal(20)), (sh_addr, cb2["amount"] - 20 - FEE)])
    c = spend(wif, [b[0]], [(wpkh_addr, b[0]["amount"] - 2 * FEE)])      # child of b
    spend(wif, [c[0], a[0]], [(pkh_addr, c[0]["amount"] + a[0]["amount"] - 3 * FEE)])  # grandchild
    spend(wif, [cb3], [(tr_addr, Decimal(1)), (wpkh_addr, cb3["amount"] - 1 - FEE)])


def sha256d_rpc(hex_text):
    return hashlib.sha256(hashlib.sha256(bytes.fromhex(hex_text)).digest()).digest()[::-1].hex()


def answer_of(*args):
    """An RPC whose answer is null or a reason string (bitcoin-cli prints null as nothing)."""
    text = subprocess.run(CLI + list(args), check=True, capture_output=True, text=True).stdout.strip()
    return text or None


def crosscheck(tool, template_name, template):
    """Core's verdict on each block variant of the template: submitblock for
    what we expect Core to refuse, a proposal for the variants only our
    rules refuse (so Core accepts nothing but the good block, last)."""
    path = os.path.join(OUT, template_name)
    variants = json.loads(subprocess.run([tool, path], check=True, capture_output=True,
                                         text=True).stdout)
    verdicts = {}
    for v in sorted(variants, key=lambda v: v["name"] == "good"):
        if v["ours_only"]:
            rpc = "proposal"
            request = json.dumps({"rules": ["segwit"], "mode": "proposal", "data": v["hex"]})
            answer = answer_of("getblocktemplate", request)
        else:
            rpc = "submitblock"
            answer = answer_of("submitblock", v["hex"])
        verdicts[v["name"]] = {"rpc": rpc, "answer": answer, "ours": v["reason"] or None,
                               "block_sha256d": sha256d_rpc(v["hex"])}
    assert verdicts["good"]["answer"] is None, verdicts["good"]
    save("core_verdicts.json", {"template": template_name,
                                "previousblockhash": template["previousblockhash"],
                                "verdicts": verdicts})


def main():
    wif = regtest_wif()
    wpkh_desc, wpkh_addr = address(f"wpkh({wif})")
    pkh_desc, pkh_addr = address(f"pkh({wif})")
    _, sh_addr = address(f"sh(wpkh({wif}))")
    _, tr_addr = address(f"tr({wif})")
    cli("generatetoaddress", 1, pkh_addr)
    cli("generatetoaddress", 110, wpkh_addr)  # heights 1..11 mature
    save("gbt_empty.json", gbt())
    time.sleep(6)  # Core reuses a template for 5 s while only the mempool changes
    fill_mempool(wif, wpkh_addr, pkh_addr, (sh_addr, tr_addr))
    segwit = gbt()
    save("gbt_segwit_txs.json", segwit)
    save("getblockchaininfo.json", plain("getblockchaininfo"))
    save("gbt_seq_1.json", gbt())
    tool = os.environ.get("RECORD_VARIANTS", "")
    if os.access(tool, os.X_OK):
        crosscheck(tool, "gbt_segwit_txs.json", segwit)  # Core accepts our good block
    else:
        print("record.py: no fake_node_variants; core_verdicts.json not recorded")
        if os.path.exists(os.path.join(OUT, "core_verdicts.json")):
            os.remove(os.path.join(OUT, "core_verdicts.json"))
        cli("generatetoaddress", 1, wpkh_addr)
    save("gbt_seq_2.json", gbt())
    cli("generatetoaddress", 1, wpkh_addr)
    save("gbt_seq_3.json", gbt())
    save("recording.json", {
        "key_phrase": KEY_PHRASE.decode(), "wif": wif,
        "wpkh_descriptor": wpkh_desc, "wpkh_address": wpkh_addr,
        "wpkh_script": cli("validateaddress", wpkh_addr)["scriptPubKey"],
        "pkh_descriptor": pkh_desc, "pkh_address": pkh_addr,
        "subversion": cli("getnetworkinfo")["subversion"],
    })


main()
