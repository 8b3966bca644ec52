// swift-tools-version: 6.1
// StateSpaceLab: a Swift laboratory for state-space and sequence models.
// Module graph (each depends only on those above it), see README.md "Architecture":
//   CBLAS, CLAPACKE, CFFTW -> LinearAlgebra -> Spectral -> StateSpace -> SequenceModels
//   -> Baselines -> Evaluation -> Reports -> LabBench -> sslab
import PackageDescription

let numerics = Target.Dependency.product(name: "Numerics", package: "swift-numerics")

// Optional CPU tuning. `SSLAB_TARGET_CPU=haswell swift build` lets the Swift SIMD kernels use
// AVX2 (the dense scan ran 1.6× faster here). The Makefile sets it when /proc/cpuinfo shows
// avx2 and fma. Unset (the default, and always for packages that depend on this one), the build
// targets baseline x86-64 and needs no unsafe flags.
let tuning: [SwiftSetting] = {
    guard let cpu = Context.environment["SSLAB_TARGET_CPU"], !cpu.isEmpty else { return [] }
    // SSLAB_FMA: the target CPU has fused multiply-add (the Makefile only sets one that has),
    // so the LSTM micro-kernels may use it (SequenceModels/Recurrent/PackedLSTMKernels.swift).
    // SSLAB_AVX512: it also has AVX-512 (32 vector registers of 16 floats), so the LSTM tiles
    // grow to 6 rows (SequenceModels/Recurrent/PackedLSTMTile.swift).
    let avx512 = ["skylake-avx512", "cascadelake", "icelake-server", "sapphirerapids", "znver4", "znver5"]
    return [.unsafeFlags(["-target-cpu", cpu]), .define("SSLAB_FMA")] + (avx512.contains(cpu) ? [.define("SSLAB_AVX512")] : [])
}()

let package = Package(
    name: "sslab",
    products: [
        .library(name: "StateSpaceLab", targets: ["StateSpaceLab"]),
        .executable(name: "sslab", targets: ["sslab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // One system-library target per C library: each gets its own pkg-config flags and its
        // own clang module, so <complex.h> pulled in by one header cannot change another.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", pkgConfig: "lapacke", providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3", providers: [.apt(["libfftw3-dev"])]),

        .target(name: "LinearAlgebra", dependencies: ["CBLAS", "CLAPACKE", numerics], swiftSettings: tuning),
        .target(name: "Spectral", dependencies: ["CFFTW", "LinearAlgebra", numerics], swiftSettings: tuning),
        .target(name: "StateSpace", dependencies: ["LinearAlgebra", "Spectral", numerics], swiftSettings: tuning),
        // The neural half: tensors, layers with hand-written backward passes, losses, optimisers,
        // training loop, model files.
        .target(name: "SequenceModels", dependencies: ["LinearAlgebra", "Spectral", "StateSpace", numerics],
                exclude: ["README.md", "SSM/README.md"], swiftSettings: tuning),
        // Classical baselines: ridge, lag-window regressors (FIR, ARX, AR), naive forecasts, N4SID.
        .target(name: "Baselines", dependencies: ["LinearAlgebra", "StateSpace", numerics], swiftSettings: tuning),
        .target(name: "Reports"),
        .target(name: "Evaluation", dependencies: ["LinearAlgebra", "StateSpace", "SequenceModels", "Baselines", "Reports", numerics,
                                                   .product(name: "TOMLKit", package: "TOMLKit")], swiftSettings: tuning),
        .target(name: "LabBench", dependencies: ["LinearAlgebra", "Spectral", "StateSpace", "SequenceModels", "Baselines", "Reports", numerics], swiftSettings: tuning),
        .target(name: "StateSpaceLab", dependencies: ["LinearAlgebra", "Spectral", "StateSpace", "SequenceModels", "Baselines", "Evaluation", "Reports"]),
        .executableTarget(
            name: "sslab",
            dependencies: ["StateSpaceLab", "LabBench", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // Shared test helpers (tolerance helper, fixture loading). Used by test targets only.
        .target(name: "TestSupport", dependencies: ["LinearAlgebra", numerics], path: "Tests/TestSupport"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport", numerics]),
        .testTarget(name: "SpectralTests", dependencies: ["Spectral", "TestSupport", numerics]),
        .testTarget(name: "StateSpaceTests", dependencies: ["StateSpace", "LinearAlgebra", "TestSupport", numerics]),
        .testTarget(name: "SequenceModelsTests", dependencies: ["SequenceModels", "LinearAlgebra", "Spectral", "StateSpace", "TestSupport", numerics]),
        .testTarget(name: "BaselinesTests", dependencies: ["Baselines", "StateSpace", "LinearAlgebra", "TestSupport", numerics]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Baselines", "LinearAlgebra", "SequenceModels", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "TestSupport"]),
        // Golden tests of the `sslab` executable (built by `swift build` before `swift test`).
        .testTarget(name: "CLITests", dependencies: ["StateSpace", "LinearAlgebra", "TestSupport"]),
    ]
)
