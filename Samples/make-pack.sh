#!/usr/bin/env bash
# Builds the sample finance pack into Output/ (and the real AWS sample's pack into Output/aws),
# installing the system packages first when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
./Samples/install-system-packages.sh
swift build -c release --product costdefender
bin="$(swift build -c release --show-bin-path)/costdefender"
"$bin" build --config Samples/costdefender.yaml "$@"
"$bin" build --config Samples/aws/costdefender.yaml --quiet
echo "Open Output/index.html"
