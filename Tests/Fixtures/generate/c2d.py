"""c2d / d2c references: scipy.signal.cont2discrete with every method, and inverse maps.

Writes
  statespace/c2d.json  continuous systems discretised by every cont2discrete method at two dt,
                       plus the expected values of scipy's own tests (test_cont2discrete.py)
  statespace/d2c.json  zoh inverse (matrix logarithm of the block [[Ad, Bd], [0, I]] / dt) and
                       bilinear inverse (inverse Tustin formula), checked by round trip

Cross-checks (fail loudly):
  * scipy's output matches the expected values hard-coded in scipy's test file;
  * zoh: Ad, Bd against an independent Taylor scaling-and-squaring exponential of the block;
  * foh: the discrete output equals scipy.signal.lsim with linear input interpolation at the
    samples (the "linear invariant" of FOH) for a random piecewise-linear input;
  * impulse: discrete impulse response h_d[k] = dt · C e^{A k dt} B for k ≥ 0;
  * gbt family: H_d(z) = H_c(s) with s = (z − 1) / (dt (α z + 1 − α)) at several z, and
    bilinear == gbt(0.5), euler == gbt(0), backward_diff == gbt(1);
  * d2c: c2d(d2c(sys_d)) == sys_d and d2c(c2d(sys_c)) == sys_c.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg as sla
import scipy.signal as sig

import common as cm

GEN = "c2d.py"
SEED = 20240601  # random piecewise-linear input of the FOH cross-check

SCIPY_TEST = "scipy/signal/tests/test_cont2discrete.py"

# ----------------------------------------------------------------------------- systems

def systems() -> list[dict]:
    """Continuous systems; each with the dt values and gbt alphas it is discretised at."""
    w0, zeta = 5.0, 0.02
    out = [
        dict(name="siso_d_nonzero",
             note="SISO, 2 states, D != 0",
             A=[[0.0, 1.0], [-2.0, -3.0]], B=[[0.0], [1.0]], C=[[1.0, 0.5]], D=[[0.25]],
             dts=[0.1, 0.5]),
        dict(name="mimo_3x2x2",
             note="3 states, 2 inputs, 2 outputs, D != 0, stable",
             A=[[-1.0, 0.5, 0.0], [0.0, -2.0, 1.0], [0.3, 0.0, -0.5]],
             B=[[1.0, 0.0], [0.0, 1.0], [0.5, -0.5]],
             C=[[1.0, 0.0, 0.2], [0.0, 1.0, -0.3]],
             D=[[0.1, 0.0], [0.0, -0.2]],
             dts=[0.1, 0.5]),
        dict(name="oscillator_light",
             note="lightly damped oscillator, w0 = 5 rad/s, zeta = 0.02: A = [[0, 1], [-w0^2, -2 zeta w0]]",
             A=[[0.0, 1.0], [-w0 * w0, -2.0 * zeta * w0]], B=[[0.0], [w0 * w0]], C=[[1.0, 0.0]], D=[[0.0]],
             dts=[0.1, 0.5]),
        dict(name="double_integrator",
             note="double integrator: A nilpotent, not invertible",
             A=[[0.0, 1.0], [0.0, 0.0]], B=[[0.0], [1.0]], C=[[1.0, 0.0]], D=[[0.0]],
             dts=[0.1, 0.5]),
        dict(name="scipy_test_c2d",
             note=f"{SCIPY_TEST}: TestC2D (test_zoh, test_foh, test_gbt, test_euler, test_backward_diff, "
                  "test_bilinear); unstable (A = I)",
             A=[[1.0, 0.0], [0.0, 1.0]], B=[[0.5], [0.5]],
             C=[[0.75, 1.0], [1.0, 1.0], [1.0, 0.25]], D=[[0.0], [0.0], [-0.33]],
             dts=[0.5, 1.0 / 3.0], extra_alphas=[1.0 / 3.0]),
        dict(name="scipy_test_c2d_impulse",
             note=f"{SCIPY_TEST}: TestC2D.test_impulse (D = 0)",
             A=[[1.0, 0.0], [0.0, 1.0]], B=[[0.5], [0.5]],
             C=[[0.75, 1.0], [1.0, 1.0], [1.0, 0.25]], D=[[0.0], [0.0], [0.0]],
             dts=[0.5, 0.1]),
        dict(name="scipy_test_c2d_lti",
             note=f"{SCIPY_TEST}: TestC2dLti.test_c2d_ss",
             A=[[-0.3, 0.1], [0.2, -0.7]], B=[[0.0], [1.0]], C=[[1.0, 0.0]], D=[[0.0]],
             dts=[0.05, 0.5]),
    ]
    # TestC2dInvariants case 1: tf2ss([1, 1], [1, 1.5, 1]) at dt = 0.25 (scipy's realisation).
    a, b, c, d = sig.tf2ss([1.0, 1.0], [1.0, 1.5, 1.0])
    out.append(dict(name="scipy_test_invariants_1",
                    note=f"{SCIPY_TEST}: TestC2dInvariants case tf2ss([1, 1], [1, 1.5, 1]), dt 0.25",
                    A=a.tolist(), B=b.tolist(), C=c.tolist(), D=d.tolist(), dts=[0.25, 0.1]))
    for s in out:
        for k in "ABCD":
            s[k] = np.array(s[k], dtype=np.float64)
    return out


# Expected values hard-coded in scipy's test file (copied with their test names).
def scipy_expected() -> list[dict]:
    cc = [[0.75, 1.0], [1.0, 1.0], [1.0, 0.25]]
    dc = [[0.0], [0.0], [-0.33]]
    I2 = lambda s: [[s, 0.0], [0.0, s]]
    col = lambda s: [[s], [s]]
    return [
        dict(test="TestC2D.test_zoh", system="scipy_test_c2d", method="zoh", alpha=None, dt=0.5,
             matlab_verified=False,
             expected=dict(A=I2(1.648721270700128), B=col(0.324360635350064), C=cc, D=dc)),
        dict(test="TestC2D.test_foh", system="scipy_test_c2d", method="foh", alpha=None, dt=0.5,
             matlab_verified=True,
             expected=dict(A=I2(1.648721270700128), B=col(0.420839287058789), C=cc,
                           D=[[0.260262223725224], [0.297442541400256], [-0.144098411624840]])),
        dict(test="TestC2D.test_impulse", system="scipy_test_c2d_impulse", method="impulse", alpha=None,
             dt=0.5, matlab_verified=True,
             expected=dict(A=I2(1.648721270700128), B=col(0.412180317675032), C=cc,
                           D=[[0.4375], [0.5], [0.3125]])),
        dict(test="TestC2D.test_gbt", system="scipy_test_c2d", method="gbt", alpha=1.0 / 3.0, dt=0.5,
             matlab_verified=False,
             expected=dict(A=I2(1.6), B=col(0.3), C=[[0.9, 1.2], [1.2, 1.2], [1.2, 0.3]],
                           D=[[0.175], [0.2], [-0.205]])),
        dict(test="TestC2D.test_euler", system="scipy_test_c2d", method="euler", alpha=None, dt=0.5,
             matlab_verified=False,
             expected=dict(A=I2(1.5), B=col(0.25), C=cc, D=dc)),
        dict(test="TestC2D.test_backward_diff", system="scipy_test_c2d", method="backward_diff", alpha=None,
             dt=0.5, matlab_verified=False,
             expected=dict(A=I2(2.0), B=col(0.5), C=[[1.5, 2.0], [2.0, 2.0], [2.0, 0.5]],
                           D=[[0.875], [1.0], [0.295]])),
        dict(test="TestC2D.test_bilinear", system="scipy_test_c2d", method="bilinear", alpha=None, dt=0.5,
             matlab_verified=False,
             expected=dict(A=I2(5.0 / 3.0), B=col(1.0 / 3.0),
                           C=[[1.0, 4.0 / 3.0], [4.0 / 3.0, 4.0 / 3.0], [4.0 / 3.0, 1.0 / 3.0]],
                           D=[[0.291666666666667], [1.0 / 3.0], [-0.121666666666667]])),
        dict(test="TestC2D.test_bilinear", system="scipy_test_c2d", method="bilinear", alpha=None,
             dt=1.0 / 3.0, matlab_verified=False,
             expected=dict(A=I2(1.4), B=col(0.2), C=[[0.9, 1.2], [1.2, 1.2], [1.2, 0.3]],
                           D=[[0.175], [0.2], [-0.205]])),
        dict(test="TestC2dLti.test_c2d_ss", system="scipy_test_c2d_lti", method="zoh", alpha=None, dt=0.05,
             matlab_verified=False,
             expected=dict(A=[[0.985136404135682, 0.004876671474795], [0.009753342949590, 0.965629718236502]],
                           B=[[0.000122937599964], [0.049135527547844]], C=[[1.0, 0.0]], D=[[0.0]])),
    ]


METHODS = ["zoh", "foh", "impulse", "bilinear", "euler", "backward_diff"]
GBT_ALPHAS = [0.0, 0.3, 0.5, 1.0]
GBT_EQUIV = {"bilinear": 0.5, "euler": 0.0, "backward_diff": 1.0}

# ----------------------------------------------------------------------------- independent math

def tf_eval(A, B, C, D, z: complex) -> np.ndarray:
    n = A.shape[0]
    return C @ np.linalg.solve(z * np.eye(n) - A, B.astype(complex)) + D


def crosscheck(sc: dict, dt: float, method: str, alpha, sysd) -> None:
    A, B, C, D = sc["A"], sc["B"], sc["C"], sc["D"]
    Ad, Bd, Cd, Dd = sysd
    n, m = B.shape
    label = f"{sc['name']} dt={dt} {method} alpha={alpha}"
    if method == "zoh":
        M = np.zeros((n + m, n + m))
        M[:n, :n], M[:n, n:] = A, B
        E = cm.expm_taylor(M * dt)
        cm.check_close(label + " Ad", Ad, E[:n, :n], rtol=1e-12, atol=1e-13)
        cm.check_close(label + " Bd", Bd, E[:n, n:], rtol=1e-12, atol=1e-13)
        cm.check_close(label + " Cd", Cd, C, rtol=0, atol=0)
        cm.check_close(label + " Dd", Dd, D, rtol=0, atol=0)
    elif method == "foh":
        rng = np.random.default_rng(SEED)
        L = 12
        t = np.arange(L) * dt
        u = rng.standard_normal((L, m))
        u[0] = 0.0  # FOH state is x - G2 u: with u[0] = 0 both start from the zero state
        _, yc, _ = sig.lsim((A, B, C, D), U=u, T=t, interp=True)
        _, yd, _ = sig.dlsim((Ad, Bd, Cd, Dd, dt), u)
        yc = np.asarray(yc).reshape(L, -1)
        scale = max(1.0, float(np.max(np.abs(yc))))
        cm.check_close(label + " lsim(linear interp) vs dlsim", yd, yc, rtol=1e-9, atol=1e-10 * scale)
    elif method == "impulse":
        for k in range(6):
            hd = Dd if k == 0 else Cd @ np.linalg.matrix_power(Ad, k - 1) @ Bd
            hc = dt * C @ cm.expm_taylor(A * k * dt) @ B
            cm.check_close(label + f" h[{k}]", hd, hc, rtol=1e-11, atol=1e-13)
    else:
        a = GBT_EQUIV.get(method, alpha)
        for theta in (0.3, 1.1, 2.0, 2.9):
            z = 1.37 * complex(math.cos(theta), math.sin(theta))
            s = (z - 1.0) / (dt * (a * z + 1.0 - a))
            cm.check_close(label + f" H(z={z:.3f})", tf_eval(Ad, Bd, Cd, Dd, z), tf_eval(A, B, C, D, s),
                           rtol=1e-11, atol=1e-12)


# ----------------------------------------------------------------------------- d2c

def d2c_zoh(Ad, Bd, Cd, Dd, dt):
    """Inverse of zoh: logm([[Ad, Bd], [0, I]]) / dt = [[A, B], [0, 0]]."""
    n, m = Bd.shape
    M = np.zeros((n + m, n + m))
    M[:n, :n], M[:n, n:], M[n:, n:] = Ad, Bd, np.eye(m)
    Lg = sla.logm(M)
    if np.iscomplexobj(Lg):
        cm.check("d2c zoh logm", np.max(np.abs(Lg.imag)) < 1e-12, f"complex logm {np.max(np.abs(Lg.imag))}")
        Lg = Lg.real
    Lg = Lg / dt
    cm.check_close("d2c zoh bottom rows ~ 0", Lg[n:, :], np.zeros((m, n + m)), rtol=0, atol=1e-12)
    return Lg[:n, :n], Lg[:n, n:], Cd.copy(), Dd.copy()


def d2c_bilinear(Ad, Bd, Cd, Dd, dt):
    """Inverse of scipy's bilinear (gbt alpha = 1/2):
    A = (2/dt)(Ad + I)^-1 (Ad - I), B = (2/dt)(Ad + I)^-1 Bd, C = 2 Cd (Ad + I)^-1,
    D = Dd - Cd (Ad + I)^-1 Bd.
    """
    n = Ad.shape[0]
    P = Ad + np.eye(n)
    A = (2.0 / dt) * np.linalg.solve(P, Ad - np.eye(n))
    B = (2.0 / dt) * np.linalg.solve(P, Bd)
    C = 2.0 * np.linalg.solve(P.T, Cd.T).T
    D = Dd - Cd @ np.linalg.solve(P, Bd)
    return A, B, C, D


# ----------------------------------------------------------------------------- main

def main() -> None:
    syss = systems()
    by_name = {s["name"]: s for s in syss}
    cases, rejected = [], []
    for sc in syss:
        A, B, C, D = sc["A"], sc["B"], sc["C"], sc["D"]
        alphas = GBT_ALPHAS + sc.get("extra_alphas", [])
        for dt in sc["dts"]:
            runs = [(mth, None) for mth in METHODS] + [("gbt", a) for a in alphas]
            for method, alpha in runs:
                try:
                    if method == "gbt":
                        out = sig.cont2discrete((A, B, C, D), dt, method="gbt", alpha=alpha)
                    else:
                        out = sig.cont2discrete((A, B, C, D), dt, method=method)
                except ValueError as err:
                    rejected.append(dict(system=sc["name"], dt=dt, method=method, alpha=alpha, error=str(err)))
                    continue
                Ad, Bd, Cd, Dd, dto = out
                cm.check(f"{sc['name']} {method} dt", dto == dt, f"{dto} != {dt}")
                crosscheck(sc, dt, method, alpha, (Ad, Bd, Cd, Dd))
                cases.append(dict(system=sc["name"], dt=dt, method=method, alpha=alpha,
                                  discrete=cm.system(Ad, Bd, Cd, Dd, dt)))
    # Named methods equal their gbt alpha exactly up to rounding.
    idx = {(c["system"], c["dt"], c["method"], c["alpha"]): c for c in cases}
    for (name, dt, method, _), c in list(idx.items()):
        if method in GBT_EQUIV:
            g = idx[(name, dt, "gbt", GBT_EQUIV[method])]
            for k in "ABCD":
                cm.check_close(f"{name} {method} == gbt {k}", c["discrete"][k], g["discrete"][k], rtol=1e-15, atol=1e-15)
    # scipy's own expected values.
    expected = scipy_expected()
    for e in expected:
        c = idx[(e["system"], e["dt"], e["method"], e["alpha"])]
        for k in "ABCD":
            # The test file prints 15 significant digits.
            cm.check_close(f"{e['test']} {k}", c["discrete"][k], e["expected"][k], rtol=2e-14, atol=1e-15)
        e["source"] = f"{SCIPY_TEST}::{e['test']}"
    # Impulse must be rejected exactly for the systems with D != 0.
    for r in rejected:
        cm.check("rejection", r["method"] == "impulse" and np.any(by_name[r["system"]]["D"] != 0), str(r))

    sys_out = [dict(name=s["name"], note=s["note"], **cm.system(s["A"], s["B"], s["C"], s["D"], None))
               for s in syss]
    cm.write_fixture(
        "statespace/c2d.json", generator=GEN, seeds=[SEED],
        description="Continuous state-space systems discretised with scipy.signal.cont2discrete, every method "
                    "(zoh, foh, impulse, bilinear, euler, backward_diff, gbt with alpha 0, 0.3, 0.5, 1), "
                    "each system at two dt values; plus the expected values hard-coded in scipy's "
                    "test_cont2discrete.py, and the calls scipy rejects (impulse with D != 0).",
        conventions=[
            "continuous: dx/dt = A x + B u, y = C x + D u; discrete: x[k+1] = Ad x[k] + Bd u[k], y[k] = Cd x[k] + Dd u[k]",
            "matrices row-major nested lists; systems as {A, B, C, D, dt}, dt null = continuous",
            "method strings exactly as scipy.signal.cont2discrete spells them; alpha is the value passed to scipy "
            "(null when not passed); bilinear == gbt 0.5, euler == gbt 0, backward_diff == gbt 1",
            "gbt (scipy): M = I - alpha dt A; Ad = M^-1 (I + (1-alpha) dt A); Bd = M^-1 dt B; "
            "Cd = C M^-1; Dd = D + alpha C Bd",
            "zoh: expm(dt [[A, B], [0, 0]]) = [[Ad, Bd], [0, I]], Cd = C, Dd = D",
            "foh (scipy): expm([[A dt, B dt, 0], [0, 0, I], [0, 0, 0]]) = [[F, G1, G2], ...]; Ad = F, "
            "Bd = G1 - G2 + F G2, Cd = C, Dd = D + C G2",
            "impulse (scipy): Ad = expm(A dt), Bd = Ad B dt, Cd = C, Dd = C B dt; requires D = 0",
        ],
        body=dict(systems=sys_out, cases=cases, rejected=rejected, scipy_test_expected=expected))

    # ------------------------------------------------------------------ d2c
    d2c_cases = []
    picks = [("siso_d_nonzero", 0.1), ("mimo_3x2x2", 0.5), ("oscillator_light", 0.1),
             ("double_integrator", 0.5), ("scipy_test_c2d_lti", 0.05)]
    for name, dt in picks:
        sc = by_name[name]
        for method in ("zoh", "bilinear"):
            d = idx[(name, dt, method, None)]["discrete"]
            Ad, Bd, Cd, Dd = (np.array(d[k]) for k in "ABCD")
            inv = d2c_zoh if method == "zoh" else d2c_bilinear
            A, B, C, D = inv(Ad, Bd, Cd, Dd, dt)
            label = f"d2c {method} {name}"
            for k, got in zip("ABCD", (A, B, C, D)):
                cm.check_close(f"{label} {k} == original", got, sc[k], rtol=1e-10, atol=1e-11)
            back = sig.cont2discrete((A, B, C, D), dt, method=method)
            for k, got in zip("ABCD", back[:4]):
                cm.check_close(f"{label} c2d(d2c) {k}", got, d[k], rtol=1e-12, atol=1e-13)
            d2c_cases.append(dict(original=name, dt=dt, method=method,
                                  discrete=cm.system(Ad, Bd, Cd, Dd, dt),
                                  continuous=cm.system(A, B, C, D, None)))
    cm.write_fixture(
        "statespace/d2c.json", generator=GEN, seeds=[],
        description="Discrete-to-continuous references: the inverse of zoh (matrix logarithm of the block "
                    "[[Ad, Bd], [0, I]] divided by dt, scipy.linalg.logm) and the inverse of scipy's bilinear "
                    "(inverse Tustin formula). 'discrete' is the c2d.json entry for (original, dt, method); "
                    "'continuous' is the computed inverse, which equals the original system to ~1e-12.",
        conventions=[
            "zoh inverse: logm([[Ad, Bd], [0, I]]) / dt = [[A, B], [0, 0]] (principal logarithm; valid when "
            "every eigenvalue of A satisfies |Im(lambda dt)| < pi), C = Cd, D = Dd",
            "bilinear inverse: A = (2/dt)(Ad+I)^-1 (Ad-I), B = (2/dt)(Ad+I)^-1 Bd, C = 2 Cd (Ad+I)^-1, "
            "D = Dd - Cd (Ad+I)^-1 Bd (needs Ad + I invertible)",
            "matrices row-major nested lists; dt null = continuous",
        ],
        body=dict(cases=d2c_cases))


if __name__ == "__main__":
    main()
