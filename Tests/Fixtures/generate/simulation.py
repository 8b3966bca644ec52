"""Simulation references: scipy.signal.dlsim, dimpulse, dstep on seeded random stable MIMO systems.

Writes statespace/simulation.json.

System construction (seeded numpy.random.default_rng(seed)): A0 = standard normal (n x n),
A = A0 * (rho / spectral_radius(A0)) with rho = 0.9; B, C, D standard normal (D nonzero).
x0 standard normal, u standard normal (L x m).

Cross-checks (fail loudly): dlsim against a plain numpy loop of x[k+1] = A x[k] + B u[k],
y[k] = C x[k] + D u[k]; dimpulse against h[0] = D, h[k] = C A^(k-1) B; dstep against the
running sum of the impulse response.
"""

from __future__ import annotations

import numpy as np
import scipy.signal as sig

import common as cm

GEN = "simulation.py"
# (seed, states n, inputs m, outputs p)
CASES = [(101, 1, 1, 1), (102, 3, 2, 3), (103, 3, 1, 2), (104, 8, 3, 2), (105, 8, 2, 1)]
L_SIM = 50
N_IMPULSE = 30
RHO = 0.9
DT = 0.1


def random_system(seed: int, n: int, m: int, p: int):
    rng = np.random.default_rng(seed)
    A0 = rng.standard_normal((n, n))
    A = A0 * (RHO / np.max(np.abs(np.linalg.eigvals(A0))))
    B = rng.standard_normal((n, m))
    C = rng.standard_normal((p, n))
    D = rng.standard_normal((p, m))
    x0 = rng.standard_normal(n)
    u = rng.standard_normal((L_SIM, m))
    return A, B, C, D, x0, u


def main() -> None:
    out = []
    for seed, n, m, p in CASES:
        A, B, C, D, x0, u = random_system(seed, n, m, p)
        cm.check(f"seed {seed} stable", np.max(np.abs(np.linalg.eigvals(A))) < 0.9 + 1e-12, "spectral radius")
        label = f"seed {seed} ({n},{m},{p})"

        t, y, x = sig.dlsim((A, B, C, D, DT), u, x0=x0)
        y = np.asarray(y).reshape(L_SIM, p)
        x = np.asarray(x).reshape(L_SIM, n)
        # numpy loop
        xs = np.zeros((L_SIM, n))
        ys = np.zeros((L_SIM, p))
        xk = x0.copy()
        for k in range(L_SIM):
            xs[k] = xk
            ys[k] = C @ xk + D @ u[k]
            xk = A @ xk + B @ u[k]
        cm.check_close(label + " dlsim y", y, ys, rtol=1e-12, atol=1e-13)
        cm.check_close(label + " dlsim x", x, xs, rtol=1e-12, atol=1e-13)
        cm.check_close(label + " dlsim t", t, np.arange(L_SIM) * DT, rtol=1e-15, atol=1e-15)

        _, himp = sig.dimpulse((A, B, C, D, DT), n=N_IMPULSE)
        _, hstp = sig.dstep((A, B, C, D, DT), n=N_IMPULSE)
        # scipy returns one (n, p) array per input; the lab stores (time, outputs, inputs).
        H = np.stack([np.asarray(h).reshape(N_IMPULSE, p) for h in himp], axis=2)
        S = np.stack([np.asarray(s).reshape(N_IMPULSE, p) for s in hstp], axis=2)
        Hd = np.zeros((N_IMPULSE, p, m))
        Hd[0] = D
        Ak = np.eye(n)
        for k in range(1, N_IMPULSE):
            Hd[k] = C @ Ak @ B
            Ak = A @ Ak
        cm.check_close(label + " dimpulse", H, Hd, rtol=1e-12, atol=1e-13)
        cm.check_close(label + " dstep", S, np.cumsum(Hd, axis=0), rtol=1e-12, atol=1e-13)

        out.append(dict(
            name=f"rand_n{n}_m{m}_p{p}", seed=seed, n=n, m=m, p=p,
            system=cm.system(A, B, C, D, DT),
            x0=cm.real(x0), u=cm.real(u),
            y=cm.real(y), x=cm.real(x),
            impulse=cm.real(H), step=cm.real(S)))

    cm.write_fixture(
        "statespace/simulation.json", generator=GEN, seeds=[c[0] for c in CASES],
        description="Seeded random stable discrete MIMO systems (spectral radius 0.9, D nonzero): "
                    f"scipy.signal.dlsim outputs and states for a length-{L_SIM} input with nonzero x0, "
                    f"and scipy.signal.dimpulse / dstep responses (n = {N_IMPULSE}) for every input/output pair.",
        conventions=[
            "x[k+1] = A x[k] + B u[k], y[k] = C x[k] + D u[k], k = 0..L-1, x[0] = x0",
            "u, y, x are time-major (time, channels): u (L, m), y (L, p), x (L, n) holds x[0..L-1]",
            "impulse (time, outputs, inputs): impulse[k][o][i] = h[k]_{o,i}, h[0] = D, h[k] = C A^(k-1) B "
            "(scipy dimpulse: unit impulse at k = 0, zero initial state)",
            "step (time, outputs, inputs): step[k] = sum_{j<=k} h[j] (unit step from k = 0, zero initial state)",
            "system dt is the sample time passed to scipy; it does not enter the recurrence",
        ],
        body=dict(cases=out))


if __name__ == "__main__":
    main()
