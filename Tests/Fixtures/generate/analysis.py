"""Analysis references: poles, controllability/observability, Gramians, Hankel singular values,
balanced truncation, for continuous and discrete stable systems.

Writes statespace/analysis.json.

Tools: control.ctrb / control.obsv (python-control); Gramians with scipy.linalg
solve_continuous_lyapunov / solve_discrete_lyapunov (control.gram needs slycot, which is not in
the shared Python environment: a slycot 0.7.1 wheel exists on PyPI, but installing it globally
silently changes other python-control results, e.g. control.tf2ss switches to SLICOT TD04AD); Hankel singular values sqrt(eig(Wc Wo)); balanced truncation by the
square-root method written out in numpy below (Laub, Heath, Paige and Ward, "Computation of system
balancing transformations and other applications of simultaneous diagonalization algorithms";
Tombs and Postlethwaite, "Truncated balanced realization of a stable non-minimal state-space
system"), method 'truncate' (D kept, no DC matching).

Cross-checks (fail loudly): ctrb/obsv against a direct numpy build; Lyapunov residuals ~ 0;
HSV from eig(Wc Wo) against the singular values of the square-root method; the balanced
realisation has Gramians diag(HSV); the reduced model's error ||G - Gr|| on a dense frequency grid
stays below 2 * (sum of discarded HSV). When slycot is importable (e.g. PYTHONPATH pointing at a
`pip install --target` directory holding slycot), the generator additionally compares against
control.gram, SLICOT AB09AD (via slycot) and, for continuous systems, control.hsvd and
control.balred(method='truncate'), and fails if they disagree; the
written values never depend on slycot.
"""

from __future__ import annotations

import importlib.util

import control
import numpy as np
import scipy.linalg as sla

import common as cm

GEN = "analysis.py"
SEEDS = [401, 402, 403, 404]
HAVE_SLYCOT = importlib.util.find_spec("slycot") is not None


def rand_continuous(seed, n, m, p):
    rng = np.random.default_rng(seed)
    A0 = rng.standard_normal((n, n))
    A = A0 - (np.max(np.linalg.eigvals(A0).real) + 0.3) * np.eye(n)
    return A, rng.standard_normal((n, m)), rng.standard_normal((p, n)), rng.standard_normal((p, m))


def rand_discrete(seed, n, m, p, rho=0.9):
    rng = np.random.default_rng(seed)
    A0 = rng.standard_normal((n, n))
    A = A0 * (rho / np.max(np.abs(np.linalg.eigvals(A0))))
    return A, rng.standard_normal((n, m)), rng.standard_normal((p, n)), rng.standard_normal((p, m))


def gramians(A, B, C, dt):
    if dt is None:
        Wc = sla.solve_continuous_lyapunov(A, -B @ B.T)
        Wo = sla.solve_continuous_lyapunov(A.T, -C.T @ C)
        rc = A @ Wc + Wc @ A.T + B @ B.T
        ro = A.T @ Wo + Wo @ A + C.T @ C
    else:
        Wc = sla.solve_discrete_lyapunov(A, B @ B.T)
        Wo = sla.solve_discrete_lyapunov(A.T, C.T @ C)
        rc = A @ Wc @ A.T - Wc + B @ B.T
        ro = A.T @ Wo @ A - Wo + C.T @ C
    cm.check_close("Wc residual", rc, np.zeros_like(rc), rtol=0, atol=1e-12 * max(1.0, np.max(np.abs(Wc))))
    cm.check_close("Wo residual", ro, np.zeros_like(ro), rtol=0, atol=1e-12 * max(1.0, np.max(np.abs(Wo))))
    cm.check_close("Wc symmetric", Wc, Wc.T, rtol=1e-12, atol=1e-14)
    cm.check_close("Wo symmetric", Wo, Wo.T, rtol=1e-12, atol=1e-14)
    return Wc, Wo


