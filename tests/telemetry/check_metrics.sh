#!/usr/bin/env bash
# check_metrics.sh METRICS_URL [DASHBOARD_JSON]
#
# Checks a live /metrics endpoint (e.g. synthminerd --demo's):
#   1. `promtool check metrics` passes on what it serves;
#   2. with DASHBOARD_JSON: every synthminer_* metric named in the dashboard's
#      `expr` fields exists in the served output (histogram _bucket/_sum/_count
#      series count for their family);
#   3. a real Prometheus server (loopback, temporary config and storage,
#      scrape every 1 s) scrapes it and answers sum(synthminer_hashes_total)
#      with a value above zero within 30 s;
#   4. with RULES=<rules.yml> in the environment: that server also loads
#      those rules, and evaluates every one without error (health "ok").
# Needs curl, jq, promtool and prometheus (Debian packages curl, jq,
# prometheus). Exits 0 when every check passes; the server is killed and its
# files removed however it ends.
set -euo pipefail
# shellcheck source=metric_families.sh
source "$(dirname "$0")/metric_families.sh"

usage() { echo "usage: $0 METRICS_URL [DASHBOARD_JSON]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
url=$1
dashboard=${2:-}
PROMTOOL=${PROMTOOL:-/usr/bin/promtool}
PROMETHEUS=${PROMETHEUS:-/usr/bin/prometheus}
RULES=${RULES:-}
[[ -z $RULES || -r $RULES ]] || { echo "FAIL: cannot read RULES=$RULES" >&2; exit 2; }
for tool in curl jq "$PROMTOOL" "$PROMETHEUS"; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found" >&2; exit 2; }
done

# http://host:port/path -> host:port and /path
rest=${url#http://}
[[ $rest != "$url" ]] || { echo "FAIL: only http:// URLs are supported: $url" >&2; exit 2; }
target=${rest%%/*}
path=/${rest#*/}
[[ $rest == */* ]] || path=/metrics

work=$(mktemp -d "${TMPDIR:-/tmp}/check-metrics-XXXXXX")
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# 1. promtool
curl -fsS --max-time 10 "$url" -o "$work/metrics.txt"
if ! "$PROMTOOL" check metrics <"$work/metrics.txt" >"$work/promtool.out" 2>&1 \
    || [[ -s $work/promtool.out ]]; then
  echo "FAIL: promtool check metrics:" >&2
  cat "$work/promtool.out" >&2
  exit 1
fi
echo "ok: promtool check metrics ($(grep -c '^# TYPE' "$work/metrics.txt") families)"

# 2. the dashboard's metrics
if [[ -n $dashboard ]]; then
  metric_families "$work/metrics.txt" >"$work/families.txt"
  missing=0
  names=$(jq -r '.. | objects | .expr? // empty | strings' "$dashboard" \
            | grep -oE 'synthminer_[a-z0-9_]+' | sort -u)
  [[ -n $names ]] || { echo "FAIL: no synthminer_ metric in $dashboard" >&2; exit 1; }
  for name in $names; do
    metric_served "$work/families.txt" "$name" && continue
    echo "FAIL: the dashboard queries $name, which $url does not serve" >&2
    missing=1
  done
  [[ $missing -eq 0 ]] || exit 1
  echo "ok: all $(wc -w <<<"$names") metrics the dashboard queries exist"
fi

# 3. a real Prometheus scrape
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files: [${RULES:+'$(realpath "$RULES")'}]
scrape_configs:
  - job_name: synthminer
    metrics_path: '$path'
    static_configs:
      - targets: ['$target']
YML
"$PROMETHEUS" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$port" --log.level=warn >"$work/prometheus.log" 2>&1 &
server_pid=$!
value=
deadline=$((SECONDS + 30))
while ((SECONDS < deadline)); do
  value=$(curl -fsS --max-time 2 "http://127.0.0.1:$port/api/v1/query" \
            --data-urlencode 'query=sum(synthminer_hashes_total)' 2>/dev/null \
          | jq -r '.data.result[0].value[1] // empty' 2>/dev/null || true)
  if [[ -n $value ]] && awk -v v="$value" 'BEGIN { exit !(v > 0) }'; then break; fi
  value=
  sleep 0.25
done
if [[ -z $value ]]; then
  echo "FAIL: Prometheus did not answer sum(synthminer_hashes_total) > 0 within 30 s" >&2
  cat "$work/prometheus.log" >&2
  exit 1
fi
echo "ok: Prometheus scraped $target$path: sum(synthminer_hashes_total) = $value"

# 4. the rules, evaluated against what was scraped
[[ -n $RULES ]] || exit 0
scraped_at=$(date +%s)
rules_json=
deadline=$((SECONDS + 30))
while ((SECONDS < deadline)); do
  rules_json=$(curl -fsS --max-time 2 "http://127.0.0.1:$port/api/v1/rules" 2>/dev/null || true)
  # every rule evaluated since the scrape above saw data (a second later, as
  # lastEvaluation's fraction is cut)
  if [[ -n $rules_json ]] && jq -e --argjson t "$((scraped_at + 1))" '[.data.groups[].rules[]]
       | length > 0 and all(.lastEvaluation | sub("\\.[0-9]+"; "") | fromdateiso8601 >= $t)' \
       <<<"$rules_json" >/dev/null 2>&1; then
    break
  fi
  rules_json=
  sleep 0.25
done
if [[ -z $rules_json ]]; then
  echo "FAIL: Prometheus did not evaluate the rules of $RULES within 30 s" >&2
  cat "$work/prometheus.log" >&2
  exit 1
fi
bad=$(jq -r '.data.groups[].rules[] | select(.health != "ok") | "\(.name): \(.lastError)"' <<<"$rules_json")
if [[ -n $bad ]]; then
  echo "FAIL: rules that Prometheus could not evaluate:" >&2
  echo "$bad" >&2
  exit 1
fi
echo "ok: Prometheus evaluated all $(jq '[.data.groups[].rules[]] | length' <<<"$rules_json") rules of $RULES"
