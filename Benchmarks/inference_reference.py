"""Prefill and greedy decode of `longctx bench-generate`, in PyTorch (the reference of Benchmarks/inference.sh).

transformers LlamaForCausalLM.from_pretrained(--model) (f32, attn_implementation="sdpa", eval, inference_mode),
the first L ids of --prompt-ids (the JSON array `bench-generate` wrote). Per length, in a fresh child process
(so its memory is that length's own; the peak
is reset after loading, so it is that of prefill and decode): an untimed warm-up (one chunk of the prompt and 4 decode
steps on a separate cache), the timed prefill, then --decode-steps timed greedy steps from its DynamicCache,
each one forward of the new token with the cache and the argmax of its logits (end-of-sequence does not stop).

Prefill: --prefill-chunk 0 (the default) is one forward over the whole prompt with use_cache=True, the way
transformers' generate() prefills; N > 0 runs the prompt N tokens at a time through the same DynamicCache.
Both pass logits_to_keep=1, so only the last position's logits are made (as `Generator.prefill` does).
Batched decode: --batch copies of a --batch-length prompt prefilled as one [batch, length] forward (chunked
likewise), then decoded together. Prints one JSON line per run, in the fields `bench-generate` prints.

    .venv-torch/bin/python Benchmarks/inference_reference.py --model DIR --prompt-ids IDS.json --threads 2
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def memory_mib(key):
    """A /proc/self/status line (VmHWM: peak resident set; VmRSS: current) in MiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak_memory():
    """Resets VmHWM to the current resident set (Linux: "5" into /proc/self/clear_refs), so that later peaks are
    those of the timed work, not of loading the weights; returns VmRSS."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    return memory_mib("VmRSS")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True, help="model directory (config.json + safetensors)")
    ap.add_argument("--prompt-ids", required=True, help="JSON array of token ids (bench-generate writes it)")
    ap.add_argument("--lengths", default="2048,8192,32768")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--prefill-chunk", type=int, default=0, help="0: one forward over the whole prompt")
    ap.add_argument("--decode-steps", type=int, default=32)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--batch", type=int, default=4, help="0 skips the batched decode")
    ap.add_argument("--batch-length", type=int, default=2048)
    args = ap.parse_args()
    lengths = [int(x) for x in args.lengths.split(",") if x.strip()]
    runs = [["--lengths", str(n), "--batch", "0"] for n in lengths] + ([["--lengths", "", "--batch", str(args.batch)]] if args.batch else [])
    if len(runs) > 1:
        common = ["--model", args.model, "--prompt-ids", args.prompt_ids, "--threads", str(args.threads),
                  "--prefill-chunk", str(args.prefill_chunk), "--decode-steps", str(args.decode_steps),
                  "--warmup", str(args.warmup), "--batch-length", str(args.batch_length)]
        for run in runs:
            sys.stdout.flush()
            subprocess.run([sys.executable, __file__] + common + run, check=True)
        return 0
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))

    import torch
    import transformers
    from transformers import DynamicCache, LlamaForCausalLM

    torch.set_num_threads(args.threads)
    with open(args.prompt_ids) as f:
        ids = json.load(f)
    model = LlamaForCausalLM.from_pretrained(args.model, dtype=torch.float32, attn_implementation="sdpa")
    model.eval()
    peak_load = memory_mib("VmHWM")

    def prefill(prompt, cache):
        """Runs prompt [batch, T] into cache; the next token of each sequence [batch, 1]."""
        step = args.prefill_chunk or prompt.shape[1]
        for start in range(0, prompt.shape[1], step):
            out = model(input_ids=prompt[:, start:start + step], past_key_values=cache, use_cache=True, logits_to_keep=1)
        return out.logits[:, -1].argmax(-1, keepdim=True)

    def decode_step(token, cache):
        out = model(input_ids=token, past_key_values=cache, use_cache=True)
        return out.logits[:, -1].argmax(-1, keepdim=True)

    batch = args.batch if not lengths else 1
    length = lengths[0] if lengths else args.batch_length
    prompt = torch.tensor([ids[:length]] * batch, dtype=torch.long)
    with torch.inference_mode():
        for _ in range(args.warmup):
            cache = DynamicCache(config=model.config)
            token = prefill(prompt[:, :args.prefill_chunk or 2048], cache)
            for _ in range(4):
                token = decode_step(token, cache)
            del cache
        cache = DynamicCache(config=model.config)
        rss_before = reset_peak_memory()
        start = time.perf_counter()
        token = prefill(prompt, cache)
        prefill_seconds = time.perf_counter() - start
        peak_prefill = memory_mib("VmHWM")
        decoded, steps = [int(token[0, 0])], []
        for _ in range(args.decode_steps):
            t = time.perf_counter()
            token = decode_step(token, cache)
            steps.append(time.perf_counter() - t)
            decoded.append(int(token[0, 0]))
    decode_seconds = sum(steps)
    kv_bytes = sum(layer.keys.numel() * layer.keys.element_size() + layer.values.numel() * layer.values.element_size()
                   for layer in cache.layers)
    print(json.dumps({
        "tool": "pytorch", "torch": torch.__version__, "transformers": transformers.__version__,
        "threads": torch.get_num_threads(), "prefill_chunk": args.prefill_chunk, "decode_steps": args.decode_steps,
        "warmup": args.warmup, "kind": "single" if lengths else "batch", "length": length, "batch": batch,
        "prefill_seconds": prefill_seconds, "prefill_tokens_per_s": batch * length / prefill_seconds,
        "decode_seconds": decode_seconds, "decode_tokens_per_s": batch * args.decode_steps / decode_seconds,
        "decode_ms_per_token_median": statistics.median(steps) * 1000, "decoded": decoded,
        "kv_cache_mib": kv_bytes / 1048576, "peak_rss_load_mib": peak_load, "rss_before_prefill_mib": rss_before,
        "peak_rss_prefill_mib": peak_prefill, "peak_rss_mib": memory_mib("VmHWM"),
    }), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
