// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "CostDefender",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "costdefender", targets: ["costdefender"]),
        .library(name: "CostDefender", targets: ["CostDefender"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // cmark-gfm from the system (Debian libcmark-gfm-dev + libcmark-gfm-extensions-dev).
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"]), .brew(["cmark-gfm"])]
        ),
        // zlib from the system, to stream `.csv.gz` FOCUS partitions.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // One C function: an atomic swap of two folders (renameat2), for the site writer.
        .target(name: "CSystemShims"),
        // The ingest's C kernels, each in its own file: the CSV reader's vectorised record
        // splitter and the cube cache's content-hash block function (AVX2 where the CPU has it).
        .target(name: "CKernels"),
        // A per-thread arena allocator for cmark-gfm: a page's nodes are handed out by bumping a
        // pointer and all returned at once, instead of a malloc and a free each.
        .target(name: "CMarkdownArena", dependencies: ["CCmarkGFM"]),
        .target(
            name: "CostDefender",
            dependencies: [
                "CCmarkGFM",
                "CZlib",
                "CSystemShims",
                "CKernels",
                "CMarkdownArena",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        ),
        .executableTarget(
            name: "costdefender",
            dependencies: [
                "CostDefender",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The release tool links the Swift runtime and Foundation statically: no dynamic
            // symbol binding at start and direct calls into the runtime (a cold 1 M-row build
            // ~4 % faster, docs/benchmarks.md), and a binary that runs without the toolchain's
            // libraries. The modules are compiled against the shared Foundation, whose link
            // entries omit the libraries static Foundation needs besides: they are named here.
            linkerSettings: [.unsafeFlags(["-static-stdlib", "-lCoreFoundation", "-l_FoundationICU", "-l_FoundationCShims", "-l_FoundationCollections", "-lswiftSynchronization"], .when(platforms: [.linux], configuration: .release))]
        ),
        .executableTarget(
            name: "costdefender-bench",
            dependencies: ["CostDefender"]
        ),
        .executableTarget(name: "costdefender-forecast-bench", dependencies: ["CostDefender"]),
        .testTarget(
            name: "CostDefenderTests",
            dependencies: ["CostDefender", "CKernels"],
            exclude: ["Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
