"""The demo data set: what it loads, that loading twice changes nothing, and that it stands without the article."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from claims.demo import seed
from claims.demo.loader import load_demo
from claims.models import Attribution, Claim, ClaimStatus, ClaimValue, Evidence, Question, Verdict
from sources.models import Appearance, Source, SourceKind

REPO = Path(__file__).resolve().parents[2]
# The seed article sits next to the repository in the project's working tree; the demo data never reads it.
ARTICLE = REPO.parent / "shared" / "seed" / "moscow-meeting-article.txt"
DEMO_CODE = [*sorted((REPO / "claims" / "demo").glob("*.py")), REPO / "claims/management/commands/load_demo.py"]

pytestmark = pytest.mark.django_db


def fast_hashing() -> override_settings:
    # The default hasher takes about half a second per password, by design; these tests set many.
    return override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@pytest.fixture(autouse=True)
def fast_password_hashing():
    with fast_hashing():
        yield


@pytest.fixture
def loaded():
    """The demo loaded afresh, for tests that load it again or change it."""
    return load_demo()


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for a class of read-only tests (loading takes seconds), rolled back after the class.

    Each test still runs in its own savepoint (the django_db mark), nested in this transaction.
    """
    with django_db_blocker.unblock(), transaction.atomic(), fast_hashing():
        yield load_demo()
        transaction.set_rollback(True)


def claim(slug: str) -> Claim:
    return Claim.objects.get(external_origin=seed.ORIGIN, external_id=slug)


def chain(slug: str, appearance_title: str) -> list[tuple[str, str]]:
    hops = Attribution.objects.filter(claim=claim(slug), appearance__title__startswith=appearance_title)
    return [(hop.source.name, hop.relation) for hop in hops.select_related("source").order_by("position")]


def article_text() -> str:
    if not ARTICLE.exists():
        pytest.skip(f"The seed article is not at {ARTICLE}; nothing to compare the demo wording with.")
    return " ".join(ARTICLE.read_text(encoding="utf-8").split()).lower()


