"""The training step of `longctx bench-train`, in PyTorch (the reference of Benchmarks/train_step.sh).

transformers LlamaForCausalLM built from the same config.json (f32, attn_implementation="sdpa", random init:
normal(0, initializer_range), norms 1), one sequence of --tokens uniform random ids packed into --documents
equal documents, then per step: zero_grad, forward with labels (transformers' mean cross-entropy), backward,
clip_grad_norm_(1.0), torch.optim.AdamW (lr 1e-4, weight decay 0.1 except biases and norm weights, as the HF
Trainer groups them). Prints one JSON line: best and median seconds per step of --steps timed steps after
--warmup untimed ones, phases (median), loss, and peak RSS (ru_maxrss).

Packed documents are passed the way transformers 5 does packed attention itself: position_ids restarting at
each document and no attention_mask; its masking_utils then detects the packing (find_packed_sequence_indices)
and gives SDPA a 4D block-diagonal causal boolean mask [1, 1, T, T]. With one document there is no mask and
SDPA runs with is_causal=True.

    .venv-torch/bin/python Benchmarks/train_step.py --config CONFIG.json --tokens 4096 --threads 2
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", required=True, help="config.json")
    ap.add_argument("--tokens", type=int, default=4096)
    ap.add_argument("--documents", type=int, default=1)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--checkpointing", choices=["on", "off"], default="off")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))

    import torch
    import transformers
    from transformers import AutoConfig, AutoModelForCausalLM
    from transformers.models.auto.configuration_auto import CONFIG_MAPPING

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rss_imports = peak_rss_mib()
    if os.path.isdir(args.config):
        config = AutoConfig.from_pretrained(args.config)
    else:
        with open(args.config) as f:
            config = CONFIG_MAPPING[json.load(f)["model_type"]].from_json_file(args.config)
    config.use_cache = False
    model = AutoModelForCausalLM.from_config(config, attn_implementation="sdpa", dtype=torch.float32)
    model.train()
    if args.checkpointing == "on":
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    decay = [p for n, p in model.named_parameters() if not (n.endswith(".bias") or n.endswith("norm.weight"))]
    no_decay = [p for n, p in model.named_parameters() if n.endswith(".bias") or n.endswith("norm.weight")]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-4)

    t, n = args.tokens, args.documents
    ids = torch.randint(0, config.vocab_size, (1, t))
    length = t // n
    starts = [i * length for i in range(n)]
    positions = torch.cat([torch.arange(e - s) for s, e in zip(starts, starts[1:] + [t])]).unsqueeze(0)
    labels = ids.clone()
    labels[0, starts[1:]] = -100  # the last token of a document does not predict the next document's first
    rss_before = peak_rss_mib()

    samples, loss = [], float("nan")
    for step in range(args.warmup + args.steps):
        marks = [time.perf_counter()]
        optimizer.zero_grad()
        marks.append(time.perf_counter())
        out = model(input_ids=ids, position_ids=positions, labels=labels)
        marks.append(time.perf_counter())
        out.loss.backward()
        marks.append(time.perf_counter())
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        marks.append(time.perf_counter())
        optimizer.step()
        marks.append(time.perf_counter())
        loss = out.loss.item()
        del out
        if step >= args.warmup:
            samples.append([b - a for a, b in zip(marks, marks[1:])])

    totals = sorted(sum(s) for s in samples)
    names = ["zero_grad", "forward", "backward", "grad_norm", "adamw"]
    print(json.dumps({
        "tool": "pytorch", "torch": torch.__version__, "transformers": transformers.__version__,
        "parameters": sum(p.numel() for p in model.parameters()), "tokens": t, "documents": n,
        "threads": torch.get_num_threads(), "checkpointing": args.checkpointing == "on",
        "warmup": args.warmup, "steps": args.steps, "seconds_best": totals[0],
        "seconds_median": statistics.median(totals), "tokens_per_s": t / totals[0],
        "phases_median": {k: statistics.median(s[i] for s in samples) for i, k in enumerate(names)},
        "loss": loss, "rss_after_imports_mib": rss_imports, "rss_before_steps_mib": rss_before,
        "peak_rss_mib": peak_rss_mib(),
    }))


if __name__ == "__main__":
    sys.exit(main())
