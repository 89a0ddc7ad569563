#!/bin/bash
# The hand-written man pages (packaging/debian/*.[18]) format without a
# warning, under groff's -ww and under man's own check (what lintian runs),
# and synthminerd.8 names every option that `synthminerd --help` lists.
# Usage: man_pages_test.sh SYNTHMINERD MAN_PAGE...
# Exits 77 (skipped) when groff or man is not installed.
set -u
synthminerd=$1
shift

command -v groff >/dev/null || { echo "SKIPPED: groff is not installed"; exit 77; }
command -v man >/dev/null || { echo "SKIPPED: man is not installed"; exit 77; }

export LC_ALL=C.UTF-8 MANWIDTH=80
rc=0
for page in "$@"; do
  warnings=$( { groff -man -ww -z "$page"; man --warnings -E UTF-8 -l -Tutf8 -Z "$page" >/dev/null; } 2>&1)
  if [[ -n "$warnings" ]]; then
    echo "FAIL: $page:"
    echo "$warnings"
    rc=1
  else
    echo "ok: $page formats without warnings"
  fi
done

page=$(printf '%s\n' "$@" | grep '/synthminerd\.8$')
source=$(sed 's/\\-/-/g' "$page")
help=$("$synthminerd" --help) || { echo "FAIL: $synthminerd --help"; exit 1; }
missing=0
for option in $(grep -o -- '--[a-z][a-z-]*' <<<"$help" | sort -u); do
  grep -q -- "$option\b" <<<"$source" || { echo "FAIL: synthminerd.8 does not name $option"; missing=1; rc=1; }
done
[[ $missing -eq 0 ]] && echo "ok: synthminerd.8 names every option of --help"
exit $rc
