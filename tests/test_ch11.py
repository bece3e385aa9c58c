import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

gym = pytest.importorskip("gymnasium")

from aibook.chapters import ch11


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def lake():
    return gym.make("FrozenLake-v1")


def test_table_envs_draw_next_states_as_often_as_the_environments_own_step(lake):
    state, action, n = 6, 2, 6000  # right, from a cell between two holes
    envs = ch11.TableEnvs(lake, n, seed=0)
    envs.state[:] = state
    table_next, _, _, _ = envs.step(np.full(n, action))
    lake.reset(seed=0)
    env_next = []
    for _ in range(n):
        lake.unwrapped.s = state
        env_next.append(lake.step(action)[0])
    for s2 in {o[1] for o in lake.unwrapped.P[state][action]}:
        p = np.mean(np.array(env_next) == s2)
        q = np.mean(table_next == s2)
        assert abs(p - q) < 5 * np.sqrt(2 * p * (1 - p) / n), (s2, p, q)


def test_table_envs_return_the_rewards_and_terminations_of_the_table(lake):
    envs = ch11.TableEnvs(lake, 500, seed=1)
    goal = 15
    envs.state[:] = goal - 1
    s2, r, terminated, truncated = envs.step(np.full(500, 2))  # right, next to G
    assert np.all(r[s2 == goal] == 1.0) and np.all(terminated[s2 == goal])
    assert np.all(r[s2 != goal] == 0.0) and not terminated[s2 != goal].any()
    assert not truncated.any()
    # a copy whose episode ended starts over; the others are where they moved
    assert np.all(envs.state[s2 == goal] == 0)
    assert np.all(envs.state[s2 != goal] == s2[s2 != goal])


def test_table_envs_truncate_after_the_registered_number_of_steps(lake):
    envs = ch11.TableEnvs(lake, 3, seed=0)
    assert envs.max_steps == lake.spec.max_episode_steps
    envs.state[:] = 0
    truncated_at = None
    for t in range(1, envs.max_steps + 1):
        envs.state[:] = 0  # keep every copy on the start cell
        _, _, terminated, truncated = envs.step(np.zeros(3, dtype=int))  # left
        assert not terminated.any()
        if truncated.any():
            truncated_at = t
            break
    assert truncated_at == lake.spec.max_episode_steps


def test_table_envs_refuse_a_wrong_number_of_actions(lake):
    envs = ch11.TableEnvs(lake, 4)
    with pytest.raises(ValueError, match="one action per copy"):
        envs.step(np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match="at least 1"):
        ch11.TableEnvs(lake, 0)


def test_draw_lake_labels_every_cell_and_arrows_only_where_the_agent_chooses(lake):
    desc = lake.unwrapped.desc.astype(str)
    fig = ch11.draw_lake(desc, np.linspace(0, 1, 16), np.full(16, 2), title="t")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(texts) == 16
    assert sum("→" in t for t in texts) == int(np.isin(desc, ["S", "F"]).sum())


def test_spread_draws_the_mean_and_a_band_from_lowest_to_highest_run():
    fig, ax = plt.subplots()
    runs = np.array([[0.0, 1.0, 2.0], [2.0, 3.0, 4.0]])
    line = ch11.spread(ax, np.arange(3), runs, label="runs")
    np.testing.assert_allclose(line.get_ydata(), [1.0, 2.0, 3.0])
    band = ax.collections[0].get_paths()[0].vertices
    assert band[:, 1].min() == 0.0 and band[:, 1].max() == 4.0
