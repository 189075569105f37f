import VectorStorage

/// SplitMix64: a small, fast, seedable generator (the same seed always gives the same stream).
struct SplitMix: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        return SplitMix.mix(state)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    static func combine(_ values: UInt64...) -> UInt64 {
        values.reduce(0x2545_f491_4f6c_dd1d) { mix($0 ^ mix($1)) }
    }
}

/// The deterministic values of the stream: every vector and payload is a function of
/// (seed, writer, sequence number, id), so a failing run can be replayed exactly.
struct ValueGenerator: Sendable {
    let seed: UInt64
    let dimension: Int

    func idHash(_ id: VectorID) -> UInt64 {
        switch id {
        case .int(let i): return SplitMix.combine(1, UInt64(bitPattern: i))
        case .string(let s): return s.utf8.reduce(SplitMix.combine(2, UInt64(s.utf8.count))) { SplitMix.mix($0 ^ UInt64($1)) }
        }
    }

    func vector(writer: Int, seq: Int, id: VectorID) -> [Float] {
        var rng = SplitMix(seed: SplitMix.combine(seed, UInt64(writer), UInt64(seq), idHash(id), 11))
        return (0..<dimension).map { _ in
            let r = rng.next()
            switch r % 64 {
            case 0: return -0.0                                   // sign of zero must survive
            case 1: return Float.leastNonzeroMagnitude            // subnormal
            case 2: return -Float.leastNormalMagnitude
            case 3: return 3.0e38
            default: return Float(Int64(r >> 11) % 2_000_001) / 1_000_000 - 1
            }
        }
    }

    func payload(writer: Int, seq: Int, id: VectorID) -> Payload {
        var rng = SplitMix(seed: SplitMix.combine(seed, UInt64(writer), UInt64(seq), idHash(id), 17))
        let r = rng.next()
        if r % 11 == 0 { return [:] }
        let doubles: [Double] = [0.1, -0.0, 3.0, Double.leastNormalMagnitude / 1024, 1.7976931348623157e308, -2.5e-8, 123456.789]
        let strings = ["plain", "quote\"inside", "back\\slash", "line\nbreak", "tab\there", "café", "日本語", "👩‍👩‍👧", "", "\u{1}ctl"]
        var p: Payload = [
            "seq": .int(Int64(seq)),
            "w": .int(Int64(writer)),
            "tag": .string("t\(r % 97)"),
            "x": .double(doubles[Int(rng.next() % UInt64(doubles.count))]),
            "s": .string(strings[Int(rng.next() % UInt64(strings.count))]),
        ]
        if r % 3 == 0 {
            p["nested"] = .object([
                "a": .array([.int(Int64(bitPattern: rng.next())), .bool(r % 2 == 0), .null, .double(Double(r % 1000) / 8)]),
                "o": .object(["deep": .object(["k": .string("v\(r % 13)")])]),
            ])
        }
        if r % 5 == 0 { p["big"] = .int(Int64.min + Int64(r % 7)) }
        return p
    }
}

/// One operation of the stream, as the oracle line describes it.
enum TortureOp: Sendable {
    /// Upsert of whole entries (insert of new ids or replacement of existing ones); `payloadNil`
    /// passes `payloads: nil` (every payload becomes empty).
    case put([VectorID], payloadNil: Bool)
    case updateVector(VectorID)
    case updatePayload(VectorID)
    case updateBoth(VectorID)
    case delete([VectorID])
    case clear
    case checkpoint
    /// A batch with a NaN component: must be refused whole.
    case badPut([VectorID])
    /// An update of an id that does not exist: must be refused.
    case badUpdate(VectorID)
}

/// Chooses operations for one writer from its own id space. Each writer owns the integer ids
/// `writer * 100_000 + n` and the string ids `w<writer>-k<n>`, so concurrent writers never touch
/// the same id and the oracle can check each writer's stream on its own.
struct OpChooser: Sendable {
    let writer: Int
    let allowClear: Bool
    static let idsPerKind = 90
    var rng: SplitMix

    init(seed: UInt64, writer: Int, allowClear: Bool) {
        self.writer = writer
        self.allowClear = allowClear
        rng = SplitMix(seed: SplitMix.combine(seed, UInt64(writer), 99))
    }

    static func owner(of id: VectorID) -> Int? {
        switch id {
        case .int(let i): return i >= 0 ? Int(i / 100_000) : nil
        case .string(let s):
            guard s.hasPrefix("w"), let dash = s.firstIndex(of: "-") else { return nil }
            return Int(s[s.index(after: s.startIndex)..<dash])
        }
    }

    mutating func randomID() -> VectorID {
        let n = rng.below(Self.idsPerKind)
        return rng.below(2) == 0 ? .int(Int64(writer * 100_000 + n)) : .string("w\(writer)-k\(n)")
    }

    mutating func randomIDs(_ count: Int) -> [VectorID] {
        var seen = Set<VectorID>()
        var ids: [VectorID] = []
        var attempts = 0
        while ids.count < count && attempts < count * 10 {
            attempts += 1
            let id = randomID()
            if seen.insert(id).inserted { ids.append(id) }
        }
        return ids
    }

    mutating func existingID(_ existing: Set<VectorID>) -> VectorID? {
        guard !existing.isEmpty else { return nil }
        // Deterministic choice from a set: sort by the oracle spelling.
        let sorted = existing.map { ($0, Fingerprint.key($0)) }.sorted { $0.1 < $1.1 }
        return sorted[rng.below(sorted.count)].0
    }

    mutating func next(existing: Set<VectorID>) -> TortureOp {
        let roll = rng.below(1000)
        switch roll {
        case 0..<200: return .put([randomID()], payloadNil: false)
        case 200..<320: return .put(randomIDs(2 + rng.below(7)), payloadNil: rng.below(8) == 0)
        case 320..<400: return existingID(existing).map { .put([$0], payloadNil: false) } ?? .put([randomID()], payloadNil: false)
        case 400..<480: return existingID(existing).map(TortureOp.updateVector) ?? .put([randomID()], payloadNil: false)
        case 480..<560: return existingID(existing).map(TortureOp.updatePayload) ?? .put([randomID()], payloadNil: false)
        case 560..<600: return existingID(existing).map(TortureOp.updateBoth) ?? .put([randomID()], payloadNil: false)
        case 600..<700: return .delete([existingID(existing) ?? randomID()])
        case 700..<760: return .delete(randomIDs(2 + rng.below(5)))
        case 760..<790: return .badPut(randomIDs(1 + rng.below(4)))
        case 790..<810:
            // An id outside the writer's space for this kind: never exists.
            return .badUpdate(.int(Int64(writer * 100_000 + 50_000 + rng.below(1000))))
        case 810..<835: return .checkpoint
        case 835..<843: return allowClear ? .clear : .put([randomID()], payloadNil: false)
        default: return .put([randomID()], payloadNil: false)
        }
    }
}
