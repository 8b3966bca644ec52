// FastLength.swift — FFT lengths FFTW transforms fastest.
//
// FFTW has hand-optimised codelets for small radices; lengths whose prime factors are all ≤ 7
// ("7-smooth") run close to the speed of the neighbouring powers of two, while lengths with a
// large prime factor fall back to Rader's or Bluestein's algorithm and run several times slower.
// Padding a convolution to a 7-smooth length instead of the next power of two saves up to ~2×
// in size (e.g. 1100 → 1120 instead of 2048).

/// The smallest `2^a · 3^b · 5^c · 7^d` that is ≥ `n` (1 for n ≤ 1).
/// - Complexity: O(log³ n) candidates.
public func fastFFTLength(atLeast n: Int) -> Int {
    guard n > 1 else { return 1 }
    precondition(n <= Int.max / 8, "fastFFTLength: \(n) is too large") // invariant: signal lengths fit in memory
    var best = Int.max
    var p7 = 1
    while true {
        var p5 = p7
        while true {
            var p3 = p5
            while true {
                var m = p3
                while m < n { m *= 2 }
                best = min(best, m)
                if p3 >= n { break }
                p3 *= 3
            }
            if p5 >= n { break }
            p5 *= 5
        }
        if p7 >= n { break }
        p7 *= 7
    }
    return best
}

/// `true` when `n ≥ 1` has no prime factor above 7.
public func isFastFFTLength(_ n: Int) -> Bool {
    guard n >= 1 else { return false }
    var m = n
    for p in [2, 3, 5, 7] { while m % p == 0 { m /= p } }
    return m == 1
}
