import os
import shlex
import subprocess
import sys

import numpy as np
import pytest

from aibook import config


def test_mode_follows_the_environment_variable(monkeypatch):
    monkeypatch.setenv("AIBOOK_MODE", "full")
    assert config.mode() == "full"
    monkeypatch.setenv("AIBOOK_MODE", " FAST ")
    assert config.mode() == "fast"


def test_unset_mode_means_full_only_where_a_gpu_is_visible(monkeypatch):
    monkeypatch.delenv("AIBOOK_MODE", raising=False)
    assert config.mode() == ("full" if config.gpu_available() else "fast")


def test_unknown_mode_is_rejected_with_the_valid_names(monkeypatch):
    monkeypatch.setenv("AIBOOK_MODE", "turbo")
    with pytest.raises(ValueError, match="fast, full"):
        config.mode()


def test_pick_returns_the_value_for_the_current_mode(monkeypatch):
    monkeypatch.setenv("AIBOOK_MODE", "fast")
    assert config.pick(fast=2, full=20) == 2
    monkeypatch.setenv("AIBOOK_MODE", "full")
    assert config.pick(fast=2, full=20) == 20


def test_seed_makes_numpy_and_keras_draws_repeat():
    import keras

    config.seed(7)
    first = (np.random.rand(3), keras.random.uniform((3,)).numpy())
    config.seed(7)
    second = (np.random.rand(3), keras.random.uniform((3,)).numpy())
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_describe_names_mode_backend_and_device(fast_mode, capsys):
    assert config.describe() is None  # a setup cell ending with it shows the line once
    line = capsys.readouterr().out
    assert "fast mode" in line and "tensorflow" in line


# --------------------------------------------------------------------------- the run's settings


@pytest.fixture
def clean_env(monkeypatch):
    for name in config.VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _cli(capsys, *argv):
    code = config.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _exported(line):
    """The ``export`` line as a dict, read the way a POSIX shell reads it."""
    words = shlex.split(line)
    assert words[0] == "export"
    return dict(word.split("=", 1) for word in words[1:])


def test_exports_is_the_book_run_and_lets_mode_and_data_be_overridden(clean_env, capsys):
    code, out, _ = _cli(capsys, "exports")
    assert code == 0 and _exported(out) == {**config.BOOK_RUN, **config.KERNEL_THREADS}
    clean_env.setenv("AIBOOK_MODE", " Full ")
    clean_env.setenv("AIBOOK_DATA", "online")
    clean_env.setenv("AIBOOK_STATIC", "0")  # the build has no kernel: widgets are always drawn once
    code, out, _ = _cli(capsys, "exports")
    assert code == 0
    assert _exported(out) == {"AIBOOK_MODE": "full", "AIBOOK_DATA": "online", "AIBOOK_STATIC": "1",
                              **config.KERNEL_THREADS}


def test_exports_for_the_tests_ignores_the_overrides(clean_env, capsys):
    clean_env.setenv("AIBOOK_MODE", "full")
    clean_env.setenv("AIBOOK_DATA", "online")
    code, out, _ = _cli(capsys, "exports", "--tests")
    assert code == 0 and _exported(out) == {**config.BOOK_RUN, **config.KERNEL_THREADS}
    assert config.BOOK_RUN == {"AIBOOK_MODE": "fast", "AIBOOK_DATA": "offline", "AIBOOK_STATIC": "1"}
    assert set(config.KERNEL_THREADS.values()) == {"1"}
    clean_env.setenv("AIBOOK_MODE", "turbo")  # not even looked at
    assert _cli(capsys, "exports", "--tests")[0] == 0


