#!/usr/bin/env python3
"""Helper for VectorStorage's FAISS interoperability tests (Tests/VectorStorageTests/FaissInteropTests.swift).

Every array crosses the process boundary as a raw little-endian file (float32, int32, int64, uint64,
float64), with no header; shapes are given on the command line.

Subcommands:
  version                      print faiss's version
  info INDEX                   print JSON: class names, d, ntotal, metric, efSearch/efConstruction
  search INDEX QUERIES --dim D --k K [--ef-search E] --out IDS.i64
                               top-k ids per query (row-major int64), as faiss.read_index + search
  build-hnsw VECTORS --dim D --count N --ids IDS.i64 --m M --ef-construction E --metric ip|l2
             --out INDEX --dump DIR
                               build IndexIDMap2(IndexHNSWFlat(d, M, metric)), write it with
                               faiss.write_index, and dump the graph, vectors and ids FAISS holds
  make-fixtures DIR            write the small genuine FAISS files committed in Tests/Interop/fixtures
"""
import argparse
import json
import os
import sys

import numpy as np


def _faiss():
    import faiss
    faiss.omp_set_num_threads(1)  # deterministic graphs
    return faiss


def cmd_version(_args):
    print(_faiss().__version__)


def cmd_info(args):
    faiss = _faiss()
    index = faiss.read_index(args.index)
    info = {"outer": type(index).__name__, "d": index.d, "ntotal": index.ntotal,
            "metric": int(index.metric_type)}
    if hasattr(index, "index"):
        inner = faiss.downcast_index(index.index)
        info["inner"] = type(inner).__name__
        if hasattr(inner, "hnsw"):
            info["efSearch"] = inner.hnsw.efSearch
            info["efConstruction"] = inner.hnsw.efConstruction
            info["storage"] = type(faiss.downcast_index(inner.storage)).__name__
    print(json.dumps(info))


def cmd_search(args):
    faiss = _faiss()
    index = faiss.read_index(args.index)
    queries = np.fromfile(args.queries, dtype="<f4").reshape(-1, args.dim)
    if args.ef_search is not None:
        inner = faiss.downcast_index(index.index)
        inner.hnsw.efSearch = args.ef_search
    if getattr(args, "ef_search_if_hnsw", None) is not None:
        inner = faiss.downcast_index(index.index)
        if hasattr(inner, "hnsw"):
            inner.hnsw.efSearch = args.ef_search_if_hnsw
    _, ids = index.search(queries, args.k)
    ids.astype("<i8").tofile(args.out)


def build_hnsw(faiss, vectors, ids, m, ef_construction, metric):
    d = vectors.shape[1]
    faiss_metric = faiss.METRIC_INNER_PRODUCT if metric == "ip" else faiss.METRIC_L2
    hnsw = faiss.IndexHNSWFlat(d, m, faiss_metric)
    hnsw.hnsw.efConstruction = ef_construction
    index = faiss.IndexIDMap2(hnsw)
    index.add_with_ids(vectors, ids)
    return index, hnsw


def cmd_build_hnsw(args):
    faiss = _faiss()
    vectors = np.fromfile(args.vectors, dtype="<f4")[: args.count * args.dim].reshape(args.count, args.dim)
    ids = np.fromfile(args.ids, dtype="<i8")
    index, hnsw = build_hnsw(faiss, vectors, ids, args.m, args.ef_construction, args.metric)
    faiss.write_index(index, args.out)
    graph = hnsw.hnsw
    os.makedirs(args.dump, exist_ok=True)
    dumps = {
        "assign_probas.f64": (faiss.vector_to_array(graph.assign_probas), "<f8"),
        "cum_nneighbor_per_level.i32": (faiss.vector_to_array(graph.cum_nneighbor_per_level), "<i4"),
        "levels.i32": (faiss.vector_to_array(graph.levels), "<i4"),
        "offsets.u64": (faiss.vector_to_array(graph.offsets), "<u8"),
        "neighbors.i32": (faiss.vector_to_array(graph.neighbors), "<i4"),
        "ids.i64": (faiss.vector_to_array(index.id_map), "<i8"),
        "vectors.f32": (hnsw.storage.reconstruct_n(0, hnsw.ntotal).reshape(-1), "<f4"),
    }
    for name, (array, dtype) in dumps.items():
        np.asarray(array).astype(dtype).tofile(os.path.join(args.dump, name))
    scalars = {"entry_point": int(graph.entry_point), "max_level": int(graph.max_level),
               "efConstruction": int(graph.efConstruction), "efSearch": int(graph.efSearch),
               "ntotal": int(index.ntotal), "d": int(index.d), "metric": int(index.metric_type)}
    with open(os.path.join(args.dump, "scalars.json"), "w") as f:
        json.dump(scalars, f)


