"""Shared helpers of the StateSpaceLab fixture generators.

Every generator builds a plain dict of reference values, cross-checks them against an
independent computation (raising `CheckFailed` when one disagrees), and writes the dict
with `write_fixture`, which adds the `meta` block and serialises deterministically:
keys sorted, floats as Python's shortest round-trip `repr`, non-finite values rejected,
the file written to a temporary name and renamed.
"""

from __future__ import annotations

import importlib.metadata
import json
import math
import os
import platform
import sys
from pathlib import Path

import numpy as np

GENERATE_DIR = Path(__file__).resolve().parent
# Output root: Tests/Fixtures, or SSLAB_FIXTURES_OUT (used by `all.py --check` to regenerate into a
# scratch directory and compare with the committed files).
FIXTURES_DIR = Path(os.environ.get("SSLAB_FIXTURES_OUT") or GENERATE_DIR.parent)

# Size budget per fixture file (the brief: a few hundred KB at most).
MAX_FILE_BYTES = 300_000


class CheckFailed(AssertionError):
    """A cross-check between two independent computations disagreed."""


def tool_versions() -> dict:
    """Versions of the tools that produce the reference values (all five, in every file)."""
    def dist(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"
    return {
        "python": platform.python_version(),
        "numpy": dist("numpy"),
        "scipy": dist("scipy"),
        "control": dist("control"),
        "torch": dist("torch"),
    }


# ----------------------------------------------------------------------------- encoding

def real(a) -> list | float:
    """A real array (any rank) as nested row-major lists of Python floats."""
    arr = np.asarray(a)
    if np.iscomplexobj(arr):
        if np.max(np.abs(arr.imag), initial=0.0) > 1e-12 * max(1.0, np.max(np.abs(arr), initial=0.0)):
            raise CheckFailed(f"real(): array has a non-negligible imaginary part {np.max(np.abs(arr.imag))}")
        arr = arr.real
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise CheckFailed("real(): non-finite value")
    return arr.tolist()


def cplx(a) -> list:
    """A complex array (any rank) as nested lists whose innermost level is [re, im]."""
    arr = np.asarray(a, dtype=np.complex128)
    out = np.stack([arr.real, arr.imag], axis=-1)
    if not np.all(np.isfinite(out)):
        raise CheckFailed("cplx(): non-finite value")
    return out.tolist()


def matrix2d(a) -> list:
    """A matrix as a row-major list of rows; 1-D input is rejected to avoid shape guessing."""
    arr = np.asarray(a)
    if arr.ndim != 2:
        raise CheckFailed(f"matrix2d(): expected 2-D, got shape {arr.shape}")
    return real(arr)


def system(A, B, C, D, dt: float | None = None, name: str | None = None) -> dict:
    """The lab's system JSON: {"A","B","C","D","dt"} (dt null = continuous time)."""
    out = {"A": matrix2d(A), "B": matrix2d(B), "C": matrix2d(C), "D": matrix2d(D),
           "dt": None if dt is None else float(dt)}
    if name is not None:
        out["name"] = name
    return out


def sorted_complex(z) -> np.ndarray:
    """Complex numbers sorted by (real, imaginary), as TestSupport.sortedComplex does."""
    z = np.asarray(z, dtype=np.complex128).ravel()
    return np.array(sorted(z, key=lambda v: (v.real, v.imag)), dtype=np.complex128)


# ----------------------------------------------------------------------------- checks

def check_close(label: str, actual, expected, rtol: float = 1e-12, atol: float = 1e-12) -> float:
    """Raises CheckFailed unless |a − e| ≤ atol + rtol·max(|a|, |e|) element-wise (complex ok).

    Returns the largest absolute difference, for the generator's log.
    """
    a = np.asarray(actual)
    e = np.asarray(expected)
    if a.shape != e.shape:
        raise CheckFailed(f"{label}: shape {a.shape} vs {e.shape}")
    diff = np.abs(a - e)
    bound = atol + rtol * np.maximum(np.abs(a), np.abs(e))
    if not np.all(np.isfinite(diff)) or np.any(diff > bound):
        worst = np.unravel_index(np.argmax(diff - bound), diff.shape) if diff.size else ()
        raise CheckFailed(f"{label}: not close at {worst}: {a[worst]!r} vs {e[worst]!r} "
                          f"(rtol {rtol}, atol {atol}, max diff {np.max(diff)})")
    return float(np.max(diff, initial=0.0))


def check(label: str, condition: bool, detail: str = "") -> None:
    if not condition:
        raise CheckFailed(f"{label}: {detail}")


# ----------------------------------------------------------------------------- independent math

def expm_taylor(M: np.ndarray) -> np.ndarray:
    """Matrix exponential by Taylor series with scaling and squaring (independent of scipy)."""
    M = np.asarray(M, dtype=np.float64)
    norm = np.max(np.sum(np.abs(M), axis=0), initial=0.0)
    s = max(0, int(math.ceil(math.log2(norm))) + 2) if norm > 0 else 0
    X = M / (2.0 ** s)
    E = np.eye(M.shape[0])
    term = np.eye(M.shape[0])
    for k in range(1, 40):
        term = term @ X / k
        E = E + term
        if np.max(np.abs(term)) < 1e-19 * max(1.0, np.max(np.abs(E))):
            break
    for _ in range(s):
        E = E @ E
    return E



# ----------------------------------------------------------------------------- writing

def _is_plain(obj) -> bool:
    """True for a scalar or a (nested) list holding no dicts: written on one line."""
    if isinstance(obj, dict):
        return False
    if isinstance(obj, list):
        return all(_is_plain(x) for x in obj)
    return True


def _sanitize(obj, path: str = "$"):
    """Python builtins only (no numpy scalars), finite floats only."""
    if isinstance(obj, dict):
        for k in obj:
            if not isinstance(k, str):
                raise CheckFailed(f"{path}: non-string key {k!r}")
        return {k: _sanitize(v, f"{path}.{k}") for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_sanitize(v, f"{path}[{i}]") for i, v in enumerate(obj)]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        x = float(obj)
        if not math.isfinite(x):
            raise CheckFailed(f"{path}: non-finite float {x}")
        return x
    if obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, np.ndarray):
        raise CheckFailed(f"{path}: raw ndarray; convert with real()/cplx() first")
    raise CheckFailed(f"{path}: unsupported type {type(obj).__name__}")


