# Sourced by scripts/run.sh. rotate_log FILE [KEEP]: before a run writes FILE afresh, the previous
# runs' logs move up one (FILE -> FILE.1 -> FILE.2 …) and the oldest beyond KEEP (default
# FLEETHEALTH_KEEP_LOGS, else 5) is deleted, so a crashed run's log survives the rerun and the
# folder stays bounded.
rotate_log() {
  local file="$1" keep="${2:-${FLEETHEALTH_KEEP_LOGS:-5}}" i
  [[ "$keep" =~ ^[0-9]+$ ]] || { echo "rotate_log: keep must be a number, not '$keep'" >&2; return 2; }
  rm -f "$file.$keep"
  for ((i = keep - 1; i >= 1; i--)); do
    if [ -e "$file.$i" ]; then mv -f "$file.$i" "$file.$((i + 1))"; fi
  done
  if [ "$keep" -ge 1 ] && [ -e "$file" ]; then mv -f "$file" "$file.1"; else rm -f "$file"; fi
  # Anything older than KEEP (left by a run with a larger KEEP) goes too.
  for old in "$file".*; do
    [[ "$old" =~ \.([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" -gt "$keep" ] && rm -f "$old"
  done
  return 0
}
