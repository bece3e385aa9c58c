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
