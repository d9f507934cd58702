"""The place shown for a punch, in priority order."""
from geo import place_label


def label(**overrides):
    values = dict(
        site_name="MOC-OPS",
        geocoded_address="ถนนนนทบุรี ตำบลบางกระสอ อำเภอเมืองนนทบุรี นนทบุรี",
        phone_address="Sanambinnam, Nonthaburi",
        lat=13.8617,
        lon=100.5127,
    )
    values.update(overrides)
    return place_label(**values)


def test_site_name_comes_first():
    assert label() == "MOC-OPS"


def test_geocoded_address_when_not_at_a_site():
    assert label(site_name=None) == "ถนนนนทบุรี ตำบลบางกระสอ อำเภอเมืองนนทบุรี นนทบุรี"


def test_phone_address_when_the_geocoder_had_nothing():
    assert label(site_name=None, geocoded_address=None) == "Sanambinnam, Nonthaburi"


def test_blank_strings_count_as_missing():
    assert label(site_name="  ", geocoded_address="", phone_address=" Bang Kraso ") == "Bang Kraso"


def test_coordinates_last():
    assert label(site_name=None, geocoded_address=None, phone_address=None) == "13.86170, 100.51270"
    assert label(site_name=None, geocoded_address=None, phone_address=None, lat=-7.5, lon=-0.000004) == "-7.50000, 0.00000"


def test_nothing_known_gives_empty_label():
    assert label(site_name=None, geocoded_address=None, phone_address=None, lat=None, lon=None) == ""