def balance_sqrt(A, B, C, Wc, Wo):
    """Square-root balancing: Wc = Lc Lc^T, Wo = Lo Lo^T, Lo^T Lc = U S V^T,
    T = Lc V S^-1/2, T^-1 = S^-1/2 U^T Lo^T; returns (T^-1 A T, T^-1 B, C T, S)."""
    Lc = np.linalg.cholesky((Wc + Wc.T) / 2)
    Lo = np.linalg.cholesky((Wo + Wo.T) / 2)
    U, S, Vt = np.linalg.svd(Lo.T @ Lc)
    T = Lc @ Vt.T / np.sqrt(S)
    Ti = (U / np.sqrt(S)).T @ Lo.T
    cm.check_close("T^-1 T = I", Ti @ T, np.eye(A.shape[0]), rtol=0, atol=1e-10)
    # Fix the sign freedom: the largest-magnitude entry of each column of C T (then B) positive.
    Ab, Bb, Cb = Ti @ A @ T, Ti @ B, C @ T
    for i in range(A.shape[0]):
        v = Cb[:, i] if np.max(np.abs(Cb[:, i])) > 1e-12 else Bb[i, :]
        if v[np.argmax(np.abs(v))] < 0:
            Ab[i, :] *= -1
            Ab[:, i] *= -1
            Bb[i, :] *= -1
            Cb[:, i] *= -1
    return Ab, Bb, Cb, S


def freq(A, B, C, D, omega, dt):
    n = A.shape[0]
    out = []
    for w in omega:
        z = 1j * w if dt is None else np.exp(1j * w * dt)
        out.append(C @ np.linalg.solve(z * np.eye(n) - A, B.astype(complex)) + D)
    return np.array(out)


