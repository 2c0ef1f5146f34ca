#!/usr/bin/env python3
"""Write Tests/Fixtures/rope/*.json: RoPE inverse frequencies, attention factors and cos/sin rows as
transformers itself computes them, for Llama configs covering every rope type and both config forms.

    .venv-torch/bin/python scripts/make_rope_fixtures.py        # transformers 5.x, torch CPU

Each fixture holds the config dict and, per sequence length:
  - "init": transformers 5's ROPE_INIT_FUNCTIONS[rope_type](config, seq_len=L) (the model's own
    compute_default_rope_parameters for "default"), L a Python int or None (init time);
  - "model": what LlamaRotaryEmbedding really uses after a forward over positions whose max is L - 1
    (dynamic NTK then recomputes in float32 tensors; longrope switches to the long factors), and for
    the last length its cos/sin output rows (first rotary_dim/2 columns; the second half repeats them).
If .venv-mds (transformers 4.57) exists, every config is also run through 4.57's LlamaRotaryEmbedding
("transformers4"). Differences measured: every v4-form config gives identical inverse frequencies and
attention scaling in 4.57 and 5.23; every v5-form config (rope_parameters only) runs in 4.57 as
default RoPE at base 10000; a llama3 rope_scaling without original_max_position_embeddings is a
KeyError in 4.57 while 5.x fills it from max_position_embeddings. From 4.57's source (not a fixture):
for longrope it reads only a top-level original_max_position_embeddings and then derives the factor.
Values are float32 numbers written as the shortest decimal that reads back to the same float32, so
tests can compare bit for bit where the arithmetic allows.
"""
import json
import os
import re
import struct
import subprocess
import sys
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "Tests", "Fixtures", "rope")
V4_PYTHON = os.path.join(ROOT, ".venv-mds", "bin", "python")


def dims(head_dim, heads=8, kv=2):
    """A small Llama body with the given head size (RoPE reads only these dimensions)."""
    return {"model_type": "llama", "architectures": ["LlamaForCausalLM"], "hidden_size": head_dim * heads,
            "num_attention_heads": heads, "num_key_value_heads": kv, "num_hidden_layers": 1,
            "intermediate_size": 64, "vocab_size": 64, "hidden_act": "silu", "rms_norm_eps": 1e-05}


def longrope_lists(n):
    short = [round(1.0 + 0.02 * i, 6) for i in range(n)]
    long = [round(1.0 + 0.9 * i + 0.001 * i * i, 6) for i in range(n)]
    return short, long


S64, L64 = longrope_lists(32)
S128, L128 = longrope_lists(64)

