"""The base of every factory: test data written straight to the tables, and the store kept honest about it.

The app's own writes go through services, which recompute the stored
results of what they touched. A factory writes a row directly, as no real
user can, so after each factory write every stored result is dropped; the
next read computes what it needs afresh (offices.compliance.store fills
township-years it does not have). Tests of the services' own recomputing
(tests/offices/test_store.py) write through the services and compare the
store with the live computation.
"""
from factory.django import DjangoModelFactory


def forget_stored_results():
    from offices.models import ComplianceSummary

    ComplianceSummary.objects.all().delete()


class Factory(DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        instance = super()._create(model_class, *args, **kwargs)
        forget_stored_results()
        return instance
