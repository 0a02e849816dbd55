"""Writes of the base app: each validates fully, then saves in one transaction."""
from django.db import transaction

from offices.models import Population, TownshipOffice


@transaction.atomic
def population_set(*, township, year, resident, registered):
    """Create or replace a township's population for a year."""
    population = Population.objects.filter(township=township, year=year).first() or Population(
        township=township, year=year
    )
    population.resident = resident
    population.registered = registered
    population.full_clean()
    population.save()
    return population


@transaction.atomic
def office_update(*, township, name, setup, parent_office_name="", address="", phone=""):
    """Create or update the township's civil-affairs office."""
    office = TownshipOffice.objects.filter(township=township).first() or TownshipOffice(township=township)
    office.name = name
    office.setup = setup
    office.parent_office_name = parent_office_name
    office.address = address
    office.phone = phone
    office.full_clean()
    office.save()
    return office
