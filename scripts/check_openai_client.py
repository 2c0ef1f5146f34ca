#!/usr/bin/env python3
"""Checks that the official `openai` Python client can talk to an OpenAI-compatible server.

Starts nothing itself: give it the URL of a running server (`longctx serve`, vLLM, llama.cpp's server), e.g.
    python scripts/check_openai_client.py http://127.0.0.1:8000 [--api-key KEY]
It lists the models, runs a completion and a chat whole and streamed (the streamed text must equal the whole
text when sampling is greedy), and checks that a bad parameter comes back as openai.BadRequestError and an unknown
model as openai.NotFoundError. Prints one line per check; exits 1 on the first failure.
"""
import argparse
import sys

import openai


def check(condition, what):
    if not condition:
        print(f"FAIL {what}")
        sys.exit(1)
    print(f"ok   {what}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="http://host:port or http://host:port/v1")
    parser.add_argument("--api-key", default="none")
    parser.add_argument("--prompt", default="one two three four five six")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    if not base.endswith("/v1"):
        base += "/v1"
    client = openai.OpenAI(base_url=base, api_key=args.api_key, max_retries=0, timeout=120)

    models = [m.id for m in client.models.list()]
    check(len(models) >= 1, f"models.list -> {models}")
    model = models[0]

    whole = client.completions.create(model=model, prompt=args.prompt, max_tokens=4, temperature=0)
    check(whole.object == "text_completion" and whole.id.startswith("cmpl-"), f"completion id/object: {whole.id} {whole.object}")
    text = whole.choices[0].text
    check(whole.choices[0].finish_reason in ("stop", "length"), f"completion finish_reason {whole.choices[0].finish_reason}")
    check(whole.usage.total_tokens == whole.usage.prompt_tokens + whole.usage.completion_tokens,
          f"completion usage {whole.usage}")
    pieces = []
    finish = None
    usage = None
    for chunk in client.completions.create(model=model, prompt=args.prompt, max_tokens=4, temperature=0, stream=True,
                                           stream_options={"include_usage": True}):
        if chunk.usage is not None:
            usage = chunk.usage
        for choice in chunk.choices:
            pieces.append(choice.text)
            finish = choice.finish_reason or finish
    check("".join(pieces) == text, f"streamed completion equals whole: {''.join(pieces)!r} == {text!r}")
    check(finish == whole.choices[0].finish_reason, f"streamed completion finish_reason {finish}")
    check(usage is not None and usage.completion_tokens == whole.usage.completion_tokens, f"streamed usage {usage}")

    messages = [{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "Say hello."}]
    chat = client.chat.completions.create(model=model, messages=messages, max_tokens=6, temperature=0)
    check(chat.object == "chat.completion" and chat.id.startswith("chatcmpl-"), f"chat id/object: {chat.id} {chat.object}")
    check(chat.choices[0].message.role == "assistant", f"chat message role {chat.choices[0].message.role}")
    content = chat.choices[0].message.content
    deltas = []
    roles = []
    objects = set()
    for chunk in client.chat.completions.create(model=model, messages=messages, max_tokens=6, temperature=0, stream=True):
        objects.add(chunk.object)
        for choice in chunk.choices:
            if choice.delta.role:
                roles.append(choice.delta.role)
            if choice.delta.content:
                deltas.append(choice.delta.content)
    check(objects == {"chat.completion.chunk"}, f"chat chunk objects {objects}")
    check(roles[:1] == ["assistant"], f"streamed chat starts with the assistant role: {roles}")
    check("".join(deltas) == content, f"streamed chat equals whole: {''.join(deltas)!r} == {content!r}")

    try:
        client.completions.create(model=model, prompt="x", max_tokens=2, temperature=-1)
        check(False, "temperature -1 is refused")
    except openai.BadRequestError as error:
        check(error.status_code == 400, f"temperature -1 -> BadRequestError: {error.message}")
    try:
        client.completions.create(model="no-such-model", prompt="x", max_tokens=2)
        check(False, "an unknown model is refused")
    except openai.NotFoundError as error:
        check(error.status_code == 404, f"unknown model -> NotFoundError: {error.message}")
    print("all checks passed")


if __name__ == "__main__":
    main()
