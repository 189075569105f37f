/// A ``SearchFilter`` prepared for evaluation over many payloads: field paths split once, value
/// lists turned into hash sets when they are long, range bounds classified. Build one per query and
/// call ``matches(_:)`` for each candidate.
struct CompiledSearchFilter: Sendable {
    private indirect enum Node: Sendable {
        case field(FilterFieldPath, CompiledFieldCondition)
        case and([Node])
        case or([Node])
        case not(Node)
    }

    private let root: Node

    init(_ filter: SearchFilter) {
        root = Self.compile(filter)
    }

    /// Whether `payload` satisfies the filter (see ``SearchFilter/matches(_:)``).
    func matches(_ payload: Payload) -> Bool {
        Self.evaluate(root, payload)
    }

    private static func compile(_ filter: SearchFilter) -> Node {
        switch filter {
        case .field(let path, let condition):
            return .field(FilterFieldPath(path), CompiledFieldCondition(condition))
        case .and(let filters):
            return .and(filters.map(compile))
        case .or(let filters):
            return .or(filters.map(compile))
        case .not(let filter):
            return .not(compile(filter))
        }
    }

    private static func evaluate(_ node: Node, _ payload: Payload) -> Bool {
        switch node {
        case .field(let path, let condition):
            return condition.holds(for: path.resolve(in: payload))
        case .and(let nodes):
            for node in nodes where !evaluate(node, payload) { return false }
            return true
        case .or(let nodes):
            for node in nodes where evaluate(node, payload) { return true }
            return false
        case .not(let node):
            return !evaluate(node, payload)
        }
    }
}
