#!/usr/bin/env bash
# The test suite: an optimised build (index code is 10-50x slower in debug builds), with the
# FAISS interoperability tests required (they fail instead of skipping when faiss is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
export VS_REQUIRE_FAISS="${VS_REQUIRE_FAISS:-1}"
swift build -c release -Xswiftc -enable-testing --build-tests
swift test -c release -Xswiftc -enable-testing --skip-build "$@"
