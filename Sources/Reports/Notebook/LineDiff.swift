// LineDiff.swift — a line diff for `sslab notebook check`, computed on masked lines and shown
// with the real ones.
//
// The longest common subsequence of the masked lines (matched by TokenComparison) (dynamic programming, O(n·m) time and
// memory; output sections are short) gives the lines kept, removed (`- `) and added (`+ `);
// hunks show two lines of context and `…` between them.

enum LineDiff {
    /// Diff lines of `old` → `new`, matched on their masked forms (one masked line per line).
    static func hunks(old: [String], new: [String], maskedOld: [String], maskedNew: [String], context: Int = 2) -> [String] {
        precondition(old.count == maskedOld.count && new.count == maskedNew.count, "LineDiff: masked and real line counts differ") // invariant: the mask keeps one line per line
        let n = maskedOld.count, m = maskedNew.count
        // lcs[i][j] = length of the LCS of maskedOld[i...] and maskedNew[j...]
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = TokenComparison.lineMatches(maskedOld[i], maskedNew[j]) ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        enum Op { case same(String), removed(String), added(String) }
        var ops: [Op] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, TokenComparison.lineMatches(maskedOld[i], maskedNew[j]) {
                ops.append(.same(new[j])); i += 1; j += 1
            } else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] {
                ops.append(.removed(old[i])); i += 1   // removals first, as in a unified diff
            } else {
                ops.append(.added(new[j])); j += 1
            }
        }
        let changed = ops.indices.filter { if case .same = ops[$0] { return false } else { return true } }
        var show = Set<Int>()
        for c in changed { for k in max(0, c - context)...min(ops.count - 1, c + context) { show.insert(k) } }
        var out: [String] = []
        var last = -1
        for k in show.sorted() {
            if last >= 0 && k > last + 1 { out.append("…") }
            switch ops[k] {
            case let .same(s): out.append("  " + s)
            case let .removed(s): out.append("- " + s)
            case let .added(s): out.append("+ " + s)
            }
            last = k
        }
        return out
    }
}
