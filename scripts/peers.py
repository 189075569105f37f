#!/usr/bin/env python3
# (A copy of the workplace's shared peer benchmark, ../shared/bench/peers.py, kept here so the README's
# measurements can be repeated from the repository alone.)
"""Measure the peer ANN libraries on a data folder, single-threaded, so that our figures can
be stated as ratios measured on the same machine in the same session.

Needs: pip install numpy hnswlib faiss-cpu usearch psutil
(hnswlib builds from source with -march=native; the first install takes a minute.)

Data folder format (see ../data/minilm-debian/README.md): base.f32 (N x d float32, LE,
row-major), queries.f32 (Q x d), groundtruth.i32 (Q x k int32, best first), meta.json
with "dim" and "k". Vectors are L2-normalised, so inner product = cosine.

  python3 peers.py --data ../data/minilm-debian                  # all peers, table
  python3 peers.py --data ../data/minilm-debian --libs hnswlib --json out.json

Every peer: HNSW M=16 (2M links on level 0), efConstruction=200, inner product, one query
per call (as an application issues them). Reported per peer: build seconds, index memory
(RSS growth), recall@10 and queries/s per efSearch, queries/s at recall@10 = 0.90/0.95/0.99
(linear interpolation between the two efSearch values around the target), save and load
seconds. Plus exact search with faiss IndexFlatIP, one query per call.

Before timing anything, unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE if this machine sets
them (they slow numpy and faiss); this script does it for its own process.
"""
import argparse
import json
import os
import sys
import tempfile
import time

for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(var, None)

import numpy as np  # noqa: E402

M, EF_CONSTRUCTION, K = 16, 200, 10
EFS = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256]


def rss_mb():
    try:
        import psutil
        return psutil.Process().memory_info().rss / 2**20
    except ImportError:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def load(folder):
    meta = json.load(open(os.path.join(folder, "meta.json")))
    d, k = meta["dim"], meta.get("k", 100)
    base = np.fromfile(os.path.join(folder, "base.f32"), dtype="<f4").reshape(-1, d)
    queries = np.fromfile(os.path.join(folder, "queries.f32"), dtype="<f4").reshape(-1, d)
    gt = np.fromfile(os.path.join(folder, "groundtruth.i32"), dtype="<i4").reshape(len(queries), k)
    return base, queries, gt


def recall(found, gt):
    hits = sum(len(set(map(int, f[:K])) & set(map(int, g[:K]))) for f, g in zip(found, gt))
    return hits / (len(gt) * K)


def qps_at(sweep, target):
    """Queries/s at a recall target, interpolated between the efSearch values around it."""
    pts = sorted((r["recall10"], r["qps"]) for r in sweep)
    for (r0, q0), (r1, q1) in zip(pts, pts[1:]):
        if r0 < target <= r1:
            return q0 + (q1 - q0) * (target - r0) / (r1 - r0) if r1 > r0 else q1
    if pts and pts[0][0] >= target:
        return pts[0][1]
    return None


class Hnswlib:
    name = "hnswlib"

    def build(self, x):
        import hnswlib
        self.ix = hnswlib.Index(space="ip", dim=x.shape[1])
        self.ix.init_index(max_elements=len(x), ef_construction=EF_CONSTRUCTION, M=M)
        self.ix.set_num_threads(1)
        self.ix.add_items(x, np.arange(len(x)), num_threads=1)

    def set_ef(self, ef):
        self.ix.set_ef(ef)

    def search(self, q):
        return self.ix.knn_query(q, k=K, num_threads=1)[0][0]

    def save(self, path):
        self.ix.save_index(path)

    def load(self, path, dim):
        import hnswlib
        self.ix = hnswlib.Index(space="ip", dim=dim)
        self.ix.load_index(path)
        self.ix.set_num_threads(1)


class Faiss:
    name = "faiss"

    def build(self, x):
        import faiss
        faiss.omp_set_num_threads(1)
        self.ix = faiss.IndexHNSWFlat(x.shape[1], M, faiss.METRIC_INNER_PRODUCT)
        self.ix.hnsw.efConstruction = EF_CONSTRUCTION
        self.ix.add(x)

    def set_ef(self, ef):
        self.ix.hnsw.efSearch = ef

    def search(self, q):
        return self.ix.search(q.reshape(1, -1), K)[1][0]

    def save(self, path):
        import faiss
        faiss.write_index(self.ix, path)

    def load(self, path, dim):
        import faiss
        self.ix = faiss.read_index(path)


