// LongRangeTask.swift — synthetic sequence tasks that need memory over long spans.
//
// Each example is a sequence of T steps with inputs `(T, inputDim)`, targets `(T, outputDim)`,
// and a mask of the steps that are scored. Token tasks use the vocabulary
//     0 = blank, 1…A = data symbols, A + 1 = marker (delimiter / recall cue),
// inputs and targets one-hot over those A + 2 tokens, and also give the token ids.
//
// * Adding problem (Hochreiter & Schmidhuber, "Long short-term memory", 1997; the form of
//   Arjovsky, Shah & Bengio, "Unitary evolution recurrent neural networks", 2016): inputs
//   (T, 2), channel 0 ~ U[0, 1), channel 1 a marker that is 1 at one step drawn from the first
//   half [0, T/2) and at one step from the second half [T/2, T), 0 elsewhere. Target (T, 1): the
//   sum of the two marked values at the LAST step (0 elsewhere). Scored: the last step only.
// * Copy memory (Arjovsky et al. 2016): S symbols drawn from 1…A, then T − 1 blanks, the
//   marker, then S blanks; length T + 2S. The target is blank everywhere except the last S
//   steps, which must reproduce the S symbols in order. Scored: those last S steps (the paper's
//   loss covers every step; the targets here are defined everywhere, so training may do so).
// * Selective copy (Gu & Dao, "Mamba: linear-time sequence modeling with selective state
//   spaces", 2023): S symbols from 1…A placed at S distinct random positions among L blank
//   steps, then S marker steps; length L + S. At the marker steps the target is the S symbols
//   in order of appearance. Scored: the last S steps.
// * Delayed recall: a symbol from 1…A at every one of T steps; the target at step t is the
//   input at step t − d (blank for t < d). Scored: steps t ≥ d.

import LinearAlgebra

/// One sequence of a synthetic task.
public struct SequenceExample: Sendable {
    /// `(T, inputDim)`.
    public var inputs: Matrix
    /// `(T, outputDim)`: real targets (adding) or one-hot tokens.
    public var targets: Matrix
    /// `(T)`: true at the steps that count in metrics.
    public var scored: [Bool]
    /// `(T)` input token ids (token tasks only).
    public var inputTokens: [Int]?
    /// `(T)` target token ids (token tasks only).
    public var targetTokens: [Int]?
}

/// A batch of examples of one task.
public struct SequenceTaskSet: Sendable {
    public var task: LongRangeTask
    public var examples: [SequenceExample]
    /// Number of token classes (nil for the real-valued adding problem).
    public var classCount: Int?
}

/// The long-range tasks and their parameters (see the file comment).
public enum LongRangeTask: Sendable, Equatable {
    case adding(length: Int)
    case copyMemory(delay: Int, symbols: Int = 10, alphabet: Int = 8)
    case selectiveCopy(length: Int, symbols: Int = 16, alphabet: Int = 16)
    case delayedRecall(length: Int, delay: Int, alphabet: Int = 8)

    /// Checks the parameters; nil when valid, else the reason.
    public var invalidReason: String? {
        switch self {
        case let .adding(t): return t >= 2 ? nil : "adding length must be ≥ 2"
        case let .copyMemory(d, s, a): return d >= 1 && s >= 1 && a >= 1 ? nil : "copy-memory needs delay, symbols, alphabet ≥ 1"
        case let .selectiveCopy(l, s, a): return l >= s && s >= 1 && a >= 1 ? nil : "selective-copy needs length ≥ symbols ≥ 1 and alphabet ≥ 1"
        case let .delayedRecall(l, d, a): return l > d && d >= 1 && a >= 1 ? nil : "delayed-recall needs length > delay ≥ 1 and alphabet ≥ 1"
        }
    }

    /// Sequence length T of every example.
    public var sequenceLength: Int {
        switch self {
        case let .adding(t): return t
        case let .copyMemory(d, s, _): return d + 2 * s
        case let .selectiveCopy(l, s, _): return l + s
        case let .delayedRecall(l, _, _): return l
        }
    }