@pytest.mark.usefixtures("demo")
class TestTheLoadedDemo:
    """Read-only checks of one load."""

    def test_it_loads_at_least_twelve_claims_with_their_first_appearance(self):
        claims = Claim.objects.filter(external_origin=seed.ORIGIN)
        assert claims.count() == len(seed.CLAIMS) >= 12
        assert not claims.filter(first_appearance__isnull=True).exists()

    @pytest.mark.parametrize(
        ("name", "kind", "parent"),
        [
            ("TASS", SourceKind.NEWS_AGENCY, None),
            ("Hamas", SourceKind.POLITICAL_GROUP, None),
            ("Ministry of Health in Gaza", SourceKind.MINISTRY, "Hamas"),
            ("Fatah", SourceKind.POLITICAL_GROUP, "Palestine Liberation Organization"),
            ("Palestine Liberation Organization", SourceKind.POLITICAL_GROUP, None),
            ("Islamic Jihad", SourceKind.POLITICAL_GROUP, None),
            ("Israel Defense Forces", SourceKind.MILITARY, None),
            ("Ministry of Foreign Affairs of Russia", SourceKind.MINISTRY, "Government of Russia"),
            ("Vitaly Naumkin", SourceKind.PERSON, None),
            ("Aiman Rakab", SourceKind.PERSON, None),
            ("Mousa Abu Marzook", SourceKind.PERSON, None),
            ("Azzam al-Ahmad", SourceKind.PERSON, None),
            ("Dmitry Medvedev", SourceKind.PERSON, None),
            ("Vladimir Putin", SourceKind.PERSON, None),
            ("Khaled Mashal", SourceKind.PERSON, None),
            ("Sergey Lavrov", SourceKind.PERSON, None),
            ("Osama Hamdan", SourceKind.PERSON, None),
        ],
    )
    def test_it_creates_the_sources_the_article_names(self, name, kind, parent):
        source = Source.objects.get(name=name, kind=kind)
        assert (source.parent.name if source.parent else None) == parent

    def test_the_sources_carry_the_aliases_the_article_uses(self):
        assert "IDF" in Source.objects.get(name="Israel Defense Forces").aliases
        assert {"Palestinian Islamic Jihad", "PIJ"} <= set(Source.objects.get(name="Islamic Jihad").aliases)
        assert "Russian Foreign Ministry" in Source.objects.get(name="Ministry of Foreign Affairs of Russia").aliases

    def test_the_article_and_the_tass_report_are_appearances(self):
        article = Appearance.objects.get(url="https://news.example/2024/02/29/palestinian-factions-moscow-meeting")
        assert (article.publisher.name, article.published_on, article.language) == (
            "Example News (seed article publisher)",
            dt.date(2024, 2, 29),
            "en",
        )
        tass = Appearance.objects.get(title="TASS report on the Moscow meeting (as cited)")
        assert tass.publisher.name == "TASS"
        assert tass.url.startswith("https://tass.example/")

    def test_tass_citing_hamas_reaches_the_article_with_hamas_as_origin(self):
        assert chain("factions-stress-unity", "Palestinian factions") == [
            ("Example News (seed article publisher)", "quotes"),
            ("TASS", "cites"),
            ("Hamas", "publishes"),
        ]
        assert chain("factions-stress-unity", "TASS report") == [("TASS", "cites"), ("Hamas", "publishes")]
        assert claim("factions-stress-unity").claimant.name == "Hamas"

    def test_aiman_rakab_speaking_to_tass_is_the_origin_of_the_government_claim(self):
        assert chain("technocratic-government", "Palestinian factions") == [
            ("Example News (seed article publisher)", "quotes"),
            ("TASS", "paraphrases"),
            ("Aiman Rakab", "publishes"),
        ]
        technocratic = claim("technocratic-government")
        assert technocratic.claimant.name == "Aiman Rakab"
        assert technocratic.first_appearance.publisher.name == "TASS"

    def test_the_gaza_death_toll_is_attributed_to_the_ministry_of_health(self):
        assert chain("gaza-dead-tens-of-thousands", "Palestinian factions") == [
            ("Example News (seed article publisher)", "cites"),
            ("Ministry of Health in Gaza", "publishes"),
        ]
        hop = Attribution.objects.get(claim=claim("gaza-dead-tens-of-thousands"), position=0)
        assert hop.quote_excerpt == "According to Hamas's Ministry of Health"

    def test_what_the_article_says_in_its_own_voice_has_the_publisher_as_origin(self):
        for slug in ("oct7-toll-nearly-thousand", "oct7-toll-over-thousand", "idf-militants-killed"):
            assert chain(slug, "Palestinian factions") == [("Example News (seed article publisher)", "publishes")]

    def test_unnamed_observers_leave_the_claim_without_a_claimant(self):
        assert chain("gaza-uninhabitable", "Palestinian factions") == [
            ("Example News (seed article publisher)", "cites_unnamed")
        ]
        assert claim("gaza-uninhabitable").claimant is None

    def test_every_claimant_is_the_origin_of_every_chain_of_its_claim(self):
        for spec in seed.CLAIMS:
            demo_claim = claim(spec.slug)
            hops = Attribution.objects.filter(claim=demo_claim).order_by("appearance", "position")
            last_hop_per_appearance = {hop.appearance_id: hop for hop in hops}
            assert len(last_hop_per_appearance) == len(spec.chains), spec.slug
            for last in last_hop_per_appearance.values():
                expected = last.source_id if last.relation == "publishes" else None
                assert demo_claim.claimant_id == expected, spec.slug

    @pytest.mark.parametrize(
        ("slug", "expression", "lower", "upper", "bounds", "qualifier"),
        [
            ("oct7-toll-nearly-thousand", "nearly a thousand", Decimal(900), Decimal(1000), "[)", "nearly"),
            ("oct7-toll-over-thousand", "over a thousand", Decimal(1000), None, "()", "more_than"),
            ("idf-militants-killed", "more than 12,000", Decimal(12000), None, "()", "more_than"),
            ("gaza-dead-tens-of-thousands", "tens of thousands", Decimal(20000), Decimal(100000), "[)", "vague"),
            ("organisations-over-ten", "over ten", Decimal(10), None, "()", "more_than"),
            ("meeting-length", "three-day", Decimal(3), Decimal(3), "[]", "exact"),
        ],
    )
    def test_quantities_are_stored_as_the_intervals_their_words_mean(
        self, slug, expression, lower, upper, bounds, qualifier
    ):
        value = ClaimValue.objects.get(claim=claim(slug), expression=expression)
        assert (value.quantity.lower, value.quantity.upper) == (lower, upper)
        assert (value.quantity.lower_inc, value.quantity.upper_inc) == (bounds[0] == "[", bounds[1] == "]")
        assert value.qualifier == qualifier
        assert value.dates is None

    @pytest.mark.parametrize(
        ("slug", "expression", "first", "after", "precision"),
        [
            ("meeting-start", "Thursday, February 29", dt.date(2024, 2, 29), dt.date(2024, 3, 1), "day"),
            ("previous-meeting-2019", "February 2019", dt.date(2019, 2, 1), dt.date(2019, 3, 1), "month"),
            ("mashal-moscow-visits", "March 2006", dt.date(2006, 3, 1), dt.date(2006, 4, 1), "month"),
            ("mashal-moscow-visits", "February 2007", dt.date(2007, 2, 1), dt.date(2007, 3, 1), "month"),
            ("mashal-moscow-visits", "February 2010", dt.date(2010, 2, 1), dt.date(2010, 3, 1), "month"),
            ("lavrov-met-mashal", "March 2008", dt.date(2008, 3, 1), dt.date(2008, 4, 1), "month"),
            ("lavrov-met-mashal", "May 2009", dt.date(2009, 5, 1), dt.date(2009, 6, 1), "month"),
            ("hamdan-visits", "From 2007 to 2011", dt.date(2007, 1, 1), dt.date(2012, 1, 1), "year"),
            ("lavrov-respected-guests", "January 2017", dt.date(2017, 1, 1), dt.date(2017, 2, 1), "month"),
        ],
    )
    def test_dates_are_stored_as_half_open_day_intervals_with_their_precision(
        self, slug, expression, first, after, precision
    ):
        value = ClaimValue.objects.get(claim=claim(slug), expression=expression)
        assert (value.dates.lower, value.dates.upper) == (first, after)
        assert (value.dates.lower_inc, value.dates.upper_inc) == (True, False)
        assert value.precision == precision

    def test_both_october_7_tolls_answer_one_question_with_disjoint_intervals(self):
        nearly, over = claim("oct7-toll-nearly-thousand"), claim("oct7-toll-over-thousand")
        assert nearly.question_id == over.question_id
        assert nearly.question.cumulative is False
        # Disjoint answers to one question: what cross-referencing will flag as a contradiction.
        assert not ClaimValue.objects.filter(claim=over, quantity__overlap=nearly.values.get().quantity).exists()

    def test_every_quantity_and_date_claim_answers_a_question_with_values(self):
        for spec in seed.CLAIMS:
            if spec.values:
                demo_claim = claim(spec.slug)
                assert demo_claim.question is not None, spec.slug
                kinds = set(demo_claim.values.values_list("kind", flat=True))
                assert kinds == {"quantity" if demo_claim.question.kind == Question.Kind.QUANTITY else "date"}, (
                    spec.slug
                )

    def test_death_tolls_of_the_war_are_cumulative_questions(self):
        assert claim("gaza-dead-tens-of-thousands").question.cumulative
        assert claim("idf-militants-killed").question.cumulative

    def test_published_verdicts_were_approved_by_a_second_person_and_rest_on_evidence(self):
        published = Verdict.objects.current().filter(claim__external_origin=seed.ORIGIN).select_related("claim")
        assert {verdict.claim.external_id for verdict in published} == {
            "meeting-start",
            "oct7-toll-nearly-thousand",
            "oct7-toll-over-thousand",
        }
        for verdict in published:
            assert verdict.approver is not None
            assert verdict.approver != verdict.author
            assert verdict.claim.status == ClaimStatus.PUBLISHED
            assert verdict.claim.evidence.exists()
        assert Claim.objects.published().count() == 3

    def test_the_two_october_7_tolls_get_the_ratings_the_evidence_supports(self):
        assert claim("oct7-toll-over-thousand").verdicts.get().rating.slug == "true"
        assert claim("oct7-toll-nearly-thousand").verdicts.get().rating.slug == "mostly-false"
        stances = set(claim("oct7-toll-nearly-thousand").evidence.values_list("stance", flat=True))
        assert stances == {Evidence.Stance.REFUTES}

    def test_claims_are_left_in_a_spread_of_statuses(self):
        statuses = set(Claim.objects.filter(external_origin=seed.ORIGIN).values_list("status", flat=True))
        assert statuses == {"new", "triaged", "dismissed", "researching", "in_review", "published"}
        for spec in seed.CLAIMS:
            assert claim(spec.slug).status == spec.status, spec.slug

    def test_claims_past_triage_are_assigned_to_the_fact_checker(self):
        claims = Claim.objects.filter(external_origin=seed.ORIGIN)
        past_triage = claims.filter(status__in=["researching", "in_review", "published"])
        assert set(past_triage.values_list("assignee__username", flat=True)) == {"factchecker"}
        assert not claims.exclude(pk__in=past_triage).filter(assignee__isnull=False).exists()

    def test_the_claim_in_review_has_an_unapproved_draft(self):
        draft = claim("organisations-over-ten").verdicts.get()
        assert (draft.author.username, draft.approved_at, draft.published_at) == ("factchecker", None, None)

    def test_demo_accounts_are_the_editor_and_the_fact_checker(self):
        editor = get_user_model().objects.get(username="editor")
        fact_checker = get_user_model().objects.get(username="factchecker")
        assert (editor.is_staff, editor.is_superuser) == (True, False)
        assert list(editor.groups.values_list("name", flat=True)) == ["editor"]
        assert list(fact_checker.groups.values_list("name", flat=True)) == ["fact-checker"]
        assert (fact_checker.is_staff, fact_checker.is_superuser) == (True, False)
        assert fact_checker.has_perm("claims.change_claim")
        assert fact_checker.has_perm("sources.add_source")
        assert fact_checker.has_perm("claims.view_verdict")
        assert not fact_checker.has_perm("claims.delete_claim")
        assert not fact_checker.has_perm("auth.view_user")


