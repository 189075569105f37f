/// The names of a checkpoint's files, in the order a checkpoint renames them into place.
/// `ann_metadata.json` comes last: its rename is the checkpoint's commit point.
enum CheckpointFiles {
    static let payloads = "payloads.json"
    static let vectors = VectorsFile.name
    static let index = "ann_index.faiss"
    static let metadata = "ann_metadata.json"
    static let renameOrder = [payloads, vectors, index, metadata]
    /// Every file a checkpoint writes.
    static let all = Set(renameOrder)
}
