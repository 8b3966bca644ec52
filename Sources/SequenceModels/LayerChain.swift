// LayerChain.swift — the forward/backward/shape plumbing shared by every model that is a fixed
// chain of layers (Sequential, MLP, Transformer, TCN, …): forward runs the children in order,
// backward runs their backwards last to first, shapes propagate through each.

/// A layer made of a fixed chain of child layers.
public protocol LayerChain: Layer {
    /// The children in forward order.
    var chain: [any Layer<Scalar>] { get }
}

extension LayerChain {
    /// `f_{n−1}(… f_1(f_0(x)))`.
    public func chainForward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        var h = x
        for layer in chain { h = layer.forward(h) }
        return h
    }

    /// The children's backwards, last to first.
    public func chainBackward(_ dy: Tensor<Scalar>) -> Tensor<Scalar> {
        var g = dy
        for layer in chain.reversed() { g = layer.backward(g) }
        return g
    }

    /// The output shape through every child.
    public func chainOutputShape(_ inputShape: [Int]) throws(SequenceModelError) -> [Int] {
        var shape = inputShape
        for layer in chain { shape = try layer.outputShape(for: shape) }
        return shape
    }

    /// Sets training or inference mode on every child.
    public func propagate(_ mode: LayerMode) {
        for layer in chain { layer.mode = mode }
    }
}
