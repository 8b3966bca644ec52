// ScalarSpecialized.swift — running a hot kernel as specialised Float or Double code.
//
// The layers are generic over `NeuralScalar`, and a generic method of a class in this module,
// called from another module (the trainer, the benchmark), runs unspecialised: every `+` on a
// `Scalar` goes through a protocol witness. That is harmless around BLAS calls but ruinous in
// element-wise loops (softmax, im2col). A kernel therefore packs its pointers and sizes into a
// non-generic value conforming to `ScalarSpecialized`, and `run(for:)` calls its generic body
// with a *concrete* `Float.self` or `Double.self`, which the optimiser specialises in this
// module. Other conforming scalar types fall back to the generic body.

/// A kernel whose body is generic over the scalar type it reads and writes.
protocol ScalarSpecialized {
    /// The kernel body; raw pointers held by `self` are bound to `S` inside.
    func callAsFunction<S: NeuralScalar>(_ type: S.Type)
}

extension ScalarSpecialized {
    /// Runs the body with `Scalar`, specialised for Float and Double.
    @inline(__always)
    func run<Scalar: NeuralScalar>(for _: Scalar.Type) {
        if Scalar.self == Float.self {
            self(Float.self)
        } else if Scalar.self == Double.self {
            self(Double.self)
        } else {
            self(Scalar.self)
        }
    }
}
