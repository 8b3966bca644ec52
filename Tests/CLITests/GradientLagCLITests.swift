// GradientLagCLITests.swift — `sslab gradient-lag` (notebook 4): the norms against closed forms
// (an LTI system's Jacobian at lag τ is its kernel tap h[τ]; a single S4D mode decays by Ā per
// step), against finite differences, against the bound ‖J_τ‖ ≤ √H s^τ of a contracting tanh
// RNN, and its errors.

import Foundation
import LinearAlgebra
import TestSupport
import Testing

@Suite struct GradientLagCLITests {
    /// Runs `sslab gradient-lag args… --format csv` and returns the columns after the lag `k`.
    func norms(_ args: [String]) throws -> [String: [Double]] {
        let r = try CLI.run(["gradient-lag"] + args + ["--format", "csv"])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(args): \(r.stderr)")
        let csv = parseNumericCSV(r.stdout)
        guard csv.header.first == "k" else { Issue.record("no lag column k in \(csv.header)"); return [:] }
        var out: [String: [Double]] = [:]
        for (i, name) in csv.header.enumerated().dropFirst() { out[name] = csv.rows.map { $0[i] } }
        #expect(csv.rows.map { $0[0] } == (0..<csv.rows.count).map(Double.init))
        return out
    }

    @Test func ltiGradientAtLagTauIsTheKernelTapNorm() throws {
        // 3 states, 2 inputs, 2 outputs; h[0] = D, h[τ] = C A^(τ−1) B computed here by plain powers.
        let a = Matrix(rowsLiteral: [[0.8, 0.3, 0], [-0.3, 0.8, 0.1], [0, 0, -0.6]])
        let b = Matrix(rowsLiteral: [[1, 0], [0.5, -1], [0.2, 0.7]])
        let c = Matrix(rowsLiteral: [[1, 0, 0.4], [0, -0.8, 1]])
        let d = Matrix(rowsLiteral: [[0.3, 0], [0.1, -0.2]])
        let scratch = try Scratch()
        defer { scratch.remove() }
        let rows = { (m: Matrix) in "[" + m.nestedRows.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]" }
        let file = try scratch.write("sys.json", "{\"A\": \(rows(a)), \"B\": \(rows(b)), \"C\": \(rows(c)), \"D\": \(rows(d)), \"dt\": 1}")
        let length = 40
        var expected = [frobenius(d.elements)]
        var power = b                                                   // A^(τ−1) B
        for _ in 1..<length {
            expected.append(frobenius(multiply(c, power).elements))
            power = multiply(a, power)
        }
        let plain = try norms(["--model", "lti", "--system", file, "--length", "\(length)"])
        // FFT convolution adjoint: rounding is relative to the largest tap, hence the atol.
        expectClose(plain["lti"] ?? [], expected, rtol: 1e-12, atol: 1e-13, "‖h[τ]‖_F")
        // A residual wrapper y = u + f(u) changes lag 0 only: ‖D + I‖_F.
        let residual = try norms(["--model", "lti", "--system", file, "--length", "\(length)", "--residual"])
        var withIdentity = expected
        withIdentity[0] = frobenius([d[0, 0] + 1, d[0, 1], d[1, 0], d[1, 1] + 1])
        expectClose(residual["lti"] ?? [], withIdentity, rtol: 1e-12, atol: 1e-13, "‖h[τ] + δ_τ I‖_F")
    }

    @Test func ltiGradientScalesAsSToTheLagMinusOne() throws {
        // A = s·Q with the same Q, B, C, D for every s (A is rescaled after drawing), so
        // h_s[τ] = s^(τ−1) h_1[τ] for τ ≥ 1 and h_s[0] = D.
        let base = try norms(["--model", "lti", "--hidden", "4", "--length", "30", "--seed", "3"])["lti"] ?? []
        for s in [0.8, 1.2] {
            let scaled = try norms(["--model", "lti", "--hidden", "4", "--length", "30", "--seed", "3", "--scale", "\(s)"])["lti"] ?? []
            let expected = base.indices.map { $0 == 0 ? base[0] : base[$0] * Foundation.pow(s, Double($0 - 1)) }
            expectClose(scaled, expected, rtol: 1e-10, atol: 1e-14, "scale \(s)")
        }
    }

    @Test func backpropMatchesFiniteDifferences() throws {
        // The fast path (one batched backward pass) against central differences, for every model,
        // stacked two deep with residual connections, and with the scaling and gate options.
        let cases: [[String]] = [
            ["--model", "rnn,gru,lstm,lti", "--depth", "2", "--residual"],
            ["--model", "rnn,gru,lstm", "--scale", "1.7", "--seed", "5"],
            ["--model", "gru,lstm", "--forget-bias", "3"],
            ["--model", "ssm", "--depth", "2", "--residual", "--state-size", "6", "--dt", "0.2"],
            ["--model", "ssm", "--state-size", "4"],
        ]
        for args in cases {
            let common = args + ["--hidden", "3", "--length", "12"]
            let fast = try norms(common)
            let reference = try norms(common + ["--method", "finite-difference"])
            #expect(!fast.isEmpty && fast.keys.sorted() == reference.keys.sorted())
            for (name, values) in fast {
                // Central differences with step 1e-6: truncation ~1e-12, cancellation ~1e-10.
                expectClose(values, reference[name] ?? [], rtol: 1e-6, atol: 1e-9, "\(args) \(name)")
            }
        }
    }