def _dump(obj, indent: int) -> str:
    pad = "  " * indent
    if _is_plain(obj):
        text = json.dumps(obj, allow_nan=False, separators=(", ", ": "))
        # Long arrays of arrays: one first-level element per line, for readable diffs.
        if isinstance(obj, list) and len(text) > 120 and obj and isinstance(obj[0], list):
            inner = ",\n".join(pad + "  " + json.dumps(x, allow_nan=False, separators=(", ", ": "))
                               for x in obj)
            return "[\n" + inner + "\n" + pad + "]"
        return text
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f'{pad}  {json.dumps(k)}: {_dump(obj[k], indent + 1)}' for k in sorted(obj)]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    items = [pad + "  " + _dump(x, indent + 1) for x in obj]
    return "[\n" + ",\n".join(items) + "\n" + pad + "]"


def write_fixture(relpath: str, *, generator: str, seeds: list[int], description: str,
                  conventions: list[str], body: dict) -> Path:
    """Writes Tests/Fixtures/<relpath> = {"meta": {...}, **body}; returns the path."""
    if "meta" in body:
        raise CheckFailed("body must not contain 'meta'")
    doc = {
        "meta": {
            "generator": f"Tests/Fixtures/generate/{generator}",
            "seeds": [int(s) for s in seeds],
            "versions": tool_versions(),
            "dtype": "float64",
            "description": description,
            "conventions": list(conventions),
        },
        **body,
    }
    text = _dump(_sanitize(doc), 0) + "\n"
    # Round trip: the text parses back to the same values.
    if json.loads(text) != _sanitize(doc):
        raise CheckFailed(f"{relpath}: JSON round trip changed the data")
    data = text.encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise CheckFailed(f"{relpath}: {len(data)} bytes exceeds the {MAX_FILE_BYTES}-byte budget")
    path = FIXTURES_DIR / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    print(f"wrote {path} ({len(data)} bytes)", file=sys.stderr)
    return path


def log(msg: str) -> None:
    print(msg, file=sys.stderr)
