"""Convolution speed: the solution's im2col layer against NumPy's GEMM and PyTorch, in one run.

    python bench/conv_speed.py [--repeats 15] [--threads 2]

A benchmark, not a test: it prints a table and checks nothing but that the methods agree. "The
solution" is the code in the answer cells of ``solutions/05_im2col`` (``conv_forward_im2col`` and
what it calls) and, for the backward pass, of ``solutions/06_backprop`` (``conv_backward``) when
that notebook exists; without it only the forward pass is timed, and the table says so.

For each layer (float32, the same seeded inputs for every method), it times the solution's forward
pass and forward + backward, ``im2col`` and ``col2im`` alone, the forward followed by a backward
pass built from 05's ``im2col`` and ``col2im`` (two more products; :func:`im2col_backward`, a
sketch of what those pieces allow), NumPy's matrix product on the forward's own GEMM (the
weights ``(F, C*HH*WW)`` times the column matrix), and PyTorch's CPU ``conv2d`` (forward under
``no_grad``, and forward + backward through autograd) when torch is installed.

Each method is timed in blocks (a warm-up call, then timed calls), the methods taking turns block
by block, and the table gives medians. PyTorch runs in a process of its own: its OpenMP threads
and NumPy's OpenBLAS threads keep spinning after a call, and on two cores the two pools slow each
other down several times over. Rates count a multiply-add as 2 FLOPs; forward + backward counts
3 times the forward's work (the forward, dx and dw products). Timings on shared machines swing
from run to run: compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LAYERS = {  # name: (x shape, w shape, stride, pad)
    "x (64, 32, 16, 16), w (64, 32, 3, 3), pad 1": ((64, 32, 16, 16), (64, 32, 3, 3), 1, 1),
    "CS231n: x (100, 3, 31, 31), w (25, 3, 3, 3), stride 2, pad 1": (
        (100, 3, 31, 31),
        (25, 3, 3, 3),
        2,
        1,
    ),
}
GEMM = "NumPy GEMM (F, CHW) @ cols"


def answer_cells(notebook: Path) -> str:
    """The source of every answer cell (nbgrader ``solution: true``) of a notebook, in order."""
    cells = json.loads(notebook.read_text())["cells"]
    sources = [
        "".join(c["source"])
        for c in cells
        if c["cell_type"] == "code" and c["metadata"].get("nbgrader", {}).get("solution")
    ]
    return "\n\n".join(sources)


def solution_functions(np) -> tuple[dict, bool]:
    """The solution's functions (05's, then 06's on top where it exists); whether 06 was found."""
    namespace = {"np": np}
    exec(answer_cells(REPO / "solutions/05_im2col/05_im2col.ipynb"), namespace)
    backprop = REPO / "solutions/06_backprop/06_backprop.ipynb"
    if backprop.exists():
        exec(answer_cells(backprop), namespace)
    return namespace, "conv_backward" in namespace


def inputs(np, fns, x_shape, w_shape, stride, pad) -> tuple:
    """The layer's seeded float32 inputs (x, w, b, dout) and its FLOPs per forward pass."""
    rng = np.random.default_rng(0)
    x, w = (rng.normal(size=s).astype(np.float32) for s in (x_shape, w_shape))
    b = rng.normal(size=w_shape[0]).astype(np.float32)
    cost = fns["conv_layer_cost"](x_shape, w_shape, stride, pad)
    dout = rng.normal(size=cost["out_shape"]).astype(np.float32)
    return (x, w, b, dout), 2 * cost["macs"]


