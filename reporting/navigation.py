"""The reporting cycle's entry in every role's menu: 待办 (what the user must submit, review or accept)."""
from django.utils.translation import gettext as _

from offices.context_processors import link


def items(user):
    if user.is_city or user.is_county or user.is_township:
        return [link(_("填报与审核"), "reporting:todo", icon="check2-square")]
    return []
