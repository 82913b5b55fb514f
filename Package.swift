// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "hyoka",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "hyoka", targets: ["hyoka"]),
        .library(name: "HyokaCore", targets: ["HyokaCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(path: "Vendor/Plot"),  // Plot 0.14.0 from the mirror, escaping patched: Vendor/Plot/HYOKA-PATCH.md
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing.git", from: "1.19.7"),
    ],
    targets: [
        // Pure domain rules: Foundation only, so that every other module (and any
        // other tool) computes fiscal years, rates and labels the same way.
        .target(name: "HyokaCore"),
        .target(name: "HyokaImport", dependencies: ["HyokaCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .target(
            name: "HyokaApp",
            dependencies: [
                "HyokaCore",
                "HyokaImport",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Plot", package: "Plot"),
            ]
        ),
        .executableTarget(name: "hyoka", dependencies: ["HyokaApp"]),
        .testTarget(name: "HyokaCoreTests", dependencies: ["HyokaCore"]),
        .testTarget(name: "HyokaImportTests", dependencies: ["HyokaImport", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(
            name: "HyokaAppTests",
            dependencies: [
                "HyokaApp",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["__Snapshots__"]
        ),
    ]
)
