"""S4D references in float64 with PyTorch: the HiPPO-LegS matrix and its NPLR diagonal, and the
S4D layer (zero-order hold and bilinear) forward and gradients.

Writes
  torch/s4d.json   hippo:  HiPPO-LegS A, B for N = 6, the low-rank factor P, and the imaginary
                           parts of the eigenvalues of S = A + P P^T with positive imaginary part
                           (ascending), from numpy.linalg.eigvals
                   cases:  one per discretisation: an S4D layer (H = 2 channels, P = 3 complex modes,
                           N = 6) on u of shape (batch 2, L 12, H 2): output and the gradients of
                           loss = sum(output * R) w.r.t. u and every parameter, by torch autograd

The layer (Gu, Gupta, Goel, Ré, "On the Parameterization and Initialization of Diagonal State
Space Models", 2022), written here from the formulas, independently of the Swift code:
  dt = exp(log_dt[h]);  A = -exp(log_A_real[h, n]) + i A_imag[h, n]
  zoh:      Abar = exp(dt A),                       Bbar = (Abar - 1) / A * B
  bilinear: Abar = (1 + dt A / 2) / (1 - dt A / 2),  Bbar = dt B / (1 - dt A / 2)
  K[h, l] = 2 Re sum_n C[h, n] Bbar[h, n] Abar[h, n]^l
  y[b, t, h] = sum_{j <= t} K[h, j] u[b, t - j, h] + D[h] u[b, t, h]   (FFT of length 2L)

Cross-checks (fail loudly): the HiPPO matrix against its entry-wise closed form and S = A + P P^T
against "-1/2 I + skew-symmetric"; the FFT-convolution output against the S4 recursion
x[k] = Abar x[k-1] + Bbar u[k], y[k] = 2 Re C x[k] + D u[k] run in numpy; every gradient against
central finite differences along a random direction.
"""

from __future__ import annotations

import math

import numpy as np
import torch

import common as cm
import torch_util as tu

GEN = "torch_ssm.py"


