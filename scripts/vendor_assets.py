"""Fetches the site's browser libraries from their npm packages, pinned and checked.

The built book must render with no network: MathJax (formulas) and Mermaid
(diagrams) are served from the site itself, under ``vendor/``. This script
``npm pack``s each pinned package once into a download cache, checks the
tarball's SHA-256, and unpacks the files the site needs into ``_site_extra/``,
which ``_config.yml`` copies into the built site (``html_extra_path``: copied
as is, never added to pages as <script> tags, unlike the book's ``_static/``).

Run by ``scripts/setup.sh``; safe to run again (it does nothing when the
unpacked files match the pinned tarballs).
"""
import os
import pathlib
import shutil
import sys
import tarfile
import tempfile

from aibook.data import DataUnavailableError, fetch_npm_package

ROOT = pathlib.Path(__file__).resolve().parent.parent
SITE_EXTRA = ROOT / "_site_extra"  # html_extra_path in _config.yml
CACHE = pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "aibook" / "npm"

# name, version, SHA-256 of the npm tarball, {member prefix in the tarball: folder in the site}.
# mermaid's version is the one sphinxcontrib-mermaid 2.1.1 would load from a CDN; MathJax 3 is
# what Sphinx 7's mathjax extension is written for.
PACKAGES = [
    ("mathjax", "3.2.2", "1b9c0a1c44df864e915690558e72adb9cc5203360daefd385084ced3b6c64c09",
     {"package/es5/": "vendor/mathjax/", "package/LICENSE": "vendor/mathjax/LICENSE"}),
    ("mermaid", "11.12.1", "3bd65ddefe97fb2e01d976a01d4078f8d773bfc56c6a75a9abf08b564ce0f8b2",
     {"package/dist/mermaid.esm.min.mjs": "vendor/mermaid/mermaid.esm.min.mjs",
      "package/dist/chunks/mermaid.esm.min/": "vendor/mermaid/chunks/mermaid.esm.min/",
      "package/LICENSE": "vendor/mermaid/LICENSE"}),
]
SKIP_SUFFIXES = (".map", ".d.ts")  # source maps and type declarations: no browser asks for them
SKIP_FILES = ("package/es5/latest.js",)  # MathJax's loader of "the latest version" from a CDN


def fetch(name, version, digest):
    """The checked tarball of ``name@version`` in the cache, packed with npm if missing."""
    try:
        return fetch_npm_package(f"{name}@{version}", f"{name}-{version}.tgz", digest, CACHE)
    except (DataUnavailableError, RuntimeError) as err:
        sys.exit(f"vendor_assets: {err}")


def unpack(tarball, take, dest):
    """Copy the members of ``tarball`` selected by ``take`` into ``dest``; returns the count."""
    count = 0
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            if not member.isfile() or member.name.endswith(SKIP_SUFFIXES) or member.name in SKIP_FILES:
                continue
            for prefix, target in take.items():
                if member.name == prefix or (prefix.endswith("/") and member.name.startswith(prefix)):
                    out = dest / (target + member.name[len(prefix):] if prefix.endswith("/") else target)
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(tar.extractfile(member).read())
                    count += 1
    return count


def main():
    for name, version, digest, take in PACKAGES:
        folder = SITE_EXTRA / "vendor" / name
        stamp = folder / ".tarball-sha256"  # a dotfile: Sphinx does not copy it into the site
        if stamp.exists() and stamp.read_text().strip() == digest:
            print(f"vendor_assets: {name} {version} already in {folder.relative_to(ROOT)}")
            continue
        tarball = fetch(name, version, digest)
        # Unpack beside the target and swap it in, so an interrupted run never leaves half a tree.
        tmp = pathlib.Path(tempfile.mkdtemp(dir=SITE_EXTRA.parent, prefix=".vendor-"))
        try:
            count = unpack(tarball, take, tmp)
            (tmp / "vendor" / name / ".tarball-sha256").write_text(digest + "\n")
            shutil.rmtree(folder, ignore_errors=True)
            folder.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp / "vendor" / name, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        print(f"vendor_assets: {name} {version} unpacked into {folder.relative_to(ROOT)} "
              f"({count} files, tarball SHA-256 checked)")


if __name__ == "__main__":
    main()
