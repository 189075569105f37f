#!/usr/bin/env bash
# The test suite. Installs what the tests need beyond Swift (scripts/setup.sh), then builds
# optimised (index code is 10-50x slower in debug builds) and runs the tests on that build, with
# the FAISS interoperability tests required (they fail instead of skipping when faiss is missing).
# The package trait KillPoints compiles the crash tests' kill points into this build (never into a
# user's).
# Arguments go to `swift test`, e.g. `./scripts/test.sh --filter Crash`.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export VS_REQUIRE_FAISS="${VS_REQUIRE_FAISS:-1}"
traits=KillPoints
swift build -c release -Xswiftc -enable-testing --build-tests --traits "$traits"
swift test -c release -Xswiftc -enable-testing --traits "$traits" --skip-build "$@"
