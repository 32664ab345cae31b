"""Data: the default rating scale and PolitiFact's Truth-O-Meter (used by the LIAR data set)."""

from django.db import migrations

# (slug, label, ordinal, bucket, ClaimReview ratingValue, description)
DEFAULT_SCALE = [
    ("true", "True", 6, "true", 5, "The claim is accurate and nothing significant is missing."),
    ("mostly-true", "Mostly true", 5, "mostly_true", 4, "Accurate but needs clarification or additional information."),
    (
        "mixed",
        "Mixed",
        4,
        "mixed",
        3,
        "Partially accurate; leaves out important details or takes things out of context.",
    ),
    (
        "mostly-false",
        "Mostly false",
        3,
        "mostly_false",
        2,
        "Contains an element of truth but ignores facts that would give a different impression.",
    ),
    ("false", "False", 2, "false", 1, "The claim is not accurate."),
    (
        "unverifiable",
        "Unverifiable",
        1,
        "unverifiable",
        None,
        "The available evidence can neither confirm nor refute the claim.",
    ),
]

# Slugs are the LIAR labels, so imports map them one to one. PolitiFact renamed "Barely True" to "Mostly False" in 2011.
TRUTH_O_METER = [
    ("true", "True", 6, "true", 6, "The statement is accurate and there's nothing significant missing."),
    (
        "mostly-true",
        "Mostly True",
        5,
        "mostly_true",
        5,
        "The statement is accurate but needs clarification or additional information.",
    ),
    (
        "half-true",
        "Half True",
        4,
        "mixed",
        4,
        "The statement is partially accurate but leaves out important details or takes things out of context.",
    ),
    (
        "barely-true",
        "Mostly False",
        3,
        "mostly_false",
        3,
        "The statement contains an element of truth but ignores critical facts that would give a different impression (formerly 'Barely True').",
    ),
    ("false", "False", 2, "false", 2, "The statement is not accurate."),
    ("pants-fire", "Pants on Fire", 1, "false", 1, "The statement is not accurate and makes a ridiculous claim."),
]

SCALES = [
    ("default", "Default scale", "The desk's own five-step scale, plus Unverifiable.", True, 5, 1, DEFAULT_SCALE),
    (
        "truth-o-meter",
        "PolitiFact Truth-O-Meter",
        "PolitiFact's six-step scale, used by the LIAR data set.",
        False,
        6,
        1,
        TRUTH_O_METER,
    ),
]


def create_scales(apps, schema_editor):
    RatingScale = apps.get_model("claims", "RatingScale")
    Rating = apps.get_model("claims", "Rating")
    for slug, name, description, is_default, best, worst, ratings in SCALES:
        scale, _ = RatingScale.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "is_default": is_default,
                "claimreview_best": best,
                "claimreview_worst": worst,
            },
        )
        for r_slug, label, ordinal, bucket, value, r_description in ratings:
            Rating.objects.get_or_create(
                scale=scale,
                slug=r_slug,
                defaults={
                    "label": label,
                    "ordinal": ordinal,
                    "bucket": bucket,
                    "claimreview_value": value,
                    "description": r_description,
                },
            )


def remove_scales(apps, schema_editor):
    RatingScale = apps.get_model("claims", "RatingScale")
    Rating = apps.get_model("claims", "Rating")
    slugs = [scale[0] for scale in SCALES]
    Rating.objects.filter(scale__slug__in=slugs).delete()
    RatingScale.objects.filter(slug__in=slugs).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]
    operations = [migrations.RunPython(create_scales, remove_scales)]