def test_exports_quotes_values_for_the_shell(clean_env, tmp_path):
    odd = tmp_path / "data dir with 'quotes' and $HOME"
    env = {k: v for k, v in os.environ.items() if k not in config.VARIABLES}
    env["AIBOOK_DATA_DIR"] = str(odd)
    script = ('set -e; exports=$("$0" -m aibook.config exports); eval "$exports"; '
              'printf "%s\\n" "$AIBOOK_MODE" "$AIBOOK_DATA" "$AIBOOK_STATIC" "$AIBOOK_DATA_DIR"')
    done = subprocess.run(["bash", "-c", script, sys.executable], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["fast", "offline", "1", str(odd)]


def test_exports_rejects_a_bad_mode_naming_the_variable(clean_env, capsys):
    clean_env.setenv("AIBOOK_MODE", "turbo")
    code, out, err = _cli(capsys, "exports")
    assert code == 1 and out == ""
    assert "AIBOOK_MODE" in err and "fast, full" in err


def test_stamp_names_the_settings_of_this_run(clean_env, capsys):
    for name in config.KERNEL_THREADS:
        clean_env.delenv(name, raising=False)
    threads = " ".join(f"{name}=" for name in config.KERNEL_THREADS)
    assert _cli(capsys, "stamp") == (0, f"AIBOOK_MODE= AIBOOK_DATA= AIBOOK_STATIC= {threads}\n", "")
    for name, value in {**config.BOOK_RUN, **config.KERNEL_THREADS}.items():
        clean_env.setenv(name, value)
    code, out, _ = _cli(capsys, "stamp")
    assert code == 0 and out == ("AIBOOK_MODE=fast AIBOOK_DATA=offline AIBOOK_STATIC=1 TF_NUM_INTRAOP_THREADS=1 "
                                 "TF_NUM_INTEROP_THREADS=1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1\n")
    assert out.strip() == config.execution_stamp() == config.execution_stamp(config.book_run())


def test_data_dir_command(clean_env, capsys, tmp_path):
    clean_env.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    assert _cli(capsys, "data-dir") == (0, f"{tmp_path}\n", "")


@pytest.mark.parametrize("argv", [[], ["export"], ["exports", "--full"], ["stamp", "extra"], ["--help"]])
def test_bad_usage_exits_2_with_the_usage(argv, capsys):
    code, out, err = _cli(capsys, *argv)
    assert code == 2 and out == "" and err.startswith("usage: python -m aibook.config")


def test_the_command_line_runs_as_a_module(clean_env):
    done = subprocess.run([sys.executable, "-m", "aibook.config", "bogus"], capture_output=True, text=True)
    assert done.returncode == 2 and "usage:" in done.stderr


def test_data_source_rejects_a_bad_value_naming_the_variable(clean_env):
    assert config.data_source() is None
    clean_env.setenv("AIBOOK_DATA", " Offline ")
    assert config.data_source() == "offline"
    clean_env.setenv("AIBOOK_DATA", "cloud")
    with pytest.raises(ValueError, match=r"AIBOOK_DATA='cloud'.*online, offline"):
        config.data_source()


def test_is_static_and_data_dir_read_their_variables(clean_env, tmp_path):
    assert not config.is_static()
    clean_env.setenv("AIBOOK_STATIC", " yes ")
    assert config.is_static()
    clean_env.setenv("AIBOOK_DATA_DIR", str(tmp_path))
    assert config.data_dir() == tmp_path


def test_child_env_pins_the_data_dir_of_this_process(clean_env, tmp_path):
    assert config.child_env() == {}
    clean_env.setenv("HOME", str(tmp_path))
    assert config.child_env(static=True, pin_data_dir=True) == {
        "AIBOOK_STATIC": "1", "AIBOOK_DATA_DIR": str(tmp_path / ".cache" / "aibook")}


def test_a_smoke_test_runs_full_modes_sizes_with_training_capped_and_no_floors(monkeypatch):
    monkeypatch.setenv("AIBOOK_MODE", "full")
    monkeypatch.setenv("AIBOOK_SMOKE", "1")
    assert config.pick(fast=64, full=256) == 256  # full mode's batch sizes and data
    assert config.epochs(fast=6, full=15) == config.SMOKE_EPOCHS
    assert config.epochs(fast=1, full=1) == 1
    assert config.floor(fast=0.97, full=0.99) == -np.inf
    assert config.ceiling(fast=3) == np.inf


def test_without_the_smoke_switch_epochs_and_floors_are_the_modes_own(monkeypatch):
    monkeypatch.delenv("AIBOOK_SMOKE", raising=False)
    monkeypatch.setenv("AIBOOK_MODE", "fast")
    assert (config.epochs(fast=6, full=15), config.floor(fast=0.97, full=0.99)) == (6, 0.97)
    assert config.ceiling(fast=3, full=1) == 3
    monkeypatch.setenv("AIBOOK_MODE", "full")
    assert (config.epochs(fast=6, full=15), config.floor(fast=0.97)) == (15, 0.97)


def test_a_misspelt_smoke_switch_is_named(monkeypatch):
    monkeypatch.setenv("AIBOOK_SMOKE", "yes please")
    with pytest.raises(ValueError, match="AIBOOK_SMOKE"):
        config.epochs(fast=1, full=2)
