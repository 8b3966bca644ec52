// SSMLayout.swift — the (batch, time, channels) ↔ (batch, channels, time) switch around the
// convolvers, which transform each channel's time series as one contiguous row.
//
// A plain transpose writes (or reads) with a stride of a whole row — L floats for the
// time-major side — and touches a new cache line and often a new page per element; at B·H·L
// ≈ 10⁶ it measured as the largest single cost of an S4D forward. The tiled version moves
// 32 × 32 tiles, so each tile reads 32 contiguous runs and writes 32 contiguous runs.

/// Transposes of stacks of row-major matrices, tiled (fast) and plain (reference).
public enum SSMLayout {
    static let tile = 32

    /// `dst[r][j][i] = src[r][i][j]` for `rows` row-major a × b matrices (into b × a).
    /// - Complexity: O(rows · a · b), cache-friendly tiles.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func transpose<S: BinaryFloatingPoint>(_ src: UnsafeBufferPointer<S>, rows: Int, a: Int, b: Int,
                                                         into dst: UnsafeMutableBufferPointer<S>) {
        precondition(src.count == rows * a * b && dst.count == rows * a * b, "SSMLayout.transpose: sizes") // invariant: caller sizes workspaces
        let t = tile
        for r in 0..<rows {
            let base = r * a * b
            for i0 in stride(from: 0, to: a, by: t) {
                let i1 = Swift.min(i0 + t, a)
                for j0 in stride(from: 0, to: b, by: t) {
                    let j1 = Swift.min(j0 + t, b)
                    for j in j0..<j1 {
                        for i in i0..<i1 { dst[base + j * a + i] = src[base + i * b + j] }
                    }
                }
            }
        }
    }

    /// `dst[r][j][i] = src[r][i][j] + scale[i] · extra[r][j][i]` (a transpose fused with the
    /// S4D skip term D ⊙ u, `extra` in the destination's layout).
    /// - Complexity: O(rows · a · b), tiled like `transpose`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func transpose<S: BinaryFloatingPoint>(_ src: UnsafeBufferPointer<S>, rows: Int, a: Int, b: Int,
                                                         adding extra: UnsafeBufferPointer<S>, scaledBy scale: UnsafeBufferPointer<S>,
                                                         into dst: UnsafeMutableBufferPointer<S>) {
        precondition(src.count == rows * a * b && dst.count == rows * a * b && extra.count == dst.count && scale.count == a, "SSMLayout.transpose(adding:): sizes") // invariant: caller sizes workspaces
        let t = tile
        for r in 0..<rows {
            let base = r * a * b
            for i0 in stride(from: 0, to: a, by: t) {
                let i1 = Swift.min(i0 + t, a)
                for j0 in stride(from: 0, to: b, by: t) {
                    let j1 = Swift.min(j0 + t, b)
                    for j in j0..<j1 {
                        for i in i0..<i1 { dst[base + j * a + i] = src[base + i * b + j] + scale[i] * extra[base + j * a + i] }
                    }
                }
            }
        }
    }

    /// The plain loop `dst[r][j][i] = src[r][i][j]` (reference for the tests).
    public static func transposeReference<S>(_ src: [S], rows: Int, a: Int, b: Int) -> [S] {
        var dst = src
        for r in 0..<rows {
            for i in 0..<a { for j in 0..<b { dst[r * a * b + j * a + i] = src[r * a * b + i * b + j] } }
        }
        return dst
    }

    /// Array convenience: `transpose` into `dst` (resized to fit).
    static func transpose<S: BinaryFloatingPoint>(_ src: UnsafeBufferPointer<S>, rows: Int, a: Int, b: Int, into dst: inout [S]) {
        if dst.count != src.count { dst = [S](repeating: 0, count: src.count) }
        dst.withUnsafeMutableBufferPointer { transpose(src, rows: rows, a: a, b: b, into: $0) }
    }
}