def test_new_accounts_get_the_password_they_are_given_and_report_it():
    report = load_demo(password="local-demo-password")
    assert {(account.username, account.password) for account in report.accounts} == {
        ("editor", "local-demo-password"),
        ("factchecker", "local-demo-password"),
    }
    assert get_user_model().objects.get(username="editor").check_password("local-demo-password")


def test_migrations_create_no_accounts():
    assert not get_user_model().objects.exists()


def _snapshot() -> dict[str, object]:
    User = get_user_model()
    models = [Source, Appearance, Question, Claim, Attribution, ClaimValue, Verdict, Evidence, User]
    snapshot: dict[str, object] = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
    snapshot["roles"] = list(User.groups.through.objects.order_by("pk").values())
    return snapshot


def test_a_second_run_creates_nothing_and_changes_nothing(loaded):
    before = _snapshot()
    report = load_demo()
    assert _snapshot() == before
    assert sum(report.created.values()) == 0
    assert report.present["claims"] == len(seed.CLAIMS)
    assert [account.password for account in report.accounts] == [None, None]


def test_reset_passwords_sets_new_passwords_and_nothing_else(loaded):
    first = {account.username: account.password for account in loaded.accounts}
    report = load_demo(reset_passwords=True)
    second = {account.username: account.password for account in report.accounts}
    assert all(second.values())
    assert second != first
    assert get_user_model().objects.get(username="factchecker").check_password(second["factchecker"])
    assert sum(report.created.values()) == 0


