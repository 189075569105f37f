#!/usr/bin/env bash
# Installs what the tests and benchmarks need beyond Swift: Python's faiss-cpu and numpy (FAISS
# interoperability tests), strace and fiu-utils (fault injection), util-linux's setpriv (tests run
# as an unprivileged user). Safe to run again; skips what is already there.
set -euo pipefail

need_apt=()
command -v strace >/dev/null 2>&1 || need_apt+=(strace)
command -v fiu-run >/dev/null 2>&1 || need_apt+=(fiu-utils)
command -v setpriv >/dev/null 2>&1 || need_apt+=(util-linux)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need_apt[*]} from Debian"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "setup: missing ${need_apt[*]} (not root or no apt-get); the tests that need them will say so and skip"
  fi
fi

if ! python3 -c 'import faiss, numpy' >/dev/null 2>&1; then
  echo "setup: installing faiss-cpu and numpy from PyPI"
  python3 -m pip install --quiet --disable-pip-version-check faiss-cpu numpy
fi
python3 -c 'import faiss; print("setup: faiss", faiss.__version__)'
