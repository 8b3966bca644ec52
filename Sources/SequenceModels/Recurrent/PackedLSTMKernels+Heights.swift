// PackedLSTMKernels+Heights.swift — the tile kernels of PackedLSTMKernels.swift, one
// out-of-line function per tile height.
//
// Each function inlines the generic tile with its height R a constant, so the dead rows fold
// away. Inlined all into one caller, the six heights exceeded the optimiser's caller-size
// limit and some (the hot 3 on AVX2; 5, 3 and 1 on AVX-512) ran as a shared copy with R a
// run-time value, 2× slower on AVX2 (measured).

extension PackedLSTMKernels {
    @inline(never) static func forwardTile6(_ a: PackedLSTMForwardStep<S>, row r: Int, unit j0: Int, units: Int, weights: UnsafePointer<S>, bias: UnsafePointer<S>) {
        forwardTile(6, a, row: r, unit: j0, units: units, weights: weights, bias: bias)
    }
    @inline(never) static func forwardTile5(_ a: PackedLSTMForwardStep<S>, row r: Int, unit j0: Int, units: Int, weights: UnsafePointer<S>, bias: UnsafePointer<S>) {
        forwardTile(5, a, row: r, unit: j0, units: units, weights: weights, bias: bias)
    }
    @inline(never) static func forwardTile4(_ a: PackedLSTMForwardStep<S>, row r: Int, unit j0: Int, units: Int, weights: UnsafePointer<S>, bias: UnsafePointer<S>) {
        forwardTile(4, a, row: r, unit: j0, units: units, weights: weights, bias: bias)
    }
    @inline(never) static func forwardTile3(_ a: PackedLSTMForwardStep<S>, row r: Int, unit j0: Int, units: Int, weights: UnsafePointer<S>, bias: UnsafePointer<S>) {
        forwardTile(3, a, row: r, unit: j0, units: units, weights: weights, bias: bias)
    }
    @inline(never) static func forwardTile2(_ a: PackedLSTMForwardStep<S>, row r: Int, unit j0: Int, units: Int, weights: UnsafePointer<S>, bias: UnsafePointer<S>) {
        forwardTile(2, a, row: r, unit: j0, units: units, weights: weights, bias: bias)
    }
    @inline(never) static func forwardTile1(_ a: PackedLSTMForwardStep<S>, row r: Int, unit j0: Int, units: Int, weights: UnsafePointer<S>, bias: UnsafePointer<S>) {
        forwardTile(1, a, row: r, unit: j0, units: units, weights: weights, bias: bias)
    }

    @inline(never) static func productTile6(depth: Int, a: UnsafePointer<S>, aRowStride: Int, aDepthStride: Int, b: UnsafePointer<S>, bStride: Int,
                                            c: UnsafeMutablePointer<S>, cStride: Int, columns: Int) {
        productTile(6, depth: depth, a: a, aRowStride: aRowStride, aDepthStride: aDepthStride, b: b, bStride: bStride, c: c, cStride: cStride, columns: columns)
    }
    @inline(never) static func productTile5(depth: Int, a: UnsafePointer<S>, aRowStride: Int, aDepthStride: Int, b: UnsafePointer<S>, bStride: Int,
                                            c: UnsafeMutablePointer<S>, cStride: Int, columns: Int) {
        productTile(5, depth: depth, a: a, aRowStride: aRowStride, aDepthStride: aDepthStride, b: b, bStride: bStride, c: c, cStride: cStride, columns: columns)
    }
    @inline(never) static func productTile4(depth: Int, a: UnsafePointer<S>, aRowStride: Int, aDepthStride: Int, b: UnsafePointer<S>, bStride: Int,
                                            c: UnsafeMutablePointer<S>, cStride: Int, columns: Int) {
        productTile(4, depth: depth, a: a, aRowStride: aRowStride, aDepthStride: aDepthStride, b: b, bStride: bStride, c: c, cStride: cStride, columns: columns)
    }
    @inline(never) static func productTile3(depth: Int, a: UnsafePointer<S>, aRowStride: Int, aDepthStride: Int, b: UnsafePointer<S>, bStride: Int,
                                            c: UnsafeMutablePointer<S>, cStride: Int, columns: Int) {
        productTile(3, depth: depth, a: a, aRowStride: aRowStride, aDepthStride: aDepthStride, b: b, bStride: bStride, c: c, cStride: cStride, columns: columns)
    }
    @inline(never) static func productTile2(depth: Int, a: UnsafePointer<S>, aRowStride: Int, aDepthStride: Int, b: UnsafePointer<S>, bStride: Int,
                                            c: UnsafeMutablePointer<S>, cStride: Int, columns: Int) {
        productTile(2, depth: depth, a: a, aRowStride: aRowStride, aDepthStride: aDepthStride, b: b, bStride: bStride, c: c, cStride: cStride, columns: columns)
    }
    @inline(never) static func productTile1(depth: Int, a: UnsafePointer<S>, aRowStride: Int, aDepthStride: Int, b: UnsafePointer<S>, bStride: Int,
                                            c: UnsafeMutablePointer<S>, cStride: Int, columns: Int) {
        productTile(1, depth: depth, a: a, aRowStride: aRowStride, aDepthStride: aDepthStride, b: b, bStride: bStride, c: c, cStride: cStride, columns: columns)
    }
}
