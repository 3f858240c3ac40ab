"""Rows belong to an email address: when the address changes hands, the rows follow.

Scoped rows are keyed by `owner_email`, so a user whose primary address changes
would lose sight of everything they made. `owner_email_move` moves every row keyed
by the old address to the new one, in every scoped table the registry finds, in the
transaction that changes `User.email`: the address and the rows commit together or
not at all. `local_data_claim` uses the same move to hand the data a developer made
as `dev@local.test` (AUTH_DISABLED) or as the throwaway dev account to their real
account (DEBUG only).

Ciphertexts bound to the owner's address move with it: an OAuth token's associated
data names its owner_email, so it is decrypted under the old binding and encrypted
again under the new one. Secrets are bound to the user's id, not the address: an
email change leaves them be; a claim moves them to the claimant and re-binds them.
"""

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from accounts import crypto
from accounts.models import OAuthToken, Secret, SecretScope, User
from accounts.selectors import dev_account_emails
from accounts.services import AUTH_DISABLED_EMAIL, audit_record
from config.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from scoping import registry
from scoping.scopes import unscoped

EMAIL_CHANGED = "account.email_changed"
LOCAL_DATA_CLAIMED = "account.local_data_claimed"


def owner_email_move(*, user: User, old_email: str, new_email: str) -> dict[str, int]:
    """Move every row keyed by `old_email` to `new_email`, the user's new address.

    Call it in the transaction that saves the new `User.email` (allauth's primary
    address change does, see accounts.receivers): if any row cannot move, the error
    rolls the whole change back. Returns {table: rows moved}; writes one audit row.
    """
    old, new = _normalized(old_email), _normalized(new_email)
    if not old or not new:
        raise InvalidInput("Both the old and the new address are needed.")
    if old == new:
        return {}
    if User.objects.filter(email__iexact=new).exclude(pk=user.pk).exists():
        raise Conflict(f"{new} is another account's address.")
    with transaction.atomic():
        moved = _rows_move(old, new, reason=f"email change of user {user.pk}")
        audit_record(
            action=EMAIL_CHANGED,
            actor=user,
            target=user,
            metadata={"old_email": old, "new_email": new, "moved": _listed(moved)},
        )
    return moved


def local_data_claim(*, user: User, source_email: str) -> dict:
    """Give `user` the data of a local stand-in account (DEBUG only).

    The stand-ins are `dev@local.test` (every request's user with AUTH_DISABLED) and
    the throwaway account `make run` made on the first run. Their owner_email rows
    and personal secrets move to `user`; `user` joins each of their organizations
    with their role there (or keeps a higher one of their own), so the organization's
    shared rows, and the moved rows, which carry those organizations' ids, are theirs
    to see. The stand-in itself, its memberships and its tokens stay as they are.
    Returns {"source", "moved": {table: rows}, "keys": secret names, "orgs": ids}.
    """
    if not settings.DEBUG:
        raise PermissionDenied(
            "Claiming local data is for local development only (DEBUG is off)."
        )
    source = _claimable(source_email)
    if source.pk == user.pk:
        raise InvalidInput("This is your own account.")
    with transaction.atomic():
        moved = _rows_move(
            source.email, user.email, reason=f"user {user.pk} claims local data"
        )
        keys = _secrets_move(source, user)
        orgs = _memberships_share(source, user)
        audit_record(
            action=LOCAL_DATA_CLAIMED,
            actor=user,
            metadata={
                "source": source.email,
                "moved": _listed(moved),
                "keys": keys,
                "orgs": orgs,
            },
        )
    return {"source": source.email, "moved": moved, "keys": keys, "orgs": orgs}


# --- The move -------------------------------------------------------------------------


