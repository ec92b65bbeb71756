from decimal import Decimal

from party_training.edx_plugin.core.ledger import credit_hours

from party_training.edx_plugin.core.compliance import summary_for_user


def test_credit_is_idempotent_and_summarised(make_user, make_org):
    org = make_org("B1")
    user = make_user("m1", org=org)
    entry, created = credit_hours(user, 2, "self_study", "s1")
    again, created_again = credit_hours(user, 2, "self_study", "s1")
    assert created and not created_again and entry.pk == again.pk
    summary = summary_for_user(user, entry.year)
    assert summary.total == Decimal("2") and summary.required == Decimal("32.0")
