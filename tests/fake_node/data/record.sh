#!/usr/bin/env bash
# Records getblocktemplate and getblockchaininfo answers from a real
# Bitcoin Core regtest node into this directory (see README.md).
#
#   tests/fake_node/data/record.sh [DIR [VARIANTS]]
#
# DIR holds bitcoind and bitcoin-cli; without it they are looked up on
# PATH. VARIANTS is the fake_node_variants program (default:
# build/tests/fake_node/fake_node_variants under the repository root);
# with it, Core's verdict on each block variant is kept too. Without them the script says so and exits 0. Needs python3 (the
# standard library only). The node runs in a fresh temporary datadir on
# free ports, listens to nobody, and is stopped at the end. No wallet is
# used: coins are mined to a fixed key, spent with createrawtransaction +
# signrawtransactionwithkey + sendrawtransaction.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
if [[ $# -ge 1 ]]; then
  bitcoind="$1/bitcoind" cli="$1/bitcoin-cli"
else
  bitcoind=$(command -v bitcoind || true) cli=$(command -v bitcoin-cli || true)
fi
if [[ ! -x "$bitcoind" || ! -x "$cli" ]]; then
  echo "record.sh: bitcoind and bitcoin-cli not found (${1:-on PATH}); nothing recorded." >&2
  exit 0
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
datadir=$(mktemp -d)
rpcport=$(free_port)
p2pport=$(free_port)
# -fallbackfee is a wallet option; this node is built without a wallet.
"$bitcoind" -regtest -daemon=0 -datadir="$datadir" -rpcport="$rpcport" -port="$p2pport" \
  -listen=0 -server=1 -printtoconsole=0 &
node_pid=$!
cleanup() {
  local status=$?
  [[ $status -eq 0 ]] || tail -20 "$datadir/regtest/debug.log" >&2 2>/dev/null || true
  "$cli" -regtest -datadir="$datadir" -rpcport="$rpcport" stop >/dev/null 2>&1 || true
  wait "$node_pid" 2>/dev/null || true
  rm -rf "$datadir"
}
trap cleanup EXIT

root=$(cd "$here/../../.." && pwd)
export RECORD_VARIANTS="${2:-$root/build/tests/fake_node/fake_node_variants}"
export RECORD_CLI="$cli" RECORD_DATADIR="$datadir" RECORD_RPCPORT="$rpcport" RECORD_OUT="$here"
"$cli" -regtest -datadir="$datadir" -rpcport="$rpcport" -rpcwait -rpcwaittimeout=60 getblockcount >/dev/null
python3 "$here/record.py"
"$bitcoind" -version | head -1 >"$here/core_version.txt"
echo "record.sh: recorded into $here" >&2
