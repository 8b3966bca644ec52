// swift-tools-version: 6.1
// StateSpaceLab: a Swift laboratory for state-space and sequence models.
// Module graph (each depends only on those above it), see README.md "Architecture":
//   CBLAS, CLAPACKE, CFFTW -> LinearAlgebra -> Spectral -> StateSpace -> SequenceModels
//   -> Baselines -> Evaluation -> Reports -> sslab
import PackageDescription

let package = Package(
    name: "sslab",
    products: [
        .library(name: "StateSpaceLab", targets: ["StateSpaceLab"]),
        .executable(name: "sslab", targets: ["sslab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // One system-library target per C library: each gets its own pkg-config flags and its
        // own clang module, so <complex.h> pulled in by one header cannot change another.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3", providers: [.apt(["libfftw3-dev"])]),

        .target(
            name: "LinearAlgebra",
            dependencies: ["CBLAS", "CLAPACKE", .product(name: "Numerics", package: "swift-numerics")]),

        // The neural half: tensors, layers with hand-written backward passes, losses, optimisers,
        // training loop, model files. The SSM layer will add "Spectral" and "StateSpace" here.
        .target(
            name: "SequenceModels",
            dependencies: ["LinearAlgebra", .product(name: "Numerics", package: "swift-numerics")],
            exclude: ["README.md"]),

        .target(name: "StateSpaceLab", dependencies: ["LinearAlgebra", "SequenceModels"]),
        .executableTarget(
            name: "sslab",
            dependencies: ["StateSpaceLab", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // Shared test helpers (tolerance helper, fixture loading). Used by test targets only.
        .target(name: "TestSupport", dependencies: ["LinearAlgebra"], path: "Tests/TestSupport"),
        .testTarget(
            name: "LinearAlgebraTests",
            dependencies: ["LinearAlgebra", "TestSupport", .product(name: "Numerics", package: "swift-numerics")]),
        .testTarget(
            name: "SequenceModelsTests",
            dependencies: ["SequenceModels", "LinearAlgebra", "TestSupport",
                           .product(name: "Numerics", package: "swift-numerics")]),
    ]
)
