"""The serving endpoint of chapter 15 (aibook.serving), without TensorFlow: a NumPy "model"
stands in for the digit network, so that these tests take a second."""
import asyncio
import json

import numpy as np
import pytest

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from aibook import serving  # noqa: E402

SHAPE = (28, 28, 1)
WEIGHTS = np.random.default_rng(0).normal(size=(28 * 28, 10)).astype("float32")


def fake_predict(x):
    logits = x.reshape(len(x), -1) @ WEIGHTS
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def images(n, seed=1):
    return np.random.default_rng(seed).random((n, *SHAPE)).astype("float32")


@pytest.fixture(params=[False, True], ids=["unbatched", "batched"])
def client(request):
    app = serving.create_app(fake_predict, SHAPE, name="fake", max_batch=8,
                             batching=request.param, api_key=None)
    with TestClient(app) as c:  # the context runs the lifespan, which starts the batcher
        yield c


def test_health_route_says_ok_and_names_the_model(client):
    answer = client.get("/health")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok" and answer.json()["model"] == "fake"


def test_predict_returns_the_models_classes_for_images_with_or_without_channel_axis(client):
    x = images(3)
    for instances in (x.tolist(), x[..., 0].tolist()):
        answer = client.post("/predict", json={"instances": instances})
        assert answer.status_code == 200
        expected = fake_predict(x)
        assert answer.json()["classes"] == expected.argmax(axis=1).tolist()
        np.testing.assert_allclose(answer.json()["probabilities"], expected, atol=1e-5)


def _body(instances):
    return json.dumps({"instances": instances})


GOOD = images(1)[0, ..., 0].tolist()
BAD_REQUESTS = {  # name: (body, status, words the message must contain)
    "malformed JSON": ('{"instances": [[0.1, 0.2', 400, "not valid JSON"),
    "not UTF-8": (b"\xff\xfe{", 400, "not valid JSON"),
    "a list, not an object": (json.dumps([GOOD]), 422, '"instances"'),
    "no instances key": (json.dumps({"images": [GOOD]}), 422, '"instances"'),
    "instances not a list": (json.dumps({"instances": "digits"}), 422, "must be a list"),
    "empty batch": (_body([]), 422, "empty"),
    "batch too large": (_body([GOOD] * 9), 413, "limit of 8"),
    "wrong shape": (_body([np.zeros((27, 28)).tolist()]), 422, "shape (27, 28)"),
    "flat vector": (_body([np.zeros(784).tolist()]), 422, "shape (784,)"),
    "a bare number": (_body([0.5]), 422, "shape ()"),
    "ragged rows": (_body([[[0.0] * 28] * 27 + [[0.0] * 5]]), 422, "different lengths"),
    "mixed shapes": (_body([GOOD, np.zeros(SHAPE).tolist()]), 422, "mix shapes"),
    "a string": (_body([[["0.5"] * 28] * 28]), 422, "must be a number"),
    "a null": (_body([[[None] + [0.0] * 27] + [[0.0] * 28] * 27]), 422, "null"),
    "a boolean": (_body([[[True] * 28] * 28]), 422, "must be a number"),
    "NaN": ('{"instances": [[' + ",".join(["[" + ",".join(["NaN"] * 28) + "]"] * 28) + "]]}",
            422, "finite"),
    "out of range": (_body([(np.ones((28, 28)) * 255).tolist()]), 422, "[0, 1]"),
    "body too large": (" " * (serving.MAX_BODY_BYTES + 1), 413, "limit"),
}


@pytest.mark.parametrize("name", BAD_REQUESTS)
def test_every_bad_request_gets_a_4xx_that_names_the_problem_never_a_500(client, name):
    body, status, words = BAD_REQUESTS[name]
    answer = client.post("/predict", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == status, answer.text
    assert words in answer.json()["detail"]


def test_refused_requests_are_counted_in_the_health_route(client):
    client.post("/predict", content="{", headers={"content-type": "application/json"})
    assert client.get("/health").json()["refused"] == 1


def test_api_key_is_required_when_set():
    app = serving.create_app(fake_predict, SHAPE, api_key="s3cret")
    with TestClient(app) as c:
        body = {"instances": [GOOD]}
        assert c.post("/predict", json=body).status_code == 401
        assert "X-API-Key" in c.post("/predict", json=body, headers={"X-API-Key": "no"}).json()["detail"]
        assert c.post("/predict", json=body, headers={"X-API-Key": "s3cret"}).status_code == 200


def test_batcher_runs_concurrent_requests_as_one_call_and_returns_each_its_rows():
    calls = []

    def predict(x):
        calls.append(len(x))
        return fake_predict(x)

    batcher = serving._Batcher(predict, max_batch=64, max_wait=0.2)
    xs = [images(n, seed=n) for n in (1, 3, 2)]

    async def main():
        worker = asyncio.create_task(batcher.run())
        await asyncio.sleep(0)  # let the worker create its queue
        results = await asyncio.gather(*(batcher(x) for x in xs))
        worker.cancel()
        return results

    results = asyncio.run(main())
    assert calls == [6]
    for x, result in zip(xs, results):
        np.testing.assert_allclose(result, fake_predict(x), atol=1e-6)


def test_serve_starts_uvicorn_on_localhost_and_stops_it_on_exit():
    import httpx

    app = serving.create_app(fake_predict, SHAPE, name="fake")
    with serving.serve(app) as url:
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{url}/health").json()["status"] == "ok"
        report = serving.load_test(url, [{"instances": [GOOD]}], concurrency=2, requests=6)
    assert (report["statuses"] == 200).all() and (report["latency"] > 0).all()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/health", timeout=2)
