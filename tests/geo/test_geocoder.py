"""The Nominatim adapter over real HTTP, against a tiny Nominatim-shaped server on 127.0.0.1."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from geo import NominatimGeocoder, NullGeocoder, ReverseGeocoder, make_geocoder

MOC_ADDRESS = "สำนักงานปลัดกระทรวงพาณิชย์, ถนนนนทบุรี, บางกระสอ, เมืองนนทบุรี, นนทบุรี, 11000, ประเทศไทย"


class FakeNominatim:
    """A real HTTP server that answers GET /reverse the way Nominatim's JSON format does."""

    def __init__(self):
        self.requests = []
        self.status = 200
        self.delay_s = 0.0
        state = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                state.requests.append((url.path, query, self.headers.get("User-Agent")))
                time.sleep(state.delay_s)
                if state.status != 200:
                    self._send(state.status, {"error": "boom"})
                elif not url.path.endswith("/reverse"):
                    self._send(404, {"error": "not found"})
                elif float(query["lat"]) < 10:  # the sea, for this test: Nominatim's "no result"
                    self._send(200, {"error": "Unable to geocode"})
                else:
                    self._send(200, {
                        "place_id": 1, "licence": "Data © OpenStreetMap contributors, ODbL 1.0.",
                        "osm_type": "way", "osm_id": 2, "lat": query["lat"], "lon": query["lon"],
                        "display_name": MOC_ADDRESS if query.get("accept-language") == "th" else "Ministry of Commerce, Nonthaburi",
                        "boundingbox": ["13.86", "13.87", "100.51", "100.52"],
                    })

            def _send(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client already gave up (the timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def reverse_hits(self):
        return [r for r in self.requests if r[0].endswith("/reverse")]


@pytest.fixture
def nominatim():
    fake = FakeNominatim()
    fake.thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def test_reverse_returns_the_display_name_in_the_chosen_language(nominatim):
    geocoder = NominatimGeocoder(nominatim.url, 2.0)
    assert geocoder.reverse(13.8617, 100.5127) == MOC_ADDRESS
    path, query, user_agent = nominatim.reverse_hits()[0]
    assert path == "/reverse"
    assert query["format"] == "json" and query["accept-language"] == "th"
    assert (float(query["lat"]), float(query["lon"])) == (13.8617, 100.5127)
    assert user_agent == "OPS-TA"
    english = NominatimGeocoder(nominatim.url, 2.0, language="en")
    assert english.reverse(13.8617, 100.5127) == "Ministry of Commerce, Nonthaburi"


def test_second_lookup_nearby_is_served_from_the_cache(nominatim):
    geocoder = NominatimGeocoder(nominatim.url, 2.0)
    assert geocoder.reverse(13.86170, 100.51270) == MOC_ADDRESS
    assert geocoder.reverse(13.86170, 100.51270) == MOC_ADDRESS
    assert geocoder.reverse(13.861702, 100.512698) == MOC_ADDRESS  # ~0.3 m away, same cache cell
    assert len(nominatim.reverse_hits()) == 1
    assert geocoder.reverse(13.8630, 100.5127) == MOC_ADDRESS  # ~145 m away: a new lookup
    assert len(nominatim.reverse_hits()) == 2


def test_no_result_is_none_and_is_cached(nominatim):
    geocoder = NominatimGeocoder(nominatim.url, 2.0)
    assert geocoder.reverse(7.5, 98.0) is None
    assert geocoder.reverse(7.5, 98.0) is None
    assert len(nominatim.reverse_hits()) == 1


def test_server_error_gives_none_and_is_not_cached(nominatim):
    geocoder = NominatimGeocoder(nominatim.url, 2.0)
    nominatim.status = 500
    assert geocoder.reverse(13.8617, 100.5127) is None
    nominatim.status = 200
    assert geocoder.reverse(13.8617, 100.5127) == MOC_ADDRESS


def test_timeout_gives_none(nominatim):
    nominatim.delay_s = 1.0
    geocoder = NominatimGeocoder(nominatim.url, 0.2)
    started = time.monotonic()
    assert geocoder.reverse(13.8617, 100.5127) is None
    assert time.monotonic() - started < 5  # gave up rather than waiting on every retry forever


def test_unreachable_server_gives_none():
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as probe:
        port = probe.server_address[1]  # closed again when the block ends: nothing listens
    assert NominatimGeocoder(f"http://127.0.0.1:{port}", 0.5).reverse(13.8617, 100.5127) is None


def test_url_path_prefix_is_kept(nominatim):
    geocoder = NominatimGeocoder(nominatim.url + "/nominatim/", 2.0)
    geocoder.reverse(13.8617, 100.5127)
    assert nominatim.requests[0][0] == "/nominatim/reverse"


def test_bad_url_is_a_configuration_error():
    with pytest.raises(ValueError):
        NominatimGeocoder("nominatim.local:8080", 1.0)


def test_null_geocoder_and_factory(nominatim):
    assert NullGeocoder().reverse(13.8617, 100.5127) is None
    assert isinstance(make_geocoder(url=None, timeout_s=1.0), NullGeocoder)
    assert isinstance(make_geocoder(url="", timeout_s=1.0), NullGeocoder)
    configured = make_geocoder(url=nominatim.url, timeout_s=2.0)
    assert isinstance(configured, NominatimGeocoder) and isinstance(configured, ReverseGeocoder)
    assert configured.reverse(13.8617, 100.5127) == MOC_ADDRESS
