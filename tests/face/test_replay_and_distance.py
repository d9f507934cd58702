import numpy as np
import pytest

from face.config import FaceConfig
from face.distance import embedding_distance
from face.replay import Fingerprint, perceptual_hash, phash_bits_apart, replay_match
from tests.support.photos import photo_image

CONFIG = FaceConfig()


def test_distance_metrics():
    a, b = [1.0, 0.0], [0.0, 2.0]
    assert embedding_distance(a, b, "cosine") == pytest.approx(1.0)
    assert embedding_distance(a, b, "euclidean") == pytest.approx(5 ** 0.5)
    assert embedding_distance(a, b, "euclidean_l2") == pytest.approx(2 ** 0.5)
    with pytest.raises(ValueError):
        embedding_distance(a, b, "manhattan")
    with pytest.raises(ValueError):
        embedding_distance(a, [1.0, 2.0, 3.0], "cosine")


def test_phash_is_stable_under_rescaling_but_tells_photos_apart():
    image = photo_image("obama2.jpg")
    half = image[::2, ::2]
    assert phash_bits_apart(perceptual_hash(image), perceptual_hash(half)) <= 2
    assert phash_bits_apart(perceptual_hash(image), perceptual_hash(photo_image("obama3.jpg"))) > 16


def test_replay_match_signals():
    base = Fingerprint("a" * 64, "00000000000000ff", [1.0, 0.0, 0.0])
    assert replay_match(Fingerprint("a" * 64, "ffffffffffffffff", None), [base], config=CONFIG) == "sha256"
    assert replay_match(Fingerprint("b" * 64, "00000000000000f0", None), [base], config=CONFIG) == "phash"
    close = Fingerprint("c" * 64, "ffffffffffff0000", [1.0, 0.001, 0.0])
    assert replay_match(close, [base], config=CONFIG) == "embedding"
    far = Fingerprint("c" * 64, "ffffffffffff0000", [1.0, 0.3, 0.0])
    assert replay_match(far, [base], config=CONFIG) is None
    assert replay_match(far, [], config=CONFIG) is None


def test_fingerprint_round_trips_through_a_dict():
    fp = Fingerprint("a" * 64, "0123456789abcdef", np.array([0.5, 0.25]))
    again = Fingerprint.from_dict(fp.as_dict())
    assert again == fp and list(again.embedding) == [0.5, 0.25]
