// Matrix.swift — the dense real matrix value type used by the control core.
//
// Goals, in priority order:
//  1. One storage order everywhere: **row-major**, element (i, j) at `elements[i * cols + j]`.
//     Conversions happen only at the C boundary (LAPACKE is called with LAPACK_ROW_MAJOR).
//  2. Value semantics with copy-on-write (the storage is a Swift Array).
//  3. Shapes are checked once: initialisers from user data throw; operations between matrices
//     whose shapes a programmer controls use `precondition`.

/// A dense, row-major matrix of `Double` with value semantics.
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int
    /// Row-major elements: `(i, j)` is at `i * cols + j`. Count is `rows * cols`.
    public var elements: [Double]

    /// A `rows × cols` matrix filled with `value`.
    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && cols >= 0, "Matrix dimensions must be non-negative") // invariant: programmer misuse
        self.rows = rows
        self.cols = cols
        self.elements = [Double](repeating: value, count: rows * cols)
    }

    /// A matrix over existing row-major storage.
    public init(rows: Int, cols: Int, elements: [Double]) {
        precondition(rows >= 0 && cols >= 0 && elements.count == rows * cols, "Matrix(rows: \(rows), cols: \(cols)) needs \(rows * cols) elements, got \(elements.count)") // invariant: programmer misuse
        self.rows = rows
        self.cols = cols
        self.elements = elements
    }

    /// A matrix from a list of rows, as in the JSON system format.
    /// - Throws: `LinearAlgebraError.raggedRows` when the rows differ in length.
    public init(_ nested: [[Double]]) throws(LinearAlgebraError) {
        let r = nested.count
        let c = nested.first?.count ?? 0
        var storage = [Double]()
        storage.reserveCapacity(r * c)
        for (i, row) in nested.enumerated() {
            guard row.count == c else { throw .raggedRows(row: i, expected: c, found: row.count) }
            storage.append(contentsOf: row)
        }
        self.init(rows: r, cols: c, elements: storage)
    }

    /// A matrix from a list of rows whose lengths the caller guarantees equal (literals in code).
    public init(rowsLiteral nested: [[Double]]) {
        let c = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == c }, "rows of a matrix literal differ in length") // invariant: programmer misuse
        self.init(rows: nested.count, cols: c, elements: nested.flatMap { $0 })
    }

    /// The `n × n` identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.elements[i * n + i] = 1 }
        return m
    }

    /// The `rows × cols` zero matrix.
    public static func zeros(_ rows: Int, _ cols: Int) -> Matrix { Matrix(rows: rows, cols: cols) }

    /// A square matrix with `d` on its diagonal.
    public static func diagonal(_ d: [Double]) -> Matrix {
        var m = Matrix(rows: d.count, cols: d.count)
        for (i, v) in d.enumerated() { m.elements[i * d.count + i] = v }
        return m
    }

    /// A column vector (`n × 1`).
    public static func column(_ v: [Double]) -> Matrix { Matrix(rows: v.count, cols: 1, elements: v) }

    /// A row vector (`1 × n`).
    public static func row(_ v: [Double]) -> Matrix { Matrix(rows: 1, cols: v.count, elements: v) }

    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get { elements[i * cols + j] }
        set { elements[i * cols + j] = newValue }
    }

    /// `true` when the matrix has as many rows as columns.
    public var isSquare: Bool { rows == cols }

    /// `true` when the matrix has no elements.
    public var isEmpty: Bool { rows == 0 || cols == 0 }

    /// The shape as `(rows, cols)`.
    public var shape: (rows: Int, cols: Int) { (rows, cols) }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] { Array(elements[(i * cols)..<((i + 1) * cols)]) }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] { (0..<rows).map { elements[$0 * cols + j] } }

    /// The rows as nested arrays (the JSON system format).
    public var nestedRows: [[Double]] { (0..<rows).map { row($0) } }

    /// The diagonal as an array.
    public var diagonalElements: [Double] { (0..<Swift.min(rows, cols)).map { elements[$0 * cols + $0] } }

    /// `true` when every element is finite.
    public var isFinite: Bool { elements.allSatisfy { $0.isFinite } }

    public var description: String {
        nestedRows.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: "\n")
    }
}
