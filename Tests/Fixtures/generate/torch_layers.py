"""Layer, activation and loss references in float64 with PyTorch.

Writes
  torch/layernorm.json    torch.nn.LayerNorm(6, eps=1e-5, elementwise_affine=True)
  torch/activations.json  GELU exact (erf) and GELU tanh approximation, values and derivatives
  torch/losses.json       softmax cross-entropy with class indices and ignore_index, MSE, Huber (delta 1),
                          L1, reductions mean and sum, with gradients
  torch/conv1d.json       dilated causal Conv1d (kernel 3, dilation 2, left padding only)

Cross-checks (fail loudly): each forward against numpy/math formulas, gradients against closed
forms where simple (activations, losses) and central finite differences otherwise.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

import common as cm
import torch_util as tu

GEN = "torch_layers.py"


def layernorm() -> None:
    seed = 7201
    g = tu.SplitMix64(seed)
    shape, Fd, eps = (2, 3, 6), 6, 1e-5
    x = g.tensor(shape, -3.0, 3.0)
    w = g.tensor((Fd,), 0.5, 1.5)
    b = g.tensor((Fd,), -0.5, 0.5)
    R = g.tensor(shape)
    ln = torch.nn.LayerNorm(Fd, eps=eps, elementwise_affine=True, dtype=torch.float64)
    with torch.no_grad():
        ln.weight.copy_(torch.tensor(w))
        ln.bias.copy_(torch.tensor(b))
    xt, Rt = tu.leaf(x), torch.tensor(R)
    y = ln(xt)
    loss = (y * Rt).sum()
    loss.backward()
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    cm.check_close("layernorm vs numpy", y.detach().numpy(), (x - mu) / np.sqrt(var + eps) * w + b, rtol=1e-13, atol=1e-14)
    tensors = {"x": xt, "weight": ln.weight, "bias": ln.bias}
    grads = {k: v.grad.detach().clone() for k, v in tensors.items()}
    tu.fd_check("layernorm", lambda: (ln(xt) * Rt).sum(), tensors, grads)
    cm.write_fixture(
        "torch/layernorm.json", generator=GEN, seeds=[seed],
        description="torch.nn.LayerNorm over the last dimension (6) with affine weight and bias, eps 1e-5, float64: "
                    "output, loss = sum(output * R), gradients w.r.t. x, weight, bias.",
        conventions=[
            "y = (x - mean) / sqrt(var + eps) * weight + bias over the last axis; var is the biased (1/F) variance",
            "shapes: x, output, R (2, 3, 6); weight, bias (6)",
            "loss = sum(output * R); grad.* = d loss / d that tensor",
            "data: SplitMix64(seed) stream in order x U[-3, 3), weight U[0.5, 1.5), bias U[-0.5, 0.5), R U[-1, 1)",
            tu.versions_note(),
        ],
        body=dict(config=dict(normalized_shape=[Fd], eps=eps, elementwise_affine=True),
                  x=cm.real(x), weight=cm.real(w), bias=cm.real(b), R=cm.real(R),
                  output=tu.out(y), loss=float(loss.detach()),
                  grad=dict(x=tu.out(grads["x"]), weight=tu.out(grads["weight"]), bias=tu.out(grads["bias"]))))


def activations() -> None:
    seed = 7202
    g = tu.SplitMix64(seed)
    x = np.concatenate([np.linspace(-6.0, 6.0, 13), g.uniforms(12, -3.0, 3.0)])
    entries = {}
    for name, approx in (("gelu_erf", "none"), ("gelu_tanh", "tanh")):
        xt = tu.leaf(x)
        y = F.gelu(xt, approximate=approx)
        y.sum().backward()
        dy = xt.grad.detach().numpy()
        if approx == "none":
            ref = np.array([0.5 * v * (1.0 + math.erf(v / math.sqrt(2.0))) for v in x])
            dref = np.array([0.5 * (1.0 + math.erf(v / math.sqrt(2.0))) + v * math.exp(-0.5 * v * v) / math.sqrt(2 * math.pi)
                             for v in x])
        else:
            c = math.sqrt(2.0 / math.pi)
            u = c * (x + 0.044715 * x ** 3)
            ref = 0.5 * x * (1.0 + np.tanh(u))
            dref = 0.5 * (1.0 + np.tanh(u)) + 0.5 * x * (1.0 - np.tanh(u) ** 2) * c * (1.0 + 3 * 0.044715 * x ** 2)
        cm.check_close(name + " value", y.detach().numpy(), ref, rtol=1e-14, atol=1e-15)
        cm.check_close(name + " derivative", dy, dref, rtol=1e-13, atol=1e-15)
        entries[name] = dict(torch_call=f"torch.nn.functional.gelu(x, approximate='{approx}')",
                             output=tu.out(y), derivative=cm.real(dy))
    cm.write_fixture(
        "torch/activations.json", generator=GEN, seeds=[seed],
        description="GELU, exact (erf) form and tanh approximation, in float64 with PyTorch: values and "
                    "element-wise derivatives on 25 points.",
        conventions=[
            "gelu_erf: y = 0.5 x (1 + erf(x / sqrt(2))); dy/dx = Phi(x) + x phi(x)",
            "gelu_tanh: y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))",
            "x, output, derivative are 1-D lists of equal length; derivative[i] = d output[i] / d x[i]",
            "x = linspace(-6, 6, 13) followed by SplitMix64(seed).uniforms(12, -3, 3)",
            tu.versions_note(),
        ],
        body=dict(x=cm.real(x), **entries))


def losses() -> None:
    seed = 7203
    g = tu.SplitMix64(seed)
    N, Cn = 6, 5
    logits = g.tensor((N, Cn), -2.0, 2.0)
    target = np.floor(g.uniforms(N, 0.0, 1.0) * Cn).astype(int)
    target[[1, 4]] = -100
    mask = target != -100
    pred = g.tensor((3, 4), -2.0, 2.0)
    tgt = g.tensor((3, 4), -2.0, 2.0)
    diff = pred - tgt
    cm.check("huber covers both branches", np.any(np.abs(diff) < 1) and np.any(np.abs(diff) > 1), str(diff))
    cm.check("no L1 kinks", np.min(np.abs(diff)) > 1e-3, str(diff))

    ce = {}
    logsm = torch.log_softmax(torch.tensor(logits), dim=1).numpy()
    for red in ("mean", "sum"):
        lt = tu.leaf(logits)
        loss = F.cross_entropy(lt, torch.tensor(target), ignore_index=-100, reduction=red)
        loss.backward()
        nll = -logsm[np.arange(N)[mask], target[mask]]
        ref = nll.mean() if red == "mean" else nll.sum()
        cm.check_close(f"ce {red}", float(loss.detach()), ref, rtol=1e-14, atol=1e-15)
        gref = np.exp(logsm)
        gref[np.arange(N)[mask], target[mask]] -= 1.0
        gref[~mask] = 0.0
        if red == "mean":
            gref /= mask.sum()
        cm.check_close(f"ce {red} grad", lt.grad.numpy(), gref, rtol=1e-13, atol=1e-15)
        ce[red] = dict(loss=float(loss.detach()), grad_logits=tu.out(lt.grad))

    reg = {}
    fns = {
        "mse": (lambda p, t, r: F.mse_loss(p, t, reduction=r), lambda d: d ** 2, lambda d: 2 * d),
        "huber": (lambda p, t, r: F.huber_loss(p, t, reduction=r, delta=1.0),
                  lambda d: np.where(np.abs(d) < 1, 0.5 * d ** 2, np.abs(d) - 0.5),
                  lambda d: np.where(np.abs(d) < 1, d, np.sign(d))),
        "l1": (lambda p, t, r: F.l1_loss(p, t, reduction=r), np.abs, np.sign),
    }
    for name, (fn, elem, delem) in fns.items():
        reg[name] = {}
        for red in ("mean", "sum"):
            pt = tu.leaf(pred)
            loss = fn(pt, torch.tensor(tgt), red)
            loss.backward()
            scale = 1.0 / diff.size if red == "mean" else 1.0
            cm.check_close(f"{name} {red}", float(loss.detach()), elem(diff).sum() * scale, rtol=1e-14, atol=1e-15)
            cm.check_close(f"{name} {red} grad", pt.grad.numpy(), delem(diff) * scale, rtol=1e-14, atol=1e-15)
            reg[name][red] = dict(loss=float(loss.detach()), grad_pred=tu.out(pt.grad))
    reg["huber"]["delta"] = 1.0

    cm.write_fixture(
        "torch/losses.json", generator=GEN, seeds=[seed],
        description="Loss references in float64 with PyTorch: softmax cross-entropy with class indices and an "
                    "ignore mask, MSE, Huber (delta 1) and L1, reductions mean and sum, with gradients.",
        conventions=[
            "cross_entropy: logits (N, C) = (6, 5); target: N class indices, -100 = ignored (ignore_index); "
            "mask[i] = target[i] != -100; loss_i = -log_softmax(logits[i])[target[i]]; "
            "mean = sum over unmasked / count(unmasked), sum = sum over unmasked; "
            "grad_logits[i] = (softmax(logits[i]) - onehot(target[i])) (/ count for mean), 0 for ignored rows",
            "log_softmax (N, C) is given for debugging",
            "regression: pred, target (3, 4); d = pred - target; mse: d^2; huber (delta 1): 0.5 d^2 if |d| < 1 "
            "else |d| - 0.5; l1: |d| (no d is near 0); mean divides by 12",
            "grad_pred = d loss / d pred, same shape as pred",
            "data: SplitMix64(seed) stream in order logits U[-2, 2), target floor(U[0, 1) * 5) with rows 1 and 4 "
            "then set to -100, pred U[-2, 2), target U[-2, 2)",
            tu.versions_note(),
        ],
        body=dict(cross_entropy=dict(logits=cm.real(logits), target=[int(t) for t in target], ignore_index=-100,
                                     mask=[bool(m) for m in mask], log_softmax=cm.real(logsm), **ce),
                  regression=dict(pred=cm.real(pred), target=cm.real(tgt), **reg)))


def conv1d() -> None:
    seed = 7204
    g = tu.SplitMix64(seed)
    Bn, Tn, Cin, Cout, K, dil = 2, 10, 2, 3, 3, 2
    pad = (K - 1) * dil
    x = g.tensor((Bn, Tn, Cin))
    k = 1.0 / math.sqrt(Cin * K)
    W = g.tensor((Cout, Cin, K), -k, k)
    bias = g.tensor((Cout,), -k, k)
    R = g.tensor((Bn, Tn, Cout))
    conv = torch.nn.Conv1d(Cin, Cout, K, dilation=dil, padding=0, bias=True, dtype=torch.float64)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor(W))
        conv.bias.copy_(torch.tensor(bias))
    xt, Rt = tu.leaf(x), torch.tensor(R)

    def forward():
        # (B, T, Cin) -> (B, Cin, T), left-pad, convolve, back to (B, T, Cout)
        return conv(F.pad(xt.transpose(1, 2), (pad, 0))).transpose(1, 2)

    y = forward()
    loss = (y * Rt).sum()
    loss.backward()
    ref = np.zeros((Bn, Tn, Cout))
    for b in range(Bn):
        for t in range(Tn):
            for o in range(Cout):
                acc = bias[o]
                for i in range(Cin):
                    for j in range(K):
                        s = t - (K - 1 - j) * dil
                        if s >= 0:
                            acc += W[o, i, j] * x[b, s, i]
                ref[b, t, o] = acc
    cm.check_close("conv1d vs numpy", y.detach().numpy(), ref, rtol=1e-13, atol=1e-14)
    tensors = {"x": xt, "weight": conv.weight, "bias": conv.bias}
    grads = {n: v.grad.detach().clone() for n, v in tensors.items()}
    tu.fd_check("conv1d", lambda: (forward() * Rt).sum(), tensors, grads)
    cm.write_fixture(
        "torch/conv1d.json", generator=GEN, seeds=[seed],
        description="Dilated causal Conv1d (in 2, out 3, kernel 3, dilation 2, left zero-padding (K-1)*dilation = 4 "
                    "only, bias) in float64 with PyTorch: output, loss = sum(output * R), gradients w.r.t. x, "
                    "weight, bias.",
        conventions=[
            "signals are time-major: x (B, T, C_in) = (2, 10, 2), output and R (B, T, C_out) = (2, 10, 3)",
            "weight in PyTorch layout (C_out, C_in, K); bias (C_out)",
            "output[b][t][o] = bias[o] + sum_{i, j} weight[o][i][j] * x[b][t - (K-1-j)*dilation][i], "
            "terms with negative time index are 0 (tap j = K-1 multiplies the current sample; PyTorch "
            "cross-correlation on the left-padded input)",
            "loss = sum(output * R); grad.* = d loss / d that tensor, same shape",
            "data: SplitMix64(seed) stream in order x U[-1, 1), weight and bias U[-1/sqrt(C_in K), 1/sqrt(C_in K)), "
            "R U[-1, 1)",
            tu.versions_note(),
        ],
        body=dict(config=dict(in_channels=Cin, out_channels=Cout, kernel_size=K, dilation=dil, left_padding=pad,
                              batch=Bn, seq_len=Tn),
                  x=cm.real(x), weight=cm.real(W), bias=cm.real(bias), R=cm.real(R), output=tu.out(y),
                  loss=float(loss.detach()),
                  grad=dict(x=tu.out(grads["x"]), weight=tu.out(grads["weight"]), bias=tu.out(grads["bias"]))))


def main() -> None:
    tu.setup()
    layernorm()
    activations()
    losses()
    conv1d()


if __name__ == "__main__":
    main()
