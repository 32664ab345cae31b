"""The desk's admin: pages render, lists stay cheap at scale, and every save goes through the services' rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.postgres.fields.ranges import NumericRange
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.admin.claims import ClaimAdmin, ClaimPaginator
from claims.models import (
    Attribution,
    Claim,
    ClaimRelation,
    ClaimStatus,
    ClaimValue,
    HopRelation,
    Question,
    RatingScale,
    Verdict,
)
from claims.services import verdict_approve
from factcheck import admin_utils
from factcheck.admin_utils import EstimatedCountPaginator
from tests.factories import (
    AppearanceFactory,
    AttributionFactory,
    ClaimFactory,
    ClaimRelationFactory,
    ClaimValueFactory,
    DateValueFactory,
    EvidenceFactory,
    QuestionFactory,
    SourceFactory,
    StaffFactory,
    UserFactory,
    VerdictFactory,
    default_rating,
    draft_in_review,
    published_verdict,
)

pytestmark = pytest.mark.django_db

CLAIMS = reverse("admin:claims_claim_changelist")
VERDICTS = reverse("admin:claims_verdict_changelist")


@pytest.fixture
def desk(client, admin_user):
    """A superuser: the editor fixture is staff but holds no model permissions, which the admin requires."""
    client.force_login(admin_user)
    return client


@pytest.fixture
def second_editor():
    return UserFactory(username="sam-second", is_staff=True, is_superuser=True)


def change_url(obj: Any) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def form_data(response: Any) -> dict[str, Any]:
    """What a browser would post back for a rendered change form left as it is, inlines included."""
    data: dict[str, Any] = {}

    def add(form: Any) -> None:
        for field in form:
            value = field.value()
            if value is True:
                data[field.html_name] = "on"
            elif value is False:
                continue
            else:
                data[field.html_name] = "" if value is None else str(value)
            if field.field.show_hidden_initial and value is not False:
                data[field.html_initial_name] = data[field.html_name]

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def add_inline_form(data: dict[str, Any], prefix: str, **fields: Any) -> None:
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value


def blank_hop_prefix(data: dict[str, Any]) -> str:
    """The prefix of the empty extra hop form the page renders."""
    return f"attributions-{int(data['attributions-TOTAL_FORMS']) - 1}"


# Permissions and rendering ----------------------------------------------------------------------------------------


def test_staff_without_a_desk_role_is_refused_the_claim_changelist(client):
    client.force_login(StaffFactory(roles=[]))
    assert client.get(CLAIMS).status_code == 403


def test_the_editor_role_opens_the_claim_changelist(client, editor):
    client.force_login(editor)
    assert client.get(CLAIMS).status_code == 200


def test_the_fact_checker_role_opens_the_claim_changelist(client, fact_checker):
    client.force_login(fact_checker)
    assert client.get(CLAIMS).status_code == 200


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(CLAIMS)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def _claim_with_everything() -> Claim:
    claim = ClaimFactory(question=QuestionFactory(), first_appearance=AppearanceFactory())
    AttributionFactory(claim=claim, appearance=claim.first_appearance)
    ClaimValueFactory(claim=claim)
    DateValueFactory(claim=claim)
    published_verdict(claim)
    VerdictFactory(claim=claim, version=2, correction_kind="update")
    return claim


MODELS = {
    "claim": _claim_with_everything,
    "question": QuestionFactory,
    "claimrelation": ClaimRelationFactory,
    "ratingscale": lambda: RatingScale.objects.default(),
    "verdict": VerdictFactory,
}


@pytest.mark.parametrize("model_name", MODELS)
def test_changelist_add_and_change_pages_render(desk, model_name):
    obj = MODELS[model_name]()
    for url in (
        reverse(f"admin:claims_{model_name}_changelist"),
        reverse(f"admin:claims_{model_name}_add"),
        change_url(obj),
    ):
        assert desk.get(url).status_code == 200, url


def test_published_verdict_page_renders(desk):
    assert desk.get(change_url(published_verdict())).status_code == 200


def _page_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_claim_change_page_queries_do_not_grow_with_the_number_of_hops(desk):
    claim = ClaimFactory()
    AttributionFactory(claim=claim)
    EvidenceFactory(claim=claim, appearance=AppearanceFactory())
    _page_queries(desk, change_url(claim))  # fills the content-type cache
    one_chain = _page_queries(desk, change_url(claim))
    for _ in range(4):
        appearance = AppearanceFactory()
        AttributionFactory(claim=claim, appearance=appearance, position=0, relation=HopRelation.CITES)
        AttributionFactory(claim=claim, appearance=appearance, position=1)
        EvidenceFactory(claim=claim, appearance=appearance)
    assert _page_queries(desk, change_url(claim)) == one_chain


def test_claim_page_shows_verdict_history_without_edit_fields(desk):
    claim = ClaimFactory()
    published_verdict(claim, summary="The toll was lower.")
    response = desk.get(change_url(claim))
    assert "The toll was lower." in response.content.decode()
    assert 'name="verdicts-0-summary"' not in response.content.decode()


# The claim changelist at scale ------------------------------------------------------------------------------------


def _claims_with_ratings(count: int) -> None:
    assignee, approver = UserFactory(is_staff=True), UserFactory(is_staff=True)
    for _ in range(count):
        published_verdict(ClaimFactory(assignee=assignee), author=assignee, approver=approver)


def test_claim_changelist_queries_do_not_grow_with_the_number_of_claims(desk):
    # Statistics exist whichever test ran before on this database (others ANALYZE; a never-analysed table takes
    # another path in the language filter), and say "empty" to both pages below, as stale statistics do.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    _claims_with_ratings(3)
    with CaptureQueriesContext(connection) as three:
        assert desk.get(CLAIMS).status_code == 200
    _claims_with_ratings(27)
    with CaptureQueriesContext(connection) as thirty:
        response = desk.get(CLAIMS)
    assert len(response.context["cl"].result_list) == 30
    # 1 session, 2 user, 3 the user's desk roles (which workflow actions to offer), 4 reltuples for the language
    # filter (small: so not the planner's most common values but 5 its SELECT DISTINCT language), 6 reltuples for
    # the paginator (small, and unfiltered: no EXPLAIN), 7 the exact COUNT(*) a small table gets, 8 the claims with
    # claimant, assignee and current rating.
    assert len(three) == len(thirty) == 8, "\n".join(q["sql"][:100] for q in thirty)


def test_claim_changelist_shows_the_current_verdicts_rating_label(desk):
    claim = ClaimFactory()
    old = published_verdict(claim, rating=default_rating("false"))
    Verdict.objects.filter(pk=old.pk).update(superseded_at=old.published_at)
    published_verdict(claim, version=2, correction_kind="rating_changed", rating=default_rating("mostly-true"))
    response = desk.get(CLAIMS)
    assert response.context["cl"].result_list[0].current_rating_label == "Mostly true"
    assert "Mostly true" in response.content.decode()


def test_claim_changelist_takes_a_big_tables_count_from_its_statistics(desk, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 5)
    ClaimFactory.create_batch(12)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    with CaptureQueriesContext(connection) as queries:
        response = desk.get(CLAIMS)
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "claims_claim" in q["sql"]]
    assert counts == []
    assert "about 12 claims" in " ".join(response.content.decode().split())


def test_estimated_paginator_counts_exactly_when_the_estimate_is_small():
    ClaimFactory.create_batch(3)
    claims = Claim.objects.filter(status=ClaimStatus.NEW).order_by("-id")
    paginator = EstimatedCountPaginator(claims, 2)
    assert (paginator.count, paginator.is_estimate, paginator.num_pages) == (3, False, 2)
    assert list(paginator.page(2).object_list) == list(claims[2:])


def test_estimated_paginator_uses_the_planners_estimate_for_a_filtered_list(monkeypatch):
    ClaimFactory.create_batch(3)
    monkeypatch.setattr(admin_utils, "planner_row_estimate", lambda queryset: 50_000)
    claims = Claim.objects.filter(status=ClaimStatus.NEW).order_by("-id")
    paginator = EstimatedCountPaginator(claims, 2)
    assert (paginator.count, paginator.is_estimate) == (50_000, True)
    # Pages past the real rows open empty instead of failing: the estimate is not exact.
    assert list(paginator.page(2).object_list) == list(claims[2:4])
    assert list(paginator.page(10_000).object_list) == []


def test_claim_search_counts_from_the_estimate_above_a_thousand_expected_rows(desk, monkeypatch):
    # At 1M claims an exact count of a word in 0.5% of statements reads 5,000 rows: the admin's whole budget.
    ClaimFactory.create_batch(3, statement="The harbour took a thousand ships.")
    monkeypatch.setattr(admin_utils, "planner_row_estimate", lambda queryset: 2_000)
    with CaptureQueriesContext(connection) as queries:
        response = desk.get(CLAIMS, {"q": "harbour"})
    assert [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "claims_claim" in q["sql"]] == []
    assert "about 2000 claims" in " ".join(response.content.decode().split())


def test_claim_paginator_counts_a_narrow_search_and_a_small_table_exactly(monkeypatch):
    ClaimFactory.create_batch(3)
    monkeypatch.setattr(admin_utils, "planner_row_estimate", lambda queryset: 999)
    narrow = ClaimPaginator(Claim.objects.filter(status=ClaimStatus.NEW).order_by("-id"), 2)
    assert (narrow.count, narrow.is_estimate) == (3, False)
    # Unfiltered, the table's own threshold (10,000 rows by reltuples) still applies.
    monkeypatch.setattr(admin_utils, "table_row_estimate", lambda model, using: 5_000)
    whole = ClaimPaginator(Claim.objects.order_by("-id"), 2)
    assert (whole.count, whole.is_estimate) == (3, False)


def test_a_deep_changelist_page_offsets_only_over_keys(desk, monkeypatch):
    monkeypatch.setattr(ClaimAdmin, "list_per_page", 2)
    claims = ClaimFactory.create_batch(5)
    with CaptureQueriesContext(connection) as queries:
        response = desk.get(CLAIMS, {"p": 2})
    assert list(response.context["cl"].result_list) == [claims[2], claims[1]]
    offsets = [q["sql"] for q in queries if "OFFSET" in q["sql"]]
    assert len(offsets) == 1
    assert offsets[0].startswith('SELECT "claims_claim"."id" AS "pk" FROM "claims_claim"')


def test_planner_row_estimate_reads_explain():
    assert admin_utils.planner_row_estimate(Claim.objects.filter(status=ClaimStatus.NEW)) >= 1


# Search and filters -----------------------------------------------------------------------------------------------


def test_admin_search_finds_a_claim_by_a_word_of_its_statement(desk):
    wanted = ClaimFactory(statement="Turnout in the regional election reached ninety percent.")
    other = ClaimFactory(statement="Delegates arrived for the talks in Moscow.")
    response = desk.get(CLAIMS, {"q": "turnout"})
    assert list(response.context["cl"].result_list) == [wanted]
    assert other.statement not in response.content.decode()


@pytest.mark.parametrize("term", ["ELECTION turnout", "lectio", "elections", '"regional election"', "ninety %"])
def test_admin_search_finds_parts_of_words_stems_and_phrases(desk, term):
    wanted = ClaimFactory(statement="Turnout in the regional election reached ninety percent.")
    ClaimFactory(statement="Delegates arrived for the talks in Moscow, 100% of them.")
    assert list(desk.get(CLAIMS, {"q": term}).context["cl"].result_list) == [wanted]


def test_admin_search_finds_a_claim_by_id_or_a_word_of_its_quote(desk):
    wanted = ClaimFactory(statement="Turnout was high.", quote="Everyone came to vote, said the governor.")
    ClaimFactory(statement="Delegates arrived for the talks in Moscow.")
    assert list(desk.get(CLAIMS, {"q": str(wanted.pk)}).context["cl"].result_list) == [wanted]
    assert list(desk.get(CLAIMS, {"q": "governor"}).context["cl"].result_list) == [wanted]


def test_rating_filter_lists_claims_by_their_current_verdicts_bucket(desk):
    rated_false = ClaimFactory()
    published_verdict(rated_false, rating=default_rating("false"))
    unrated = ClaimFactory()
    assert list(desk.get(CLAIMS, {"bucket": "false"}).context["cl"].result_list) == [rated_false]
    assert list(desk.get(CLAIMS, {"bucket": "true"}).context["cl"].result_list) == []
    assert list(desk.get(CLAIMS, {"bucket": "none"}).context["cl"].result_list) == [unrated]


def test_question_and_language_filters(desk):
    with_question = ClaimFactory(question=QuestionFactory(), language="ru")
    ClaimFactory(question=None)
    assert list(desk.get(CLAIMS, {"has_question": "yes"}).context["cl"].result_list) == [with_question]
    response = desk.get(CLAIMS, {"language": "ru"})
    assert list(response.context["cl"].result_list) == [with_question]
    assert "?language=ru" in response.content.decode()


# Saving claims through the services -------------------------------------------------------------------------------


def test_adding_a_claim_goes_through_claim_create(desk, admin_user):
    response = desk.get(reverse("admin:claims_claim_add"))
    data = form_data(response)
    data.update(statement="  Nearly a thousand people attended.  ", kind="quantity", tags="Moscow,TALKS")
    response = desk.post(reverse("admin:claims_claim_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim = Claim.objects.get()
    assert (claim.statement, claim.tags, claim.created_by, claim.status) == (
        "Nearly a thousand people attended.",
        ["moscow", "talks"],
        admin_user,
        ClaimStatus.NEW,
    )


def test_changing_a_claim_writes_only_the_changed_fields_and_never_the_status(desk):
    claim = ClaimFactory(statement="Old wording", quote="old quote")
    data = form_data(desk.get(change_url(claim)))
    data.update(statement="New wording", status=ClaimStatus.PUBLISHED)
    Claim.objects.filter(pk=claim.pk).update(quote="changed by a colleague meanwhile")
    assert desk.post(change_url(claim), data).status_code == 302
    claim.refresh_from_db()
    assert (claim.statement, claim.quote, claim.status) == (
        "New wording",
        "changed by a colleague meanwhile",
        ClaimStatus.NEW,
    )


def test_an_invalid_attribution_chain_is_shown_and_nothing_is_written(desk):
    claim = ClaimFactory(statement="Old wording", claimant=None)
    data = form_data(desk.get(change_url(claim)))
    hop = blank_hop_prefix(data)
    data.update(
        {
            "statement": "New wording",
            f"{hop}-appearance": str(AppearanceFactory().pk),
            f"{hop}-position": "0",
            f"{hop}-source": str(SourceFactory().pk),
            f"{hop}-relation": HopRelation.CITES,
        }
    )
    response = desk.post(change_url(claim), data)
    assert response.status_code == 200
    assert "it must be &#x27;publishes&#x27; (the original speaker) or &#x27;cites_unnamed&#x27;" in (
        response.content.decode()
    )
    claim.refresh_from_db()
    assert (claim.statement, claim.claimant, Attribution.objects.count()) == ("Old wording", None, 0)


def test_a_valid_chain_is_saved_and_names_the_claimant(desk):
    claim = ClaimFactory(claimant=None)
    site, tass, hamas = SourceFactory(name="Site"), SourceFactory(name="TASS"), SourceFactory(name="Hamas")
    appearance = AppearanceFactory(publisher=site)
    data = form_data(desk.get(change_url(claim)))
    hops = [(site, HopRelation.CITES), (tass, HopRelation.CITES), (hamas, HopRelation.PUBLISHES)]
    for position, (source, relation) in enumerate(hops):
        add_inline_form(
            data,
            "attributions",
            appearance=str(appearance.pk),
            position=str(position),
            source=str(source.pk),
            relation=relation,
            quote_excerpt="citing Hamas" if source == tass else "",
            claim=str(claim.pk),
        )
    response = desk.post(change_url(claim), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    rows = Attribution.objects.filter(claim=claim).order_by("position")
    assert [(r.position, r.source, r.relation) for r in rows] == [
        (0, site, "cites"),
        (1, tass, "cites"),
        (2, hamas, "publishes"),
    ]
    claim.refresh_from_db()
    assert (claim.claimant, claim.first_appearance) == (hamas, appearance)


def test_hops_can_swap_places(desk):
    claim = ClaimFactory()
    appearance = AppearanceFactory()
    first = AttributionFactory(claim=claim, appearance=appearance, position=0, relation=HopRelation.CITES)
    second = AttributionFactory(claim=claim, appearance=appearance, position=1, relation=HopRelation.CITES)
    AttributionFactory(claim=claim, appearance=appearance, position=2, relation=HopRelation.PUBLISHES)
    data = form_data(desk.get(change_url(claim)))
    data.update({"attributions-0-position": "1", "attributions-1-position": "0"})
    assert desk.post(change_url(claim), data).status_code == 302
    sources = list(Attribution.objects.filter(claim=claim).order_by("position").values_list("source", flat=True))
    assert sources[:2] == [second.source_id, first.source_id]


def test_removing_a_whole_chain_is_allowed(desk):
    claim = ClaimFactory()
    hop = AttributionFactory(claim=claim)
    data = form_data(desk.get(change_url(claim)))
    assert data["attributions-0-id"] == str(hop.pk)
    data["attributions-0-DELETE"] = "on"
    assert desk.post(change_url(claim), data).status_code == 302
    assert not Attribution.objects.exists()


def test_value_inline_saves_a_half_open_interval(desk):
    claim = ClaimFactory()
    data = form_data(desk.get(change_url(claim)))
    add_inline_form(
        data,
        "values",
        kind="quantity",
        expression="nearly a thousand",
        low="900",
        low_inclusive="on",
        high="1,000",
        qualifier="nearly",
        unit="people",
        claim=str(claim.pk),
    )
    response = desk.post(change_url(claim), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert ClaimValue.objects.get(claim=claim).quantity == NumericRange(Decimal(900), Decimal(1000), "[)")


def test_value_inline_shows_an_existing_interval_as_its_ends(desk):
    claim = ClaimFactory()
    ClaimValueFactory(claim=claim, quantity=NumericRange(Decimal(1000), None, "()"))
    data = form_data(desk.get(change_url(claim)))
    assert (data["values-0-low"], data["values-0-high"], "values-0-low_inclusive" in data) == ("1000", "", False)
    assert desk.post(change_url(claim), data).status_code == 302
    assert ClaimValue.objects.get(claim=claim).quantity == NumericRange(Decimal(1000), None, "()")


@pytest.mark.parametrize(
    ("low", "high", "message"),
    [
        ("", "", "A quantity value needs a quantity interval"),
        ("1000", "900", "The high end is below the low end."),
        ("many", "", "Enter a number, or leave empty for no end."),
        ("Infinity", "", "Leave the end empty for an unbounded interval."),
        # The API's limits (claims.values.check_number), now the admin's too.
        ("1,000,000,000,000,000", "", "Must be below 1,000,000,000,000,000 in size."),
        ("0.1234567", "", "At most 6 decimal places."),
    ],
)
def test_value_inline_explains_a_bad_interval(desk, low, high, message):
    claim = ClaimFactory()
    data = form_data(desk.get(change_url(claim)))
    add_inline_form(data, "values", kind="quantity", expression="a lot", low=low, high=high, claim=str(claim.pk))
    response = desk.post(change_url(claim), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ClaimValue.objects.exists()


def test_evidence_added_in_the_admin_records_who_added_it(desk, admin_user):
    claim = ClaimFactory()
    data = form_data(desk.get(change_url(claim)))
    add_inline_form(data, "evidence", url="https://records.example.org/1", stance="refutes", claim=str(claim.pk))
    assert desk.post(change_url(claim), data).status_code == 302
    assert claim.evidence.get().added_by == admin_user


# Verdicts ---------------------------------------------------------------------------------------------------------


def _run_action(client: Any, action: str, *verdicts: Verdict) -> str:
    response = client.post(VERDICTS, {"action": action, "_selected_action": [v.pk for v in verdicts]}, follow=True)
    assert response.status_code == 200
    return " ".join(str(m) for m in response.context["messages"])


def test_approve_action_refuses_the_author_and_accepts_a_second_person(client, admin_user, second_editor):
    verdict = draft_in_review(author=admin_user)
    client.force_login(admin_user)
    messages = _run_action(client, "transition_approve", verdict)
    assert "Nobody approves their own verdict" in messages
    verdict.refresh_from_db()
    assert verdict.approver is None

    client.force_login(second_editor)
    _run_action(client, "transition_approve", verdict)
    verdict.refresh_from_db()
    assert verdict.approver == second_editor
    assert verdict.approved_at is not None


def test_publish_action_publishes_approved_verdicts_and_explains_the_rest(desk, second_editor):
    ready = draft_in_review()
    verdict_approve(verdict=ready, approver=second_editor)
    unapproved = draft_in_review()
    messages = _run_action(desk, "transition_publish", ready, unapproved)
    assert "A second person must approve the verdict before it is published." in messages
    ready.refresh_from_db()
    unapproved.refresh_from_db()
    assert (ready.is_current, unapproved.published_at) == (True, None)
    assert Claim.objects.get(pk=ready.claim_id).status == ClaimStatus.PUBLISHED


def test_approve_button_on_the_verdict_page(client, second_editor):
    verdict = draft_in_review()
    client.force_login(second_editor)
    page = client.get(change_url(verdict)).content.decode()
    approve_url = reverse("admin:claims_verdict_transition", args=[verdict.pk, "approve"])
    assert approve_url in page
    assert client.get(approve_url).status_code == 405
    assert client.post(approve_url).status_code == 302
    verdict.refresh_from_db()
    assert verdict.approver == second_editor


def test_a_published_verdict_cannot_be_changed_in_the_admin(desk):
    verdict = published_verdict(summary="The toll was lower.")
    page = desk.get(change_url(verdict)).content.decode()
    assert 'name="summary"' not in page
    assert 'name="_save"' not in page
    response = desk.post(change_url(verdict), {"summary": "Rewritten history.", "rating": verdict.rating_id})
    assert response.status_code == 403
    verdict.refresh_from_db()
    assert verdict.summary == "The toll was lower."


def test_an_approved_verdict_is_read_only_but_offers_publish(desk, second_editor):
    verdict = draft_in_review(summary="As approved.")
    verdict_approve(verdict=verdict, approver=second_editor)
    page = desk.get(change_url(verdict)).content.decode()
    assert 'name="summary"' not in page
    publish_url = reverse("admin:claims_verdict_transition", args=[verdict.pk, "publish"])
    assert publish_url in page
    assert desk.post(change_url(verdict), {"summary": "Changed after approval."}).status_code == 403
    assert desk.post(publish_url).status_code == 302
    verdict.refresh_from_db()
    assert (verdict.summary, verdict.is_current) == ("As approved.", True)


def test_verdicts_cannot_be_deleted_in_the_admin(desk):
    verdict = VerdictFactory()
    assert desk.post(reverse("admin:claims_verdict_delete", args=[verdict.pk]), {"post": "yes"}).status_code == 403
    assert Verdict.objects.filter(pk=verdict.pk).exists()


def test_adding_a_verdict_drafts_the_next_version_by_the_current_user(desk, admin_user):
    claim = ClaimFactory(status=ClaimStatus.RESEARCHING)
    data = {
        "claim": claim.pk,
        "rating": default_rating("mostly-true").pk,
        "summary": "Closer than we said.",
        "explanation": "New records.",
    }
    response = desk.post(reverse("admin:claims_verdict_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    draft = Verdict.objects.get(claim=claim, published_at__isnull=True)
    assert (draft.version, draft.author) == (1, admin_user)

    again = desk.post(reverse("admin:claims_verdict_add"), data)
    assert "already has an unpublished verdict draft" in again.content.decode()


def test_a_first_verdict_is_not_a_correction(desk):
    data = {"claim": ClaimFactory(status=ClaimStatus.RESEARCHING).pk, "summary": "x", "correction_kind": "update"}
    response = desk.post(reverse("admin:claims_verdict_add"), data)
    assert response.status_code == 200
    assert "Every version after the first says what kind of correction it is." in response.content.decode()
    assert not Verdict.objects.exists()


# Relations --------------------------------------------------------------------------------------------------------


def test_confirming_a_relation_records_who_decided_and_when(desk, admin_user):
    relation = ClaimRelationFactory()
    data = form_data(desk.get(change_url(relation)))
    data["state"] = ClaimRelation.State.CONFIRMED
    assert desk.post(change_url(relation), data).status_code == 302
    relation.refresh_from_db()
    assert (relation.state, relation.decided_by) == (ClaimRelation.State.CONFIRMED, admin_user)
    assert relation.decided_at is not None


def test_question_search_finds_part_of_the_text(desk):
    wanted = QuestionFactory(text="How many delegates came to Moscow?")
    QuestionFactory(text="When did the talks begin?")
    response = desk.get(reverse("admin:claims_question_changelist"), {"q": "DELEGATES"})
    assert list(response.context["cl"].result_list) == [wanted]
    assert Question.objects.count() == 2
