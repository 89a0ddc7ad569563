# Sourced by check_metrics.sh and check_rule_metrics.sh: which metric names a
# /metrics text serves.
#
#   metric_families METRICS_TXT >FAMILIES   "name type" per # TYPE line
#   metric_served FAMILIES NAME             true when NAME is a family, or a
#                                           histogram's or summary's
#                                           _bucket/_sum/_count series

metric_families() {
  awk '$1 == "#" && $2 == "TYPE" { print $3, $4 }' "$1"
}

metric_served() {
  local families=$1 name=$2 base
  grep -q "^$name " "$families" && return 0
  base=$(sed -E 's/_(bucket|sum|count)$//' <<<"$name")
  [[ $base != "$name" ]] && grep -qE "^$base (histogram|summary)$" "$families"
}
