"""Subordinates (`ผู้ใต้บังคับบัญชา`): the supervisor's direct reports, each opening their calendar."""
from __future__ import annotations

from web.blueprint import bp
from web.pages import Viewer, render_screen, signed_in


@bp.route("/subordinates")
@signed_in
def subordinates(viewer: Viewer):
    return render_screen("subordinates/list.html", people=viewer.subordinates)