def fixture_vectors(count, dim):
    """Values exactly representable in float32, reproducible in Swift: ((7i + 3j) % 17) / 4 - 2."""
    i = np.arange(count).reshape(-1, 1)
    j = np.arange(dim).reshape(1, -1)
    return (((7 * i + 3 * j) % 17) / 4.0 - 2.0).astype("float32")


def cmd_make_fixtures(args):
    faiss = _faiss()
    os.makedirs(args.dir, exist_ok=True)
    small = fixture_vectors(3, 4)
    small_ids = np.array([10, 20, 30], dtype="int64")
    for name, flat in (("flat_ip", faiss.IndexFlatIP(4)), ("flat_l2", faiss.IndexFlatL2(4))):
        index = faiss.IndexIDMap2(flat)
        index.add_with_ids(small, small_ids)
        faiss.write_index(index, os.path.join(args.dir, name + ".faiss"))
    faiss.write_index(faiss.IndexIDMap2(faiss.IndexFlatIP(4)), os.path.join(args.dir, "empty_flat_ip.faiss"))
    faiss.write_index(faiss.IndexIDMap2(faiss.IndexHNSWFlat(4, 4, faiss.METRIC_L2)),
                      os.path.join(args.dir, "empty_hnsw_l2.faiss"))
    vectors = fixture_vectors(200, 8)
    ids = (np.arange(200, dtype="int64") * 3 + 1000)
    for metric in ("ip", "l2"):
        index, _ = build_hnsw(faiss, vectors, ids, 4, 40, metric)
        faiss.write_index(index, os.path.join(args.dir, "hnsw_%s.faiss" % metric))
    with open(os.path.join(args.dir, "README.md"), "w") as f:
        f.write("Genuine FAISS %s files, made by `python3 Tests/Interop/faiss_tool.py make-fixtures "
                "Tests/Interop/fixtures` (see `fixture_vectors` and `cmd_make_fixtures` there for the data).\n"
                % faiss.__version__)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("version").set_defaults(run=cmd_version)
    p = sub.add_parser("info")
    p.add_argument("index")
    p.set_defaults(run=cmd_info)
    p = sub.add_parser("search")
    p.add_argument("index")
    p.add_argument("queries")
    p.add_argument("--dim", type=int, required=True)
    p.add_argument("--k", type=int, required=True)
    p.add_argument("--ef-search", type=int)
    p.add_argument("--ef-search-if-hnsw", type=int)
    p.add_argument("--out", required=True)
    p.set_defaults(run=cmd_search)
    p = sub.add_parser("build-hnsw")
    p.add_argument("vectors")
    p.add_argument("--dim", type=int, required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--ids", required=True)
    p.add_argument("--m", type=int, required=True)
    p.add_argument("--ef-construction", type=int, required=True)
    p.add_argument("--metric", choices=("ip", "l2"), required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--dump", required=True)
    p.set_defaults(run=cmd_build_hnsw)
    p = sub.add_parser("make-fixtures")
    p.add_argument("dir")
    p.set_defaults(run=cmd_make_fixtures)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    sys.exit(main())
