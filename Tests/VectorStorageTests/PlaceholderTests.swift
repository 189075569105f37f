import Testing
@testable import VectorStorage

@Test func vectorIDKindsDiffer() {
    #expect(VectorID.string("7") != VectorID.int(7))
}
