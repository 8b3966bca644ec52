// LearningRateSchedule.swift — multipliers of the learning rate as a function of the step.
//
// A schedule maps the number of optimiser steps already taken, s = 0, 1, 2, …, to a factor
// that multiplies every parameter group's learning rate (`Optimizer.learningRateFactor`).
// The trainer sets it before every step.

import Foundation

/// A learning-rate multiplier `f(s)` for optimiser step `s` (0-based).
public enum LearningRateSchedule: Codable, Hashable, Sendable {
    /// `f(s) = 1`.
    case constant
    /// Linear warm-up to the base rate: `f(s) = min(1, (s + 1) / w)`.
    case linearWarmup(steps: Int)
    /// Linear warm-up over `w` steps, then cosine decay to `minimumFactor` at step `T`
    /// (Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with Warm Restarts", 2017,
    /// without restarts): for s ≥ w, `p = min(1, (s − w) / max(1, T − w))`,
    /// `f(s) = f_min + (1 − f_min) · (1 + cos(π p)) / 2`.
    case cosine(warmupSteps: Int, totalSteps: Int, minimumFactor: Double)
    /// Step decay (PyTorch's StepLR): `f(s) = γ^⌊s / stepSize⌋`.
    case stepDecay(stepSize: Int, gamma: Double)

    /// The multiplier at step `s`.
    public func factor(atStep s: Int) -> Double {
        switch self {
        case .constant:
            return 1
        case let .linearWarmup(w):
            return w <= 0 ? 1 : Swift.min(1, Double(s + 1) / Double(w))
        case let .cosine(w, total, fmin):
            if s < w { return Double(s + 1) / Double(w) }
            let p = Swift.min(1, Double(s - w) / Double(Swift.max(1, total - w)))
            return fmin + (1 - fmin) * (1 + cos(Double.pi * p)) / 2
        case let .stepDecay(stepSize, gamma):
            return pow(gamma, Double(s / Swift.max(1, stepSize)))
        }
    }

    /// Throws for a parameter out of range (schedules come from experiment specs).
    public func validate() throws(SequenceModelError) {
        switch self {
        case .constant: return
        case let .linearWarmup(w):
            guard w >= 0 else { throw .invalidConfiguration(name: "schedule.steps", reason: "must be ≥ 0, got \(w)") }
        case let .cosine(w, total, fmin):
            guard w >= 0 else { throw .invalidConfiguration(name: "schedule.warmupSteps", reason: "must be ≥ 0, got \(w)") }
            guard total >= w else { throw .invalidConfiguration(name: "schedule.totalSteps", reason: "must be ≥ warmupSteps (\(w)), got \(total)") }
            guard fmin >= 0 && fmin <= 1 else { throw .invalidConfiguration(name: "schedule.minimumFactor", reason: "must be in [0, 1], got \(fmin)") }
        case let .stepDecay(stepSize, gamma):
            guard stepSize >= 1 else { throw .invalidConfiguration(name: "schedule.stepSize", reason: "must be ≥ 1, got \(stepSize)") }
            guard gamma > 0 && gamma.isFinite else { throw .invalidConfiguration(name: "schedule.gamma", reason: "must be positive, got \(gamma)") }
        }
    }
}