def test_the_demo_code_does_not_read_the_article_or_anything_outside_the_repo():
    for path in DEMO_CODE:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"shared|/work|\bopen\(|read_text|\.\./", text), path


def test_statements_are_worded_by_the_desk_not_copied_from_the_article():
    article = article_text()
    window = 61
    for spec in seed.CLAIMS:
        statement = " ".join(spec.statement.split()).lower()
        copied = [statement[i : i + window] for i in range(len(statement) - window + 1)]
        assert not [run for run in copied if run in article], spec.slug


def test_quotes_are_short_verbatim_fragments_of_the_article():
    article = article_text()
    for spec in seed.CLAIMS:
        assert len(spec.quote) <= 100, spec.slug
        assert " ".join(spec.quote.split()).lower() in article, spec.slug
        for page in spec.chains:
            for hop in page.hops:
                assert " ".join(hop.excerpt.split()).lower() in article, (spec.slug, hop.excerpt)


def test_the_command_loads_and_prints_the_credentials_once(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = out.getvalue()
    assert first.startswith("Demo data: created ")
    assert re.search(r"^  editor .*password: \S+$", first, re.MULTILINE)
    assert "http://127.0.0.1:8000/admin/" in first

    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo data: created 0, already present" in out.getvalue()
    assert "password: " not in out.getvalue()
    assert "password unchanged" in out.getvalue()


def test_the_command_takes_the_password_from_demo_password(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_PASSWORD", "from-the-environment")
    call_command("load_demo", "--quiet", stdout=StringIO())
    assert get_user_model().objects.get(username="factchecker").check_password("from-the-environment")


def test_the_command_is_silent_with_quiet_when_nothing_is_new(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("load_demo", "--quiet", stdout=out)
    assert out.getvalue() == ""


def test_the_command_refuses_to_create_the_demo_superuser_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("load_demo", stdout=StringIO())
    assert not get_user_model().objects.exists()
