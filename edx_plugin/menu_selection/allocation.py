"""Preference allocation (menu_selection): learners rank options; seats are allocated when the
window closes. Written as a transportation problem and solved by SciPy's HiGHS.

The stated objective, lexicographic:
1. give as many seats as possible: each learner up to ``picks`` of the options they ranked (and may
   take), never more learners on an option than its capacity;
2. among those, minimise the sum of the ranks of the seats given (a 1st choice costs 1, a 2nd 2…).

Variables x[l, o] in [0, 1] for every ranked (learner, option) pair and one "unfilled" variable per
learner; the constraint matrix is that of a bipartite b-matching (totally unimodular), so the LP's
optimal vertex is integral. An unfilled seat costs more than any possible sum of ranks, which makes
the single LP lexicographic. Ties (several optimal allocations) are broken by a recorded seed: each
pair's cost gets a seeded perturbation whose total is below 1, so it never changes the objective
but always picks the same optimum for the same input and seed. When picks > 1 and overlapping
options may not be given together, the clash constraints break total unimodularity and the problem
is solved as a MILP by the same HiGHS.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix, vstack


@dataclass
class AllocationProblem:
    """``rankings``: learner id -> option keys, best first (only options the learner may take);
    ``capacity``: option key -> seats (None: no limit); ``clashes``: pairs of option keys one learner
    may not both get."""

    rankings: dict[int, list[str]]
    capacity: dict[str, int | None]
    picks: int = 1
    clashes: list[tuple[str, str]] = field(default_factory=list)
    seed: int = 0


@dataclass
class AllocationResult:
    assigned: dict[int, list[str]]
    seats: int          # seats given
    rank_sum: int       # sum of the ranks of the seats given
    unfilled: int       # picks left unfilled (learners x picks - seats)
    lp_value: float     # the LP optimum in the unperturbed costs (a lower bound of the objective)
    solver: str

    def objective(self, penalty: int) -> int:
        return self.unfilled * penalty + self.rank_sum


def unfilled_penalty(problem: AllocationProblem) -> int:
    """Above any sum of ranks an allocation can have, so one more seat always wins."""
    longest = max((len(r) for r in problem.rankings.values()), default=0)
    return longest * problem.picks * max(len(problem.rankings), 1) + 1


def allocate(problem: AllocationProblem) -> AllocationResult:
    learners = sorted(problem.rankings)
    keys = sorted(problem.capacity)
    column = {key: j for j, key in enumerate(keys)}
    pair_learner, pair_option, pair_rank = [], [], []
    for i, learner in enumerate(learners):
        seen = set()
        for rank, key in enumerate(problem.rankings[learner], start=1):
            if key in column and key not in seen:
                seen.add(key)
                pair_learner.append(i)
                pair_option.append(column[key])
                pair_rank.append(rank)
    n, pairs = len(learners), len(pair_rank)
    if n == 0:
        return AllocationResult({}, 0, 0, 0, 0.0, "none")
    rows_l, rows_o = np.array(pair_learner, dtype=np.int64), np.array(pair_option, dtype=np.int64)
    ranks = np.array(pair_rank, dtype=float)
    penalty = unfilled_penalty(problem)
    rng = np.random.default_rng(problem.seed)
    # Seeded tie-break: every pair's extra cost is below 1/(pairs+1), so all of them together stay below 1.
    jitter = rng.random(pairs) / (pairs + 1)
    cost = np.concatenate([ranks + jitter, np.full(n, float(penalty))])
    variables = pairs + n
    pair_index = np.arange(pairs)
    # Each learner: seats given + unfilled = picks.
    per_learner = coo_matrix((np.ones(variables), (np.concatenate([rows_l, np.arange(n)]),
                                                    np.concatenate([pair_index, pairs + np.arange(n)]))),
                             shape=(n, variables)).tocsr()
    limited = [j for j, key in enumerate(keys) if problem.capacity[key] is not None]
    limited_row = {j: r for r, j in enumerate(limited)}
    mask = np.array([j in limited_row for j in pair_option], dtype=bool)
    per_option = coo_matrix((np.ones(int(mask.sum())), (np.array([limited_row[j] for j in rows_o[mask]], dtype=np.int64),
                                                         pair_index[mask])), shape=(len(limited), variables)).tocsr()
    caps = np.array([problem.capacity[keys[j]] for j in limited], dtype=float)
    clash_rows = _clash_rows(problem, keys, rows_l, rows_o, variables) if problem.picks > 1 else None
    # Unfilled may be at most ``picks``; a learner who ranked fewer options simply has more unfilled.
    upper = np.concatenate([np.ones(pairs), np.full(n, float(problem.picks))])
    if clash_rows is None:
        result = linprog(cost, A_ub=per_option if limited else None, b_ub=caps if limited else None,
                         A_eq=per_learner, b_eq=np.full(n, float(problem.picks)),
                         bounds=np.column_stack([np.zeros(variables), upper]), method="highs")
        solver = "highs-lp"
    else:
        constraints = [LinearConstraint(per_learner, problem.picks, problem.picks)]
        if limited:
            constraints.append(LinearConstraint(per_option, -np.inf, caps))
        constraints.append(LinearConstraint(clash_rows, -np.inf, 1))
        result = milp(cost, constraints=constraints, integrality=np.ones(variables),
                      bounds=Bounds(np.zeros(variables), upper))
        solver = "highs-milp"
    if result.x is None:
        raise RuntimeError(f"allocation solver failed: {result.message}")
    chosen = np.round(result.x[:pairs]).astype(bool)
    assigned: dict[int, list[str]] = {learner: [] for learner in learners}
    order = np.lexsort((rows_o, rows_l))
    for p in order:
        if chosen[p]:
            assigned[learners[rows_l[p]]].append(keys[rows_o[p]])
    for learner in learners:  # in the learner's own order of preference
        position = {key: r for r, key in enumerate(problem.rankings[learner])}
        assigned[learner].sort(key=position.__getitem__)
    seats = int(chosen.sum())
    rank_sum = int(ranks[chosen].sum())
    lp_value = float(result.fun - jitter @ result.x[:pairs])
    return AllocationResult(assigned, seats, rank_sum, n * problem.picks - seats, lp_value, solver)


def _clash_rows(problem: AllocationProblem, keys: list[str], rows_l, rows_o, variables: int):
    """One row per learner and clashing pair of options they ranked: at most one of the two."""
    if not problem.clashes:
        return None
    column = {key: j for j, key in enumerate(keys)}
    clash_pairs = {(min(column[a], column[b]), max(column[a], column[b]))
                   for a, b in problem.clashes if a in column and b in column}
    if not clash_pairs:
        return None
    by_learner: dict[int, dict[int, int]] = {}
    for p, (i, j) in enumerate(zip(rows_l.tolist(), rows_o.tolist())):
        by_learner.setdefault(i, {})[j] = p
    data_rows, data_cols = [], []
    row = 0
    for options in by_learner.values():
        for a, b in clash_pairs:
            if a in options and b in options:
                data_rows += [row, row]
                data_cols += [options[a], options[b]]
                row += 1
    if row == 0:
        return None
    return vstack([coo_matrix((np.ones(len(data_rows)), (data_rows, data_cols)), shape=(row, variables))]).tocsr()


def choice_histogram(problem: AllocationProblem, assigned: dict[int, list[str]]) -> dict[int, int]:
    """How many seats went to learners' 1st, 2nd, … choice (key 0: learners who got nothing)."""
    counts: dict[int, int] = {}
    for learner, keys in assigned.items():
        if not keys:
            counts[0] = counts.get(0, 0) + 1
        position = {key: r for r, key in enumerate(problem.rankings.get(learner, []), start=1)}
        for key in keys:
            counts[position[key]] = counts.get(position[key], 0) + 1
    return dict(sorted(counts.items()))
