"""Causal multi-head self-attention reference in float64, the peers' `attention` workload
(/work/shared/peers/README.md, section e) at a small size: B = 2, T = 7, d_model = 8, heads 1 and 2,
no biases.

Writes torch/attention.json.

  qkv = x @ Wqkv                         (B, T, 3d); q, k, v = column blocks [0:d], [d:2d], [2d:3d]
  head j uses columns j*dh .. (j+1)*dh - 1 of q, k, v   (dh = d / heads)
  P_j = softmax_row(q_j k_j^T / sqrt(dh) with entries (t, s), s > t, set to -inf)   (B, T, T)
  o_j = P_j v_j; merged = [o_0, o_1, ...] (column blocks)                            (B, T, d)
  out = merged @ Wo                                                                  (B, T, d)
  loss = mean(out^2) over all B*T*d entries

Data as the peers draw it, scaled for d = 8: x = U(31, B*T*d) reshaped (B, T, d);
Wqkv = U(32, d*3d) reshaped (d, 3d) / sqrt(d); Wo = U(33, d*d) reshaped (d, d) / sqrt(d)
(U(seed, n) = n uniforms in [-1, 1) from a fresh SplitMix64(seed)).

Cross-checks (fail loudly): the explicit matmul + mask + softmax path against
torch.nn.functional.scaled_dot_product_attention(is_causal=True) and against numpy; gradients
against central finite differences along random directions.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

import common as cm
import torch_util as tu

GEN = "torch_attention.py"
B, T, D = 2, 7, 8
SEEDS = [31, 32, 33]


def attention(x, Wqkv, Wo, heads: int, fused: bool = False):
    dh = D // heads
    qkv = x @ Wqkv                                        # (B, T, 3D)
    q, k, v = qkv.split(D, dim=-1)                        # (B, T, D) each
    split = lambda a: a.reshape(B, T, heads, dh).transpose(1, 2)  # (B, h, T, dh)
    q, k, v = split(q), split(k), split(v)
    if fused:
        o = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        P = None
    else:
        s = q @ k.transpose(-1, -2) / math.sqrt(dh)       # (B, h, T, T)
        mask = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        P = torch.softmax(s.masked_fill(mask, float("-inf")), dim=-1)
        o = P @ v                                         # (B, h, T, dh)
    merged = o.transpose(1, 2).reshape(B, T, D)           # (B, T, D)
    return merged @ Wo, P


def np_attention(x, Wqkv, Wo, heads: int):
    dh = D // heads
    qkv = x @ Wqkv
    out = np.zeros((B, T, D))
    for b in range(B):
        merged = np.zeros((T, D))
        for j in range(heads):
            cols = slice(j * dh, (j + 1) * dh)
            q, k, v = qkv[b, :, :D][:, cols], qkv[b, :, D:2 * D][:, cols], qkv[b, :, 2 * D:][:, cols]
            for t in range(T):
                s = np.array([q[t] @ k[u] / math.sqrt(dh) for u in range(t + 1)])
                w = np.exp(s - s.max())
                w /= w.sum()
                merged[t, cols] = w @ v[: t + 1]
        out[b] = merged @ Wo
    return out


def main() -> None:
    tu.setup()
    x = tu.SplitMix64(SEEDS[0]).tensor((B, T, D))
    Wqkv = tu.SplitMix64(SEEDS[1]).tensor((D, 3 * D)) / math.sqrt(D)
    Wo = tu.SplitMix64(SEEDS[2]).tensor((D, D)) / math.sqrt(D)
    cases = []
    for heads in (1, 2):
        xt, wq, wo = tu.leaf(x), tu.leaf(Wqkv), tu.leaf(Wo)
        out, P = attention(xt, wq, wo, heads)
        loss = (out ** 2).mean()
        loss.backward()
        with torch.no_grad():
            fused, _ = attention(xt, wq, wo, heads, fused=True)
        cm.check_close(f"heads {heads} explicit vs sdpa", out.detach().numpy(), fused.numpy(), rtol=1e-12, atol=1e-14)
        cm.check_close(f"heads {heads} vs numpy", out.detach().numpy(), np_attention(x, Wqkv, Wo, heads),
                       rtol=1e-12, atol=1e-14)
        cm.check_close(f"heads {heads} rows sum to 1", P.detach().sum(-1).numpy(), np.ones((B, heads, T)),
                       rtol=0, atol=1e-14)
        tensors = {"x": xt, "Wqkv": wq, "Wo": wo}
        grads = {k: v.grad.detach().clone() for k, v in tensors.items()}
        tu.fd_check(f"attention heads {heads}", lambda: (attention(xt, wq, wo, heads)[0] ** 2).mean(), tensors, grads)
        cases.append(dict(heads=heads, d_head=D // heads, output=tu.out(out), attention=tu.out(P),
                          loss=float(loss.detach()),
                          grad=dict(x=tu.out(grads["x"]), Wqkv=tu.out(grads["Wqkv"]), Wo=tu.out(grads["Wo"]))))

    cm.write_fixture(
        "torch/attention.json", generator=GEN, seeds=SEEDS,
        description="Causal multi-head self-attention (the peers' attention workload, small: B 2, T 7, d_model 8, "
                    "heads 1 and 2, no biases) in float64 with PyTorch: output, attention probabilities, "
                    "loss = mean(out^2) and its gradients w.r.t. x, Wqkv, Wo.",
        conventions=[
            "qkv = x @ Wqkv (Wqkv is d x 3d); q, k, v are the column blocks [0:d], [d:2d], [2d:3d] in that order",
            "head j uses columns j*d_head ..< (j+1)*d_head of q, k and v; head outputs are merged as column blocks "
            "in head order; out = merged @ Wo (Wo is d x d)",
            "scores scaled by 1/sqrt(d_head); causal: position t attends to s <= t; softmax over s",
            "shapes: x, output (B, T, d); attention (B, heads, T, T) with attention[b][j][t][s] = weight of s "
            "for query t (0 for s > t); Wqkv (d, 3d); Wo (d, d)",
            "loss = mean over all B*T*d entries of out^2; grad.* = d loss / d that tensor, same shape",
            "data: x = U(31, B*T*d) reshaped (B, T, d); Wqkv = U(32, d*3d) reshaped (d, 3d) / sqrt(d); "
            "Wo = U(33, d*d) reshaped (d, d) / sqrt(d); U(seed, n) = SplitMix64(seed).uniforms(n, -1, 1)",
            tu.versions_note(),
        ],
        body=dict(config=dict(batch=B, seq_len=T, d_model=D, bias=False, causal=True),
                  x=cm.real(x), Wqkv=cm.real(Wqkv), Wo=cm.real(Wo), cases=cases))


if __name__ == "__main__":
    main()
