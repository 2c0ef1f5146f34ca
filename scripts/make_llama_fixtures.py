"""Reference logits, loss and gradients of tiny random Llama-family models, from transformers + PyTorch.

Run: .venv-torch/bin/python scripts/make_llama_fixtures.py
For each case writes Tests/Fixtures/llama/CASE/:
  config.json            as transformers' save_pretrained writes it
  tensors.safetensors    param.NAME (the weights), grad.NAME (gradients), logits (of the packed sequence)
  case.json              tokens, positions, document offsets, targets, loss sum, valid count, grad scale

The packed sequence holds several documents with positions running on across them (ProLong). The
reference runs each document ALONE through LlamaForCausalLM (eager attention, float64) with those
position ids, so the expected values are exactly what document-masked attention must give. The loss is
summed over every position whose next token is in the same document; gradients are of
(loss sum x grad_scale), grad_scale = 1 / valid count (ProLong's token-averaged loss).
"""
import json
import pathlib

import torch
import transformers
from safetensors.torch import save_file
from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

ROOT = pathlib.Path(__file__).resolve().parent.parent / "Tests/Fixtures/llama"


def run(name, model, documents, seed):
    torch.manual_seed(seed)
    model = model.double()
    # Norm weights away from 1 and biases away from 0, so their gradients are tested too.
    with torch.no_grad():
        for pname, p in model.named_parameters():
            if pname.endswith("norm.weight"):
                p.copy_(1 + 0.1 * torch.randn_like(p))
            elif pname.endswith(".bias"):
                p.copy_(0.1 * torch.randn_like(p))
    vocab = model.config.vocab_size
    g = torch.Generator().manual_seed(seed + 1)
    docs = [torch.randint(0, vocab, (n,), generator=g) for n in documents]
    tokens = torch.cat(docs)
    offsets = [0]
    for d in docs:
        offsets.append(offsets[-1] + len(d))
    targets = []
    for d in docs:
        targets += d[1:].tolist() + [-100]
    valid = sum(1 for t in targets if t != -100)
    scale = 1.0 / valid

    model.zero_grad()
    loss_sum = 0.0
    logits_all = []
    for d, start in zip(docs, offsets):
        positions = torch.arange(start, start + len(d)).unsqueeze(0)
        out = model(input_ids=d.unsqueeze(0), position_ids=positions)
        logits = out.logits[0]
        logits_all.append(logits.detach())
        lsum = torch.nn.functional.cross_entropy(logits[:-1], d[1:], reduction="sum")
        (lsum * scale).backward()
        loss_sum += lsum.item()

    directory = ROOT / name
    directory.mkdir(parents=True, exist_ok=True)
    model.config.save_pretrained(directory)
    tensors = {"logits": torch.cat(logits_all).float().contiguous()}
    for pname, p in model.named_parameters():
        tensors["param." + pname] = p.detach().float().contiguous()
        tensors["grad." + pname] = p.grad.detach().float().contiguous()
    save_file(tensors, directory / "tensors.safetensors")
    case = {"tokens": tokens.tolist(), "positions": list(range(len(tokens))), "document_offsets": offsets,
            "targets": targets, "loss_sum": loss_sum, "valid_count": valid, "grad_scale": scale,
            "transformers": transformers.__version__, "torch": torch.__version__}
    (directory / "case.json").write_text(json.dumps(case) + "\n")
    print(name, "params", sum(p.numel() for p in model.parameters()), "loss", loss_sum / valid)


common = dict(vocab_size=101, hidden_size=32, intermediate_size=56, num_hidden_layers=2, num_attention_heads=4,
              num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-5, attn_implementation="eager")

torch.manual_seed(0)
run("llama-tied", LlamaForCausalLM(LlamaConfig(**common, tie_word_embeddings=True, rope_theta=10000.0)), [9, 1, 14], seed=1)

torch.manual_seed(1)
yarn = {"rope_type": "yarn", "rope_theta": 500000.0, "factor": 4.0, "original_max_position_embeddings": 16,
        "beta_fast": 4.0, "beta_slow": 1.0}
run("qwen2-yarn", Qwen2ForCausalLM(Qwen2Config(**{**common, "num_key_value_heads": 1}, tie_word_embeddings=False,
                                                  rope_parameters=yarn)), [20, 6, 11], seed=2)

torch.manual_seed(2)
llama3 = {"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
          "original_max_position_embeddings": 16}
run("llama3-untied-headdim", LlamaForCausalLM(LlamaConfig(**{**common, "head_dim": 16}, tie_word_embeddings=False,
                                                         rope_parameters=llama3)), [33], seed=3)
