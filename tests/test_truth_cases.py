"""The false sentences of issue 31, each as a command line: once false, now true or honestly
worded. Each is judged by the numbers of its run, not by the narration's own predicates."""

from __future__ import annotations

import os
import re
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(__file__))

from test_beyond_truth import run_line  # noqa: E402
from truth_checker import Land, fitted_view, judge_basins, judge_compare, judge_custom  # noqa: E402

from landscapes import Settings, run  # noqa: E402
from landscapes.claims import Ground, crawling, ending, still_moving  # noqa: E402
from landscapes.critical import critical_points  # noqa: E402


def words(line: str):
    import shlex

    return run_line(shlex.split(line))


def land_of(trajs) -> Land:
    ls = trajs[0].settings.landscape_obj
    return Land(ls, fitted_view([t.points for t in trajs], ls.domain))


def tail(t, k: int = 10) -> float:
    return float(np.linalg.norm(np.diff(t.points[-(k + 1) :], axis=0), axis=1).sum())


# 1. a critical point is a place ------------------------------------------------------------
def test_exp_from_15_stopped_on_a_plateau_not_at_a_saddle():
    trajs, n = words('custom --function "exp(-x)" --start 15')
    caption = n.beats[-1].caption
    assert "saddle" not in caption and caption.startswith("stopped on a plateau at (15.000)")
    assert caption.endswith("no critical point in view")
    assert not judge_custom(trajs, n, land_of(trajs))


def test_exp_from_minus_5_ends_at_no_minimum():
    trajs, n = words('custom --function "exp(-x)" --start=-5.09 --steps 500')
    caption = n.beats[-1].caption
    assert "minimum" not in caption and "plateau" in caption and "(11.150)" in caption
    assert not judge_custom(trajs, n, land_of(trajs))


def test_a_ball_tol_kept_still_on_a_gaussian_is_stopped_by_tol_not_at_a_saddle():
    trajs, n = words('custom "--function=-exp(-(x**2+y**2))" --domain=-5,5,-5,5 --start=1.89,3.64 --tol 0.2')
    (t,) = trajs
    assert t.steps == 0 and t.status == "converged"
    caption = n.beats[-1].caption
    assert caption.startswith("stopped by --tol at (1.890, 3.640): |∇f| = ") and "< 0.2" in caption
    assert "saddle" not in caption


@pytest.mark.parametrize("fn", ["tanh(x)", "exp(-x)", "log(1 + exp(-x))", "sigmoid(x)"])
def test_compare_on_flat_functions_names_no_critical_point(fn):
    trajs, n = words(f'compare --optimizers gd,adam,momentum --function "{fn}" --start 3 --steps 300')
    view = fitted_view([t.points for t in trajs], None)
    assert critical_points(trajs[0].settings.landscape_obj, view) == ()
    for v in n.extras["verdicts"]:
        assert not re.search(r"→ (minimum|maximum|saddle)", v), v
    assert not judge_compare(trajs, n, n.extras["short_names"], land_of(trajs))


# 2. lowest means lowest --------------------------------------------------------------------
def test_lowest_is_one_well_and_the_higher_well_is_told():
    trajs, n = words(
        'compare --optimizers gd,momentum,adam,lion --function "x**4 - 2*x**2 + 0.004*x" --start 0.3 --lr 0.2'
    )
    summary = n.beats[-1].caption
    assert summary.startswith("lowest (f = -1.004): momentum;")
    assert "caught in a higher minimum: gd, adam" in summary
    assert all(t.values[-1] < -0.99 for t in trajs[:3]) and trajs[0].end[0] > 0 > trajs[1].end[0]
    assert not judge_compare(trajs, n, n.extras["short_names"], land_of(trajs))


@pytest.mark.parametrize("seed", [30, 31])
def test_lowest_names_only_balls_whose_printed_f_is_the_lowest(seed):
    from truth_checker import split_names

    trajs, n = words(f"compare --optimizers lion,lamb,adam,gd --landscape camel --seed {seed} --steps 200")
    head = n.beats[-1].caption.split("; ")[0]
    low = re.search(r"f = (-?[0-9.]+)", head).group(1)
    assert float(low) == min(float(f"{t.values[-1]:.3f}") for t in trajs)
    named = split_names(head.partition(": ")[2], n.extras["short_names"])
    assert named
    for k in named:
        assert f"{trajs[k].values[-1]:.3f}" == low, (n.extras["short_names"][k], trajs[k].values[-1], head)


# 3. stopped is stopped ---------------------------------------------------------------------
def test_a_decayed_schedule_freezes_the_ball_and_says_so():
    trajs, n = words("cubic-saddle --lr 0.00963 --seed 54 --schedule exponential")
    (t,) = trajs
    caption = n.beats[-1].caption
    assert tail(t) < 1e-8 and "still moving" not in caption
    assert re.search(r"frozen at x = 1\.088 after 200 steps: η fell to [0-9.]+e-11", caption), caption


