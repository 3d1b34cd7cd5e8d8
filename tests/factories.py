"""factory_boy factories shared by the suite."""

import factory

from guanxi.core.choices import Role
from guanxi.core.models import OrgUnit, User
from guanxi.customers.models import ContactPoint, Interaction, Party
from guanxi.customers.normalize import name_key, pinyin_keys


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"部门{n}")
    code = factory.Sequence(lambda n: f"unit-{n}")
    parent = None

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        parent_path = obj.parent.path if obj.parent_id else "/"
        obj.path = f"{parent_path}{obj.pk}/"
        obj.depth = obj.path.count("/") - 2
        obj.save()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"员工{n}")
    role = Role.SALES_REP
    org_unit = factory.SubFactory(OrgUnitFactory)
    password = factory.django.Password("pw-Guanxi-2026")


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    name = factory.Sequence(lambda n: f"客户{n}")
    owner = factory.SubFactory(UserFactory)
    name_pinyin = factory.LazyAttribute(lambda o: pinyin_keys(o.name)[0])
    name_initials = factory.LazyAttribute(lambda o: pinyin_keys(o.name)[1])
    name_key = factory.LazyAttribute(lambda o: name_key(o.name))


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    party = factory.SubFactory(PartyFactory)
    kind = "mobile"
    value = factory.Sequence(lambda n: f"+86138{n:08d}")
    normalized = factory.LazyAttribute(lambda o: o.value)


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    party = factory.SubFactory(PartyFactory)
    kind = "call"
    subject = "回访"
    occurred_at = factory.Faker("date_time_this_year", tzinfo=__import__("datetime").UTC)
    actor = factory.LazyAttribute(lambda o: o.party.owner)


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.Lead"

    party = factory.SubFactory(PartyFactory)
    source = "web_form"
    created_at = factory.LazyFunction(__import__("django.utils.timezone").utils.timezone.now)
    status_changed_at = factory.LazyAttribute(lambda o: o.created_at)
