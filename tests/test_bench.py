"""`roll bench --json` against its contract, on one cheap scene."""

import json

from scenes.cli.main import main


def test_bench_json_has_every_key_and_sane_numbers(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["bench", "vanishing-gradient", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["quality"] == "l"
    r = out["scenes"]["vanishing-gradient"]
    assert set(r) >= {"frames", "seconds", "ms_per_frame", "floor_ms_per_frame", "ratio"}
    assert r["frames"] == round(r["frames"]) and 8 * 15 <= r["frames"] <= 20 * 15
    assert abs(r["ms_per_frame"] - 1000 * r["seconds"] / r["frames"]) < 0.01
    assert abs(r["ratio"] - r["ms_per_frame"] / r["floor_ms_per_frame"]) < 0.01
    assert out["floor_2d_ms_per_frame"] == r["floor_ms_per_frame"] and out["floor_3d_ms_per_frame"] is None
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert all(p.startswith("media/tex-cache/vanishing-gradient/") for p in left), "only the TeX cache stays"


def test_bench_refuses_other_qualities(capsys):
    assert main(["bench", "-q", "k"]) == 2
    assert "bench runs at l (480p15) or h (1080p60)" in capsys.readouterr().err
