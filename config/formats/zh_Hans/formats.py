"""zh-hans formats: Django's, with numbers grouped by thousands (「76,550」), as Chinese statistical tables write them.

Django's own zh_Hans sets no thousands separator (and groups by four), so humanize's intcomma printed 「77028」
beside tables that print 「1,578」. Only grouping changes; USE_THOUSAND_SEPARATOR stays off, so form inputs and
plain values are untouched.
"""
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
