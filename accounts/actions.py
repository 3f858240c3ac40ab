"""Account actions: secrets (set, list names and masked tails, delete) and, in
DEBUG, claiming the data of a local stand-in account."""

from rest_framework import serializers

from accounts import ownership, secrets
from actions.registry import Action, register


class SecretInput(serializers.Serializer):
    name = serializers.RegexField(
        r"^[A-Za-z0-9_.-]{1,100}$", help_text="Referred to as ${keys.NAME}."
    )
    value = serializers.CharField(
        max_length=10_000,
        trim_whitespace=False,
        write_only=True,
        style={"input_type": "password"},
        help_text="The secret; it is never shown again, nor stored anywhere else.",
    )
    scope = serializers.ChoiceField(choices=["user", "org"], default="user")
    url_allowlist = serializers.ListField(
        child=serializers.CharField(max_length=253),
        required=False,
        default=list,
        help_text="Hosts it may be sent to; empty: any.",
    )


class SecretNameInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(choices=["user", "org"], default="user")


class DeletedSerializer(serializers.Serializer):
    deleted = serializers.BooleanField()


class MaskedSecretSerializer(serializers.Serializer):
    name = serializers.CharField()
    scope = serializers.CharField()
    masked = serializers.CharField()
    url_allowlist = serializers.ListField(child=serializers.CharField())
    updated_at = serializers.CharField()


@register
class SetSecret(Action):
    name = "set-secret"
    description = "Store a secret (an API key you bring), encrypted; org ones: admins."
    input = SecretInput
    output = MaskedSecretSerializer
    tags = ("secrets",)

    def run(self, ctx, data):
        secrets.secret_set(user=ctx.user, org=ctx.org, **data)
        visible = secrets.secrets_visible_to(user=ctx.user, org=ctx.org)
        key = (data["name"], data["scope"])
        return next(s for s in visible if (s["name"], s["scope"]) == key)


@register
class ListSecrets(Action):
    name = "list-secrets"
    description = "List your secrets and your organization's: names and masked tails."
    output = MaskedSecretSerializer
    output_many = True
    read_only = True
    tags = ("secrets",)

    def run(self, ctx, data):
        return secrets.secrets_visible_to(user=ctx.user, org=ctx.org)


@register
class DeleteSecret(Action):
    name = "delete-secret"
    description = "Delete one of your secrets (an organization's: admins)."
    input = SecretNameInput
    output = DeletedSerializer
    destructive = True
    tags = ("secrets",)

    def run(self, ctx, data):
        secrets.secret_delete(user=ctx.user, org=ctx.org, **data)
        return {"deleted": True}


class LocalDataClaimInput(serializers.Serializer):
    email = serializers.EmailField(
        help_text="The stand-in account: dev@local.test or the throwaway dev account."
    )


class LocalDataClaimedSerializer(serializers.Serializer):
    source = serializers.EmailField()
    moved = serializers.DictField(child=serializers.IntegerField())
    keys = serializers.ListField(
        child=serializers.CharField(), help_text="The names of the secrets moved."
    )
    orgs = serializers.ListField(child=serializers.CharField())


@register
class ClaimLocalData(Action):
    name = "claim-local-data"
    description = (
        "Local development only (DEBUG): take over the rows, personal secrets and "
        "organizations of dev@local.test or the throwaway dev account."
    )
    input = LocalDataClaimInput
    output = LocalDataClaimedSerializer
    # A person moves data between their own local accounts; no agent needs to.
    agent_tool = False
    tags = ("account",)

    def run(self, ctx, data):
        return ownership.local_data_claim(user=ctx.user, source_email=data["email"])
