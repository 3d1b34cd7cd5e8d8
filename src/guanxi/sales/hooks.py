"""What keeps a claim alive: a follow-up the claimant logs on the customer."""

from guanxi.customers.services.interactions import register_after_log
from guanxi.sales.services.pool import claim_touch


def follow_up_logged(interaction) -> None:
    claim_touch(
        party_id=interaction.party_id,
        user_id=interaction.actor_id,
        follow_up=interaction.occurred_at,
    )


register_after_log(follow_up_logged)
