"""Plumbing for chapter 11: many copies of a toy-text environment stepped at once.

Chapter 11 compares exploration schedules of tabular Q-learning over several
learners (schedules × random seeds). Stepping each learner's Gymnasium
environment in its own Python loop costs tens of microseconds a step, a few
seconds per learner. :class:`TableEnvs` steps ``n`` copies of a toy-text
environment (FrozenLake, CliffWalking, Taxi) in lockstep with NumPy instead,
drawing every move from the same transition table ``env.unwrapped.P`` that the
environment's own ``step`` draws from. The learners still see only samples
``(s, a, r, s')``; the table stays hidden inside this class.

Like Gymnasium's environments it truncates an episode after the registered
``max_episode_steps``, and it starts the next episode of a copy as soon as the
last one ends (the start state is the one ``reset`` returns: state 0 for
FrozenLake).
"""
import numpy as np


def _outcomes(table, n_states, n_actions):
    """The table as arrays over (state, action, outcome): probability, next state,
    reward, terminated. Absent outcomes have probability 0."""
    width = max(len(table[s][a]) for s in range(n_states) for a in range(n_actions))
    prob = np.zeros((n_states, n_actions, width))
    nxt = np.zeros((n_states, n_actions, width), dtype=int)
    reward = np.zeros((n_states, n_actions, width))
    done = np.zeros((n_states, n_actions, width), dtype=bool)
    for s in range(n_states):
        for a in range(n_actions):
            for m, (p, s2, r, d) in enumerate(table[s][a]):
                prob[s, a, m], nxt[s, a, m], reward[s, a, m], done[s, a, m] = p, s2, r, d
    if not np.allclose(prob.sum(axis=2), 1.0):
        raise ValueError("the transition table's probabilities do not sum to 1 for every (s, a)")
    return prob, nxt, reward, done


class TableEnvs:
    """``n`` copies of a Gymnasium toy-text environment, stepped together.

    ``env`` is a made environment (``gym.make("FrozenLake-v1")``); ``start`` is
    the state every episode starts in (default: the one ``env.reset`` returns,
    which for FrozenLake and CliffWalking is always the same). :meth:`step`
    takes one action per copy and returns ``(next_state, reward, terminated,
    truncated)`` arrays; a copy whose episode ended is back at ``start`` in
    :attr:`state`, while the returned ``next_state`` is where it ended, so that
    a learner can use the transition.
    """

    def __init__(self, env, n, seed=0, start=None):
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        self.n_states = int(env.observation_space.n)
        self.n_actions = int(env.action_space.n)
        self.prob, self.next, self.reward, self.done = _outcomes(
            env.unwrapped.P, self.n_states, self.n_actions
        )
        self.cumulative = np.cumsum(self.prob, axis=2)
        self.cumulative[..., -1] = 1.0  # no draw falls past the last outcome
        self.start = int(env.reset(seed=seed)[0]) if start is None else int(start)
        spec = env.spec
        self.max_steps = spec.max_episode_steps if spec and spec.max_episode_steps else np.inf
        self.n = n
        self.rng = np.random.default_rng(seed)
        self.state = np.full(n, self.start)
        self.t = np.zeros(n, dtype=int)

    def step(self, actions):
        actions = np.asarray(actions)
        if actions.shape != (self.n,):
            raise ValueError(f"want one action per copy, shape ({self.n},), got {actions.shape}")
        s = self.state
        u = self.rng.random(self.n)
        m = (u[:, None] >= self.cumulative[s, actions]).sum(axis=1)
        s2 = self.next[s, actions, m]
        r = self.reward[s, actions, m]
        terminated = self.done[s, actions, m]
        self.t += 1
        truncated = ~terminated & (self.t >= self.max_steps)
        ended = terminated | truncated
        self.state = np.where(ended, self.start, s2)
        self.t[ended] = 0
        return s2, r, terminated, truncated


def draw_lake(desc, values, policy=None, title=None):
    """A FrozenLake map: each cell coloured by ``values`` (one per state) and
    labelled with its letter (S start, F frozen, H hole, G goal) and value; an
    arrow shows ``policy``'s action (0 left, 1 down, 2 right, 3 up) on the
    cells where the episode goes on (F and S)."""
    import matplotlib.pyplot as plt

    letters = np.asarray(desc).astype(str)
    rows, cols = letters.shape
    values = np.asarray(values, dtype=float).reshape(rows, cols)
    fig, ax = plt.subplots(figsize=(3.4, 3.4))
    ax.imshow(values, cmap="Blues", vmin=0, vmax=max(values.max(), 1e-9))
    arrows = {0: "←", 1: "↓", 2: "→", 3: "↑"}
    for r in range(rows):
        for c in range(cols):
            letter = letters[r, c]
            text = f"{letter}\n{values[r, c]:.2f}"
            if policy is not None and letter in "SF":
                text += f"\n{arrows[int(np.asarray(policy).reshape(rows, cols)[r, c])]}"
            dark = values[r, c] > 0.6 * values.max()
            ax.text(c, r, text, ha="center", va="center", fontsize=9,
                    color="white" if dark else "black")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def spread(ax, x, runs, label, colour=None):
    """The mean of ``runs`` (one row per run) against ``x`` as a line, and the band
    from the lowest to the highest run around it."""
    runs = np.asarray(runs, dtype=float)
    line, = ax.plot(x, runs.mean(axis=0), color=colour, label=label)
    ax.fill_between(x, runs.min(axis=0), runs.max(axis=0), color=line.get_color(), alpha=0.2)
    return line
