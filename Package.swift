// swift-tools-version: 6.1
//
// VectorStorage: an embedded vector store for Swift.
//
// Layers (a lower layer never imports a higher one):
//   CVectorKernels   C distance kernels with per-function target attributes and runtime CPU
//                    dispatch (AVX-512 / AVX2 / NEON / portable), so no `unsafeFlags` are needed.
//   VectorIndex      pure index math: contiguous vector storage, flat exact search, HNSW graph.
//   CStorageSupport  C helpers for the storage layer (hardware CRC32C).
//   VectorStorage    the public API: store protocol, ids, payloads, filters, config, the in-memory
//                    backend, persistence (checkpoint files, write-ahead log, lock), manager.
//   vectorstore      the command-line tool (quickstart, bench, inspect, ...).
//
// Server backends live in the VectorStorage module behind package traits, so that a user of the
// embedded store alone never builds or links SwiftNIO, PostgreSQL or HTTP code:
//   PgVector         `type: "pgvector"`: PostgreSQL + pgvector through vapor/postgres-nio.
//   Chroma           `type: "chroma"`: Chroma's HTTP API v2 through swift-server/async-http-client.
//   ServerBackends   both.
//   KillPoints       test machinery only: compiles the crash tests' kill points (VS_KILL_AT).
// No trait is on by default. A user enables one on their dependency line:
//   .package(url: "...", from: "0.1.0", traits: ["PgVector"])
// and this package's own test script builds with `--traits ServerBackends`.
//   vstorture        a test helper executable: runs a seeded stream of operations against a store
//                    and prints an oracle line before and after each call (crash tests).
import PackageDescription

/// Settings applied to every Swift target: Swift 6 language mode (the tools-version default) plus
/// the upcoming features the Swift server ecosystem (swift-log, Hummingbird) builds with.
let strictSwiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "VectorStorage",
    platforms: [.macOS(.v13), .iOS(.v16), .tvOS(.v16), .watchOS(.v9), .visionOS(.v1)],
    products: [
        .library(name: "VectorStorage", targets: ["VectorStorage"]),
        .library(name: "VectorIndex", targets: ["VectorIndex"]),
        .executable(name: "vectorstore", targets: ["vectorstore"]),
    ],
    traits: [
        .trait(name: "PgVector", description: "The PostgreSQL + pgvector backend (type \"pgvector\"), on postgres-nio."),
        .trait(name: "Chroma", description: "The Chroma backend (type \"chroma\"), on async-http-client."),
        .trait(
            name: "ServerBackends", description: "Every server backend.", enabledTraits: ["PgVector", "Chroma"]),
        .trait(
            name: "KillPoints",
            description: "Compiles the crash tests' kill points (VS_KILL_AT) into the library. For this package's own "
                + "test script only: without it no environment variable can make a process kill itself."),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Documentation only: `swift package generate-documentation` (never built into a product).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(name: "CVectorKernels"),
        .target(
            name: "VectorIndex",
            dependencies: ["CVectorKernels"],
            swiftSettings: strictSwiftSettings
        ),
        .target(name: "CStorageSupport"),
        .target(
            name: "VectorStorage",
            dependencies: [
                "VectorIndex",
                "CStorageSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PgVector"])),
                .product(
                    name: "AsyncHTTPClient", package: "async-http-client", condition: .when(traits: ["Chroma"])),
            ],
            swiftSettings: strictSwiftSettings
        ),
        .executableTarget(
            name: "vectorstore",
            dependencies: [
                "VectorStorage",
                "VectorIndex",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwiftSettings
        ),
        .executableTarget(
            name: "vstorture",
            dependencies: ["VectorStorage"],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "VectorIndexTests",
            dependencies: ["VectorIndex", "CVectorKernels"],
            swiftSettings: strictSwiftSettings
        ),
        .testTarget(
            name: "VectorStorageTests",
            dependencies: [
                "VectorStorage",
                "VectorIndex",
                "CStorageSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSwiftSettings
        ),
    ]
)
