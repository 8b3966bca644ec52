// NotebookSSMKernelCLITests.swift — `sslab ssm-kernel` (the S4D kernels notebook 3 plots),
// against closed forms computed here.

import Foundation
import LinearAlgebra
import TestSupport
import Testing

/// A complex number, just enough for the closed forms below.
private struct C2 {
    var re: Double, im: Double
    static func * (a: C2, b: C2) -> C2 { C2(re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re) }
    static func - (a: C2, b: C2) -> C2 { C2(re: a.re - b.re, im: a.im - b.im) }
    static func / (a: C2, b: C2) -> C2 {
        let d = b.re * b.re + b.im * b.im
        return C2(re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d)
    }
    /// e^(dt·self)
    func exp(_ dt: Double) -> C2 { C2(re: Foundation.exp(dt * re) * cos(dt * im), im: Foundation.exp(dt * re) * sin(dt * im)) }
}

@Suite struct NotebookSSMKernelCLITests {
    @Test func linBasisKernelsMatchTheClosedForm() throws {
        // S4D-Lin, N = 4: A_n = −½ + iπn (n = 0, 1), B = 1, zoh: Ā = e^{ΔA}, B̄ = (Ā − 1)/A.
        let dt = 0.1, length = 6
        let r = try CLI.run(["ssm-kernel", "--init", "lin", "--state-size", "4", "--dt", "\(dt)", "--length", "\(length)", "--show", "basis"])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        let csv = parseNumericCSV(r.stdout)
        #expect(csv.header == ["k", "mode0", "mode1"])
        #expect(csv.rows.map { $0[0] } == (0..<length).map(Double.init))
        for n in 0..<2 {
            let a = C2(re: -0.5, im: Double.pi * Double(n))
            let abar = a.exp(dt), bbar = (abar - C2(re: 1, im: 0)) / a
            var power = C2(re: 1, im: 0)
            var expected: [Double] = []
            for _ in 0..<length { expected.append(2 * (bbar * power).re); power = power * abar }
            expectClose(csv.rows.map { $0[n + 1] }, expected, rtol: 1e-12, atol: 1e-15, "mode \(n)")
        }
    }

    @Test func legsBasisWithHiPPOInputMatchesAnIndependentEigendecomposition() throws {
        // S4D-LegS, N = 8: the modes are the eigenvalues of HiPPO-LegS's normal part
        // S = −½ I + skew, S[n][k] = −½ √(2n+1) √(2k+1) sign(n − k); B̃ = V*B with B[n] = √(2n+1)
        // and each eigenvector's phase chosen so that B̃ₙ = |vₙ*B| ≥ 0. Basis kernel:
        // 2 Re(E |B̃| Āᵏ), Ā = e^{ΔA}, E = (Ā − 1)/A.
        let n = 8, dt = 0.05, length = 4
        var s = Matrix(rows: n, cols: n)
        for i in 0..<n { for k in 0..<n {
            s[i, k] = i == k ? -0.5 : -0.5 * (Double(2 * i + 1) * Double(2 * k + 1)).squareRoot() * (i > k ? 1 : -1)
        } }
        let eig = try s.eigen()
        let modes = (0..<n).filter { eig.values[$0].imaginary > 0 }.sorted { eig.values[$0].imaginary < eig.values[$1].imaginary }
        #expect(modes.count == n / 2)
        let r = try CLI.run(["ssm-kernel", "--init", "legs", "--hippo-input", "--state-size", "\(n)", "--dt", "\(dt)",
                             "--length", "\(length)", "--show", "basis"])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = parseNumericCSV(r.stdout)
        for (m, q) in modes.enumerated() {
            var bt = C2(re: 0, im: 0)
            for k in 0..<n {
                let v = eig.vectors[k, q]
                bt = C2(re: bt.re + v.real * Double(2 * k + 1).squareRoot(), im: bt.im - v.imaginary * Double(2 * k + 1).squareRoot())
            }
            let magnitude = (bt.re * bt.re + bt.im * bt.im).squareRoot()
            let a = C2(re: eig.values[q].real, im: eig.values[q].imaginary)
            let abar = a.exp(dt), e = (abar - C2(re: 1, im: 0)) / a
            var w = C2(re: e.re * magnitude, im: e.im * magnitude)
            var expected: [Double] = []
            for _ in 0..<length { expected.append(2 * w.re); w = w * abar }
            expectClose(csv.rows.map { $0[m + 1] }, expected, rtol: 1e-10, atol: 1e-14, "mode \(m)")
        }
    }