    @Test func contractingRNNGradientIsBoundedBySToTheLag() throws {
        // h_t = tanh(W h_{t−1} + U x_t + b) with W = s·Q: ‖∂h_T/∂x_{T−τ}‖_F ≤ s^τ ‖U‖_F ≤ s^τ √H
        // (|tanh'| ≤ 1, ‖W‖₂ = s, entries of U in ±1/√H).
        let h = 8, s = 0.6
        let rnn = try norms(["--model", "rnn", "--hidden", "\(h)", "--length", "60", "--scale", "\(s)"])["rnn"] ?? []
        #expect(rnn.count == 60)
        for (lag, value) in rnn.enumerated() {
            #expect(value <= Foundation.pow(s, Double(lag)) * Double(h).squareRoot(), "lag \(lag): \(value)")
        }
        #expect(rnn[59] < 1e-10 * rnn[0])
    }

    @Test func expandingRNNGradientGrows() throws {
        // ρ(W) = 3: the tanh network is chaotic and the Jacobian product grows (seeded, so the
        // margin below is a fact about this input, not a statistical claim).
        let rnn = try norms(["--model", "rnn", "--length", "100", "--scale", "3"])["rnn"] ?? []
        #expect(rnn.count == 100)
        #expect(rnn[99] > 1e3 * rnn[0])
    }

    @Test func ssmGradientDecaysLikeItsSlowestMode() throws {
        // One channel, one mode (S4D-Lin, N = 2: A = −½), Δ = 0.1: K[τ] ∝ Ā^τ with Ā = e^(−0.05),
        // and y_T = w·GELU(s_T) + b only rescales it, so the norm falls by Ā per step after lag 0.
        let ssm = try norms(["--model", "ssm", "--hidden", "1", "--state-size", "2", "--dt", "0.1", "--length", "60"])["ssm"] ?? []
        #expect(ssm.count == 60)
        let ratios = (1..<(ssm.count - 1)).map { ssm[$0 + 1] / ssm[$0] }
        expectClose(ratios, [Double](repeating: Foundation.exp(-0.05), count: ratios.count), rtol: 1e-9, "per-step ratio")
        let table = try CLI.run(["gradient-lag", "--model", "ssm", "--hidden", "1", "--state-size", "2", "--dt", "0.1", "--length", "5"])
        #expect(table.stdout.contains("ssm 0.9512"), "footnote reports max |Ā| = e^(−0.05): \(table.stdout)")
    }

    @Test func printsEveryKthLagAndDrawsAPlot() throws {
        let r = try CLI.run(["gradient-lag", "--model", "rnn,lstm", "--length", "50", "--every", "10", "--format", "csv"])
        #expect(r.status == 0)
        let csv = parseNumericCSV(r.stdout)
        #expect(csv.header == ["k", "rnn", "lstm"])
        #expect(csv.rows.map { $0[0] } == [0, 10, 20, 30, 40])
        // A list option gives one column per value, each equal to its single-value run.
        let listed = try norms(["--model", "rnn,gru", "--scale", "0.5,2", "--length", "20"])
        #expect(listed.keys.sorted() == ["gru s=0.5", "gru s=2", "rnn s=0.5", "rnn s=2"])
        for (model, s) in [("rnn", "0.5"), ("gru", "2")] {
            let alone = try norms(["--model", model, "--scale", s, "--length", "20"])[model] ?? []
            expectClose(listed["\(model) s=\(s)"] ?? [], alone, rtol: 1e-15, atol: 0, "\(model) s=\(s)")   // the same computation
        }
        let scratch = try Scratch()
        defer { scratch.remove() }
        let svg = try CLI.run(["gradient-lag", "--model", "rnn,ssm", "--length", "50", "-o", scratch.path("lag.svg")])
        #expect(svg.status == 0 && svg.stdout.isEmpty, "\(svg.stderr)")
        let text = try String(contentsOfFile: scratch.path("lag.svg"), encoding: .utf8)
        #expect(text.hasPrefix("<svg") || text.hasPrefix("<?xml"))
        #expect(text.contains("rnn") && text.contains("ssm"))
    }

    @Test func rejectsOptionsThatDoNotApply() throws {
        let cases: [([String], Int32, String)] = [
            (["--model", "ssm", "--scale", "2"], 1, "--scale: ssm has no recurrent weight matrix"),
            (["--model", "rnn", "--dt", "0.1"], 1, "--dt: applies to ssm only"),
            (["--model", "rnn,lstm", "--forget-bias", "2"], 1, "--forget-bias: applies to lstm and gru only, not rnn"),
            (["--model", "rnn", "--state-size", "4"], 1, "--state-size: applies to ssm and lti only"),
            (["--model", "ssm", "--state-size", "5"], 1, "--state-size: must be even"),
            (["--model", "rnn", "--system", "x.json"], 64, "--system applies to --model lti alone"),
            (["--model", "rnn,rnn"], 64, "--model"),
            (["--model", "rnn", "--every", "0"], 64, "--every must be ≥ 1"),
            (["--model", "rnn", "--scale", "1,1"], 64, "--scale: a value is listed twice"),
            (["--model", "rnn", "--hidden", "0"], 1, "--hidden: must be in 1…4096"),
        ]
        for (args, status, message) in cases {
            let r = try CLI.run(["gradient-lag"] + args)
            #expect(r.status == status, "\(args): status \(r.status), \(r.stderr)")
            #expect(r.stderrLines.count == 1 && r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }

    private func frobenius(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    private func multiply(_ x: Matrix, _ y: Matrix) -> Matrix {
        var out = Matrix(rows: x.rows, cols: y.cols)
        for i in 0..<x.rows { for j in 0..<y.cols { for k in 0..<x.cols { out[i, j] += x[i, k] * y[k, j] } } }
        return out
    }
}