def analyse(name, seed, A, B, C, D, dt, order):
    n = A.shape[0]
    label = name
    poles = cm.sorted_complex(np.linalg.eigvals(A))
    stable = np.max(poles.real) < 0 if dt is None else np.max(np.abs(poles)) < 1
    cm.check(label + " stable", stable, str(poles))
    Co = np.asarray(control.ctrb(A, B))
    Ob = np.asarray(control.obsv(A, C))
    cm.check_close(label + " ctrb", Co, np.hstack([np.linalg.matrix_power(A, k) @ B for k in range(n)]),
                   rtol=1e-13, atol=1e-13)
    cm.check_close(label + " obsv", Ob, np.vstack([C @ np.linalg.matrix_power(A, k) for k in range(n)]),
                   rtol=1e-13, atol=1e-13)
    rc, ro = int(np.linalg.matrix_rank(Co)), int(np.linalg.matrix_rank(Ob))
    Wc, Wo = gramians(A, B, C, dt)
    entry = dict(name=name, seed=seed, kind="continuous" if dt is None else "discrete",
                 system=cm.system(A, B, C, D, dt), poles=cm.cplx(poles),
                 ctrb=cm.real(Co), obsv=cm.real(Ob), ctrb_rank=rc, obsv_rank=ro,
                 gramian_controllability=cm.real(Wc), gramian_observability=cm.real(Wo),
                 hsv=None, balanced_truncation=None)
    if HAVE_SLYCOT:
        sys = control.ss(A, B, C, D) if dt is None else control.ss(A, B, C, D, dt)
        cm.check_close(label + " slycot Wc", np.asarray(control.gram(sys, "c")), Wc, rtol=1e-9, atol=1e-12)
        cm.check_close(label + " slycot Wo", np.asarray(control.gram(sys, "o")), Wo, rtol=1e-9, atol=1e-12)
    if rc < n or ro < n:
        return entry  # non-minimal: HSV has zeros, balancing is undefined
    hsv_eig = np.sort(np.sqrt(np.linalg.eigvals(Wc @ Wo).real))[::-1]
    Ab, Bb, Cb, S = balance_sqrt(A, B, C, Wc, Wo)
    # eig(Wc Wo) squares the condition: small HSV lose digits relative to sigma_1.
    cm.check_close(label + " hsv eig vs sqrt-method", hsv_eig, S, rtol=1e-9, atol=1e-10 * S[0])
    Wcb, Wob = gramians(Ab, Bb, Cb, dt)
    cm.check_close(label + " balanced Wc = diag(S)", Wcb, np.diag(S), rtol=1e-9, atol=1e-11 * S[0])
    cm.check_close(label + " balanced Wo = diag(S)", Wob, np.diag(S), rtol=1e-9, atol=1e-11 * S[0])
    r = order
    Ar, Br, Cr, Dr = Ab[:r, :r], Bb[:r], Cb[:, :r], D.copy()
    bound = 2.0 * float(np.sum(S[r:]))
    if dt is None:
        grid = np.logspace(-3, 3, 600)
        omega = np.array([0.01, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0])
    else:
        grid = np.linspace(0.0, np.pi / dt, 600)
        omega = np.array([0.01, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0])
    err = freq(A, B, C, D, grid, dt) - freq(Ar, Br, Cr, Dr, grid, dt)
    peak = max(np.linalg.norm(e, 2) for e in err)
    cm.check(label + " BT error bound", peak <= bound * (1 + 1e-9), f"{peak} > {bound}")
    Hr = freq(Ar, Br, Cr, Dr, omega, dt)
    H = freq(A, B, C, D, omega, dt)
    if HAVE_SLYCOT:
        import slycot
        # SLICOT AB09AD directly (square-root balanced truncation, dico 'C' or 'D'): python-control
        # 0.10.2's balred hard-codes dico = 'C' and its hsvd raises NotImplementedError for
        # discrete time, so those two are only used for continuous systems.
        dico = "C" if dt is None else "D"
        _, Ar_s, Br_s, Cr_s, hsv_s = slycot.ab09ad(dico, "B", "N", n, B.shape[1], C.shape[0],
                                                   A.copy(), B.copy(), C.copy(), nr=r, tol=0.0)
        # Hammarling's Cholesky-factor solver (SLICOT) vs Bartels-Stewart + Cholesky here: small
        # HSV agree to ~1e-12 sigma_1 in absolute terms, not relatively.
        cm.check_close(label + " slycot ab09ad hsv", np.asarray(hsv_s), S, rtol=1e-9, atol=1e-10 * S[0])
        Hs = freq(Ar_s, Br_s, Cr_s, D, omega, dt)
        cm.check_close(label + " slycot ab09ad response", Hs, Hr, rtol=1e-8, atol=1e-10)
        if dt is None:
            sys = control.ss(A, B, C, D)
            cm.check_close(label + " control.hsvd", np.asarray(control.hsvd(sys)), S, rtol=1e-9, atol=1e-10 * S[0])
            red = control.balred(sys, r, method="truncate")
            Hs = freq(np.asarray(red.A), np.asarray(red.B), np.asarray(red.C), np.asarray(red.D), omega, dt)
            cm.check_close(label + " control.balred response", Hs, Hr, rtol=1e-8, atol=1e-10)
        cm.log(f"{label}: slycot cross-check passed")
    entry["hsv"] = cm.real(S)
    entry["balanced_truncation"] = dict(
        order=r, error_bound=bound, max_error_on_grid=float(peak),
        reduced=cm.system(Ar, Br, Cr, Dr, dt), omega=cm.real(omega),
        response_reduced=cm.cplx(Hr), response_full=cm.cplx(H))
    return entry


