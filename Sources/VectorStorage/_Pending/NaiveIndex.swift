// TEMPORARY: a naive flat index until the index branch (FlatIndex, HNSWIndex) is merged.
import VectorIndex

final class _NaiveFlatIndex: NearestNeighborIndex, @unchecked Sendable {
    let dimension: Int
    let metric: Metric
    private let lock = ReadWriteLock()
    private var data: [Float] = []
    private var live: [Bool] = []
    private var free: [Int] = []

    init(dimension: Int, metric: Metric) {
        self.dimension = dimension
        self.metric = metric
    }

    var count: Int { lock.withReadLock { live.lazy.filter { $0 }.count } }
    var slotUpperBound: Int { lock.withReadLock { live.count } }

    func add(_ vectors: UnsafeBufferPointer<Float>, threads: Int) -> [Int] {
        lock.withWriteLock {
            var slots: [Int] = []
            for row in 0..<(vectors.count / dimension) {
                let v = vectors[row * dimension..<(row + 1) * dimension]
                if let slot = free.popLast() {
                    data.replaceSubrange(slot * dimension..<(slot + 1) * dimension, with: v)
                    live[slot] = true
                    slots.append(slot)
                } else {
                    data.append(contentsOf: v)
                    live.append(true)
                    slots.append(live.count - 1)
                }
            }
            return slots
        }
    }

    func replace(slot: Int, with vector: UnsafeBufferPointer<Float>) {
        lock.withWriteLock { data.replaceSubrange(slot * dimension..<(slot + 1) * dimension, with: vector) }
    }

    func remove(slot: Int) {
        lock.withWriteLock {
            if live[slot] { live[slot] = false; free.append(slot) }
        }
    }

    func removeAll() { lock.withWriteLock { data = []; live = []; free = [] } }

    func isLive(slot: Int) -> Bool { lock.withReadLock { slot >= 0 && slot < live.count && live[slot] } }

    func withVector<R>(at slot: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        let copy = lock.withReadLock { Array(data[slot * dimension..<(slot + 1) * dimension]) }
        return try copy.withUnsafeBufferPointer(body)
    }

    func search(_ query: UnsafeBufferPointer<Float>, k: Int, options: IndexSearchOptions) -> [SearchHit] {
        lock.withReadLock {
            var hits: [SearchHit] = []
            let qn = (query.reduce(0) { $0 + $1 * $1 }).squareRoot()
            for slot in 0..<live.count where live[slot] {
                if let f = options.filter, !f.accepts(slot) { continue }
                var dot: Float = 0, d2: Float = 0, n2: Float = 0
                for j in 0..<dimension {
                    let x = data[slot * dimension + j], q = query[j]
                    dot += x * q; d2 += (x - q) * (x - q); n2 += x * x
                }
                let score: Float
                switch metric {
                case .cosine: score = (qn == 0 || n2 == 0) ? 0 : dot / (qn * n2.squareRoot())
                case .innerProduct: score = dot
                case .euclidean: score = -d2.squareRoot()
                }
                hits.append(SearchHit(slot: slot, score: score))
            }
            hits.sort { $0.score > $1.score || ($0.score == $1.score && $0.slot < $1.slot) }
            return Array(hits.prefix(k))
        }
    }
}
