"""The int8 sentence model: built correctly from the weights, cached safely, and sensible."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from safeguarding.themes import model
from safeguarding.themes.model import (
    MAX_TOKENS,
    ModelProblem,
    SentenceEmbedder,
    build_encoder_graph,
    load_embedder,
    model_file_name,
    model_files_dir,
    read_config,
    read_safetensors,
)
from tests.themes.reference import reference_embedding, reference_hidden_states

SENTENCES = [
    "Children at risk of exploitation outside the home",
    "We will make sure adults who self-neglect are offered support that respects their choices.",
    "Domestic abuse referrals to MARAC rose by a fifth.",
    "The partnership commissioned an independent review of how agencies shared information "
    "before the child's death, and all three statutory partners accepted its recommendations.",
]


@pytest.fixture(scope="module")
def weights() -> dict[str, np.ndarray]:
    return read_safetensors(model_files_dir() / "model.safetensors")


@pytest.fixture(scope="module")
def config() -> dict[str, object]:
    return read_config(model_files_dir())


@pytest.fixture(scope="module")
def float_session(weights: dict[str, np.ndarray], config: dict[str, object]) -> object:
    """The same graph, unquantised, to check the graph itself against numpy."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    graph = build_encoder_graph(weights, config)
    return ort.InferenceSession(graph.SerializeToString(), sess_options=options)


def _padded(ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    width = max(len(row) for row in ids)
    input_ids = np.zeros((len(ids), width), dtype=np.int64)
    mask = np.zeros((len(ids), width), dtype=np.int64)
    for n, row in enumerate(ids):
        input_ids[n, : len(row)] = row
        mask[n, : len(row)] = 1
    return input_ids, mask


def test_the_safetensors_reader_reads_names_shapes_and_values(tmp_path: Path) -> None:
    matrix = np.arange(6, dtype="<f4").reshape(2, 3)
    ids = np.array([7, -1], dtype="<i8")
    body = matrix.tobytes() + ids.tobytes()
    header = {
        "__metadata__": {"format": "pt"},
        "m": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
        "ids": {"dtype": "I64", "shape": [2], "data_offsets": [24, 40]},
    }
    raw = json.dumps(header).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + body)
    tensors = read_safetensors(path)
    assert set(tensors) == {"m", "ids"}
    np.testing.assert_array_equal(tensors["m"], matrix)
    np.testing.assert_array_equal(tensors["ids"], ids)


@pytest.mark.parametrize(
    "content",
    [b"", struct.pack("<Q", 10**9) + b"{}", struct.pack("<Q", 4) + b"nope"],
    ids=["empty", "header longer than file", "header not JSON"],
)
def test_a_broken_safetensors_file_is_a_model_problem(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.safetensors"
    path.write_bytes(content)
    with pytest.raises(ModelProblem):
        read_safetensors(path)


def test_the_installed_weights_are_the_six_layer_minilm(
    weights: dict[str, np.ndarray], config: dict[str, object]
) -> None:
    assert config["hidden_size"] == 384 and config["num_hidden_layers"] == 6
    assert weights["embeddings.word_embeddings.weight"].shape == (30522, 384)
    assert weights["encoder.layer.5.intermediate.dense.weight"].shape == (1536, 384)


def test_the_float_graph_matches_numpy(
    float_session: object,
    weights: dict[str, np.ndarray],
    config: dict[str, object],
    embedder: SentenceEmbedder,
) -> None:
    ids = embedder.tokenize(SENTENCES)
    input_ids, mask = _padded(ids)  # different lengths: the padding must be masked out
    hidden, pooled = float_session.run(  # type: ignore[attr-defined]
        ["last_hidden_state", "sentence_embedding"],
        {"input_ids": input_ids, "attention_mask": mask},
    )
    for n, row in enumerate(ids):
        expected = reference_hidden_states(weights, config, row)
        np.testing.assert_allclose(hidden[n, : len(row)], expected, atol=1e-4)
        np.testing.assert_allclose(pooled[n], reference_embedding(weights, config, row), atol=1e-4)


def test_the_int8_model_stays_close_to_the_float_model(
    weights: dict[str, np.ndarray], config: dict[str, object], embedder: SentenceEmbedder
) -> None:
    vectors = embedder.encode(SENTENCES)
    for row, ids in zip(vectors, embedder.tokenize(SENTENCES), strict=True):
        cosine = float(row @ reference_embedding(weights, config, ids))
        assert cosine >= 0.97, cosine


def test_related_sentences_are_closer_than_unrelated_ones(embedder: SentenceEmbedder) -> None:
    anchor, related, unrelated = embedder.encode(
        [
            "Children at risk of exploitation outside the home",
            "Tackling county lines and child criminal exploitation",
            "Improving the quality of the council's housing stock",
        ]
    )
    assert anchor @ related > anchor @ unrelated + 0.2


def test_encode_returns_unit_rows_in_the_order_given(embedder: SentenceEmbedder) -> None:
    texts = ["Short.", "A much longer statement about multi-agency working " * 3, "Short."]
    vectors = embedder.encode(texts)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Sorting into batches by length must not reorder the answer.
    np.testing.assert_allclose(vectors[0], vectors[2], atol=1e-6)
    assert vectors[0] @ vectors[1] < 0.99
    single = embedder.encode([texts[1]])[0]
    # Activations are quantised per batch, so batch-mates shift a row a little, never much.
    assert float(single @ vectors[1]) > 0.99
    np.testing.assert_array_equal(embedder.encode(texts), vectors)  # and always the same way


def test_encode_copes_with_nothing_and_with_very_long_text(embedder: SentenceEmbedder) -> None:
    assert embedder.encode([]).shape == (0, 384)
    long_text = "Neglect remains the most common reason for a child protection plan. " * 200
    assert len(embedder.tokenize([long_text])[0]) == MAX_TOKENS
    vector = embedder.encode([long_text, ""])
    assert np.isfinite(vector).all() and vector.shape == (2, 384)
    with pytest.raises(TypeError):
        embedder.encode("one string, not a list")  # type: ignore[arg-type]


def test_load_embedder_gives_one_embedder_per_process(embedder: SentenceEmbedder) -> None:
    assert load_embedder() is embedder
    assert embedder.name == "all-MiniLM-L6-v2-int8"
    assert embedder.model_path.name == model_file_name(
        model._sha256_of(model_files_dir() / "model.safetensors", None)
    )


def test_two_processes_building_at_once_leave_one_whole_model(tmp_path: Path) -> None:
    env = {**os.environ, "SAFEGUARDING_MODEL_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "safeguarding.themes.model"]
    builders = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)
    ]
    paths = {builder.communicate(timeout=240)[0].strip() for builder in builders}
    assert all(builder.returncode == 0 for builder in builders)
    (built,) = paths
    onnx_files = [p for p in tmp_path.iterdir() if p.suffix == ".onnx"]
    assert [str(p) for p in onnx_files] == [built]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert f"-c{model.CONVERTER_VERSION}.onnx" in built
    # The built file is a whole, working model, and preparing again reuses it.
    before = Path(built).stat().st_mtime_ns
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=True)
    assert again.stdout.strip() == built and Path(built).stat().st_mtime_ns == before
    fresh = SentenceEmbedder(Path(built), model_files_dir() / "tokenizer.json")
    assert fresh.encode(["Safer sleep advice for new parents."]).shape == (1, 384)


def test_an_unwritable_model_folder_is_reported_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setenv("SAFEGUARDING_MODEL_DIR", str(blocked / "models"))
    with pytest.raises(ModelProblem, match="SAFEGUARDING_MODEL_DIR"):
        model.prepare_model()
