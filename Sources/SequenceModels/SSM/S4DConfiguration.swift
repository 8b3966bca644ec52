// S4DConfiguration.swift — the hyperparameters of an S4D layer and its initialisation schemes.
//
// Gu, Gupta, Goel, Ré, "On the Parameterization and Initialization of Diagonal State Space
// Models" (2022): §3 (parameterisation, discretisation), §4 (initialisations S4D-LegS, -Inv, -Lin),
// §5 (defaults: Δ log-uniform in [1e-3, 1e-1], C complex normal, B = 1, real part of A through
// −exp(log_A_real)).

import LinearAlgebra
import Numerics

/// How the diagonal state matrix `A` (N/2 complex modes per channel) is initialised.
public enum S4DInitialization: String, Codable, Sendable, CaseIterable {
    /// S4D-LegS: the diagonal part Λ of the NPLR form of HiPPO-LegS (`HiPPO.legSNPLR`), every
    /// real part −½. A learnable B starts from B̃ = V*B (HiPPO's B in the eigenbasis).
    case legS
    /// S4D-Lin: `A_n = −½ + iπn`, n = 0 ..< N/2 (frequencies spaced linearly).
    case lin
    /// S4D-Inv: `A_n = −½ + i (N/π) (N/(2n+1) − 1)`, n = 0 ..< N/2 (frequencies ~ 1/n, an
    /// approximation of S4D-LegS's spectrum).
    case inv

    /// The N/2 continuous-time eigenvalues and the initial input vector for state size `n` (even).
    /// B is ones except for a learnable B under `.legS` (then V*B).
    /// - Throws: `SequenceModelError.invalidConfiguration` if the LegS eigendecomposition fails.
    public func diagonal(stateSize n: Int, learnableInput: Bool) throws(SequenceModelError) -> (a: [Complex<Double>], b: [Complex<Double>]) {
        let half = n / 2
        let ones = [Complex<Double>](repeating: .one, count: half)
        switch self {
        case .lin:
            return ((0..<half).map { Complex(-0.5, Double.pi * Double($0)) }, ones)
        case .inv:
            let big = Double(n)
            return ((0..<half).map { Complex(-0.5, big / Double.pi * (big / Double(2 * $0 + 1) - 1)) }, ones)
        case .legS:
            let d = try HiPPO.legSNPLR(stateSize: n).diagonalHalf()
            return (d.eigenvalues, learnableInput ? d.input : ones)
        }
    }
}

/// How the continuous diagonal system (A, B) becomes the discrete (Ā, B̄) with step Δ.
public enum SSMDiscretization: String, Codable, Sendable, CaseIterable {
    /// Zero-order hold: `Ā = exp(ΔA)`, `B̄ = (Ā − 1)/A · B`.
    case zeroOrderHold
    /// Bilinear (Tustin): `Ā = (1 + ΔA/2)/(1 − ΔA/2)`, `B̄ = Δ B/(1 − ΔA/2)`.
    case bilinear
}

/// The hyperparameters of an `S4D` layer. Every default is the S4D paper's.
public struct S4DConfiguration: Codable, Hashable, Sendable {
    /// H: independent channels (the model width).
    public var channels: Int
    /// N: the state size per channel, even; the layer runs N/2 complex modes and reads 2·Re of
    /// their output (the other N/2 are their conjugates). Default 64.
    public var stateSize: Int
    /// Initialisation of A. Default S4D-Lin.
    public var initialization: S4DInitialization
    /// Discretisation rule. Default zero-order hold.
    public var discretization: SSMDiscretization
    /// Lower end of the log-uniform initial step Δ. Default 1e-3.
    public var dtMin: Double
    /// Upper end of the log-uniform initial step Δ. Default 1e-1.
    public var dtMax: Double
    /// Whether B is a trainable parameter (otherwise fixed, absorbed into C as in s4d.py). Default false.
    public var learnableInput: Bool
    /// Learning rate of the SSM group (A, log Δ, B); nil inherits the optimiser's. Default 1e-3
    /// (the S4 recipe: min(1e-3, lr) with no weight decay).
    public var ssmLearningRate: Double?

    public init(channels: Int, stateSize: Int = 64, initialization: S4DInitialization = .lin,
                discretization: SSMDiscretization = .zeroOrderHold, dtMin: Double = 1e-3, dtMax: Double = 1e-1,
                learnableInput: Bool = false, ssmLearningRate: Double? = 1e-3) {
        self.channels = channels
        self.stateSize = stateSize
        self.initialization = initialization
        self.discretization = discretization
        self.dtMin = dtMin
        self.dtMax = dtMax
        self.learnableInput = learnableInput
        self.ssmLearningRate = ssmLearningRate
    }

    /// The number of complex modes per channel, N/2.
    public var modes: Int { stateSize / 2 }

    /// The optimiser group of A, log Δ and B: own learning rate, no weight decay.
    public var ssmGroup: ParameterGroup {
        ParameterGroup(name: S4DConfiguration.ssmGroupName, learningRate: ssmLearningRate, weightDecay: 0)
    }

    /// The name of the SSM parameter group ("ssm").
    public static let ssmGroupName = "ssm"

    /// Throws for the first field out of range.
    public func validate() throws(SequenceModelError) {
        guard channels >= 1 else { throw .invalidConfiguration(name: "channels", reason: "must be ≥ 1, got \(channels)") }
        guard stateSize >= 2 && stateSize % 2 == 0 else {
            throw .invalidConfiguration(name: "stateSize", reason: "must be even and ≥ 2 (N/2 complex modes), got \(stateSize)")
        }
        guard dtMin.isFinite && dtMin > 0 && dtMax.isFinite && dtMax >= dtMin else {
            throw .invalidConfiguration(name: "dtMin/dtMax", reason: "need 0 < dtMin ≤ dtMax, got \(dtMin), \(dtMax)")
        }
        if let lr = ssmLearningRate, !(lr.isFinite && lr >= 0) {
            throw .invalidConfiguration(name: "ssmLearningRate", reason: "must be finite and ≥ 0, got \(lr)")
        }
    }
}
