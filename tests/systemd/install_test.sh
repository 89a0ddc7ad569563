#!/bin/bash
# cmake --install into a temporary DESTDIR places the binary, the unit and
# the example config; the unit passes `systemd-analyze verify` and its
# `systemd-analyze security --offline=true` exposure is at most 2.5.
# Usage: install_test.sh BUILD_DIR INSTALL_PREFIX [MAX_EXPOSURE]
# Exits 77 (skipped) when systemd-analyze is not installed.
set -u
build_dir=$1
prefix=$2
max_exposure=${3:-2.5}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

dest=$(mktemp -d /tmp/synthminer-install-XXXXXX) || fail "mktemp"
trap 'rm -rf "$dest"' EXIT

DESTDIR=$dest cmake --install "$build_dir" >"$dest/install.log" 2>&1 ||
  { cat "$dest/install.log"; fail "cmake --install"; }

root=$dest$prefix
binary=$root/bin/synthminerd
unit=$root/lib/systemd/system/synthminerd.service
for f in "$binary" "$unit" "$root/share/synthminer/config.example.json" \
  "$root/share/synthminer/prometheus.yml" "$root/share/synthminer/prometheus-rules.yml" \
  "$root/lib/sysusers.d/synthminer.conf" \
  "$root/lib/tmpfiles.d/synthminer.conf"; do
  [ -f "$f" ] || fail "not installed: ${f#"$dest"}"
done
[ -x "$binary" ] || fail "installed binary is not executable"
"$binary" --version | grep -q '^synthminerd ' || fail "installed binary does not run"
grep -qx "ExecStart=$prefix/bin/synthminerd --config /etc/synthminer/config.json" "$unit" ||
  fail "ExecStart does not name the installed binary: $(grep ExecStart= "$unit")"
grep -qx 'Type=notify' "$unit" || fail "unit is not Type=notify"
instance_unit=$root/lib/systemd/system/synthminerd@.service
[ -f "$instance_unit" ] || fail "not installed: the instance unit synthminerd@.service"
for line in "ExecStart=$prefix/bin/synthminerd --config /etc/synthminer/%i.json" \
  "ExecReload=$prefix/bin/synthminerd --check-config /etc/synthminer/%i.json" \
  'CacheDirectory=synthminer/%i' 'Environment=CUDA_CACHE_PATH=/var/cache/synthminer/%i'; do
  grep -qxF "$line" "$instance_unit" || fail "synthminerd@.service lacks: $line"
done
grep -q 'config.json' "$instance_unit" && fail "synthminerd@.service still names config.json"
echo "installed: binary, unit, sysusers/tmpfiles, example config, prometheus.yml, prometheus-rules.yml"

if ! command -v systemd-analyze >/dev/null; then
  echo "SKIP: systemd-analyze is not installed; unit not verified"
  exit 77
fi

# verify wants ExecStart's and ExecReload's binary to exist: check a copy
# pointing into DESTDIR.
mkdir -p "$dest/check"
check=$dest/check/synthminerd.service
sed "s|$prefix/bin/synthminerd|$binary|g" "$unit" >"$check"
verify_out=$(systemd-analyze verify "$check" 2>&1)
verify_rc=$?
[ -z "$verify_out" ] || echo "$verify_out"
[ $verify_rc -eq 0 ] || fail "systemd-analyze verify failed"
if grep -q "synthminerd.service" <<<"$verify_out"; then
  fail "systemd-analyze verify complained about the unit"
fi
echo "systemd-analyze verify: ok"

# The instance unit, as instance gpu0 (verify needs an instance name).
instance_check=$dest/check/synthminerd@gpu0.service
sed "s|$prefix/bin/synthminerd|$binary|g" "$instance_unit" >"$instance_check"
verify_out=$(systemd-analyze verify "$instance_check" 2>&1) ||
  { echo "$verify_out"; fail "systemd-analyze verify failed on synthminerd@gpu0.service"; }
grep -q "synthminerd@" <<<"$verify_out" && { echo "$verify_out"; fail "verify complained about synthminerd@gpu0.service"; }
echo "systemd-analyze verify synthminerd@gpu0.service: ok"

security_out=$(systemd-analyze security --offline=true "$check" 2>&1)
exposure=$(sed -n 's/.*Overall exposure level for synthminerd.service: \([0-9.]*\).*/\1/p' \
  <<<"$security_out")
[ -n "$exposure" ] || { echo "$security_out"; fail "no 'Overall exposure level' line"; }
echo "systemd-analyze security --offline=true: exposure $exposure (limit $max_exposure)"
awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e <= m) }' ||
  fail "exposure $exposure is above $max_exposure"
exit 0
