"""Helpers of the PyTorch fixture generators: the lab's SplitMix64 stream, float64 set-up,
conversion to fixture lists, and finite-difference gradient checks.

All learning-layer fixtures draw their data from one SplitMix64 stream per file, in a documented
order, so a Swift test can regenerate the inputs bit for bit with
`var g = SplitMix64(seed: S); g.uniforms(n, lo, hi)` (Sources/LinearAlgebra/SplitMix64.swift,
the peers' `U(seed, n, lo, hi)` when called on a fresh generator). The values are recorded in
the fixtures anyway.
"""

from __future__ import annotations

import numpy as np
import torch

import common as cm

MASK64 = (1 << 64) - 1


class SplitMix64:
    """state += 0x9E3779B97F4A7C15; z = mix(state); unit = (z >> 11) * 2^-53."""

    def __init__(self, seed: int):
        self.state = seed & MASK64

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def uniforms(self, n: int, lo: float = -1.0, hi: float = 1.0) -> np.ndarray:
        return np.array([lo + (hi - lo) * (float(self.next() >> 11) * 2.0 ** -53) for _ in range(n)])

    def tensor(self, shape, lo: float = -1.0, hi: float = 1.0) -> np.ndarray:
        """Row-major fill of `shape` from uniforms(prod(shape), lo, hi)."""
        return self.uniforms(int(np.prod(shape)), lo, hi).reshape(shape)


def _self_test() -> None:
    # Reference: the peers' vectorised numpy formula for U(seed, n) (bench_peers.splitmix_uniform).
    golden, m1, m2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
    with np.errstate(over="ignore"):
        i = np.arange(1, 9, dtype=np.uint64)
        z = np.uint64(12345) + i * golden
        z = (z ^ (z >> np.uint64(30))) * m1
        z = (z ^ (z >> np.uint64(27))) * m2
        z = z ^ (z >> np.uint64(31))
    ref = -1.0 + 2.0 * ((z >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0))
    cm.check_close("SplitMix64 vs peers' formula", SplitMix64(12345).uniforms(8), ref, rtol=0, atol=0)


def setup() -> None:
    """float64 everywhere, one thread (fixed reduction order), deterministic kernels."""
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    _self_test()


def leaf(a: np.ndarray) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64, requires_grad=True)


def out(t: torch.Tensor) -> list | float:
    return cm.real(t.detach().cpu().numpy())


def fd_check(label: str, loss_fn, tensors: dict, grads: dict, seed: int = 99,
             eps: float = 1e-6, rtol: float = 1e-6) -> None:
    """Central-difference directional derivative of loss_fn along a random direction, per tensor,
    against <grad, direction>. loss_fn() must read the current values of `tensors`."""
    g = SplitMix64(seed)
    with torch.no_grad():
        base = float(loss_fn())
        for name, t in tensors.items():
            v = torch.tensor(g.tensor(tuple(t.shape)), dtype=torch.float64)
            orig = t.detach().clone()
            t.copy_(orig + eps * v)
            lp = float(loss_fn())
            t.copy_(orig - eps * v)
            lm = float(loss_fn())
            t.copy_(orig)
            fd = (lp - lm) / (2 * eps)
            an = float((grads[name] * v).sum())
            cm.check_close(f"{label} d/d{name} finite difference", an, fd, rtol=rtol,
                           atol=1e-8 * max(1.0, abs(base)))


def versions_note() -> str:
    return f"torch {torch.__version__}, float64 (torch.set_default_dtype(torch.float64)), 1 thread"
