#!/usr/bin/env bash
# check_rule_metrics.sh RULES METRICS_FILE_OR_URL
#
# Every synthminer_* name in RULES (comment lines left out) must be
#   - documented in docs/METRICS.md (METRICS_DOC overrides the path), and
#   - served in METRICS_FILE_OR_URL, a /metrics text or an http:// URL to
#     fetch it from (a histogram's _bucket/_sum/_count count for its family),
# except the families that telemetry::Registry itself does not render: the
# node's (synthminer_node_*, synthminer_blocks_*, registered by the daemon's
# node telemetry only when a node is configured) and the vgpu service's and
# API's refusal counters (series appear at the first refusal). For those the
# documentation is the check.
# Needs curl for a URL. Exits 0 when every name passes, 1 naming each that
# does not, 2 on usage errors.
set -euo pipefail
# shellcheck source=metric_families.sh
source "$(dirname "$0")/metric_families.sh"

[[ $# -eq 2 ]] || { echo "usage: $0 RULES METRICS_FILE_OR_URL" >&2; exit 2; }
rules=$1
source=$2
doc=${METRICS_DOC:-$(dirname "$0")/../../docs/METRICS.md}
documented_only='^synthminer_(node_[a-z0-9_]+|blocks_[a-z0-9_]+|vgpu_refused_total|api_refused_total)$'
[[ -r $rules ]] || { echo "FAIL: cannot read $rules" >&2; exit 2; }
[[ -r $doc ]] || { echo "FAIL: cannot read $doc" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/check-rule-metrics-XXXXXX")
trap 'rm -rf "$work"' EXIT
if [[ $source == http://* || $source == https://* ]]; then
  curl -fsS --max-time 10 "$source" -o "$work/metrics.txt"
else
  cp "$source" "$work/metrics.txt"
fi
metric_families "$work/metrics.txt" >"$work/families.txt"
[[ -s $work/families.txt ]] || { echo "FAIL: no metric families in $source" >&2; exit 1; }

names=$(grep -vE '^[[:space:]]*#' "$rules" | grep -oE 'synthminer_[a-z0-9_]+' | sort -u || true)
[[ -n $names ]] || { echo "FAIL: no synthminer_ metric in $rules" >&2; exit 1; }

failed=0
for name in $names; do
  family=$(sed -E 's/_(bucket|sum|count)$//' <<<"$name")
  if ! grep -qE "\`($name|$family)\`" "$doc"; then
    echo "FAIL: $rules uses $name, which $doc does not document" >&2
    failed=1
  elif metric_served "$work/families.txt" "$name"; then
    echo "ok: $name (served)"
  elif [[ $name =~ $documented_only ]]; then
    echo "ok: $name (documented; served only with a node, the vgpu service or the API)"
  else
    echo "FAIL: $rules uses $name, which $source does not serve" >&2
    failed=1
  fi
done
[[ $failed -eq 0 ]] || exit 1
echo "ok: all $(wc -w <<<"$names") metrics the rules use exist"
