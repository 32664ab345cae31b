"""Cross-referencing in the admin: the question page's chart, answers, relations and origins; the claim page's panel;
editors confirming and dismissing the detector's suggestions, fact-checkers refused, nothing changed by a GET."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.postgres.fields.ranges import NumericRange
from django.urls import reverse

from claims.models import Claim, ClaimRelation, HopRelation, Question
from claims.services import Hop, attribution_chain_set, claim_create, claim_values_set, question_create
from sources.models import SourceKind
from sources.services import source_create
from tests.claims.test_admin import change_url
from tests.claims.test_workflow_admin import logged_in

pytestmark = pytest.mark.django_db


def toll_value(expression: str, low: int | None, high: int | None, bounds: str) -> dict[str, Any]:
    return {
        "kind": "quantity",
        "expression": expression,
        "quantity": NumericRange(
            None if low is None else Decimal(low), None if high is None else Decimal(high), bounds
        ),
        "qualifier": "about",
        "unit": "people",
    }


@pytest.fixture
def toll(editor) -> dict[str, Any]:
    """Two claims answering one question with disjoint figures, one of them from Hamas via TASS."""
    question = question_create(actor=editor, text="How many were killed on 7 October 2023?", kind="quantity")
    site = source_create(actor=editor, name="Example News", kind=SourceKind.OUTLET)
    tass = source_create(actor=editor, name="TASS", kind=SourceKind.NEWS_AGENCY)
    hamas = source_create(actor=editor, name="Hamas", kind=SourceKind.POLITICAL_GROUP)
    nearly = claim_create(actor=editor, statement="Nearly a thousand were killed.", question=question)
    claim_values_set(claim=nearly, values=[toll_value("nearly a thousand", 900, 1000, "[)")])
    attribution_chain_set(claim=nearly, appearance=None, hops=[Hop(site, HopRelation.PUBLISHES)])
    over = claim_create(actor=editor, statement="Over a thousand were killed.", question=question)
    claim_values_set(claim=over, values=[toll_value("over a thousand", 1000, None, "()")])
    attribution_chain_set(
        claim=over,
        appearance=None,
        hops=[Hop(site, HopRelation.CITES), Hop(tass, HopRelation.CITES), Hop(hamas, HopRelation.PUBLISHES)],
    )
    return {
        "question": question,
        "nearly": nearly,
        "over": over,
        "relation": ClaimRelation.objects.get(kind="contradicts"),
    }


def decide_url(relation: ClaimRelation, decision: str) -> str:
    return reverse("admin:claims_claimrelation_decide", args=[relation.pk, decision])


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_question_page_draws_each_answer_and_explains_the_conflict(editor, toll):
    response = logged_in(editor).get(change_url(toll["question"]))

    assert response.status_code == 200
    html = response.content.decode()
    panel = response.context["cross_reference"]
    assert [answer["id"] for answer in panel["answers"]] == [toll["nearly"].pk, toll["over"].pk]
    assert panel["answers"][1]["source"] == "Hamas via TASS"
    assert html.count("The answers&#x27; intervals on one axis") == 1
    # Both bars are drawn in the conflict colour, and each end is marked: closed, open, open, and an arrow (∞).
    assert html.count('stroke="#b3261e" stroke-width="4"') == 2, "both answers are in the contradiction"
    assert html.count('fill="#ffffff" stroke="#b3261e"') == 2
    assert "<path" in html
    assert "Hamas via TASS: more than 1,000 (“over a thousand”)" in html
    assert "the intervals do not overlap" in html
    assert f'formaction="{decide_url(toll["relation"], "confirm")}"' in html


def test_an_editor_confirms_a_suggestion_from_the_question_page(editor, toll):
    page = change_url(toll["question"])

    response = logged_in(editor).post(decide_url(toll["relation"], "confirm"), {"next": page}, follow=True)

    assert response.redirect_chain[-1][0] == page
    relation = ClaimRelation.objects.get(kind="contradicts")
    assert (relation.state, relation.decided_by) == (ClaimRelation.State.CONFIRMED, editor)
    assert any("confirmed" in message for message in messages_of(response))


def test_an_editor_dismisses_a_suggestion(editor, toll):
    logged_in(editor).post(decide_url(toll["relation"], "dismiss"), {"next": change_url(toll["nearly"])})

    assert ClaimRelation.objects.get(kind="contradicts").state == ClaimRelation.State.DISMISSED


def test_a_fact_checker_is_told_only_editors_decide(fact_checker, toll):
    response = logged_in(fact_checker).post(decide_url(toll["relation"], "confirm"), {}, follow=True)

    assert ClaimRelation.objects.get(kind="contradicts").state == ClaimRelation.State.SUGGESTED
    assert any("Only editors" in message for message in messages_of(response))


def test_a_get_decides_nothing(editor, toll):
    response = logged_in(editor).get(decide_url(toll["relation"], "confirm"))

    assert response.status_code == 405
    assert ClaimRelation.objects.get(kind="contradicts").state == ClaimRelation.State.SUGGESTED


def test_an_unknown_decision_or_relation_is_404(editor, toll):
    client = logged_in(editor)

    assert client.post(decide_url(toll["relation"], "delete")).status_code == 404
    assert client.post(reverse("admin:claims_claimrelation_decide", args=[10**9, "confirm"])).status_code == 404


def test_it_never_redirects_off_site_after_a_decision(editor, toll):
    response = logged_in(editor).post(decide_url(toll["relation"], "confirm"), {"next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == change_url(toll["relation"])


def test_the_bulk_actions_decide_through_the_service(editor, fact_checker, toll):
    changelist = reverse("admin:claims_claimrelation_changelist")
    selected = {"action": "dismiss_selected", "_selected_action": [toll["relation"].pk]}

    logged_in(fact_checker).post(changelist, selected)
    assert ClaimRelation.objects.get(kind="contradicts").state == ClaimRelation.State.SUGGESTED

    logged_in(editor).post(changelist, selected)
    assert ClaimRelation.objects.get(kind="contradicts").state == ClaimRelation.State.DISMISSED


def test_the_claim_page_shows_its_relations_and_origins(editor, toll):
    response = logged_in(editor).get(change_url(toll["over"]))

    assert response.status_code == 200
    panel = response.context["claim_cross_reference"]
    assert toll["relation"].pk in [row["id"] for row in panel["relations"]]
    assert panel["origins"]["count"] == 1
    assert panel["origins"]["origins"][0]["source"]["name"] == "Hamas"
    html = response.content.decode()
    assert "Example News → TASS → Hamas" in html
    assert "the intervals do not overlap" in html


def test_the_question_page_of_a_question_without_answers_says_so(editor):
    question = Question.objects.create(text="How many delegates came?", kind="quantity")

    response = logged_in(editor).get(change_url(question))

    assert response.status_code == 200
    assert "No claim answers this question yet." in response.content.decode()
    assert "No values to draw." in response.content.decode()


def test_a_dismissed_answer_is_listed_but_not_drawn(editor, toll):
    from claims.services import claim_dismiss

    claim_dismiss(claim=Claim.objects.get(pk=toll["nearly"].pk), actor=editor, comment="Not checkable.")

    response = logged_in(editor).get(change_url(toll["question"]))

    panel = response.context["cross_reference"]
    assert [answer["answers"] for answer in panel["answers"]] == [False, True]
    assert response.content.decode().count('stroke-width="4"') == 1
    assert [relation["kind"] for relation in panel["relations"] if relation["kind"] == "contradicts"] == []


def test_a_fact_checker_cannot_decide_a_relation_on_its_own_page(fact_checker, toll):
    client = logged_in(fact_checker)
    page = change_url(toll["relation"])

    response = client.post(page, {"state": ClaimRelation.State.CONFIRMED})

    assert response.status_code == 403
    assert ClaimRelation.objects.get(kind="contradicts").state == ClaimRelation.State.SUGGESTED


def test_staff_allowed_to_edit_relations_but_not_editors_cannot_decide_them(toll):
    from django.contrib.auth.models import Permission

    from tests.claims.test_admin import form_data
    from tests.factories import StaffFactory

    clerk = StaffFactory(roles=[])
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_claimrelation", "change_claimrelation"]))
    client = logged_in(clerk)
    page = change_url(toll["relation"])
    data = form_data(client.get(page))
    data["state"] = ClaimRelation.State.CONFIRMED

    response = client.post(page, data)

    assert response.status_code == 200
    assert "Only editors confirm or dismiss relations between claims." in response.content.decode()
    assert ClaimRelation.objects.get(kind="contradicts").state == ClaimRelation.State.SUGGESTED