    @Test func modeTablesFollowTheInitialisations() throws {
        let dt = 0.01, n = 6
        let inv = parseNumericCSV(try CLI.run(["ssm-kernel", "--init", "inv", "--state-size", "\(n)", "--dt", "\(dt)", "--show", "modes"]).stdout)
        #expect(inv.header == ["n", "re_A", "im_A", "abs_Abar", "angle_per_step", "steps_to_1e-3"])
        #expect(inv.rows.count == n / 2)
        let big = Double(n)
        let steps = (Foundation.log(1e-3) / (-dt / 2)).rounded(.up)
        for (k, row) in inv.rows.enumerated() {
            expectClose([row[1], row[2], row[3], row[4]],
                        [-0.5, big / Double.pi * (big / Double(2 * k + 1) - 1), Foundation.exp(-dt / 2), dt * row[2]], rtol: 1e-12, atol: 0)
            #expect(row[5] == steps, "every mode forgets after the same number of steps")
        }
        // S4D-LegS: every real part is −½ (the normal part of HiPPO-LegS is −½ I + skew), the
        // frequencies positive and ascending.
        let legs = parseNumericCSV(try CLI.run(["ssm-kernel", "--init", "legs", "--state-size", "16", "--show", "modes"]).stdout)
        #expect(legs.rows.count == 8)
        expectClose(legs.rows.map { $0[1] }, [Double](repeating: -0.5, count: 8), rtol: 1e-10, atol: 1e-10)
        let im = legs.rows.map { $0[2] }
        #expect(im.first! > 0 && zip(im, im.dropFirst()).allSatisfy { $0 < $1 })
        let md = try CLI.run(["ssm-kernel", "--init", "lin", "--state-size", "4", "--show", "modes", "--format", "md"])
        #expect(md.stdout.hasPrefix("Modes of S4D-Lin (N = 4, Δ = 0.01)\n\n| n | re\\_A | im\\_A |"))
    }

    @Test func layerKernelsAreSeededAndPlottable() throws {
        let args = ["ssm-kernel", "--init", "legs", "--state-size", "8", "--channels", "2", "--length", "7"]
        let a = try CLI.run(args), b = try CLI.run(args), c = try CLI.run(args + ["--seed", "5"])
        #expect(a.status == 0 && a.stdout == b.stdout, "same seed, same kernels")
        #expect(a.stdout != c.stdout, "C is drawn from the seed")
        let csv = parseNumericCSV(a.stdout)
        #expect(csv.header == ["k", "K1", "K2"] && csv.rows.count == 7)
        #expect(csv.rows.allSatisfy { $0.allSatisfy(\.isFinite) })

        let s = try Scratch(); defer { s.remove() }
        let plot = try CLI.run(["ssm-kernel", "--init", "inv", "--length", "50", "-o", s.path("k.svg")])
        #expect(plot.status == 0 && plot.stdout.isEmpty)
        let svg = try String(contentsOfFile: s.path("k.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("S4D-Inv (N = 64, Δ = 0.01): kernel"))
    }

    @Test func badFlagsAreUsageErrors() throws {
        let cases: [([String], String)] = [
            (["--state-size", "7"], "sslab: --state-size must be even and in 2…4096, got 7"),
            (["--dt", "0"], "sslab: --dt must be a positive finite number, got 0.0"),
            (["--init", "lin", "--hippo-input"], "sslab: --hippo-input applies only to --init legs"),
            (["--format", "md"], "sslab: --format applies only to --show modes (kernels are CSV or, with -o FILE.svg, a plot)"),
            (["--show", "modes", "-o", "m.svg"], "sslab: --show modes prints a table; an .svg output is for kernel and basis"),
        ]
        for (args, message) in cases {
            let r = try CLI.run(["ssm-kernel"] + args)
            #expect(r.status == 64 && r.stderrLines == [Substring(message)], "\(args): \(r.stderr)")
        }
        let bad = try CLI.run(["ssm-kernel", "--init", "hippo"])
        #expect(bad.status == 64 && bad.stderrLines.count == 1)
    }
}