# name -> (config, sequence lengths to check; None = the table built at init)
CASES = {
    "default_d128_v4": (dict(dims(128), max_position_embeddings=8192, rope_theta=500000.0, rope_scaling=None), [None]),
    "default_d64_v5": (dict(dims(64), max_position_embeddings=8192,
                            rope_parameters={"rope_type": "default", "rope_theta": 100000.0}), [None]),
    "abf_prolong_64k_v5": (dict(dims(128), max_position_embeddings=65536,
                                rope_parameters={"rope_type": "default", "rope_theta": 8000000.0}), [None]),
    "abf_prolong_512k_v4": (dict(dims(128), max_position_embeddings=524288, rope_theta=128000000.0), [None]),
    "linear_d128_v4_type_key": (dict(dims(128), max_position_embeddings=16384, rope_theta=10000.0,
                                     rope_scaling={"type": "linear", "factor": 4.0}), [None]),
    "linear_d64_v5": (dict(dims(64), max_position_embeddings=8192,
                           rope_parameters={"rope_type": "linear", "factor": 2.5, "rope_theta": 500000.0}), [None]),
    "dynamic_d128_v4": (dict(dims(128), max_position_embeddings=4096, rope_theta=10000.0,
                             rope_scaling={"rope_type": "dynamic", "factor": 4.0}),
                        [None, 2048, 4096, 4097, 16384, 65536, 100000]),
    "dynamic_d64_partial_v5": (dict(dims(64), max_position_embeddings=8192,
                                    rope_parameters={"rope_type": "dynamic", "factor": 2.0, "rope_theta": 500000.0,
                                                     "partial_rotary_factor": 0.5}),
                               [None, 8192, 12345, 65536]),
    "yarn_d128_v4": (dict(dims(128), max_position_embeddings=65536, rope_theta=500000.0,
                          rope_scaling={"rope_type": "yarn", "factor": 8.0, "original_max_position_embeddings": 8192}),
                     [None]),
    "yarn_ultralong_1m_v5": (dict(dims(128), max_position_embeddings=1048576,
                                  rope_parameters={"rope_type": "yarn", "rope_theta": 500000.0, "factor": 128.0,
                                                   "original_max_position_embeddings": 8192, "beta_fast": 4.0,
                                                   "beta_slow": 1.0}), [None]),
    "yarn_attention_factor_v4": (dict(dims(64), max_position_embeddings=32768, rope_theta=10000.0,
                                      rope_scaling={"rope_type": "yarn", "factor": 4.0, "attention_factor": 1.25,
                                                    "original_max_position_embeddings": 8192}), [None]),
    "yarn_mscale_v5": (dict(dims(64), max_position_embeddings=163840,
                            rope_parameters={"rope_type": "yarn", "rope_theta": 10000.0, "factor": 40.0,
                                             "original_max_position_embeddings": 4096, "mscale": 1.0,
                                             "mscale_all_dim": 0.8, "beta_fast": 32.0, "beta_slow": 1.0}), [None]),
    "yarn_no_truncate_v5": (dict(dims(64), max_position_embeddings=32768,
                                 rope_parameters={"rope_type": "yarn", "rope_theta": 1000000.0, "factor": 4.0,
                                                  "original_max_position_embeddings": 8192, "truncate": False}),
                            [None]),
    "yarn_original_from_max_v4": (dict(dims(128), max_position_embeddings=4096, rope_theta=10000.0,
                                       rope_scaling={"type": "yarn", "factor": 2.0}), [None]),
    "yarn_partial_v5": (dict(dims(128), max_position_embeddings=32768,
                             rope_parameters={"rope_type": "yarn", "rope_theta": 500000.0, "factor": 4.0,
                                              "original_max_position_embeddings": 8192},
                             partial_rotary_factor=0.5), [None]),
    "llama3_1_d128_v4": (dict(dims(128), max_position_embeddings=131072, rope_theta=500000.0,
                              rope_scaling={"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                            "original_max_position_embeddings": 8192, "rope_type": "llama3"}), [None]),
    "llama3_2_d64_v5": (dict(dims(64), max_position_embeddings=131072,
                             rope_parameters={"rope_type": "llama3", "rope_theta": 500000.0, "factor": 32.0,
                                              "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                              "original_max_position_embeddings": 8192}), [None]),
    "llama3_abf_8m_v4": (dict(dims(128), max_position_embeddings=65536, rope_theta=8000000.0,
                              rope_scaling={"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                            "original_max_position_embeddings": 8192, "rope_type": "llama3"}), [None]),
    "llama3_without_original_v4": (dict(dims(64), max_position_embeddings=16384, rope_theta=500000.0,
                                        rope_scaling={"rope_type": "llama3", "factor": 4.0, "low_freq_factor": 1.0,
                                                      "high_freq_factor": 4.0}), [None]),
    "llama3_partial_v5": (dict(dims(128), max_position_embeddings=131072,
                               rope_parameters={"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0,
                                                "low_freq_factor": 2.0, "high_freq_factor": 8.0,
                                                "original_max_position_embeddings": 8192,
                                                "partial_rotary_factor": 0.5}), [None]),
    "longrope_d64_v5": (dict(dims(64), max_position_embeddings=131072,
                             rope_parameters={"rope_type": "longrope", "rope_theta": 10000.0, "factor": 32.0,
                                              "original_max_position_embeddings": 4096,
                                              "short_factor": S64, "long_factor": L64}),
                        [None, 4096, 4097, 131072]),
    "longrope_d128_v4_top_original": (dict(dims(128), max_position_embeddings=131072, rope_theta=10000.0,
                                           original_max_position_embeddings=4096,
                                           rope_scaling={"type": "longrope", "short_factor": S128,
                                                         "long_factor": L128}),
                                      [None, 4096, 8192]),
}


def with_rows(cases):
    """Cases checked only at init also run a forward up to max_position_embeddings, for cos/sin rows."""
    return {name: (config, lengths if lengths != [None] else [None, config["max_position_embeddings"]])
            for name, (config, lengths) in cases.items()}


CASES = with_rows(CASES)


def f32(values):
    """float32 values as the shortest decimals that read back to the same float32 (about half the text
    of the exact double); parse them straight into a Float."""
    def shortest(value):
        for digits in range(6, 10):
            text = "%.*g" % (digits, value)
            if struct.unpack("f", struct.pack("f", float(text)))[0] == value:
                return float(text)
        return value
    return [shortest(v) for v in values]


def first_half(rows, half):
    return [f32(row[:half]) for row in rows]


def run_case(transformers_major, config_dict, seq_lens):
    """Both the init-function and model-forward values, in the running transformers version."""
    import torch
    from transformers import LlamaConfig
    from transformers.modeling_rope_utils import ROPE_INIT_FUNCTIONS
    from transformers.models.llama.modeling_llama import LlamaRotaryEmbedding

    def config():
        return LlamaConfig.from_dict(json.loads(json.dumps(config_dict)))

    out = []
    for index, seq_len in enumerate(seq_lens):
        entry = {"seq_len": seq_len}
        cfg = config()
        rotary = LlamaRotaryEmbedding(cfg)
        if transformers_major >= 5:
            rope_type = cfg.rope_parameters["rope_type"]
            if rope_type == "default":
                inv, att = LlamaRotaryEmbedding.compute_default_rope_parameters(cfg)
            else:
                inv, att = ROPE_INIT_FUNCTIONS[rope_type](cfg, None, seq_len=seq_len)
            entry["init"] = {"inv_freq": f32(inv.tolist()), "attention_factor": float(att)}
        entry["rope_type"] = rotary.rope_type
        if seq_len is not None:
            positions = sorted({1, seq_len // 2, seq_len - 1})
            x = torch.zeros(1, len(positions), 8)
            cos, sin = rotary(x, torch.tensor([positions]))
            half = cos.shape[-1] // 2
            assert torch.equal(cos[..., :half], cos[..., half:]) and torch.equal(sin[..., :half], sin[..., half:])
            if index == len(seq_lens) - 1:  # cos/sin rows for the longest length only, to keep files small
                entry["positions"] = positions
                entry["cos"] = first_half(cos[0].tolist(), half)
                entry["sin"] = first_half(sin[0].tolist(), half)
        entry["model"] = {"inv_freq": f32(rotary.inv_freq.tolist()), "attention_factor": float(rotary.attention_scaling)}
        out.append(entry)
    return out


def compact_number_lists(text):
    """Indented JSON, but each list of numbers on one line (the files stay small and readable)."""
    number = r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
    pattern = re.compile(r"\[\s*(" + number + r"(?:,\s*" + number + r")*)\s*\]")
    return pattern.sub(lambda m: "[" + ", ".join(re.split(r",\s*", m.group(1))) + "]", text)


def worker():
    """Run under transformers 4: read cases from stdin, print results (or the error) per case."""
    import transformers
    transformers.logging.set_verbosity_error()
    cases = json.load(sys.stdin)
    results = {"version": transformers.__version__, "cases": {}}
    for name, (config_dict, seq_lens) in cases.items():
        try:
            results["cases"][name] = {"lengths": run_case(4, config_dict, seq_lens)}
        except Exception as error:  # noqa: BLE001 - the failure itself is the fixture
            results["cases"][name] = {"error": f"{type(error).__name__}: {error}"}
    json.dump(results, sys.stdout)


def main():
    import transformers
    transformers.logging.set_verbosity_error()
    warnings.filterwarnings("ignore")
    assert transformers.__version__.startswith("5."), "run with .venv-torch (transformers 5.x)"
    v4 = None
    if os.path.exists(V4_PYTHON):
        done = subprocess.run([V4_PYTHON, os.path.abspath(__file__), "--transformers4-worker"],
                              input=json.dumps(CASES), capture_output=True, text=True, check=True)
        v4 = json.loads(done.stdout)
    os.makedirs(OUT_DIR, exist_ok=True)
    for name, (config_dict, seq_lens) in CASES.items():
        fixture = {"name": name, "transformers_version": transformers.__version__, "config": config_dict,
                   "lengths": run_case(5, config_dict, seq_lens)}
        if v4 is not None:
            fixture["transformers4"] = dict(v4["cases"][name], version=v4["version"])
        with open(os.path.join(OUT_DIR, name + ".json"), "w") as f:
            f.write(compact_number_lists(json.dumps(fixture, indent=1)) + "\n")
        note = ""
        if v4 is not None:
            theirs = v4["cases"][name]
            if "error" in theirs:
                note = "  transformers4: " + theirs["error"][:80]
            elif theirs["lengths"][-1]["model"] != fixture["lengths"][-1]["model"]:
                note = "  transformers4 differs"
        print(f"{name}: {len(seq_lens)} lengths{note}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--transformers4-worker"]:
        worker()
    else:
        main()
