"""Learning-rate schedules from transformers (the reference) for Tests/TrainingTests.

Run: .venv-torch/bin/python scripts/make_schedule_fixtures.py
Writes Tests/Fixtures/training/lr_schedules.json: for each case the arguments of
transformers.get_cosine_with_min_lr_schedule_with_warmup and the learning rate the scheduler gives
the optimizer for every update (scheduler.get_last_lr() before each scheduler.step()), as the HF
Trainer (and ProLong) apply it. Warmup from a ratio uses TrainingArguments.get_warmup_steps.
"""
import json
import pathlib

import torch
import transformers
from transformers import TrainingArguments, get_cosine_with_min_lr_schedule_with_warmup

CASES = [
    # peak, warmup_ratio, total steps, min_lr_rate
    (1e-5, 0.1, 100, 0.1),   # ProLong stage (LR 1e-5 -> 1e-6)
    (5e-6, 0.1, 37, 0.2),    # odd step count: ceil in the warmup
    (2e-5, 0.05, 40, 0.1),   # ProLong SFT
    (3e-4, 0.0, 10, 0.0),    # no warmup, to zero
    (1e-3, 0.5, 3, 0.5),
    (1e-4, 0.75, 4, 0.1),    # mostly warmup
]

out = []
for peak, ratio, total, min_rate in CASES:
    # transformers 5 takes the ratio as a warmup_steps below 1 (4.x: warmup_ratio); both round up.
    args = TrainingArguments(output_dir="/tmp/lr-fixture", warmup_steps=ratio, report_to=[])
    warmup = args.get_warmup_steps(total)
    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.AdamW([param], lr=peak)
    scheduler = get_cosine_with_min_lr_schedule_with_warmup(optimizer, warmup, total, min_lr_rate=min_rate)
    lrs = []
    for _ in range(total + 2):  # two past the end: the schedule must stay at the floor
        lrs.append(scheduler.get_last_lr()[0])
        optimizer.step()
        scheduler.step()
    out.append({"peak": peak, "warmup_ratio": ratio, "warmup_steps": warmup, "total_steps": total,
                "min_lr_rate": min_rate, "lrs": lrs})

path = pathlib.Path(__file__).resolve().parent.parent / "Tests/Fixtures/training/lr_schedules.json"
path.write_text(json.dumps({"transformers": transformers.__version__, "torch": torch.__version__, "cases": out}, indent=1) + "\n")
print(f"wrote {path}")
