#!/usr/bin/env bash
# Runs every test: the .NET suites (against one private PostgreSQL for the whole run), the
# dashboard's unit tests, and the end-to-end journeys (the built server and dashboard in Debian's
# chromium, frontend/e2e/run.mjs). Ends with one line "tests: N passed, N failed".
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

if [ -z "${FLEETHEALTH_DB:-}" ]; then
  export FLEETHEALTH_PG_DIR="$repo/.local/test-pg" FLEETHEALTH_PG_PORT="${FLEETHEALTH_PG_PORT:-$(free_port)}"
  scripts/pg.sh start
  trap 'scripts/pg.sh destroy' EXIT  # a fresh cluster per run; none is left behind in /var/lib (see pg.sh)
  export FLEETHEALTH_DB="$(scripts/pg.sh url)"
fi

[ -f frontend/node_modules/.package-lock.json ] || (cd frontend && npm install --no-audit --no-fund --loglevel=error)  # not npm ci: see .ci/run

mkdir -p .local test-output
rm -f test-output/*.txt  # figures the tests measure (name: value lines), printed at the end
log="$repo/.local/test-dotnet.log"
set +e
dotnet test FleetHealth.sln --nologo 2>&1 | tee "$log"
dotnet_status=${PIPESTATUS[0]}
(cd frontend && NO_COLOR=1 npx vitest run) 2>&1 | tee "$repo/.local/test-frontend.log"
frontend_status=${PIPESTATUS[0]}
# End-to-end: needs the server that dotnet test just built, and a fresh dashboard build.
(cd frontend && npm run --silent build >/dev/null && npm run --silent e2e) 2>&1 | tee "$repo/.local/test-e2e.log"
e2e_status=${PIPESTATUS[0]}
set -e

# dotnet test prints one "Passed!/Failed! - Failed: F, Passed: P, ..." line per test assembly.
read -r passed failed < <(awk '
  /(Passed|Failed)! +- +Failed:/ { gsub(/,/, ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) } }
  END { print p + 0, f + 0 }' "$log")
read -r fpassed ffailed < <(awk '
  /^ *Tests +/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  END { print p + 0, f + 0 }' <(sed 's/\x1b\[[0-9;]*m//g' "$repo/.local/test-frontend.log"))
read -r epassed efailed < <(awk '/^e2e: [0-9]+ passed, [0-9]+ failed/ { p = $2; f = $4 } END { print p + 0, f + 0 }' "$repo/.local/test-e2e.log")
passed=$((passed + fpassed + epassed)); failed=$((failed + ffailed + efailed))
if [ "$dotnet_status" -ne 0 ] || [ "$frontend_status" -ne 0 ] || [ "$e2e_status" -ne 0 ]; then failed=$((failed > 0 ? failed : 1)); fi
cat test-output/*.txt 2>/dev/null || true
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
