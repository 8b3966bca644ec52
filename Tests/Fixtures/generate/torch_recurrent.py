"""Recurrent-layer references in float64: torch.nn.LSTM, torch.nn.GRU, torch.nn.RNN (tanh).

Writes torch/lstm.json, torch/gru.json, torch/rnn.json.

Each: batch_first input (B, T, I), initial state(s), weights per layer in PyTorch layout, output
sequence of the last layer, final states, loss = sum(output * R) for a fixed R, and the gradient
of the loss with respect to the input, the initial state(s) and every weight.

Cross-checks (fail loudly): the forward pass against a plain numpy implementation of the
documented equations; every gradient against a central finite difference along a random
direction.
"""

from __future__ import annotations

import numpy as np
import torch

import common as cm
import torch_util as tu

GEN = "torch_recurrent.py"

I, H, B, T = 3, 5, 2, 6


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def np_forward(kind: str, layers, x, h0, c0):
    """Plain numpy reference of the documented cell equations (batch_first)."""
    seq = x
    hn, cn = [], []
    for l, w in enumerate(layers):
        h = h0[l].copy()
        c = c0[l].copy() if c0 is not None else None
        outs = []
        for t in range(seq.shape[1]):
            xt = seq[:, t, :]
            gi = xt @ w["weight_ih"].T + w["bias_ih"]
            gh = h @ w["weight_hh"].T + w["bias_hh"]
            if kind == "lstm":
                a = gi + gh
                i_, f_, g_, o_ = np.split(a, 4, axis=1)
                c = sigmoid(f_) * c + sigmoid(i_) * np.tanh(g_)
                h = sigmoid(o_) * np.tanh(c)
            elif kind == "gru":
                ir, iz, inn = np.split(gi, 3, axis=1)
                hr, hz, hnn = np.split(gh, 3, axis=1)
                r = sigmoid(ir + hr)
                z = sigmoid(iz + hz)
                n = np.tanh(inn + r * hnn)
                h = (1 - z) * n + z * h
            else:
                h = np.tanh(gi + gh)
            outs.append(h)
        seq = np.stack(outs, axis=1)
        hn.append(h)
        if c is not None:
            cn.append(c)
    return seq, np.stack(hn), (np.stack(cn) if c0 is not None else None)


def build(kind: str, num_layers: int, seed: int):
    gates = {"lstm": 4, "gru": 3, "rnn": 1}[kind]
    g = tu.SplitMix64(seed)
    k = 1.0 / np.sqrt(H)
    layers = []
    for l in range(num_layers):
        inp = I if l == 0 else H
        layers.append(dict(weight_ih=g.tensor((gates * H, inp), -k, k), weight_hh=g.tensor((gates * H, H), -k, k),
                           bias_ih=g.tensor((gates * H,), -k, k), bias_hh=g.tensor((gates * H,), -k, k)))
    x = g.tensor((B, T, I))
    h0 = g.tensor((num_layers, B, H))
    c0 = g.tensor((num_layers, B, H)) if kind == "lstm" else None
    R = g.tensor((B, T, H))
    return layers, x, h0, c0, R


