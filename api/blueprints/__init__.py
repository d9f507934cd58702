"""One flask-smorest blueprint per resource; each module keeps its schemas beside it."""
from flask_smorest import Api


def register_blueprints(api: Api) -> None:
    from api.blueprints import (auth_tokens, calendar, delegations, employees, health, me, notifications, org,
                                processes, punches, reports, requests, schedules, sign_ins, sites, tasks)
    from api.blueprints import devices, site_members
    from api.blueprints import profile_photos, verifications
    from api.blueprints import announcements, push_subscriptions
    from api.blueprints import report_jobs, team

    for module in (health, auth_tokens, me, employees, org, punches, calendar, sites, notifications,
                   requests, tasks, delegations, processes, reports, schedules, devices, site_members,
                   profile_photos, verifications, sign_ins, announcements, push_subscriptions, report_jobs, team):
        api.register_blueprint(module.blp)