class Usearch:
    name = "usearch"

    def build(self, x):
        from usearch.index import Index
        self.dim = x.shape[1]
        self.ix = Index(ndim=self.dim, metric="ip", dtype="f32", connectivity=M,
                        expansion_add=EF_CONSTRUCTION, expansion_search=64)
        self.ix.add(np.arange(len(x), dtype=np.uint64), x, threads=1)

    def set_ef(self, ef):
        self.ix.expansion_search = ef

    def search(self, q):
        return self.ix.search(q, K, threads=1).keys

    def save(self, path):
        self.ix.save(path)

    def load(self, path, dim):
        from usearch.index import Index
        self.ix = Index(ndim=dim, metric="ip", dtype="f32", connectivity=M,
                        expansion_add=EF_CONSTRUCTION, expansion_search=64)
        self.ix.load(path)


PEERS = {"hnswlib": Hnswlib, "faiss": Faiss, "usearch": Usearch}


def measure(peer, base, queries, gt, efs):
    out = {"peer": peer.name}
    before = rss_mb()
    t = time.perf_counter()
    peer.build(base)
    out["build_s"] = time.perf_counter() - t
    out["index_mb"] = rss_mb() - before
    peer.set_ef(64)
    for q in queries[:200]:
        peer.search(q)
    sweep = []
    for ef in efs:
        peer.set_ef(ef)
        best = 0.0
        for _ in range(3):
            t = time.perf_counter()
            found = [peer.search(q) for q in queries]
            best = max(best, len(queries) / (time.perf_counter() - t))
        sweep.append({"ef": ef, "recall10": recall(found, gt), "qps": best})
    out["sweep"] = sweep
    for target in (0.90, 0.95, 0.99):
        out[f"qps_at_{int(target * 100)}"] = qps_at(sweep, target)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "index")
        t = time.perf_counter()
        peer.save(path)
        out["save_s"] = time.perf_counter() - t
        out["file_mb"] = os.path.getsize(path) / 2**20
        t = time.perf_counter()
        peer.load(path, base.shape[1])
        out["load_s"] = time.perf_counter() - t
    return out


def flat(base, queries, gt):
    import faiss
    faiss.omp_set_num_threads(1)
    ix = faiss.IndexFlatIP(base.shape[1])
    ix.add(base)
    for q in queries[:50]:
        ix.search(q.reshape(1, -1), K)
    best = 0.0
    for _ in range(3):
        t = time.perf_counter()
        found = [ix.search(q.reshape(1, -1), K)[1][0] for q in queries]
        best = max(best, len(queries) / (time.perf_counter() - t))
    gbps = best * base.nbytes / 1e9
    return {"peer": "faiss-flat", "qps": best, "gb_per_s": gbps, "recall10": recall(found, gt)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="data folder (base.f32, queries.f32, groundtruth.i32, meta.json)")
    ap.add_argument("--libs", nargs="+", default=list(PEERS), choices=list(PEERS))
    ap.add_argument("--efs", nargs="+", type=int, default=EFS)
    ap.add_argument("--no-flat", action="store_true")
    ap.add_argument("--json", help="write the results here as JSON")
    a = ap.parse_args()
    base, queries, gt = load(a.data)
    results = {"data": os.path.basename(os.path.normpath(a.data)), "n": len(base), "dim": base.shape[1],
               "queries": len(queries), "peers": []}
    for name in a.libs:
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        results["peers"].append(measure(PEERS[name](), base, queries, gt, a.efs))
    if not a.no_flat:
        results["flat"] = flat(base, queries, gt)
    fmt = lambda v, f="{:,.0f}": "-" if v is None else f.format(v)
    print(f"\n{results['data']}: {results['n']:,} x {results['dim']}, {results['queries']} queries, 1 thread, one query per call")
    print(f"{'peer':10} {'build s':>8} {'MB':>6} {'QPS@0.90':>9} {'QPS@0.95':>9} {'QPS@0.99':>9} {'save s':>7} {'load s':>7}")
    for p in results["peers"]:
        print(f"{p['peer']:10} {p['build_s']:8.1f} {p['index_mb']:6.0f} {fmt(p['qps_at_90']):>9} {fmt(p['qps_at_95']):>9} "
              f"{fmt(p['qps_at_99']):>9} {p['save_s']:7.3f} {p['load_s']:7.3f}")
        print("           sweep: " + ", ".join(f"ef {s['ef']}: {s['recall10']:.3f} @ {s['qps']:,.0f}" for s in p["sweep"]))
    if "flat" in results:
        f = results["flat"]
        print(f"faiss IndexFlatIP exact: {f['qps']:,.0f} QPS ({f['gb_per_s']:.1f} GB/s scanned)")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()
