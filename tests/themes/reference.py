"""A plain numpy forward pass of the sentence model: the yardstick for the ONNX graphs."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.special import erf


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def reference_hidden_states(
    weights: dict[str, np.ndarray], config: dict[str, Any], ids: list[int]
) -> np.ndarray:
    """The last hidden state of one unpadded sentence, (tokens, hidden), in float32."""
    w = {name: value.astype(np.float32, copy=False) for name, value in weights.items()}
    heads = int(config["num_attention_heads"])
    hidden = int(config["hidden_size"])
    eps = float(config["layer_norm_eps"])
    size = hidden // heads
    n = len(ids)
    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][:n]
        + w["embeddings.token_type_embeddings.weight"][0]
    )
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)

    def linear(v: np.ndarray, prefix: str) -> np.ndarray:
        return v @ w[f"{prefix}.weight"].T + w[f"{prefix}.bias"]

    for i in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{i}"
        q = linear(x, f"{p}.attention.self.query").reshape(n, heads, size).transpose(1, 0, 2)
        k = linear(x, f"{p}.attention.self.key").reshape(n, heads, size).transpose(1, 0, 2)
        v = linear(x, f"{p}.attention.self.value").reshape(n, heads, size).transpose(1, 0, 2)
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(size)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probs = scores / scores.sum(axis=-1, keepdims=True)
        context = (probs @ v).transpose(1, 0, 2).reshape(n, hidden)
        x = _layer_norm(
            linear(context, f"{p}.attention.output.dense") + x,
            w[f"{p}.attention.output.LayerNorm.weight"],
            w[f"{p}.attention.output.LayerNorm.bias"],
            eps,
        )
        inner = linear(x, f"{p}.intermediate.dense")
        inner = 0.5 * inner * (1.0 + erf(inner / math.sqrt(2.0)))
        x = _layer_norm(
            linear(inner, f"{p}.output.dense") + x,
            w[f"{p}.output.LayerNorm.weight"],
            w[f"{p}.output.LayerNorm.bias"],
            eps,
        )
    return x


def reference_embedding(
    weights: dict[str, np.ndarray], config: dict[str, Any], ids: list[int]
) -> np.ndarray:
    """Mean-pooled, L2-normalised sentence embedding of one sentence."""
    mean = reference_hidden_states(weights, config, ids).mean(axis=0)
    return mean / np.linalg.norm(mean)
