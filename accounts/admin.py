"""API clients and keys in the admin: keys are listed and revoked here, and a new key is shown once on creation.

Secrets are never shown after that and their digests never at all; a key's owner, prefix and times cannot be
edited (issue a new key instead). Keys are revoked rather than deleted, so the record of who held one stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html

from accounts.models import ApiClient, ApiKey
from accounts.services import MAX_KEY_DAYS, api_key_create, api_key_revoke
from factcheck.admin_utils import ServiceErrorsMixin, adopt_saved_row

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest


class ApiKeyCreateForm(forms.ModelForm):
    expires_in_days = forms.IntegerField(
        min_value=1,
        max_value=MAX_KEY_DAYS,
        required=False,
        help_text=f"1 to {MAX_KEY_DAYS}; empty for the default ({settings.API_KEY_DEFAULT_DAYS}).",
    )

    class Meta:
        model = ApiKey
        fields = ["user", "client", "name", "rate"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rate"].required = False
        self.fields["rate"].help_text = f"e.g. 1000/hour; empty for the default ({settings.API_KEY_DEFAULT_RATE})."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if bool(cleaned.get("user")) == bool(cleaned.get("client")):
            raise forms.ValidationError("Choose a user or an API client (one of them).")
        return cleaned

    def _post_clean(self) -> None:
        # The service builds and validates the key (prefix, digest, expiry); the form validates only what it shows.
        pass


class KeyStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        now = timezone.now()
        if self.value() == "active":
            return queryset.usable(now)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return None


@admin.register(ApiKey)
class ApiKeyAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    list_display = ["key", "owner_label", "name", "status", "rate", "expires_at", "last_used_at", "revoked_at"]
    list_filter = [KeyStatusFilter]
    list_select_related = ["user", "client"]
    search_fields = ["prefix", "name", "user__username", "client__name"]
    search_help_text = "Prefix, name, username or client name."
    ordering = ["-created_at", "-id"]
    autocomplete_fields = ["user", "client"]
    actions = ["revoke"]
    # Only the label and the rate can change after creation; everything else is the key's identity.
    fields = ["name", "rate", "owner_label", "created_at", "created_by", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["owner_label", "created_at", "created_by", "expires_at", "last_used_at", "revoked_at"]

    @admin.display(description="key", ordering="prefix")
    def key(self, api_key: ApiKey) -> str:
        return str(api_key)

    @admin.display(description="owner")
    def owner_label(self, api_key: ApiKey) -> str:
        return api_key.owner_label

    @admin.display(description="status")
    def status(self, api_key: ApiKey) -> str:
        return api_key.status()

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = ApiKeyCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return [*ApiKeyCreateForm.Meta.fields, "expires_in_days"]
        return self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        issued = api_key_create(
            user=data.get("user"),
            client=data.get("client"),
            name=data.get("name") or "",
            rate=data.get("rate") or None,
            expires_in_days=data.get("expires_in_days"),
            created_by=request.user,
        )
        adopt_saved_row(obj, issued.api_key)
        self.message_user(
            request,
            format_html(
                "New API key for {}: <code>{}</code> — copy it now: it is not stored and cannot be shown again.",
                issued.api_key.owner_label,
                issued.key,
            ),
            messages.WARNING,
        )

    @admin.action(description="Revoke the selected keys", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        revoked = sum(api_key_revoke(api_key=key) for key in queryset)
        self.message_user(request, f"Revoked {revoked} key(s).", messages.SUCCESS)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    fields = ["prefix", "name", "rate", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "contact", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "contact"]
    fields = ["name", "contact", "notes", "is_active", "created_at"]
    readonly_fields = ["created_at"]
    inlines = [ApiKeyInline]
