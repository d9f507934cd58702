"""One flask-smorest blueprint per resource; each module keeps its schemas beside it."""
from flask_smorest import Api


def register_blueprints(api: Api) -> None:
    from api.blueprints import (auth_tokens, calendar, employees, health, me, notifications, org, punches,
                                sites)

    for module in (health, auth_tokens, me, employees, org, punches, calendar, sites, notifications):
        api.register_blueprint(module.blp)
