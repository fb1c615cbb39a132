#!/usr/bin/env bash
# The two-minute soak of CI (issue 17): confab-bench soak against a server it
# spawns; exits non-zero unless RSS and open files stayed flat after warm-up
# and nothing was lost or duplicated. The chart goes beside the screenshots.
# Chat-like text (--text words), so that the search index grows as it would.
# Usage: soak_ci.sh CONFAB_BENCH CONFAB_SERVER FALLBACK_ARTIFACTS_DIR
set -euo pipefail
bench="$1" server="$2"
artifacts="${CONFAB_TEST_ARTIFACTS:-$3}"
mkdir -p "$artifacts"
exec "$bench" soak --spawn "$server" --users 200 --rate 300 --warmup 5 --duration 115 --sample 5 \
    --flood-every 15 --churn 0.05 --text words --chart "$artifacts/soak-ci.svg"
