"""Optimizer references in float64: torch.optim SGD (plain, momentum 0.9, Nesterov), Adam, AdamW.

Writes torch/optimizers.json: 5 steps on a fixed parameter vector with a fixed sequence of
gradients (assigned to .grad before each step, not computed from a loss); the parameters after
every step.

Cross-check (fail loudly): a plain numpy implementation of each documented update rule.
"""

from __future__ import annotations

import numpy as np
import torch

import common as cm
import torch_util as tu

GEN = "torch_optim.py"
SEED = 7301
STEPS, N = 5, 4

CONFIGS = [
    ("sgd", "SGD", dict(lr=0.1, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False)),
    ("sgd_momentum", "SGD", dict(lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.0, nesterov=False)),
    ("sgd_nesterov", "SGD", dict(lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.0, nesterov=True)),
    ("adam", "Adam", dict(lr=0.01, betas=[0.9, 0.999], eps=1e-8, weight_decay=0.0, amsgrad=False)),
    ("adamw", "AdamW", dict(lr=0.01, betas=[0.9, 0.999], eps=1e-8, weight_decay=0.01, amsgrad=False)),
]


def numpy_reference(kind: str, hp: dict, p0: np.ndarray, grads: np.ndarray) -> np.ndarray:
    p = p0.copy()
    out = []
    buf = None
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    for t, g in enumerate(grads, start=1):
        if kind == "SGD":
            mu = hp["momentum"]
            d = g
            if mu != 0:
                buf = g.copy() if buf is None else mu * buf + (1 - hp["dampening"]) * g
                d = g + mu * buf if hp["nesterov"] else buf
            p = p - hp["lr"] * d
        else:
            b1, b2 = hp["betas"]
            if kind == "AdamW":
                p = p * (1 - hp["lr"] * hp["weight_decay"])
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            mhat = m / (1 - b1 ** t)
            vhat = v / (1 - b2 ** t)
            p = p - hp["lr"] * mhat / (np.sqrt(vhat) + hp["eps"])
        out.append(p.copy())
    return np.array(out)


def main() -> None:
    tu.setup()
    g = tu.SplitMix64(SEED)
    p0 = g.tensor((N,))
    grads = g.tensor((STEPS, N))
    cases = []
    for name, kind, hp in CONFIGS:
        param = torch.nn.Parameter(torch.tensor(p0))
        kwargs = dict(hp)
        if "betas" in kwargs:
            kwargs["betas"] = tuple(kwargs["betas"])
        opt = getattr(torch.optim, kind)([param], foreach=False, **kwargs)
        traj = []
        for k in range(STEPS):
            opt.zero_grad()
            param.grad = torch.tensor(grads[k])
            opt.step()
            traj.append(param.detach().numpy().copy())
        traj = np.array(traj)
        cm.check_close(f"{name} vs numpy", traj, numpy_reference(kind, hp, p0, grads), rtol=1e-13, atol=1e-15)
        cases.append(dict(name=name, optimizer=f"torch.optim.{kind}", hyperparameters=hp, params=cm.real(traj)))

    cm.write_fixture(
        "torch/optimizers.json", generator=GEN, seeds=[SEED],
        description="torch.optim SGD (plain, momentum 0.9, Nesterov), Adam and AdamW (weight_decay 0.01), float64: "
                    "5 steps on a fixed 4-vector with a fixed gradient sequence; parameters after each step.",
        conventions=[
            "params[k] = parameters after step k+1 (k = 0..4), shape (5, 4); gradients[k] is the gradient assigned "
            "before step k+1 (it does not depend on the parameters)",
            "SGD (dampening 0): step 1 buf = g; later buf = momentum * buf + g; d = g + momentum * buf if nesterov "
            "else buf (d = g when momentum = 0); p = p - lr * d",
            "Adam: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p = p - (lr / (1 - b1^t)) * m / "
            "(sqrt(v) / sqrt(1 - b2^t) + eps), t = step number from 1",
            "AdamW: first p = p * (1 - lr * weight_decay) (decoupled decay), then the Adam update",
            "torch.optim classes were called with foreach=False (single-tensor path)",
            "data: SplitMix64(seed) stream in order initial U[-1, 1) (4), gradients U[-1, 1) (5 x 4, row-major)",
            tu.versions_note(),
        ],
        body=dict(initial=cm.real(p0), gradients=cm.real(grads), cases=cases))


if __name__ == "__main__":
    main()