def medians(np, methods: dict, repeats: int) -> dict[str, float]:
    """Median seconds of each call: blocks of a warm-up and a few timed calls, taking turns."""
    times: dict[str, list[float]] = {name: [] for name in methods}
    rounds = 3
    for _ in range(rounds):
        for name, call in methods.items():
            call()  # warm-up: caches, lazy allocations, this library's threads
            for _ in range(max(1, repeats // rounds)):
                start = time.perf_counter()
                call()
                times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}


def im2col_backward(fns: dict, dout, cache) -> tuple:
    """dx, dw, db from the solution's own im2col and col2im: the backward pass as two more
    products, a sketch of what notebook 05's pieces allow (not the course's conv_backward)."""
    x, w, _, conv = cache
    f, _, hh, ww = w.shape
    rows = dout.transpose(1, 0, 2, 3).reshape(f, -1)  # (F, N*H'*W'), columns (n, i, j)
    cols = fns["im2col"](x, hh, ww, conv["stride"], conv["pad"])  # recomputed: not in the cache
    dw = (rows @ cols.T).reshape(w.shape)
    dx = fns["col2im"](w.reshape(f, -1).T @ rows, x.shape, hh, ww, conv["stride"], conv["pad"])
    return dx, dw, dout.sum(axis=(0, 2, 3))


def numpy_methods(fns, has_backward, data, stride, pad) -> dict:
    """name -> (call, work in multiples of the forward's FLOPs)."""
    x, w, b, dout = data
    f, _, hh, ww = w.shape
    cols, rows = fns["im2col"](x, hh, ww, stride, pad), w.reshape(f, -1)
    methods = {
        "solution forward": (lambda: fns["conv_forward_im2col"](x, w, b, stride, pad), 1),
        "  im2col alone": (lambda: fns["im2col"](x, hh, ww, stride, pad), 0),
        "  col2im alone": (lambda: fns["col2im"](cols, x.shape, hh, ww, stride, pad), 0),
        GEMM: (lambda: rows @ cols, 1),
    }

    def backward_after_forward(backward):
        def both():
            out, cache = fns["conv_forward_im2col"](x, w, b, stride, pad)
            return backward(dout, cache)

        return both

    if has_backward:
        methods["solution forward + backward"] = (backward_after_forward(fns["conv_backward"]), 3)
    sketch = backward_after_forward(lambda d, c: im2col_backward(fns, d, c))
    methods["forward + im2col backward (sketch)"] = (sketch, 3)
    return methods


def torch_worker(repeats: int) -> None:
    """In a process of its own: PyTorch's medians and its agreement with the solution, as JSON."""
    import numpy as np
    import torch

    fns, has_backward = solution_functions(np)
    report = {}
    for name, (x_shape, w_shape, stride, pad) in LAYERS.items():
        data, _ = inputs(np, fns, x_shape, w_shape, stride, pad)
        xt, wt, bt, dt = (torch.from_numpy(a) for a in data)
        sides = (pad, pad, pad, pad) if np.ndim(pad) == 0 else (pad[0], pad[1], pad[0], pad[1])
        xg, wg, bg = (t.clone().requires_grad_() for t in (xt, wt, bt))

        def forward(xt=xt, wt=wt, bt=bt, sides=sides, stride=stride):
            with torch.no_grad():
                return torch.nn.functional.conv2d(
                    torch.nn.functional.pad(xt, sides), wt, bt, stride
                )

        def both(xg=xg, wg=wg, bg=bg, dt=dt, sides=sides, stride=stride):
            for t in (xg, wg, bg):
                t.grad = None
            out = torch.nn.functional.conv2d(torch.nn.functional.pad(xg, sides), wg, bg, stride)
            out.backward(dt)
            return xg.grad, wg.grad, bg.grad

        times = medians(np, {"forward": forward, "forward + backward": both}, repeats)
        dx, dw, db = both()
        out, cache = fns["conv_forward_im2col"](*data[:3], stride, pad)
        sketch = im2col_backward(fns, data[3], cache)
        mine = {"out": out, "sketch dx": sketch[0], "sketch dw": sketch[1]}
        if has_backward:
            mine.update(zip(("dx", "dw", "db"), fns["conv_backward"](data[3], cache), strict=True))
        theirs = {"out": forward(), "dx": dx, "dw": dw, "db": db, "sketch dx": dx, "sketch dw": dw}
        agree = {
            k: float(np.abs(mine[k] - theirs[k].numpy()).max() / np.abs(theirs[k].numpy()).max())
            for k in mine
        }
        report[name] = {"times": times, "agreement": agree, "version": torch.__version__}
    print(json.dumps(report))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)  # before NumPy or PyTorch load their threads
    sys.path.insert(0, str(REPO))
    if args.torch_worker:
        torch_worker(args.repeats)
        return

    import numpy as np

    from grader.im2col.lesson import machine

    fns, has_backward = solution_functions(np)
    torch_report = run_torch(args)
    version = next(iter(torch_report.values()))["version"] if torch_report else None
    print(f"{machine()}; PyTorch {version or 'not installed'}")
    print(f"float32, {args.threads} threads, medians of {args.repeats} calls in blocks")
    if not has_backward:
        print("solutions/06_backprop has no conv_backward yet: its forward + backward is not timed")
    for name, (x_shape, w_shape, stride, pad) in LAYERS.items():
        data, flops = inputs(np, fns, x_shape, w_shape, stride, pad)
        methods = numpy_methods(fns, has_backward, data, stride, pad)
        seconds = medians(np, {n: call for n, (call, _) in methods.items()}, args.repeats)
        work = {n: k for n, (_, k) in methods.items()}
        if name in torch_report:
            for kind, t in torch_report[name]["times"].items():
                seconds[f"PyTorch conv2d {kind}"] = t
                work[f"PyTorch conv2d {kind}"] = 3 if "backward" in kind else 1
        print(f"\n{name}: {flops / 1e9:.3f} GFLOP per forward")
        print_table(seconds, work, flops)
        if name in torch_report:
            agree = ", ".join(f"{k} {v:.1e}" for k, v in torch_report[name]["agreement"].items())
            print(f"  agreement with PyTorch (largest difference / largest value): {agree}")


def run_torch(args) -> dict:
    """PyTorch's timings from its own process, or {} where torch is not installed."""
    command = [sys.executable, __file__, "--torch-worker", "--repeats", str(args.repeats)]
    command += ["--threads", str(args.threads)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        if "No module named 'torch'" not in result.stderr:
            print(f"(PyTorch could not be timed: {result.stderr.strip()[-300:]})")
        return {}
    return json.loads(result.stdout)


def print_table(seconds: dict[str, float], work: dict[str, int], flops: int) -> None:
    rate = {n: work[n] * flops / s / 1e9 for n, s in seconds.items() if work[n]}
    print(f"  {'method':36s} {'ms':>8s} {'GFLOP/s':>8s} {'vs GEMM':>8s} {'vs torch':>9s}")
    for name, s in seconds.items():
        peer = "PyTorch conv2d " + ("forward + backward" if work[name] == 3 else "forward")
        line = f"  {name:36s} {1e3 * s:8.2f}"
        if name in rate:
            line += f" {rate[name]:8.1f} {rate[name] / rate[GEMM]:7.2f}x"
            line += f" {rate[name] / rate[peer]:8.2f}x" if peer in rate else ""
        print(line)


if __name__ == "__main__":
    main()
