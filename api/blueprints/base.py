"""The Blueprint every API resource is declared on: flask-smorest's, parsing with the bounded parser."""
import flask_smorest

from api.bounded_input import BoundedParser


class Blueprint(flask_smorest.Blueprint):
    """Arguments are read from the request guard's bounded JSON parse; unknown query parameters are refused."""

    ARGUMENTS_PARSER = BoundedParser()
