"""A trained model behind an HTTP endpoint: a FastAPI app, a uvicorn server and a load test.

    app = serving.create_app(predict, input_shape=(28, 28, 1), name="digit_cnn")
    with serving.serve(app) as url:              # uvicorn on 127.0.0.1, stopped on exit
        httpx.post(f"{url}/predict", json={"instances": images.tolist()})
        report = serving.load_test(url, payloads, concurrency=8, requests=200)

``predict`` maps a float32 batch of shape ``(n, *input_shape)`` to class probabilities of shape
``(n, classes)``; the app knows nothing else about the model. Every bad request gets a 4xx whose
``detail`` names the problem (tests/test_serving.py sends each kind). With ``batching=True``
concurrent requests are queued for up to ``max_wait_ms`` and run through ``predict`` together.
Needs the ``serving`` extra (FastAPI, uvicorn, httpx).
"""
import asyncio
import contextlib
import json
import secrets
import threading
import time

import numpy as np

MAX_BODY_BYTES = 4 * 1024 * 1024  # a batch of 64 digits as JSON is about 1 MB


class InputError(ValueError):
    """A request the endpoint refuses: ``status`` (4xx) and a message that names the problem."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def parse_instances(payload, input_shape, max_batch, value_range=(0.0, 1.0)):
    """The float32 batch in ``payload`` (``{"instances": [...]}``), or :class:`InputError`.

    An instance may leave out a trailing axis of length 1 (a grey image as rows of pixels)."""
    if not isinstance(payload, dict) or "instances" not in payload:
        raise InputError(422, 'the body must be a JSON object with a key "instances"')
    instances = payload["instances"]
    if not isinstance(instances, list):
        raise InputError(422, f'"instances" must be a list, not {type(instances).__name__}')
    if not instances:
        raise InputError(422, '"instances" is empty: send at least one instance')
    if len(instances) > max_batch:
        raise InputError(413, f"a batch of {len(instances)} instances is larger than the "
                              f"limit of {max_batch}: split it into several requests")
    shape = tuple(input_shape)
    allowed = [shape] + ([shape[:-1]] if shape and shape[-1] == 1 else [])
    for i, instance in enumerate(instances):
        try:
            got = np.shape(instance)
        except (ValueError, RecursionError):  # NumPy refuses ragged lists
            raise InputError(422, f"instance {i} has rows of different lengths; "
                                  f"expected shape {shape}") from None
        if got not in allowed:
            raise InputError(422, f"instance {i} has shape {got}; expected {shape}")
    try:
        batch = np.asarray(instances)
    except (ValueError, OverflowError):  # some with the trailing axis, some without
        raise InputError(422, f"the instances mix shapes; send all as {shape}") from None
    if batch.dtype.kind not in "iuf":  # strings, booleans, nulls, objects
        raise InputError(422, f"every value must be a number; found {_non_number(instances)}")
    batch = batch.astype("float32").reshape(len(instances), *shape)
    if not np.isfinite(batch).all():
        raise InputError(422, "every value must be finite (no NaN or infinity)")
    low, high = value_range
    if batch.min() < low or batch.max() > high:
        raise InputError(422, f"values must lie in [{low:g}, {high:g}]; found "
                              f"{batch.min():g} to {batch.max():g}")
    return batch


def _non_number(value):
    """The first value in nested lists that is not a JSON number, described for a message."""
    if isinstance(value, list):
        return next(filter(None, map(_non_number, value)), "")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{json.dumps(value)} ({type(value).__name__})"
    return "" if abs(value) < 1e300 else f"{str(value)[:12]}… (too large)"


class _Batcher:
    """Collects queued requests into one call of ``predict``: at most ``max_batch`` instances,
    waiting at most ``max_wait`` seconds after the first one arrives."""

    def __init__(self, predict, max_batch, max_wait):
        self.predict, self.max_batch, self.max_wait = predict, max_batch, max_wait
        self.queue = None
        self.batch_sizes = []

    async def run(self):
        self.queue = asyncio.Queue()
        loop = asyncio.get_running_loop()
        while True:
            items = [await self.queue.get()]
            size = len(items[0][0])
            deadline = loop.time() + self.max_wait
            while size < self.max_batch:
                try:
                    item = await asyncio.wait_for(self.queue.get(), deadline - loop.time())
                except asyncio.TimeoutError:
                    break
                items.append(item)
                size += len(item[0])
            self.batch_sizes.append(size)
            try:
                outputs = await asyncio.to_thread(self.predict, np.concatenate([x for x, _ in items]))
            except Exception as err:  # every waiting request hears of it
                for _, future in items:
                    future.set_exception(err)
                continue
            start = 0
            for x, future in items:
                future.set_result(outputs[start:start + len(x)])
                start += len(x)

    async def __call__(self, x):
        future = asyncio.get_running_loop().create_future()
        await self.queue.put((x, future))
        return await future


def create_app(predict, input_shape, *, name="model", class_names=None, max_batch=64,
               batching=False, max_wait_ms=2.0, api_key=None, value_range=(0.0, 1.0)):
    """A FastAPI app with ``GET /health`` and ``POST /predict`` around ``predict``.

    ``api_key``: when set, ``/predict`` wants it in the header ``X-API-Key`` (401 otherwise)."""
    from fastapi import FastAPI, HTTPException, Request

    batcher = _Batcher(predict, max_batch, max_wait_ms / 1000) if batching else None
    counts = {"requests": 0, "refused": 0}

    @contextlib.asynccontextmanager
    async def lifespan(app):
        task = asyncio.create_task(batcher.run()) if batcher else None
        yield
        if task:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    app = FastAPI(title=f"{name} endpoint", lifespan=lifespan)
    app.state.batcher = batcher
    app.state.counts = counts

    @app.get("/health")
    def health():
        return {"status": "ok", "model": name, "input_shape": list(input_shape),
                "max_batch": max_batch, "batching": batching, **counts}

    @app.post("/predict")
    async def predict_route(request: Request):
        counts["requests"] += 1
        try:
            if api_key is not None and not secrets.compare_digest(
                    request.headers.get("x-api-key", ""), api_key):
                raise InputError(401, "missing or wrong X-API-Key header")
            body = await request.body()
            if len(body) > MAX_BODY_BYTES:
                raise InputError(413, f"the body has {len(body):,} bytes; the limit is {MAX_BODY_BYTES:,}")
            try:
                payload = json.loads(body)
            except (ValueError, RecursionError) as err:  # UnicodeDecodeError is a ValueError
                raise InputError(400, f"the body is not valid JSON ({err})") from None
            x = parse_instances(payload, input_shape, max_batch, value_range)
        except InputError as err:
            counts["refused"] += 1
            raise HTTPException(status_code=err.status, detail=str(err)) from None
        probabilities = np.asarray(await batcher(x) if batcher else await asyncio.to_thread(predict, x))
        classes = probabilities.argmax(axis=1)
        return {"classes": [int(k) for k in classes],
                "labels": [class_names[k] for k in classes] if class_names else None,
                "probabilities": probabilities.round(6).tolist()}

    return app


@contextlib.contextmanager
def serve(app, host="127.0.0.1", port=0, timeout=20.0):
    """Run ``app`` with uvicorn in a background thread; yields its base URL (``port=0``: a free
    port) and stops the server when the ``with`` block ends, even after an error."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"uvicorn did not start on {host}:{port} within {timeout:g} s")
        time.sleep(0.01)
    bound_port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound_port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        if thread.is_alive():
            raise RuntimeError("uvicorn did not stop")


def load_test(url, payloads, concurrency=8, requests=200, timeout=30.0, route="/predict"):
    """A short closed-loop load: ``concurrency`` clients send ``requests`` POSTs in all, each
    one waiting for its answer before sending the next; the payloads are used in turn.

    Returns ``{"latency": seconds per request (array), "seconds": wall time, "statuses": ...}``."""
    import concurrent.futures

    import httpx

    bodies = [json.dumps(p).encode() for p in payloads]  # encoded once, outside the clock
    latencies = np.zeros(requests)
    statuses = np.zeros(requests, dtype=int)

    def client(worker):
        with httpx.Client(base_url=url, timeout=timeout) as session:
            for i in range(worker, requests, concurrency):
                start = time.perf_counter()
                answer = session.post(route, content=bodies[i % len(bodies)],
                                      headers={"content-type": "application/json"})
                latencies[i] = time.perf_counter() - start
                statuses[i] = answer.status_code

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(client, range(concurrency)))  # list(): re-raise a client's error
    return {"latency": latencies, "seconds": time.perf_counter() - start, "statuses": statuses}
