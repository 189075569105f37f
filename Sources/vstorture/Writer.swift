import VectorStorage

/// Runs one writer's operations against the store, printing the oracle lines.
struct TortureWriter {
    let store: InMemoryVectorStore
    let values: ValueGenerator
    let writer: Int
    var chooser: OpChooser
    var existing: Set<VectorID>
    var seq = 0

    init(store: InMemoryVectorStore, seed: UInt64, dimension: Int, writer: Int, allowClear: Bool, existing: Set<VectorID>) {
        self.store = store
        values = ValueGenerator(seed: seed, dimension: dimension)
        self.writer = writer
        chooser = OpChooser(seed: seed, writer: writer, allowClear: allowClear)
        self.existing = existing
    }

    /// Chooses and runs the next operation of the stream; returns whether it succeeded.
    @discardableResult
    mutating func step() async -> Bool {
        let op = chooser.next(existing: existing)
        return await run(op)
    }

    /// Runs `op` as the next operation of this writer's stream.
    @discardableResult
    mutating func run(_ op: TortureOp) async -> Bool {
        seq += 1
        let k = seq
        let w = writer
        let v = values
        func vh(_ id: VectorID) -> String { Fingerprint.vector(v.vector(writer: w, seq: k, id: id)) }
        func ph(_ id: VectorID) -> String { Fingerprint.payload(v.payload(writer: w, seq: k, id: id)) }
        let description: String
        switch op {
        case .put(let ids, let payloadNil):
            let entries = ids.map { "\(Fingerprint.key($0))=\(vh($0))/\(payloadNil ? Fingerprint.payload([:]) : ph($0))" }
            description = "put " + entries.joined(separator: " ")
        case .updateVector(let id): description = "updvec \(Fingerprint.key(id))=\(vh(id))"
        case .updatePayload(let id): description = "updpay \(Fingerprint.key(id))=\(ph(id))"
        case .updateBoth(let id): description = "upd \(Fingerprint.key(id))=\(vh(id))/\(ph(id))"
        case .delete(let ids): description = "del " + ids.map(Fingerprint.key).joined(separator: " ")
        case .clear: description = "clear"
        case .checkpoint: description = "ckpt"
        case .badPut(let ids): description = "badput " + ids.map(Fingerprint.key).joined(separator: " ")
        case .badUpdate(let id): description = "badupd \(Fingerprint.key(id))"
        }
        Out.line("INVOKE \(w) \(k) \(description)")
        do {
            switch op {
            case .put(let ids, let payloadNil):
                let vectors = ids.map { v.vector(writer: w, seq: k, id: $0) }
                let payloads = payloadNil ? nil : ids.map { v.payload(writer: w, seq: k, id: $0) }
                try await store.insert(vectors, ids: ids, payloads: payloads)
                existing.formUnion(ids)
            case .updateVector(let id):
                try await store.update(id, vector: v.vector(writer: w, seq: k, id: id), payload: nil)
            case .updatePayload(let id):
                try await store.update(id, vector: nil, payload: v.payload(writer: w, seq: k, id: id))
            case .updateBoth(let id):
                try await store.update(id, vector: v.vector(writer: w, seq: k, id: id), payload: v.payload(writer: w, seq: k, id: id))
            case .delete(let ids):
                try await store.delete(ids)
                existing.subtract(ids)
            case .clear:
                try await store.deleteCollection()
                existing.removeAll()
            case .checkpoint:
                try await store.checkpoint()
            case .badPut(let ids):
                var vectors = ids.map { v.vector(writer: w, seq: k, id: $0) }
                let row = (k * 7) % vectors.count
                vectors[row][(k * 3) % vectors[row].count] = .nan
                try await store.insert(vectors, ids: ids, payloads: ids.map { v.payload(writer: w, seq: k, id: $0) })
            case .badUpdate(let id):
                try await store.update(id, vector: v.vector(writer: w, seq: k, id: id), payload: nil)
            }
            Out.line("OK \(w) \(k)")
            return true
        } catch {
            let report = ErrorReport(error)
            Out.line("FAIL \(w) \(k) \(report.line)")
            if report.outcome == "unknown" { resync() }
            if !op.isInvalid { await readCheck() }
            return false
        }
    }

    /// After a failed write: reads must keep working (`READ <writer> <seq> ok ...` or `... fail ...`),
    /// and an explicit flush is tried (`FLUSH <writer> <seq> ok` or `... fail ...`).
    func readCheck() async {
        do {
            let count = try store.count()
            let all = try store.list(filter: nil, limit: Int.max, offset: 0)
            var got = 0
            for r in all.results.prefix(5) where try await store.get(r.id)?.vector != nil { got += 1 }
            let hits = try await store.search([Float](repeating: 0.25, count: values.dimension), limit: 3)
            Out.line("READ \(writer) \(seq) ok count=\(count) got=\(got) hits=\(hits.count)")
        } catch {
            Out.line("READ \(writer) \(seq) fail \(ErrorReport(error).line)")
        }
        // And an explicit flush: after a failed flush of the log it must fail too (a retried
        // fsync that succeeds says nothing about the pages the failed one dropped).
        do {
            try await store.flush()
            Out.line("FLUSH \(writer) \(seq) ok")
        } catch {
            Out.line("FLUSH \(writer) \(seq) fail \(ErrorReport(error).line)")
        }
    }

    /// After an operation of unknown outcome, re-reads which of this writer's ids exist.
    mutating func resync() {
        guard let all = try? store.list(filter: nil, limit: Int.max, offset: 0) else { return }
        existing = Set(all.results.map(\.id).filter { OpChooser.owner(of: $0) == writer })
    }
}
