#!/bin/bash
# `nxpool fix --dry-run` over real driver trees (issue 12 "Done when"):
# for each tree, extract it twice, print the dry-run diff, `git apply` it to
# copy A, run the real fix on copy B, and check
#   - the diff applies,
#   - A and B are byte-identical (the diff is exactly what the real run writes),
#   - a rescan of A has, per fixed rule, exactly (sites before - sites fixed)
#     (with --opt-in, at most that: the opt-in makes more sites NX),
#   - a second fix of B changes nothing.
# Prints one table row per tree. Trees are never committed: pass the
# directory of git mirrors (owner+name/repo) as NXPOOL_TREES.
# Usage: NXPOOL_TREES=/work/.mirror real_trees.sh NXPOOL_BIN owner/name@commit[:dir,dir] ...
# A ":dir,dir" tail extracts, scans and fixes only those directories (for
# trees whose driver is a small part, such as openedr's edrdrv).
# NXPOOL_FIX_ARGS (e.g. "--opt-in auto") is passed to every fix run;
# NXPOOL_FIX_CONFIG is written to both copies as .nxpool.toml first (e.g.
# '[rules] NX3004 = "on"', so that scan and fix both run that rule).
set -u
bin=$1; shift
: "${NXPOOL_TREES:?set NXPOOL_TREES to the directory of git mirrors}"
work=${NXPOOL_FIX_WORK:-$(mktemp -d)}
# A scratch repository borrowing the mirror's objects, so the mirror is not
# touched: attributes that re-encode files (working-tree-encoding) are
# switched off, and blobs the snapshot lacks are excluded one by one.
extract() {
  local scratch="$work/.scratch.git" excludes=()
  rm -rf "$scratch"; git init -q --bare "$scratch"
  echo "$1/objects" > "$scratch/objects/info/alternates"
  echo '* -working-tree-encoding' > "$scratch/info/attributes"
  # Blobs the snapshot lacks, found in one pass, are left out of the archive.
  git -c core.quotePath=false --git-dir="$scratch" ls-tree -r "$2" | awk -F'\t' '{ split($1, m, " "); if (m[2] == "blob") print m[3] "\t" $2 }' > "$work/.blobs"
  cut -f1 "$work/.blobs" | git --git-dir="$scratch" cat-file --batch-check 2>/dev/null | paste - "$work/.blobs" > "$work/.checked"
  while IFS= read -r path; do excludes+=(":(exclude,literal)$path"); done < <(awk -F'\t' '$1 ~ / missing$/ { print $3 }' "$work/.checked")
  # A blob listed in the pack index but absent (a snapshot's largest files)
  # only shows when read: leave it out too and try again.
  local err missing
  for _ in $(seq 1 30); do
    rm -rf "$3"; mkdir -p "$3"
    if err=$(git --git-dir="$scratch" archive -o "$work/.tree.tar" "$2" -- "${paths[@]}" "${excludes[@]}" 2>&1); then
      tar -xf "$work/.tree.tar" -C "$3"; rm -f "$work/.tree.tar"; return 0
    fi
    missing=$(echo "$err" | sed -n "s/.*invalid object [0-9]* [0-9a-f]* for '\\(.*\\)'/\\1/p" | head -1)
    [ -n "$missing" ] || { echo "$err" >&2; return 1; }
    excludes+=(":(exclude,literal)$missing")
  done
  return 1
}
sites() {  # unique (file,line,column) per rule from JSON Lines on stdin: "RULE N" lines
  python3 -c '
import json,sys,collections
s=collections.defaultdict(set)
for l in sys.stdin:
    d=json.loads(l)
    if d.get("type")=="finding": s[d["rule"]].add((d["file"],d["line"],d["column"]))
for r in sorted(s): print(r, len(s[r]))'
}
printf '| tree | files changed | fixed sites per rule | left alone | applies | A == B | rescan | idempotent |\n|---|---|---|---|---|---|---|---|\n'
for spec in "$@"; do
  repo=${spec%@*}; commit=${spec#*@}
  paths=(.)
  case $commit in *:*) IFS=, read -r -a paths <<< "${commit#*:}"; commit=${commit%%:*} ;; esac
  git_dir="$NXPOOL_TREES/${repo/\//+}/repo"
  name=${repo#*/}
  rm -rf "$work/$name"; mkdir -p "$work/$name/A" "$work/$name/B"
  extract "$git_dir" "$commit" "$work/$name/A" || { echo "| $repo | cannot extract |"; continue; }
  if [ -n "${NXPOOL_FIX_CONFIG:-}" ]; then printf '%s\n' "$NXPOOL_FIX_CONFIG" > "$work/$name/A/.nxpool.toml"; fi
  cp -a "$work/$name/A/." "$work/$name/B/"
  (cd "$work/$name/A" && "$bin" scan --format json "${paths[@]}" 2>/dev/null | sites > ../before.txt)
  (cd "$work/$name/A" && "$bin" fix --dry-run ${NXPOOL_FIX_ARGS:-} "${paths[@]}" > ../fix.diff 2> ../fix.err)
  summary=$(grep "^nxpool fix:" "$work/$name/fix.err" | tail -1)
  applies=yes
  if [ -s "$work/$name/fix.diff" ]; then
    (cd "$work/$name/A" && git apply --unsafe-paths ../fix.diff 2> ../apply.err) || applies="NO: $(head -1 "$work/$name/apply.err")"
  fi
  (cd "$work/$name/B" && "$bin" fix ${NXPOOL_FIX_ARGS:-} "${paths[@]}" > /dev/null 2> ../real.err)
  same=yes; diff -r --no-dereference "$work/$name/A" "$work/$name/B" > "$work/$name/ab.diff" 2>&1 || same=NO
  (cd "$work/$name/A" && "$bin" scan --format json "${paths[@]}" 2>/dev/null | sites > ../after.txt)
  rescan=ok extra=
  fixed=$(echo "$summary" | sed -n 's/.*(\(.*\)).*/\1/p')
  for pair in $(echo "$fixed" | tr -d ' ' | tr ',' ' '); do
    r=${pair:0:6}; n=${pair:6}
    case $r in NX*) ;; *) continue ;; esac  # opt-in / explicit: files, not findings
    b=$(awk -v r="$r" '$1==r{print $2}' "$work/$name/before.txt"); a=$(awk -v r="$r" '$1==r{print $2}' "$work/$name/after.txt")
    if [[ $fixed == *opt-in* ]]; then
      # The opt-in itself makes more sites NX (MDL mappings, lookaside
      # lists, NonPagedPool in now opted-in units): fewer left is fine.
      [ "$(( ${b:-0} - n ))" -ge "${a:-0}" ] || rescan="NO: $r before ${b:-0} fixed $n after ${a:-0}"
      [ "$(( ${b:-0} - n ))" = "${a:-0}" ] || extra="$extra $r -$(( ${b:-0} - n - ${a:-0} ))"
    else
      [ "$(( ${b:-0} - n ))" = "${a:-0}" ] || rescan="NO: $r before ${b:-0} fixed $n after ${a:-0}"
    fi
  done
  [ -z "$extra" ] || [ "$rescan" != ok ] || rescan="ok (the opt-in resolved:$extra more)"
  again=$(cd "$work/$name/B" && "$bin" fix --dry-run ${NXPOOL_FIX_ARGS:-} "${paths[@]}" 2>/dev/null | wc -c)
  idem=yes; [ "$again" = 0 ] || idem="NO ($again bytes)"
  files=$(grep -c '^diff --git' "$work/$name/fix.diff")
  left=$(echo "$summary" | sed -n 's/.*; \([0-9]*\) left alone/\1/p')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$repo@${commit:0:8}$([ "${paths[*]}" = . ] || echo " (${paths[*]})")" "$files" "${fixed:-none}" "$left" "$applies" "$same" "$rescan" "$idem"
done
