import Testing
@testable import VectorIndex

@Test func slotBitsetCounts() {
    var set = SlotBitset(capacity: 10)
    set.insert(3); set.insert(3); set.insert(200)
    #expect(set.count == 2)
    #expect(set.contains(200) && !set.contains(4))
}
