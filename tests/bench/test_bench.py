"""Smoke tests of the benchmark's harness (`bench/`): its data and its report.

No timings here: speed is measured only by `make bench`. These keep the
harness honest as the code it drives changes: its articles have the reference
shape, go live only through the clinical gate, and its report judges what it
should.
"""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied

from bench import content, report
from bench.build import articles_build
from content_models.models import ArticlePage
from workflows.gate import covering_approval
from workflows.models import MedicalApproval


def _words(blocks):
    return sum(len(re.sub(r"<[^>]+>", " ", str(block["value"])).split()) for block in blocks)


@pytest.mark.parametrize("number", range(1, 40))
def test_generated_articles_have_the_reference_shape(number):
    text = content.article_text(number)
    blocks = text.body(read_more=(1, "Another article"))
    kinds = {block["type"] for block in blocks}
    assert 10 <= len(blocks) <= 15
    assert {"heading", "paragraph", "bullet_list", "callout", "citation", "read_more"} <= kinds
    assert 800 <= _words(blocks) <= 1300
    assert len(text.key_takeaways) == 3


def test_generated_text_repeats_for_the_same_number_and_seed():
    assert content.article_text(7).body() == content.article_text(7).body()
    assert content.article_text(7).slug != content.article_text(8).slug


@pytest.mark.django_db
def test_build_publishes_every_article_through_the_gate():
    assert articles_build(count=3) == 3
    articles = list(ArticlePage.objects.live().order_by("pk"))
    assert len(articles) == 3
    for article in articles:
        approval = covering_approval(article)
        assert approval is not None, article.slug
        assert approval.reviewer_id == article.medical_reviewer.user_id
        assert len(article.topics.all()) == 3
        assert any(block.block_type == "read_more" for block in article.body), article.slug
    # Built already: a second run adds nothing.
    assert articles_build(count=3) == 0


@pytest.mark.django_db
def test_the_build_stops_when_the_gate_refuses(monkeypatch):
    # Without the clinician's approval record, revision.publish() must be refused.
    monkeypatch.setattr("bench.build.approval_record", lambda **kwargs: None)
    with pytest.raises(PermissionDenied):
        articles_build(count=1)
    assert not ArticlePage.objects.live().exists()
    assert not MedicalApproval.objects.exists()


def _scale(tmp_path, articles, *, detail_p99, list_p99, commit="abc"):
    result = {
        "date": "2026-01-01T00:00:00+00:00",
        "settings": {"commit": commit},
        "endpoints": {
            "detail": {"ours": {"p99_ms": detail_p99}},
            "list": {"ours": {"p99_ms": list_p99}},
        },
    }
    (tmp_path / f"postgresql-{articles}.json").write_text(json.dumps(result))


def test_p99_growth_says_why_when_a_scale_is_missing(tmp_path):
    _scale(tmp_path, 1_000, detail_p99=10, list_p99=20)
    growth, detail = report.p99_growth(tmp_path)
    assert growth is None
    assert "postgresql-100000.json" in detail["note"]


def test_p99_growth_is_the_worst_endpoint_measured_at_both_scales(tmp_path):
    _scale(tmp_path, 1_000, detail_p99=10, list_p99=20)
    _scale(tmp_path, 100_000, detail_p99=12, list_p99=40)
    growth, detail = report.p99_growth(tmp_path)
    assert growth == 2.0
    assert detail["by_endpoint"] == {"detail": 1.2, "list": 2.0}


def test_targets_are_judged_and_unknowns_left_open():
    rows = {
        row["name"]: row["pass"]
        for row in report.judged(
            {
                "detail_vs_v2": 6,
                "detail_vs_ceiling": 0.5,
                "max_queries_per_request": 3,
                "approval_to_served_s": 1.0,
            }
        )
    }
    assert rows["detail_vs_v2"] is True
    assert rows["detail_vs_ceiling"] is False
    assert rows["max_queries_per_request"] is True
    assert rows["approval_to_served_s"] is False  # strictly under a second
    assert rows["p99_growth_1k_to_100k"] is None


def test_p99_growth_is_not_judged_across_commits(tmp_path):
    _scale(tmp_path, 1_000, detail_p99=10, list_p99=20, commit="new")
    _scale(tmp_path, 100_000, detail_p99=900, list_p99=900, commit="old+dirty")
    growth, detail = report.p99_growth(tmp_path)
    assert growth is None
    assert "run both scales on one commit" in detail["note"]


def test_memory_growth_is_the_worker_that_grew_most():
    assert report.memory_growth({1: 100.0, 2: 110.0}, {1: 104.5, 2: 111.0, 3: 300.0}) == 4.5
