"""Matrix-function and matrix-equation references: scipy.linalg expm, logm, sqrtm,
solve_continuous_lyapunov, solve_discrete_lyapunov, solve_sylvester.

Writes linalg/matrix_functions.json.

Cross-checks (fail loudly): closed forms where they exist (rotation generator, 2x2 non-normal
upper triangular, Jordan blocks), an independent Taylor scaling-and-squaring exponential,
expm(logm(A)) = A, sqrtm(A)^2 = A, residuals of every matrix equation, and a Kronecker-product
dense solve of each equation.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg as sla

import common as cm

GEN = "matfuncs.py"
SEEDS = [501, 502, 503, 504, 505, 506, 507, 508]


def rng(seed):
    return np.random.default_rng(seed)


def as_real(X, label):
    X = np.asarray(X)
    if np.iscomplexobj(X):
        cm.check(label + " real result", np.max(np.abs(X.imag)) <= 1e-13 * max(1.0, np.max(np.abs(X))),
                 f"imag {np.max(np.abs(X.imag))}")
        X = X.real
    return X


def expm_cases():
    lam = -0.5
    rand4 = 0.3 * rng(SEEDS[0]).standard_normal((4, 4))
    rand5 = 8.0 * rng(SEEDS[1]).standard_normal((5, 5))
    cases = [
        ("rand4_small", "0.3 * N(0,1), seed %d" % SEEDS[0], rand4, None),
        ("rand5_large_norm", "8 * N(0,1), seed %d: 1-norm ~ 50, needs scaling and squaring" % SEEDS[1], rand5, None),
        ("rotation_generator_40", "[[0, 40], [-40, 0]]: exp = [[cos 40, sin 40], [-sin 40, cos 40]], norm 40",
         np.array([[0.0, 40.0], [-40.0, 0.0]]),
         np.array([[math.cos(40.0), math.sin(40.0)], [-math.sin(40.0), math.cos(40.0)]])),
        ("nonnormal_large", "[[-1, 100], [0, -2]]: exp = [[e^-1, 100 (e^-1 - e^-2)], [0, e^-2]]",
         np.array([[-1.0, 100.0], [0.0, -2.0]]),
         np.array([[math.exp(-1), 100.0 * (math.exp(-1) - math.exp(-2))], [0.0, math.exp(-2)]])),
        ("defective_jordan3", "Jordan block, eigenvalue -0.5 (defective): exp = e^-0.5 [[1, 1, 1/2], [0, 1, 1], [0, 0, 1]]",
         np.array([[lam, 1.0, 0.0], [0.0, lam, 1.0], [0.0, 0.0, lam]]),
         math.exp(lam) * np.array([[1.0, 1.0, 0.5], [0.0, 1.0, 1.0], [0.0, 0.0, 1.0]])),
    ]
    out = []
    for name, note, A, exact in cases:
        E = sla.expm(A)
        scale = np.max(np.abs(E))
        cm.check_close(f"expm {name} vs Taylor", E, cm.expm_taylor(A), rtol=1e-11, atol=1e-13 * scale)
        if exact is not None:
            cm.check_close(f"expm {name} vs closed form", E, exact, rtol=1e-12, atol=1e-14 * scale)
        inv = sla.expm(-A)
        if np.max(np.abs(inv)) * scale < 1e8:
            cm.check_close(f"expm {name} exp(A) exp(-A)", E @ inv, np.eye(A.shape[0]), rtol=0, atol=1e-9)
        out.append(dict(name=name, note=note, A=cm.matrix2d(A), result=cm.matrix2d(E),
                        closed_form=None if exact is None else cm.matrix2d(exact)))
    return out


def logm_cases():
    X = 0.4 * rng(SEEDS[2]).standard_normal((4, 4))
    M = rng(SEEDS[3]).standard_normal((4, 4))
    spd = M @ M.T + np.eye(4)
    th = 1.0
    cases = [
        ("spd4", "M M^T + I, M = N(0,1) seed %d" % SEEDS[3], spd, None),
        ("expm_of_rand4", "expm(X), X = 0.4 N(0,1) seed %d (|Im eig X| < pi, so logm returns X)" % SEEDS[2],
         sla.expm(X), X),
        ("defective_jordan2", "[[2, 1], [0, 2]]: log = [[ln 2, 1/2], [0, ln 2]]",
         np.array([[2.0, 1.0], [0.0, 2.0]]), np.array([[math.log(2), 0.5], [0.0, math.log(2)]])),
        ("rotation_1rad", "rotation by 1 rad: log = [[0, -1], [1, 0]]",
         np.array([[math.cos(th), -math.sin(th)], [math.sin(th), math.cos(th)]]),
         np.array([[0.0, -th], [th, 0.0]])),
    ]
    out = []
    for name, note, A, exact in cases:
        Lg = as_real(sla.logm(A), f"logm {name}")
        cm.check_close(f"logm {name} expm(logm)", sla.expm(Lg), A, rtol=1e-11, atol=1e-12)
        if exact is not None:
            cm.check_close(f"logm {name} vs known", Lg, exact, rtol=1e-11, atol=1e-12)
        out.append(dict(name=name, note=note, A=cm.matrix2d(A), result=cm.matrix2d(Lg),
                        closed_form=None if exact is None else cm.matrix2d(exact)))
    return out


def sqrtm_cases():
    M = rng(SEEDS[3]).standard_normal((4, 4))
    spd = M @ M.T + np.eye(4)
    X = 0.4 * rng(SEEDS[2]).standard_normal((4, 4))
    cases = [
        ("spd4", "M M^T + I, M = N(0,1) seed %d; the principal root is symmetric positive definite" % SEEDS[3],
         spd, None),
        ("expm_of_rand4", "expm(X), X = 0.4 N(0,1) seed %d: principal root expm(X/2)" % SEEDS[2],
         sla.expm(X), sla.expm(X / 2)),
        ("defective_jordan2", "[[4, 1], [0, 4]]: sqrt = [[2, 1/4], [0, 2]]",
         np.array([[4.0, 1.0], [0.0, 4.0]]), np.array([[2.0, 0.25], [0.0, 2.0]])),
        ("upper_triangular3", "[[1, 2, 3], [0, 4, 5], [0, 0, 9]]", np.array([[1.0, 2.0, 3.0], [0.0, 4.0, 5.0], [0.0, 0.0, 9.0]]),
         None),
    ]
    out = []
    for name, note, A, exact in cases:
        S = as_real(sla.sqrtm(A), f"sqrtm {name}")
        cm.check_close(f"sqrtm {name} S^2", S @ S, A, rtol=1e-12, atol=1e-12)
        cm.check(f"sqrtm {name} principal", np.min(np.linalg.eigvals(S).real) > 0, "eigenvalues of S not in RHP")
        if exact is not None:
            cm.check_close(f"sqrtm {name} vs known", S, exact, rtol=1e-12, atol=1e-13)
        out.append(dict(name=name, note=note, A=cm.matrix2d(A), result=cm.matrix2d(S),
                        closed_form=None if exact is None else cm.matrix2d(exact)))
    return out


def kron_solve(lhs, Q):
    """Solve vec-form L vec(X) = vec(Q) with row-major vec."""
    x = np.linalg.solve(lhs, Q.reshape(-1))
    return x.reshape(Q.shape)


def equation_cases():
    out = []
    # Continuous Lyapunov: A X + X A^T = Q.
    r = rng(SEEDS[4])
    A1 = r.standard_normal((4, 4)) - 3.0 * np.eye(4)
    Bm = r.standard_normal((4, 2))
    Q1 = -Bm @ Bm.T
    Q2 = r.standard_normal((4, 4))  # general (non-symmetric) right-hand side
    for name, A, Q in (("clyap_gramian_form", A1, Q1), ("clyap_general_q", A1, Q2)):
        X = sla.solve_continuous_lyapunov(A, Q)
        n = A.shape[0]
        cm.check_close(f"{name} residual", A @ X + X @ A.T, Q, rtol=1e-12, atol=1e-12)
        K = np.kron(A, np.eye(n)) + np.kron(np.eye(n), A)
        cm.check_close(f"{name} kron", X, kron_solve(K, Q), rtol=1e-10, atol=1e-12)
        out.append(dict(name=name, equation="A X + X A^T = Q", function="scipy.linalg.solve_continuous_lyapunov(A, Q)",
                        A=cm.matrix2d(A), B=None, Q=cm.matrix2d(Q), X=cm.matrix2d(X)))
    # Discrete Lyapunov: A X A^T - X + Q = 0 (scipy default method: 'direct' for n < 10, else 'bilinear').
    for name, n, seed in (("dlyap_n3", 3, SEEDS[5]), ("dlyap_n12", 12, SEEDS[6])):
        r = rng(seed)
        A0 = r.standard_normal((n, n))
        A = A0 * (0.9 / np.max(np.abs(np.linalg.eigvals(A0))))
        Bm = r.standard_normal((n, 2))
        Q = Bm @ Bm.T + 0.1 * np.eye(n)
        X = sla.solve_discrete_lyapunov(A, Q)
        cm.check_close(f"{name} residual", A @ X @ A.T - X + Q, np.zeros((n, n)), rtol=0,
                       atol=1e-12 * max(1.0, np.max(np.abs(X))))
        K = np.eye(n * n) - np.kron(A, A)
        cm.check_close(f"{name} kron", X, kron_solve(K, Q), rtol=1e-10, atol=1e-12)
        out.append(dict(name=name, equation="A X A^T - X + Q = 0",
                        function="scipy.linalg.solve_discrete_lyapunov(A, Q) (default method: %s)" %
                                 ("direct" if n < 10 else "bilinear"),
                        A=cm.matrix2d(A), B=None, Q=cm.matrix2d(Q), X=cm.matrix2d(X)))
    # Sylvester: A X + X B = Q with rectangular X.
    r = rng(SEEDS[7])
    A = r.standard_normal((3, 3)) + 2.0 * np.eye(3)
    B = r.standard_normal((2, 2)) + 1.0 * np.eye(2)
    Q = r.standard_normal((3, 2))
    X = sla.solve_sylvester(A, B, Q)
    cm.check_close("sylvester residual", A @ X + X @ B, Q, rtol=1e-12, atol=1e-12)
    K = np.kron(A, np.eye(2)) + np.kron(np.eye(3), B.T)
    cm.check_close("sylvester kron", X, kron_solve(K, Q), rtol=1e-10, atol=1e-12)
    out.append(dict(name="sylvester_3x2", equation="A X + X B = Q", function="scipy.linalg.solve_sylvester(A, B, Q)",
                    A=cm.matrix2d(A), B=cm.matrix2d(B), Q=cm.matrix2d(Q), X=cm.matrix2d(X)))
    return out


def main() -> None:
    cm.write_fixture(
        "linalg/matrix_functions.json", generator=GEN, seeds=SEEDS,
        description="scipy.linalg.expm / logm / sqrtm on small matrices (random, large-norm needing scaling and "
                    "squaring, defective Jordan blocks, rotations) and solutions of the continuous/discrete "
                    "Lyapunov and Sylvester equations.",
        conventions=[
            "matrices row-major nested lists",
            "logm and sqrtm are the principal branches; all results here are real",
            "closed_form: the exact mathematical value where one is known (else null); 'result' is scipy's output",
            "equations are stated per case in 'equation' exactly as solved (scipy's sign conventions: "
            "continuous A X + X A^T = Q, discrete A X A^T - X + Q = 0, Sylvester A X + X B = Q); "
            "B is null for the Lyapunov cases",
            "random matrices: numpy.random.default_rng(seed).standard_normal; seeds: expm rand4_small 501, "
            "rand5_large_norm 502; logm/sqrtm expm_of_rand4 503, spd4 504; clyap 505; dlyap_n3 506, "
            "dlyap_n12 507; sylvester_3x2 508",
        ],
        body=dict(expm=expm_cases(), logm=logm_cases(), sqrtm=sqrtm_cases(), equations=equation_cases()))


if __name__ == "__main__":
    main()
