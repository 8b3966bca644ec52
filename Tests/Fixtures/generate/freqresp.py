"""Frequency-response references: scipy.signal.freqresp / dfreqresp (SISO), control.frequency_response (MIMO).

Writes statespace/freqresp.json.

  continuous  H(jw)          = C (j w I - A)^-1 B + D
  discrete    H(e^{j w dt})  = C (e^{j w dt} I - A)^-1 B + D      (w in rad/s; scipy's dfreqresp
                                                                    takes w*dt in rad/sample)

Cross-check (fail loudly): every response against a direct complex solve in numpy; the
largest absolute difference is recorded per case (max_abs_diff_vs_direct_solve) so consumers
can see how far the tool's own path (scipy converts SISO state space to a transfer function
and evaluates polynomials) is from the direct formula.
"""

from __future__ import annotations

import warnings

import control
import numpy as np
import scipy.signal as sig

import common as cm

GEN = "freqresp.py"
SEEDS = [201, 202, 203]


def stable_continuous(seed: int, n: int, m: int, p: int):
    rng = np.random.default_rng(seed)
    A0 = rng.standard_normal((n, n))
    # Shift the spectrum so the largest real part is -0.2.
    A = A0 - (np.max(np.linalg.eigvals(A0).real) + 0.2) * np.eye(n)
    return A, rng.standard_normal((n, m)), rng.standard_normal((p, n)), rng.standard_normal((p, m))


def stable_discrete(seed: int, n: int, m: int, p: int, rho: float = 0.95):
    rng = np.random.default_rng(seed)
    A0 = rng.standard_normal((n, n))
    A = A0 * (rho / np.max(np.abs(np.linalg.eigvals(A0))))
    return A, rng.standard_normal((n, m)), rng.standard_normal((p, n)), rng.standard_normal((p, m))


def direct(A, B, C, D, omega, dt):
    n = A.shape[0]
    out = []
    for w in omega:
        z = 1j * w if dt is None else np.exp(1j * w * dt)
        out.append(C @ np.linalg.solve(z * np.eye(n) - A, B.astype(complex)) + D)
    return np.array(out)  # (nw, p, m)


def unwrap_deg(H: np.ndarray) -> np.ndarray:
    """np.unwrap of the principal angle along the frequency axis, in degrees."""
    return np.degrees(np.unwrap(np.angle(H), axis=0))


