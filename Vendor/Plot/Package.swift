// swift-tools-version:5.4

// Plot 0.14.0 (https://github.com/JohnSundell/Plot, commit ab765bb67fc2dc674aca0a08a82e422d37c1f248,
// from the package mirror) with one change, described in HYOKA-PATCH.md: attribute values and
// text are escaped completely when rendered.

import PackageDescription

let package = Package(
    name: "Plot",
    products: [
        .library(
            name: "Plot",
            targets: ["Plot"]
        )
    ],
    targets: [
        .target(name: "Plot")
    ]
)