def _rows_move(old: str, new: str, *, reason: str) -> dict[str, int]:
    """UPDATE owner_email in every scoped table; re-bind what is encrypted to it.

    Unscoped: the moved rows leave the old scope, which row level security (and
    SQLite's triggers) would refuse. A unique constraint that the move would break
    (the new address already owns such a row) refuses the whole move.
    """
    old, new = _normalized(old), _normalized(new)
    moved: dict[str, int] = {}
    try:
        # The inner savepoint: on PostgreSQL a failed UPDATE aborts the transaction,
        # and unscoped() restoring the enclosing scope on the way out would then
        # fail too, hiding the IntegrityError; rolled back to it, the error shows.
        with (
            transaction.atomic(),
            unscoped(reason=reason, audit=False),
            transaction.atomic(),
        ):
            tokens = _oauth_tokens_open(old)
            quote = connection.ops.quote_name
            with connection.cursor() as cursor:
                for table in registry.scoped_tables(connection):
                    if not table.has_owner:
                        continue
                    cursor.execute(
                        f"UPDATE {quote(table.name)} SET owner_email = %s "  # noqa: S608 - a quoted name from the catalog
                        "WHERE owner_email = %s",
                        [new, old],
                    )
                    if cursor.rowcount:
                        moved[table.name] = cursor.rowcount
            _oauth_tokens_seal(tokens)
    except IntegrityError as error:
        raise Conflict(
            f"{new} already has rows that {old}'s would collide with; nothing moved."
        ) from error
    except crypto.DecryptionError as error:
        # It could not be re-bound; moved as is, it would never open again.
        raise Conflict(
            f"An OAuth token of {old} does not open with the configured keys "
            "(SECRETS_ENCRYPTION_KEY); nothing moved."
        ) from error
    return moved


def _oauth_tokens_open(owner_email: str) -> dict[int, str]:
    """{token id: plaintext} of the owner's OAuth tokens, read under their binding."""
    return {
        row.pk: crypto.decrypt(row.token, bound_to=row.bound_to)
        for row in OAuthToken.objects.select_for_update().filter(
            owner_email=owner_email
        )
    }


def _oauth_tokens_seal(tokens: dict[int, str]) -> None:
    """Encrypt each moved token again, bound to its new owner_email."""
    for row in OAuthToken.objects.filter(pk__in=tokens):
        row.token = crypto.encrypt(tokens[row.pk], bound_to=row.bound_to)
        row.save(update_fields=["token"])


def _secrets_move(source: User, user: User) -> list[str]:
    """Move the source's personal secrets to `user`, bound to `user` now."""
    rows = list(
        Secret.objects.select_for_update().filter(
            scope=SecretScope.USER, scope_id=str(source.pk)
        )
    )
    taken = set(
        Secret.objects.filter(
            scope=SecretScope.USER,
            scope_id=str(user.pk),
            name__in=[row.name for row in rows],
        ).values_list("name", flat=True)
    )
    if taken:
        raise Conflict(
            "You already have secrets named "
            f"{', '.join(sorted(taken))}; delete yours or the local account's first."
        )
    for row in rows:
        plain = crypto.decrypt(row.value, bound_to=row.bound_to)
        row.scope_id = str(user.pk)
        row.value = crypto.encrypt(plain, bound_to=row.bound_to)
        row.save(update_fields=["scope_id", "value", "updated_at"])
    return sorted(row.name for row in rows)


def _memberships_share(source: User, user: User) -> list[str]:
    """`user` joins the source's organizations with the source's role, keeping a
    higher role they already have. Returns the ids of the orgs joined or promoted."""
    from orgs.models import Membership, Role

    changed = []
    for theirs in Membership.objects.filter(user=source).select_related("org"):
        mine = Membership.objects.filter(user=user, org=theirs.org).first()
        if mine is None:
            Membership.objects.create(user=user, org=theirs.org, role=theirs.role)
        elif not Role(mine.role).at_least(theirs.role):
            mine.role = theirs.role
            mine.save(update_fields=["role"])
        else:
            continue
        changed.append(str(theirs.org_id))
    return changed


# --- Who may be claimed ---------------------------------------------------------------


def _claimable(email: str) -> User:
    email = _normalized(email)
    if email != AUTH_DISABLED_EMAIL and email not in dev_account_emails():
        raise PermissionDenied(
            "Only the local stand-in accounts (dev@local.test, the throwaway dev "
            "account) can be claimed."
        )
    source = User.objects.filter(email=email).first()
    if source is None:
        raise NotFound(f"There is no account {email}.")
    return source


def _listed(moved: dict[str, int]) -> list[dict]:
    """{table: rows} as the audit log keeps it: a table name such as
    accounts_oauthtoken, used as a key, would be taken for a secret and redacted."""
    return [{"table": table, "rows": rows} for table, rows in moved.items()]


def _normalized(email: str | None) -> str:
    return (email or "").strip().lower()