def main() -> None:
    w0, zeta = 5.0, 0.02
    cases_spec = []
    # Continuous SISO (scipy.signal.freqresp).
    cases_spec.append(dict(name="cont_siso_d_nonzero", dt=None, tool="scipy.signal.freqresp",
                           sys=(np.array([[0.0, 1.0], [-2.0, -3.0]]), np.array([[0.0], [1.0]]),
                                np.array([[1.0, 0.5]]), np.array([[0.25]])),
                           omega=np.logspace(-2, 2, 25)))
    cases_spec.append(dict(name="cont_oscillator_light", dt=None, tool="scipy.signal.freqresp",
                           sys=(np.array([[0.0, 1.0], [-w0 * w0, -2 * zeta * w0]]), np.array([[0.0], [w0 * w0]]),
                                np.array([[1.0, 0.0]]), np.array([[0.0]])),
                           omega=np.concatenate([np.logspace(-1, 0.6, 10), np.linspace(4.5, 5.5, 11),
                                                 np.logspace(0.8, 2, 8)])))
    # Continuous MIMO (control.frequency_response).
    cases_spec.append(dict(name="cont_mimo_3x2x2", dt=None, tool="control.frequency_response",
                           sys=(np.array([[-1.0, 0.5, 0.0], [0.0, -2.0, 1.0], [0.3, 0.0, -0.5]]),
                                np.array([[1.0, 0.0], [0.0, 1.0], [0.5, -0.5]]),
                                np.array([[1.0, 0.0, 0.2], [0.0, 1.0, -0.3]]),
                                np.array([[0.1, 0.0], [0.0, -0.2]])),
                           omega=np.logspace(-2, 2, 21)))
    cases_spec.append(dict(name="cont_rand_n4_m2_p3", seed=SEEDS[0], dt=None, tool="control.frequency_response",
                           sys=stable_continuous(SEEDS[0], 4, 2, 3), omega=np.logspace(-2, 2, 21)))
    # Discrete: dt = 0.1, omega below the Nyquist frequency pi/dt.
    dt = 0.1
    wd = np.logspace(-1, np.log10(0.98 * np.pi / dt), 30)
    cases_spec.append(dict(name="disc_siso_n3", seed=SEEDS[1], dt=dt, tool="scipy.signal.dfreqresp",
                           sys=stable_discrete(SEEDS[1], 3, 1, 1), omega=wd))
    cases_spec.append(dict(name="disc_rand_n4_m2_p2", seed=SEEDS[2], dt=dt, tool="control.frequency_response",
                           sys=stable_discrete(SEEDS[2], 4, 2, 2), omega=wd))

    out = []
    for c in cases_spec:
        A, B, C, D = c["sys"]
        omega, dt = np.asarray(c["omega"], dtype=np.float64), c["dt"]
        p, m = D.shape
        if c["tool"] == "scipy.signal.freqresp":
            with warnings.catch_warnings():
                # scipy goes through ss2tf; a tiny leading numerator coefficient (rounding noise of
                # a zero) triggers BadCoefficients. The direct-solve check below bounds the error.
                warnings.simplefilter("ignore", sig.BadCoefficients)
                _, h = sig.freqresp(sig.lti(A, B, C, D), w=omega)
            H = np.asarray(h).reshape(len(omega), 1, 1)
        elif c["tool"] == "scipy.signal.dfreqresp":
            with warnings.catch_warnings():
                # As above.
                warnings.simplefilter("ignore", sig.BadCoefficients)
                _, h = sig.dfreqresp(sig.dlti(A, B, C, D, dt=dt), w=omega * dt)
            H = np.asarray(h).reshape(len(omega), 1, 1)
        else:
            s = control.ss(A, B, C, D) if dt is None else control.ss(A, B, C, D, dt)
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # e.g. "evaluation above Nyquist frequency"
                r = control.frequency_response(s, omega, squeeze=False)
            cm.check_close(c["name"] + " omega kept", r.omega, omega, rtol=0, atol=0)
            H = np.moveaxis(np.asarray(r.frdata), 2, 0)  # (p, m, nw) -> (nw, p, m)
        ref = direct(A, B, C, D, omega, dt)
        diff = cm.check_close(c["name"] + " vs direct solve", H, ref, rtol=1e-10, atol=1e-12)
        mag_db = 20.0 * np.log10(np.abs(H))
        phase = unwrap_deg(H)
        # Phase check: independent unwrap from the direct solve.
        cm.check_close(c["name"] + " phase", phase, unwrap_deg(ref), rtol=1e-9, atol=1e-9)
        out.append(dict(
            name=c["name"], seed=c.get("seed"), kind="continuous" if dt is None else "discrete",
            tool=c["tool"], system=cm.system(A, B, C, D, dt),
            omega=cm.real(omega),
            w_rad_per_sample=None if dt is None else cm.real(omega * dt),
            response=cm.cplx(H), magnitude_db=cm.real(mag_db), phase_deg_unwrapped=cm.real(phase),
            max_abs_diff_vs_direct_solve=diff))

    cm.write_fixture(
        "statespace/freqresp.json", generator=GEN, seeds=SEEDS,
        description="Frequency responses of continuous and discrete systems: SISO via scipy.signal.freqresp / "
                    "dfreqresp, MIMO via control.frequency_response; complex values, magnitude in dB and "
                    "unwrapped phase in degrees.",
        conventions=[
            "continuous: H(jw) = C (jw I - A)^-1 B + D; discrete: H = C (e^{jw dt} I - A)^-1 B + D, w in rad/s",
            "scipy.signal.dfreqresp was called with w*dt (rad/sample), recorded as w_rad_per_sample",
            "response shape (frequency, outputs, inputs, 2) with [re, im] innermost",
            "magnitude_db = 20 log10 |H|; phase_deg_unwrapped = degrees(numpy.unwrap(angle(H), axis=frequency)): "
            "starts at the principal angle in (-180, 180] at the first frequency, then each step adds the "
            "difference wrapped into [-180, 180) (numpy maps an exact -180 step with positive raw difference to +180)",
            "random systems: numpy.random.default_rng(seed); continuous A = A0 - (max Re eig(A0) + 0.2) I, "
            "discrete A = A0 * 0.95 / spectral_radius(A0); B, C, D standard normal, drawn in that order",
        ],
        body=dict(cases=out))


if __name__ == "__main__":
    main()
