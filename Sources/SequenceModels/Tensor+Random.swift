// Tensor+Random.swift — seeded random tensors.
//
// Every draw comes from a `SplitMix64` passed in explicitly, in row-major order, generated in
// Double and rounded to `Scalar`, so the same seed gives bitwise-identical tensors in every run.

import LinearAlgebra

extension Tensor {
    /// A tensor of uniforms in `[lo, hi)`, filled row-major from `rng`.
    public static func uniform(_ shape: [Int], _ lo: Double = -1, _ hi: Double = 1,
                               using rng: inout SplitMix64) -> Tensor {
        Tensor(shape: shape) { out in
            for i in 0..<out.count { out[i] = Scalar(rng.uniform(lo, hi)) }
        }
    }

    /// A tensor of normal draws with the given mean and standard deviation.
    public static func normal(_ shape: [Int], mean: Double = 0, standardDeviation: Double = 1,
                              using rng: inout SplitMix64) -> Tensor {
        Tensor(shape: shape) { out in
            for i in 0..<out.count { out[i] = Scalar(mean + standardDeviation * rng.normal()) }
        }
    }

    /// A tensor of 0/1 draws that are 1 with probability `p` (Bernoulli).
    public static func bernoulli(_ shape: [Int], probability p: Double, using rng: inout SplitMix64) -> Tensor {
        Tensor(shape: shape) { out in
            for i in 0..<out.count { out[i] = rng.nextUnit() < p ? 1 : 0 }
        }
    }
}