def test_lbfgs_that_stopped_beside_a_minimum_is_at_it_not_still_moving():
    trajs, n = words("compare --optimizers adagrad,lbfgs,momentum --landscape ackley --steps 200")
    lbfgs = trajs[1]
    # LBFGS has not moved since step 116 (by 1e-7 in the step after, then not at all)
    assert np.abs(np.diff(lbfgs.points[117:], axis=0)).max() == 0.0
    assert n.extras["verdicts"][1].startswith("→ minimum")
    assert "still moving" not in n.beats[-1].caption.split("LBFGS")[0][-30:]
    assert not judge_compare(trajs, n, n.extras["short_names"], land_of(trajs))


@pytest.mark.parametrize("optimizer", ["lbfgs", "rprop", "asgd"])
@pytest.mark.parametrize("schedule", ["constant", "exponential", "polynomial"])
def test_every_optimizers_own_stop_and_every_schedule_is_told_as_it_ended(optimizer, schedule):
    trajs, n = words(
        f'compare --optimizers gd,{optimizer} --function "x**4 - 3*x**2 + x" --start 2 --lr 0.05 '
        f"--steps 150 --schedule {schedule}"
    )
    for k, t in enumerate(trajs):
        end = n.beats[-1].claims[k]
        width = Ground(t.settings.landscape_obj, fitted_view([u.points for u in trajs], None)).width
        if end.name == "still_moving":
            assert t.status == "max_steps" and tail(t) >= 1e-3 * width
        if tail(t) < 1e-4 * width:
            assert end.name != "still_moving"
    assert not judge_compare(trajs, n, n.extras["short_names"], land_of(trajs))


# 4. --tol's stop ---------------------------------------------------------------------------
def test_tol_stopped_run_is_stopped_by_tol():
    trajs, n = words('custom --function "x**4 - 3*x**2 + x" --start=-1.86 --tol 0.3')
    caption = n.beats[-1].caption
    assert caption.startswith("stopped by --tol at (-1.289): |∇f| = ") and "< 0.3" in caption
    assert "still moving" not in caption


def test_a_ball_tol_never_let_move_is_not_still_moving():
    trajs, n = words('custom --function "0.0002*(x-3)**2" --domain=-5,5 --start=-2.71 --tol 0.05')
    caption = n.beats[-1].caption
    assert trajs[0].steps == 0 and caption.startswith("stopped by --tol at (-2.710)")
    assert "no critical point within" in caption


# 5. claims with teeth ----------------------------------------------------------------------
def test_crawling_judges_the_path_not_the_net_move():
    t = run(Settings("square", (3.0,), lr=1.0, steps=20, tol=0.0))  # x ← x − 2x: 3, −3, 3, …
    assert abs(t.end[0] - 3.0) < 1e-12 and t.steps == 20
    ground = Ground(t.settings.landscape_obj, [(-4.0, 4.0)])
    c = crawling(ground, t)
    assert not c and c.values["path"] == pytest.approx(120.0) and c.values["moved"] == 0.0


def test_still_moving_needs_movement_in_the_last_steps():
    t = run(Settings("square", (3.0,), lr=1e-7, steps=50, tol=0.0))
    ground = Ground(t.settings.landscape_obj, [(-4.0, 4.0)])
    assert t.status == "max_steps" and abs(t.grads[-1][0]) > 1
    assert not still_moving(ground, t)
    assert ending(ground, t).name == "frozen"


# 6. overshoot after one step ---------------------------------------------------------------
def test_one_step_of_overshoot_is_not_in_a_poorer_minimum():
    trajs, n = words("overshoot --steps 1")
    caption = n.beats[-1].caption
    assert "poorer minimum" not in caption
    assert "x = 0.575" in caption


# 7. misleading words -----------------------------------------------------------------------
def test_momentum_out_of_view_is_not_held_up_against_gd():
    trajs, n = words("momentum --beta 0.13")
    main = trajs[0]
    assert abs(main.end[1]) > 20 * abs(main.points[0, 1])
    assert not any("where gd with" in c for c in n.captions)


def test_two_adamw_balls_get_distinct_names():
    trajs, n = words("compare --optimizers adamw,torch.optim:AdamW")
    assert len(set(n.names)) == 2 and len(set(n.extras["short_names"])) == 2
    assert n.extras["short_names"] == ["AdamW", "AdamW #2"]
    assert not re.search(r"AdamW, AdamW(?! #2)", " ".join(n.captions))


def test_two_radam_from_two_libraries_name_their_library():
    trajs, n = words("compare --optimizers radam,pytorch_optimizer:RAdam")
    assert n.extras["short_names"] == ["RAdam (torch.optim)", "RAdam (pytorch_optimizer)"]


def test_basins_words_match_the_stretches_drawn():
    trajs, n = words("basins --landscape f --lr 0.05 --balls 10 --optimizer momentum")
    caption = n.beats[-1].caption
    assert "each shaded stretch is one minimum's basin" not in caption
    assert caption == "2 minima reached from 4 shaded stretches: one minimum's starts need not lie together"
    ls = trajs[0].settings.landscape_obj
    assert not judge_basins(trajs, n, Land(ls, ls.domain))
