"""The preference allocation (menu_selection): optimal for its stated objective (compared with brute
force on small cases), honours capacities, restrictions and clashes, integral, reproducible with a
recorded seed for ties."""
import itertools
import random

import pytest

from party_training.edx_plugin.menu_selection.allocation import (AllocationProblem, allocate, choice_histogram,
                                                                 unfilled_penalty)


def brute_force(problem: AllocationProblem) -> tuple[int, int]:
    """The best (unfilled, rank sum) over every allocation, by enumeration (tiny problems only)."""
    learners = sorted(problem.rankings)
    choices_per_learner = []
    for learner in learners:
        ranked = problem.rankings[learner]
        sets = [()]
        for size in range(1, problem.picks + 1):
            sets += list(itertools.combinations(ranked, size))
        clash = {frozenset(pair) for pair in problem.clashes}
        sets = [s for s in sets if not any(frozenset(p) in clash for p in itertools.combinations(s, 2))]
        choices_per_learner.append(sets)
    best = None
    for combo in itertools.product(*choices_per_learner):
        used = {}
        for chosen in combo:
            for key in chosen:
                used[key] = used.get(key, 0) + 1
        if any(problem.capacity[k] is not None and n > problem.capacity[k] for k, n in used.items()):
            continue
        seats = sum(len(c) for c in combo)
        ranks = sum(problem.rankings[learners[i]].index(k) + 1 for i, c in enumerate(combo) for k in c)
        value = (len(learners) * problem.picks - seats, ranks)
        best = value if best is None or value < best else best
    return best


def random_problem(rng: random.Random, picks: int = 1, clashes: bool = False) -> AllocationProblem:
    keys = [f"o{j}" for j in range(rng.randint(2, 4))]
    capacity = {k: rng.choice([None, 1, 1, 2]) for k in keys}
    rankings = {}
    for learner in range(rng.randint(2, 5)):
        rankings[100 + learner] = rng.sample(keys, rng.randint(1, min(3, len(keys))))
    pairs = [tuple(rng.sample(keys, 2))] if clashes else []
    return AllocationProblem(rankings=rankings, capacity=capacity, picks=picks, clashes=pairs, seed=rng.randint(0, 99))


@pytest.mark.parametrize("picks,clashes", [(1, False), (2, False), (2, True)])
def test_optimal_against_brute_force(picks, clashes):
    rng = random.Random(20260601 + picks * 10 + clashes)
    for _ in range(60):
        problem = random_problem(rng, picks, clashes)
        result = allocate(problem)
        assert (result.unfilled, result.rank_sum) == brute_force(problem), problem
        # Feasible: capacities, only ranked options, at most ``picks`` each, no clashing pair.
        used = {}
        for learner, keys in result.assigned.items():
            assert len(keys) <= picks and set(keys) <= set(problem.rankings[learner])
            assert not any(frozenset(p) in {frozenset(c) for c in problem.clashes}
                           for p in itertools.combinations(keys, 2))
            for key in keys:
                used[key] = used.get(key, 0) + 1
        assert all(problem.capacity[k] is None or n <= problem.capacity[k] for k, n in used.items())
        # The LP bound is reached: the optimal vertex is integral.
        assert abs(result.lp_value - result.objective(unfilled_penalty(problem))) < 1e-6


def test_one_more_seat_beats_any_better_ranks():
    # Giving A her 1st choice would leave B without a seat: both get a seat instead.
    problem = AllocationProblem(rankings={1: ["x", "y"], 2: ["x"]}, capacity={"x": 1, "y": 1})
    result = allocate(problem)
    assert result.assigned == {1: ["y"], 2: ["x"]} and result.unfilled == 0
    assert choice_histogram(problem, result.assigned) == {1: 1, 2: 1}


def test_same_input_and_seed_same_result_ties_follow_the_seed():
    rankings = {uid: ["a", "b"] for uid in range(1, 11)}
    problem = AllocationProblem(rankings=rankings, capacity={"a": 5, "b": 5}, seed=7)
    first, again = allocate(problem), allocate(problem)
    assert first.assigned == again.assigned
    winners = {seed: frozenset(u for u, k in allocate(AllocationProblem(rankings, {"a": 5, "b": 5}, seed=seed))
                               .assigned.items() if k == ["a"]) for seed in range(6)}
    assert all(len(w) == 5 for w in winners.values())
    assert len(set(winners.values())) > 1  # the tie is broken by the seed, not by learner order


def test_nobody_ranked_nothing_to_do():
    assert allocate(AllocationProblem(rankings={}, capacity={"a": 1})).assigned == {}
