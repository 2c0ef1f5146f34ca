#!/usr/bin/env python3
"""Write the PyTorch reference fixtures for the Tensor module's tests (Tests/TensorTests).

    .venv-torch/bin/python scripts/make_tensor_fixtures.py [out_dir]     # torch 2.13 CPU

Deterministic (seeded). Writes two JSON files to Tests/Fixtures/tensor/ (default):

conversions.json -- dtype conversions as torch does them, all values as integer bit patterns:
  {"f32_to_bf16": [[f32_bits, bf16_bits], ...], "f32_to_f16": [[f32_bits, f16_bits], ...],
   "bf16_to_f32": [[bf16_bits, f32_bits], ...], "f16_to_f32": [[f16_bits, f32_bits], ...]}
  (NaN results are compared as "is NaN": torch's scalar and vector paths pick different NaN payloads.)

ops.json -- one object per op; tensors are flat row-major lists of float32 values written with 9 significant
digits (exact round trip), shapes given alongside:
  rmsnorm:   x [rows, dim], weight [dim], eps, dout -> out, dx, dweight
  rope:      x [T, H, D], positions [T], inv_freq [D/2], attention_scaling, dout -> out, dx
             (cos/sin exactly as transformers' LlamaRotaryEmbedding: float32 inv_freq @ positions, cat, cos/sin,
             times attention_scaling; q * cos + rotate_half(q) * sin)
  swiglu:    gate, up [rows, dim], dout -> out, dgate, dup          (F.silu(gate) * up)
  cross_entropy: logits [n, V], labels [n] (-100 ignored), grad_scale -> loss_sum, valid_count,
             grad = grad_scale * d(loss_sum)/d(logits)
  adamw:     param0 [n], grads [steps, n], lr, beta1, beta2, eps, weight_decay -> param, exp_avg, exp_avg_sq
             after `steps` torch.optim.AdamW steps (foreach=False, the single-tensor path)
  linear:    x [T, in], weight [out, in], dy [T, out] -> y = x W^T, dx, dweight
  attention: q [T, Hq, D], k, v [T, Hkv, D], cu_seqlens, scale, dout -> out, lse [Hq, T], dq, dk, dv
             (float64 reference: causal softmax inside each document, GQA by repeating kv heads)
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Tests", "Fixtures", "tensor")
torch.manual_seed(20250611)


def flat(t):
    """float32 values, 9 significant digits (enough to round-trip a float32)."""
    return [float(f"{v:.9g}") for v in t.detach().to(torch.float32).reshape(-1).tolist()]


def randn(*shape, scale=1.0):
    return (torch.randn(*shape, dtype=torch.float32) * scale).requires_grad_(True)


# --- conversions -------------------------------------------------------------------------------------------

def f32_bits(values):
    return torch.tensor(values, dtype=torch.int64).to(torch.int32).view(torch.float32)


def conversions():
    specials = [
        0x00000000, 0x80000000,              # +-0
        0x3F800000, 0xBF800000,              # +-1
        0x3F808000, 0x3F818000,              # bf16 ties: to even (down), to even (up)
        0x3F808001, 0x3F807FFF,              # just above / below a tie
        0x7F7FFFFF, 0xFF7FFFFF,              # max finite: rounds to inf in bf16 and f16
        0x7F7F7FFF,                          # largest that stays finite in bf16
        0x7F800000, 0xFF800000,              # +-inf
        0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FA00000, 0xFFFFFFFF,  # NaNs (quiet, signalling, negative)
        0x00000001, 0x80000001,              # smallest subnormals
        0x00008000, 0x00018000, 0x00008001,  # subnormal ties / above tie
        0x007FFFFF, 0x00800000,              # largest subnormal, smallest normal
        0x477FE000, 0x477FF000, 0x477FEFFF,  # 65504 (f16 max), 65520 (ties to inf), just below
        0x33800000, 0x33000000, 0x33400000,  # 2^-24 (f16 min subnormal), 2^-25 (tie to 0), 1.5*2^-25
        0x38800000, 0x387FC000,              # 2^-14 (f16 min normal), just below
        0x3DCCCCCD, 0x40490FDB, 0xC2F6E979,  # 0.1, pi, -123.456
    ]
    g = torch.Generator().manual_seed(7)
    randoms = torch.randint(0, 2**32, (64,), generator=g, dtype=torch.int64).tolist()
    inputs = f32_bits(specials + randoms)
    as_u16 = lambda t: [v & 0xFFFF for v in t.view(torch.int16).tolist()]  # noqa: E731
    as_u32 = lambda t: [v & 0xFFFFFFFF for v in t.view(torch.int32).tolist()]  # noqa: E731
    in_bits = as_u32(inputs)
    # One element at a time too: torch's scalar path is what a single value goes through.
    bf16 = [as_u16(inputs[i:i + 1].to(torch.bfloat16))[0] for i in range(len(in_bits))]
    f16 = [as_u16(inputs[i:i + 1].to(torch.float16))[0] for i in range(len(in_bits))]

    half_specials = [0x0000, 0x8000, 0x0001, 0x8001, 0x03FF, 0x0400, 0x3C00, 0x7BFF, 0xFBFF, 0x7C00, 0xFC00,
                     0x7E00, 0xFE00, 0x7C01, 0x7F80, 0xFF80, 0x7F7F, 0x0080, 0x007F, 0x3555]
    half_randoms = torch.randint(0, 2**16, (32,), generator=g, dtype=torch.int64).tolist()
    halves = torch.tensor([v - 65536 if v >= 32768 else v for v in half_specials + half_randoms],
                          dtype=torch.int16)
    half_bits = [v & 0xFFFF for v in halves.tolist()]
    return {
        "f32_to_bf16": list(map(list, zip(in_bits, bf16))),
        "f32_to_f16": list(map(list, zip(in_bits, f16))),
        "bf16_to_f32": list(map(list, zip(half_bits, as_u32(halves.view(torch.bfloat16).to(torch.float32))))),
        "f16_to_f32": list(map(list, zip(half_bits, as_u32(halves.view(torch.float16).to(torch.float32))))),
    }


# --- ops ---------------------------------------------------------------------------------------------------

def rmsnorm():
    rows, dim, eps = 5, 40, 1e-5
    x, w = randn(rows, dim), randn(dim)
    xf = x.to(torch.float32)  # LlamaRMSNorm.forward
    variance = xf.pow(2).mean(-1, keepdim=True)
    out = w * (xf * torch.rsqrt(variance + eps))
    dout = torch.randn(rows, dim)
    out.backward(dout)
    return {"rows": rows, "dim": dim, "eps": eps, "x": flat(x), "weight": flat(w), "dout": flat(dout),
            "out": flat(out), "dx": flat(x.grad), "dweight": flat(w.grad)}


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def rope():
    tokens, heads, dim, base, scaling = 6, 3, 40, 10000.0, 1.25
    positions = torch.tensor([0, 1, 2, 7, 4099, 131071], dtype=torch.int64)
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).to(dtype=torch.float) / dim))
    inv_freq_expanded = inv_freq[None, :, None].float().expand(1, -1, 1)
    position_ids_expanded = positions[None, None, :].float()
    freqs = (inv_freq_expanded.float() @ position_ids_expanded.float()).transpose(1, 2)[0]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos() * scaling, emb.sin() * scaling
    x = randn(tokens, heads, dim)
    out = x * cos[:, None, :] + rotate_half(x) * sin[:, None, :]
    dout = torch.randn(tokens, heads, dim)
    out.backward(dout)
    return {"tokens": tokens, "heads": heads, "dim": dim, "attention_scaling": scaling,
            "positions": positions.tolist(), "inv_freq": flat(inv_freq), "x": flat(x), "dout": flat(dout),
            "out": flat(out), "dx": flat(x.grad)}


def swiglu():
    rows, dim = 4, 40
    gate, up = randn(rows, dim, scale=3.0), randn(rows, dim)
    with torch.no_grad():
        gate[0, :6] = torch.tensor([-90.0, -30.0, -0.0, 12.0, 40.0, 89.5])
    out = F.silu(gate) * up
    dout = torch.randn(rows, dim)
    out.backward(dout)
    return {"rows": rows, "dim": dim, "gate": flat(gate), "up": flat(up), "dout": flat(dout),
            "out": flat(out), "dgate": flat(gate.grad), "dup": flat(up.grad)}


def cross_entropy():
    n, vocab, grad_scale = 6, 100, 0.25
    logits = randn(n, vocab, scale=4.0)
    with torch.no_grad():
        logits[3] += 1000.0          # large offset: needs the max subtraction
        logits[4, 17] = 60.0         # one dominant logit
    labels = torch.tensor([5, 99, -100, 0, 17, 42])
    loss = F.cross_entropy(logits, labels, ignore_index=-100, reduction="sum")
    (loss * grad_scale).backward()
    return {"n": n, "vocab": vocab, "grad_scale": grad_scale, "logits": flat(logits), "labels": labels.tolist(),
            "loss_sum": loss.item(), "valid_count": int((labels != -100).sum()), "grad": flat(logits.grad)}


def adamw():
    n, steps = 40, 10
    lr, beta1, beta2, eps, wd = 1e-2, 0.9, 0.95, 1e-8, 0.1
    param0 = torch.randn(n)
    grads = torch.randn(steps, n) * 0.1
    p = torch.nn.Parameter(param0.clone())
    opt = torch.optim.AdamW([p], lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=wd, foreach=False)
    for s in range(steps):
        p.grad = grads[s].clone()
        opt.step()
    state = opt.state[p]
    return {"n": n, "steps": steps, "lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps, "weight_decay": wd,
            "param0": flat(param0), "grads": flat(grads), "param": flat(p), "exp_avg": flat(state["exp_avg"]),
            "exp_avg_sq": flat(state["exp_avg_sq"])}


def linear():
    tokens, fan_in, fan_out = 5, 24, 7
    x, w = randn(tokens, fan_in), randn(fan_out, fan_in)
    y = F.linear(x, w)
    dy = torch.randn(tokens, fan_out)
    y.backward(dy)
    return {"tokens": tokens, "in": fan_in, "out": fan_out, "x": flat(x), "weight": flat(w), "dy": flat(dy),
            "y": flat(y), "dx": flat(x.grad), "dweight": flat(w.grad)}


def attention():
    tokens, hq, hkv, dim = 10, 4, 2, 8
    cu_seqlens = [0, 4, 4, 10]  # includes an empty document
    scale = 1 / math.sqrt(dim)
    q, k, v = randn(tokens, hq, dim), randn(tokens, hkv, dim), randn(tokens, hkv, dim)
    dout = torch.randn(tokens, hq, dim)
    q64, k64, v64 = (t.detach().double().requires_grad_(True) for t in (q, k, v))
    outs, lses = [], []
    for start, end in zip(cu_seqlens, cu_seqlens[1:]):
        if start == end:
            continue
        qd = q64[start:end].transpose(0, 1)                                   # [Hq, n, D]
        kd = k64[start:end].transpose(0, 1).repeat_interleave(hq // hkv, 0)   # [Hq, n, D]
        vd = v64[start:end].transpose(0, 1).repeat_interleave(hq // hkv, 0)
        scores = qd @ kd.transpose(1, 2) * scale
        mask = torch.ones(end - start, end - start, dtype=torch.bool).tril()
        scores = scores.masked_fill(~mask, float("-inf"))
        lses.append(torch.logsumexp(scores, dim=-1))                         # [Hq, n]
        outs.append((torch.softmax(scores, dim=-1) @ vd).transpose(0, 1))    # [n, Hq, D]
    out, lse = torch.cat(outs, 0), torch.cat(lses, 1)
    out.backward(dout.double())
    return {"tokens": tokens, "q_heads": hq, "kv_heads": hkv, "dim": dim, "cu_seqlens": cu_seqlens,
            "scale": scale, "q": flat(q), "k": flat(k), "v": flat(v), "dout": flat(dout), "out": flat(out),
            "lse": flat(lse), "dq": flat(q64.grad), "dk": flat(k64.grad), "dv": flat(v64.grad)}


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    ops = {"torch_version": torch.__version__, "rmsnorm": rmsnorm(), "rope": rope(), "swiglu": swiglu(),
           "cross_entropy": cross_entropy(), "adamw": adamw(), "linear": linear(), "attention": attention()}
    with open(os.path.join(OUT_DIR, "conversions.json"), "w") as f:
        json.dump({"torch_version": torch.__version__, **conversions()}, f, separators=(",", ":"))
    with open(os.path.join(OUT_DIR, "ops.json"), "w") as f:
        json.dump(ops, f, separators=(",", ":"))
    for name in ("conversions.json", "ops.json"):
        print(name, os.path.getsize(os.path.join(OUT_DIR, name)), "bytes")


if __name__ == "__main__":
    main()