def main() -> None:
    if not HAVE_SLYCOT:
        cm.log("analysis.py: slycot not importable; skipping the control.gram/hsvd/balred cross-check")
    specs = [
        ("cont_mimo_3x2x2", None, (np.array([[-1.0, 0.5, 0.0], [0.0, -2.0, 1.0], [0.3, 0.0, -0.5]]),
                                   np.array([[1.0, 0.0], [0.0, 1.0], [0.5, -0.5]]),
                                   np.array([[1.0, 0.0, 0.2], [0.0, 1.0, -0.3]]),
                                   np.array([[0.1, 0.0], [0.0, -0.2]])), None, 2),
        ("cont_rand_n6_m2_p2", SEEDS[0], rand_continuous(SEEDS[0], 6, 2, 2), None, 3),
        ("cont_rand_n5_m1_p1", SEEDS[1], rand_continuous(SEEDS[1], 5, 1, 1), None, 2),
        ("cont_nonminimal_n4", None, (np.diag([-1.0, -2.0, -3.0, -4.0]), np.array([[1.0], [1.0], [0.0], [1.0]]),
                                      np.array([[1.0, 0.0, 1.0, 1.0]]), np.array([[0.0]])), None, None),
        ("disc_rand_n5_m2_p2", SEEDS[2], rand_discrete(SEEDS[2], 5, 2, 2), 0.1, 2),
        ("disc_rand_n8_m1_p1", SEEDS[3], rand_discrete(SEEDS[3], 8, 1, 1), 0.1, 3),
        ("disc_nonminimal_n3", None, (np.diag([0.5, -0.3, 0.8]), np.array([[1.0], [0.0], [1.0]]),
                                      np.array([[1.0, 1.0, 0.0]]), np.array([[0.5]])), 0.1, None),
    ]
    cases = [analyse(name, seed, *sysm, dt, order) for name, seed, sysm, dt, order in specs]
    ranks = {c["name"]: (c["ctrb_rank"], c["obsv_rank"]) for c in cases}
    cm.check("nonminimal ranks", ranks["cont_nonminimal_n4"] == (3, 3) and ranks["disc_nonminimal_n3"] == (2, 2),
             str(ranks))

    cm.write_fixture(
        "statespace/analysis.json", generator=GEN, seeds=SEEDS,
        description="Poles, controllability/observability matrices and ranks (control.ctrb/obsv), Gramians "
                    "(scipy Lyapunov solvers), Hankel singular values and square-root balanced truncation "
                    "(numpy reference in the generator, cross-checked against SLICOT AB09AD via slycot 0.7.1 when "
                    "importable; the values do not depend on slycot), with the "
                    "reduced models' frequency responses, for continuous and discrete stable systems and two "
                    "non-minimal systems.",
        conventions=[
            "continuous Gramians: A Wc + Wc A^T + B B^T = 0, A^T Wo + Wo A + C^T C = 0 "
            "(scipy: Wc = solve_continuous_lyapunov(A, -B B^T), which solves A X + X A^T = Q)",
            "discrete Gramians: A Wc A^T - Wc + B B^T = 0, A^T Wo A - Wo + C^T C = 0 "
            "(scipy: Wc = solve_discrete_lyapunov(A, B B^T), which solves A X A^T - X + Q = 0)",
            "ctrb = [B, A B, ..., A^(n-1) B] (n x n m); obsv = [C; C A; ...; C A^(n-1)] (n p x n); ranks by "
            "numpy.linalg.matrix_rank (SVD, default tolerance)",
            "poles: eigenvalues of A sorted by (real, imaginary) ascending, [re, im] pairs",
            "hsv: sqrt(eig(Wc Wo)) descending (= singular values of Lo^T Lc); null for non-minimal systems",
            "balanced truncation: square-root method, keep the first `order` balanced states, D unchanged "
            "('truncate', no DC matching); the realisation is unique only up to a sign per state (fixed here so "
            "the largest-magnitude entry of each column of C_r is positive), so compare response_reduced, "
            "not matrices",
            "response_reduced / response_full: H at omega (rad/s), shape (frequency, outputs, inputs, 2); "
            "continuous z = j w, discrete z = e^{j w dt}",
            "error_bound = 2 * sum of discarded HSV; max_error_on_grid = max over a 600-point grid of the largest "
            "singular value of H - H_r (continuous: logspace(-3, 3); discrete: linspace(0, pi/dt))",
            "random systems: numpy.random.default_rng(seed); continuous A = A0 - (max Re eig(A0) + 0.3) I, "
            "discrete A = A0 * 0.9 / spectral_radius(A0); then B, C, D standard normal",
        ],
        body=dict(cases=cases))


if __name__ == "__main__":
    main()