def hippo(n: int) -> dict:
    k = np.arange(n)
    r = np.sqrt(2 * k + 1.0)
    A = -np.tril(np.outer(r, r), -1) - np.diag(k + 1.0)
    B = r.copy()
    P = np.sqrt(k + 0.5)
    # Closed form entry by entry.
    for i in range(n):
        for j in range(n):
            want = -math.sqrt((2 * i + 1) * (2 * j + 1)) if i > j else (-(i + 1.0) if i == j else 0.0)
            cm.check_close(f"hippo A[{i},{j}]", A[i, j], want, rtol=1e-15, atol=0)
    S = A + np.outer(P, P)
    cm.check_close("S + S^T = -I", S + S.T, -np.eye(n), rtol=0, atol=1e-13)
    lam = np.linalg.eigvals(S)
    cm.check_close("Re eig(S) = -1/2", lam.real, np.full(n, -0.5), rtol=0, atol=1e-12)
    imag = np.sort(lam.imag[lam.imag > 0])
    cm.check("half spectrum", len(imag) == n // 2, f"{len(imag)} eigenvalues with Im > 0")
    return dict(N=n, A=cm.matrix2d(A), B=cm.real(B), P=cm.real(P), eig_imag_positive=cm.real(imag))


def s4d_forward(u, log_dt, log_a_real, a_imag, b_re, b_im, c_re, c_im, d, disc: str):
    """u (B, L, H) real; parameters as torch tensors; returns y (B, L, H) and K (H, L)."""
    L = u.shape[1]
    dt = torch.exp(log_dt)[:, None]                                     # (H, 1)
    A = torch.complex(-torch.exp(log_a_real), a_imag)                   # (H, P)
    Bc = torch.complex(b_re, b_im)
    Cc = torch.complex(c_re, c_im)
    dtA = A * dt
    if disc == "zoh":
        Abar = torch.exp(dtA)
        Bbar = (Abar - 1) / A * Bc
    else:
        Abar = (1 + dtA / 2) / (1 - dtA / 2)
        Bbar = dt * Bc / (1 - dtA / 2)
    powers = Abar[..., None] ** torch.arange(L, dtype=torch.float64)    # (H, P, L)
    K = 2 * torch.einsum("hn,hnl->hl", Cc * Bbar, powers).real          # (H, L)
    uf = torch.fft.rfft(u.transpose(1, 2), n=2 * L)                     # (B, H, L+1)
    kf = torch.fft.rfft(K, n=2 * L)
    y = torch.fft.irfft(uf * kf, n=2 * L)[..., :L].transpose(1, 2)      # (B, L, H)
    return y + d * u, K, Abar, Bbar, Cc


def recurrence(u, Abar, Bbar, C, d):
    """The S4 recursion in numpy (independent of the FFT path)."""
    Bn, L, H = u.shape
    y = np.zeros_like(u)
    for b in range(Bn):
        x = np.zeros(Abar.shape, dtype=np.complex128)
        for t in range(L):
            x = Abar * x + Bbar * u[b, t][:, None]
            y[b, t] = 2 * (C * x).sum(-1).real + d * u[b, t]
    return y


def case(disc: str, seed: int) -> dict:
    g = tu.SplitMix64(seed)
    Bn, L, H, P = 2, 12, 2, 3
    data = dict(
        log_dt=g.tensor((H,), math.log(0.05), math.log(0.5)),
        log_A_real=np.log(g.tensor((H, P), 0.3, 0.8)),
        A_imag=g.tensor((H, P), -3.0, 3.0),
        B_re=g.tensor((H, P), 0.5, 1.5), B_im=g.tensor((H, P), -0.5, 0.5),
        C_re=g.tensor((H, P)), C_im=g.tensor((H, P)),
        D=g.tensor((H,)),
        u=g.tensor((Bn, L, H)),
    )
    R = g.tensor((Bn, L, H))
    leaves = {k: tu.leaf(v) for k, v in data.items()}
    order = ["u", "log_dt", "log_A_real", "A_imag", "B_re", "B_im", "C_re", "C_im", "D"]

    def run():
        return s4d_forward(*(leaves[k] for k in order), disc)

    y, K, Abar, Bbar, Cc = run()
    Rt = torch.tensor(R)
    loss = (y * Rt).sum()
    loss.backward()
    rec = recurrence(data["u"], Abar.detach().numpy(), Bbar.detach().numpy(), Cc.detach().numpy(), data["D"])
    cm.check_close(f"{disc}: FFT convolution vs recursion", y.detach().numpy(), rec, rtol=1e-11, atol=1e-12)
    grads = {k: v.grad.detach().clone() for k, v in leaves.items()}
    tu.fd_check(f"s4d {disc}", lambda: (run()[0] * Rt).sum(), leaves, grads)

    def pair(re, im):
        return np.stack([re, im], axis=-1)

    gn = {k: v.numpy() for k, v in grads.items()}
    return dict(
        discretization=disc, batch=Bn, length=L, channels=H, modes=P,
        log_dt=cm.real(data["log_dt"]), log_A_real=cm.real(data["log_A_real"]), A_imag=cm.real(data["A_imag"]),
        B=cm.real(pair(data["B_re"], data["B_im"])), C=cm.real(pair(data["C_re"], data["C_im"])), D=cm.real(data["D"]),
        u=cm.real(data["u"]), R=cm.real(R), output=tu.out(y), kernel=tu.out(K),
        grad=dict(u=cm.real(gn["u"]), log_dt=cm.real(gn["log_dt"]), log_A_real=cm.real(gn["log_A_real"]),
                  A_imag=cm.real(gn["A_imag"]), B=cm.real(pair(gn["B_re"], gn["B_im"])),
                  C=cm.real(pair(gn["C_re"], gn["C_im"])), D=cm.real(gn["D"])),
    )


def main() -> None:
    tu.setup()
    seeds = [7401, 7402]
    cases = [case("zoh", seeds[0]), case("bilinear", seeds[1])]
    cm.write_fixture(
        "torch/s4d.json", generator=GEN, seeds=seeds,
        description="HiPPO-LegS (N = 6) with its NPLR normal part's half spectrum, and an S4D layer "
                    "(H 2, P 3, batch 2, L 12) under zero-order hold and bilinear discretisation in float64 with "
                    "PyTorch: kernel, output, and gradients of sum(output * R) by autograd.",
        conventions=[
            "hippo.A[n][k] = -sqrt(2n+1) sqrt(2k+1) (n > k), -(n+1) (n = k), 0 (n < k); B[n] = sqrt(2n+1); P[n] = sqrt(n + 1/2)",
            "hippo.eig_imag_positive: Im of the eigenvalues of A + P P^T with Im > 0, ascending (all real parts are -1/2)",
            "layer parameters in the lab's layout: log_dt (H), log_A_real (H, P), A_imag (H, P), B and C (H, P, 2) "
            "with (re, im) last, D (H); u, R, output (batch, L, H); kernel (H, L) without D",
            "A = -exp(log_A_real) + i A_imag; zoh Abar = exp(dt A), Bbar = (Abar - 1)/A B; "
            "bilinear Abar = (1 + dt A/2)/(1 - dt A/2), Bbar = dt B/(1 - dt A/2); dt = exp(log_dt)",
            "kernel[h][l] = 2 Re sum_n C Bbar Abar^l; output = kernel * u (causal, per channel) + D u",
            "loss = sum(output * R); grad.* = d loss / d that tensor (B and C: d/d re, d/d im)",
            "data per case: SplitMix64(seed) stream in order log_dt U[log .05, log .5), log_A_real = log U[.3, .8), "
            "A_imag U[-3, 3), B_re U[.5, 1.5), B_im U[-.5, .5), C_re, C_im, D, u, R U[-1, 1)",
            tu.versions_note(),
        ],
        body=dict(hippo=hippo(6), cases=cases))


if __name__ == "__main__":
    main()
