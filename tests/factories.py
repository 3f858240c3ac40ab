import factory
from allauth.account.models import EmailAddress

from accounts.models import User

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """Verified by default; `UserFactory(verified=False)` for an unverified one."""
        user.save()
        if create:
            EmailAddress.objects.create(
                user=user,
                email=user.email,
                primary=True,
                verified=True if extracted is None else extracted,
            )


def member_of(org, *, email: str, role: str) -> User:
    """A new (verified) user who is in `org` with `role`."""
    from orgs.models import Membership

    user = UserFactory(email=email)
    Membership.objects.create(org=org, user=user, role=role)
    return user
