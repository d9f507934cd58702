"""The menu as a page of its own: where the menu button leads when scripts do not run (js/menu.js
turns the button into one that opens the same menu in place)."""
from __future__ import annotations

from web.blueprint import bp
from web.pages import Viewer, render_screen, signed_in


@bp.route("/menu")
@signed_in
def menu(viewer: Viewer):
    return render_screen("menu/page.html", menu_page=True)