def run(kind: str, num_layers: int, seed: int, path: str, description: str, conventions: list[str]) -> None:
    layers, x, h0, c0, R = build(kind, num_layers, seed)
    cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind]
    kwargs = dict(input_size=I, hidden_size=H, num_layers=num_layers, batch_first=True, bias=True,
                  dtype=torch.float64)
    if kind == "rnn":
        kwargs["nonlinearity"] = "tanh"
    mod = cls(**kwargs)
    with torch.no_grad():
        for l, w in enumerate(layers):
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(mod, f"{name}_l{l}").copy_(torch.tensor(w[name]))
    xt, h0t = tu.leaf(x), tu.leaf(h0)
    c0t = tu.leaf(c0) if c0 is not None else None
    Rt = torch.tensor(R)

    def forward():
        if kind == "lstm":
            y, (hn, cn) = mod(xt, (h0t, c0t))
            return y, hn, cn
        y, hn = mod(xt, h0t)
        return y, hn, None

    y, hn, cn = forward()
    loss = (y * Rt).sum()
    loss.backward()

    ref_y, ref_hn, ref_cn = np_forward(kind, layers, x, h0, c0)
    cm.check_close(f"{kind} output vs numpy", y.detach().numpy(), ref_y, rtol=1e-13, atol=1e-14)
    cm.check_close(f"{kind} h_n vs numpy", hn.detach().numpy(), ref_hn, rtol=1e-13, atol=1e-14)
    if cn is not None:
        cm.check_close(f"{kind} c_n vs numpy", cn.detach().numpy(), ref_cn, rtol=1e-13, atol=1e-14)

    tensors = {"input": xt, "h0": h0t}
    if c0t is not None:
        tensors["c0"] = c0t
    for l in range(num_layers):
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            tensors[f"{name}_l{l}"] = getattr(mod, f"{name}_l{l}")
    grads = {k: v.grad.detach().clone() for k, v in tensors.items()}
    tu.fd_check(kind, lambda: (forward()[0] * Rt).sum(), tensors, grads)

    def layer_dict(src) -> list:
        return [{name: tu.out(src(f"{name}_l{l}")) for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}
                for l in range(num_layers)]

    config = dict(input_size=I, hidden_size=H, num_layers=num_layers, batch=B, seq_len=T, batch_first=True,
                  bias=True)
    if kind == "rnn":
        config["nonlinearity"] = "tanh"
    body = dict(config=config, layers=layer_dict(lambda n: tensors[n]), input=cm.real(x), h0=cm.real(h0),
                R=cm.real(R), output=tu.out(y), h_n=tu.out(hn), loss=float(loss.detach()))
    grad = dict(input=tu.out(grads["input"]), h0=tu.out(grads["h0"]), layers=layer_dict(lambda n: grads[n]))
    if kind == "lstm":
        body["c0"] = cm.real(c0)
        body["c_n"] = tu.out(cn)
        grad["c0"] = tu.out(grads["c0"])
    body["grad"] = grad
    draw = ("SplitMix64(seed) stream, drawn in this order: for each layer l: weight_ih, weight_hh, bias_ih, "
            "bias_hh, each uniform in [-1/sqrt(H), 1/sqrt(H)) filled row-major; then input, h0"
            + (", c0" if kind == "lstm" else "") + ", R, each uniform in [-1, 1)")
    cm.write_fixture(path, generator=GEN, seeds=[seed], description=description,
                     conventions=conventions + [
                         "shapes: input (B, T, I), output (B, T, H), h0/h_n" + ("/c0/c_n" if kind == "lstm" else "")
                         + " (num_layers, B, H), R (B, T, H); layer l > 0 has input size H",
                         "weights in PyTorch layout: weight_ih (G*H, I_l), weight_hh (G*H, H), bias_ih (G*H), "
                         "bias_hh (G*H), gate blocks stacked by rows in the gate order above",
                         "loss = sum over (b, t, j) of output[b][t][j] * R[b][t][j]; grad.* = d loss / d that tensor, "
                         "same shape and layout as the tensor",
                         draw,
                         tu.versions_note()],
                     body=body)


def main() -> None:
    tu.setup()
    run("lstm", 2, 7001, "torch/lstm.json",
        "torch.nn.LSTM (input 3, hidden 5, 2 layers, batch_first, batch 2, T 6) in float64 with given h0/c0: "
        "weights, output, final states, loss = sum(output * R) and its gradients.",
        ["gate order i, f, g, o (G = 4): [i; f; g; o] = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh; "
         "i, f, o = sigmoid, g = tanh; c_t = f * c_{t-1} + i * g; h_t = o * tanh(c_t)"])
    run("gru", 2, 7002, "torch/gru.json",
        "torch.nn.GRU (input 3, hidden 5, 2 layers, batch_first, batch 2, T 6) in float64 with given h0: "
        "weights, output, final state, loss = sum(output * R) and its gradients.",
        ["gate order r, z, n (G = 3): r = sigmoid(W_ir x + b_ir + W_hr h + b_hr), "
         "z = sigmoid(W_iz x + b_iz + W_hz h + b_hz), n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), "
         "h_t = (1 - z) * n + z * h_{t-1}"])
    run("rnn", 1, 7003, "torch/rnn.json",
        "torch.nn.RNN (Elman, tanh; input 3, hidden 5, 1 layer, batch_first, batch 2, T 6) in float64 with "
        "given h0: weights, output, final state, loss = sum(output * R) and its gradients.",
        ["Elman (G = 1): h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)"])


if __name__ == "__main__":
    main()
