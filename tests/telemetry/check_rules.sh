#!/usr/bin/env bash
# check_rules.sh RULES RULE_TESTS [PROMETHEUS_YML]
#
# `promtool check rules RULES`, `promtool test rules RULE_TESTS` (the unit
# tests load RULES through their own rule_files) and, given PROMETHEUS_YML,
# `promtool check config` on it (which also loads its rule_files). Exits 77, which ctest
# reads as SKIPPED, when promtool (Debian package prometheus) is missing.
set -euo pipefail

[[ $# -eq 2 || $# -eq 3 ]] || { echo "usage: $0 RULES RULE_TESTS [PROMETHEUS_YML]" >&2; exit 2; }
PROMTOOL=${PROMTOOL:-/usr/bin/promtool}
if ! command -v "$PROMTOOL" >/dev/null; then
  echo "SKIP: $PROMTOOL not found (Debian package prometheus)"
  exit 77
fi
"$PROMTOOL" check rules "$1"
"$PROMTOOL" test rules "$2"
if [[ $# -eq 3 ]]; then "$PROMTOOL" check config "$3"; fi
