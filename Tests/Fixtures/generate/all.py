"""Regenerates every StateSpaceLab fixture: python3 Tests/Fixtures/generate/all.py

Runs each generator in its own Python process (so torch's global settings cannot leak into the
scipy generators), in a fixed order, and stops at the first failure (a failed cross-check raises
and exits non-zero). Nothing else is needed: no Makefile, no arguments.

  python3 Tests/Fixtures/generate/all.py           regenerate Tests/Fixtures/**.json in place
  python3 Tests/Fixtures/generate/all.py --check   regenerate into a scratch directory and compare
                                                   byte for byte with the files in Tests/Fixtures
                                                   (exit 1 listing the files that differ)
"""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent

GENERATORS = [
    "c2d.py",
    "simulation.py",
    "freqresp.py",
    "transfer.py",
    "analysis.py",
    "matfuncs.py",
    "torch_recurrent.py",
    "torch_attention.py",
    "torch_layers.py",
    "torch_optim.py",
    "torch_ssm.py",
]


def run_all(out_dir: Path | None) -> None:
    env = dict(os.environ)
    if out_dir is not None:
        env["SSLAB_FIXTURES_OUT"] = str(out_dir)
    for script in GENERATORS:
        print(f"== {script}", file=sys.stderr, flush=True)
        done = subprocess.run([sys.executable, str(HERE / script)], cwd=HERE, env=env)
        if done.returncode != 0:
            sys.exit(f"all.py: {script} failed with exit code {done.returncode}")


def committed_files() -> set[str]:
    return {str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*.json")}


def main() -> None:
    if sys.argv[1:] == ["--check"]:
        with tempfile.TemporaryDirectory(prefix="sslab-fixtures-") as tmp:
            run_all(Path(tmp))
            fresh = {str(p.relative_to(tmp)) for p in Path(tmp).rglob("*.json")}
            old = committed_files()
            bad = sorted(f for f in fresh & old if not filecmp.cmp(Path(tmp) / f, FIXTURES / f, shallow=False))
            missing, extra = sorted(fresh - old), sorted(old - fresh)
            for f in bad:
                print(f"differs: {f}", file=sys.stderr)
            for f in missing:
                print(f"not committed: {f}", file=sys.stderr)
            for f in extra:
                print(f"no generator writes: {f}", file=sys.stderr)
            if bad or missing or extra:
                sys.exit(1)
            print(f"all.py --check: {len(fresh)} fixture files regenerate identically", file=sys.stderr)
    elif sys.argv[1:]:
        sys.exit("usage: python3 Tests/Fixtures/generate/all.py [--check]")
    else:
        run_all(None)


if __name__ == "__main__":
    main()