    /// `count` examples drawn from `rng`.
    /// - Complexity: O(count · T · vocabulary).
    public func generate(count: Int, rng: inout SplitMix64) -> SequenceTaskSet {
        precondition(invalidReason == nil && count >= 0, invalidReason ?? "count must be ≥ 0") // invariant: validated by the parser
        let examples = (0..<count).map { _ in example(&rng) }
        switch self {
        case .adding: return SequenceTaskSet(task: self, examples: examples, classCount: nil)
        case let .copyMemory(_, _, a), let .selectiveCopy(_, _, a), let .delayedRecall(_, _, a):
            return SequenceTaskSet(task: self, examples: examples, classCount: a + 2)
        }
    }

    private static func draw(_ n: Int, _ rng: inout SplitMix64) -> Int { Int(rng.next() % UInt64(n)) }

    private func example(_ rng: inout SplitMix64) -> SequenceExample {
        switch self {
        case let .adding(t):
            var x = Matrix(rows: t, cols: 2)
            for i in 0..<t { x.elements[2 * i] = rng.nextUnit() }
            let i1 = Self.draw(t / 2, &rng), i2 = t / 2 + Self.draw(t - t / 2, &rng)
            x.elements[2 * i1 + 1] = 1
            x.elements[2 * i2 + 1] = 1
            var y = Matrix(rows: t, cols: 1)
            y.elements[t - 1] = x.elements[2 * i1] + x.elements[2 * i2]
            return SequenceExample(inputs: x, targets: y, scored: (0..<t).map { $0 == t - 1 }, inputTokens: nil, targetTokens: nil)
        case let .copyMemory(d, s, a):
            let symbols = (0..<s).map { _ in 1 + Self.draw(a, &rng) }
            var input = [Int](repeating: 0, count: d + 2 * s), target = input
            for i in 0..<s { input[i] = symbols[i]; target[d + s + i] = symbols[i] }
            input[s + d - 1] = a + 1
            return Self.tokens(input, target, scored: (0..<(d + 2 * s)).map { $0 >= d + s }, vocabulary: a + 2)
        case let .selectiveCopy(l, s, a):
            // S distinct positions in [0, L): a partial Fisher–Yates shuffle.
            var positions = Array(0..<l)
            for i in 0..<s { positions.swapAt(i, i + Self.draw(l - i, &rng)) }
            let chosen = positions.prefix(s).sorted()
            var input = [Int](repeating: 0, count: l + s), target = input
            for (k, p) in chosen.enumerated() {
                let sym = 1 + Self.draw(a, &rng)
                input[p] = sym
                target[l + k] = sym
            }
            for k in 0..<s { input[l + k] = a + 1 }
            return Self.tokens(input, target, scored: (0..<(l + s)).map { $0 >= l }, vocabulary: a + 2)
        case let .delayedRecall(l, d, a):
            let input = (0..<l).map { _ in 1 + Self.draw(a, &rng) }
            let target = (0..<l).map { $0 >= d ? input[$0 - d] : 0 }
            return Self.tokens(input, target, scored: (0..<l).map { $0 >= d }, vocabulary: a + 2)
        }
    }

    /// One-hot `(T, vocabulary)` encodings of token sequences.
    public static func oneHot(_ tokens: [Int], vocabulary v: Int) -> Matrix {
        var m = Matrix(rows: tokens.count, cols: v)
        for (t, k) in tokens.enumerated() { m.elements[t * v + k] = 1 }
        return m
    }

    private static func tokens(_ input: [Int], _ target: [Int], scored: [Bool], vocabulary: Int) -> SequenceExample {
        SequenceExample(inputs: oneHot(input, vocabulary: vocabulary), targets: oneHot(target, vocabulary: vocabulary),
                        scored: scored, inputTokens: input, targetTokens: target)
    }
}
