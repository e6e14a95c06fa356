#!/usr/bin/env bash
# Builds the sample finance pack into Output/ (and the real AWS sample's pack into Output/aws),
# installing the system packages first when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
./Samples/install-system-packages.sh
swift build -c release --product costdefender
bin="$(swift build -c release --show-bin-path)/costdefender"
# A monthly finance build remembers its forecasts (Output.history/forecasts.csv) and the next
# month's build scores them. On a first run, replay the last six month-ends so the sample pack
# shows CostDefender's own forecasts scored beside finance's.
if [ ! -f Output.history/forecasts.csv ]; then
  for asof in 2026-05-31 2026-06-30 2026-07-31 2026-08-31 2026-09-30 2026-10-31; do
    "$bin" build --config Samples/costdefender.yaml --as-of "$asof" --quiet
  done
fi
"$bin" build --config Samples/costdefender.yaml "$@"
"$bin" build --config Samples/aws/costdefender.yaml --quiet
echo "Open Output/index.html"
