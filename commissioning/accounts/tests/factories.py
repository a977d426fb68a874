import factory

from commissioning.accounts.models import User
from commissioning.accounts.roles import ORGANISATION_ROLES, Role
from commissioning.organisations.tests.factories import OrganisationFactory

TEST_PASSWORD = "correct-horse-battery-staple-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.LazyAttribute(lambda o: f"Test {Role(o.role).label}")
    role = Role.POLICY_OFFICER
    organisation = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role in ORGANISATION_ROLES),
        yes_declaration=factory.SubFactory(OrganisationFactory),
        no_declaration=None,
    )
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()
