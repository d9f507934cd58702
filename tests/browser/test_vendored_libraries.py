"""The vendored browser libraries work as committed, in Debian's Chromium, with no outside request:
htmx swaps a fragment, Leaflet draws the demo site without tiles, idb stores a record, bpmn-js edits
and bpmnlint lints a diagram, dmn-js opens a decision table.

The app does not serve web/static/ yet (the web app will), so these pages and files are served at the
app's origin by the browser's router, straight from the committed folder."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from geo import load_demo_site_geojson
from tests.support.browser import ROOT, demo_site_positions, serve_html

VENDOR = ROOT / "web" / "static" / "vendor"
BPMN = ROOT / "bpmn"


def _serve(page, app_url: str, html: str, routes: dict[str, str] | None = None) -> None:
    """Open `html` at the app's origin, with /static/vendor/ and any extra `routes` (path → HTML)."""
    def vendored(route):
        relative = urlsplit(route.request.url).path.removeprefix("/static/vendor/")
        path = (VENDOR / relative).resolve()
        if path.is_relative_to(VENDOR) and path.is_file():
            route.fulfill(path=str(path))
        else:
            route.fulfill(status=404, body="not vendored")

    page.route(app_url + "/static/vendor/**", vendored)
    for path, body in (routes or {}).items():
        serve_html(page, app_url + path, body)
    serve_html(page, app_url + "/__test__/page", html)
    page.goto(app_url + "/__test__/page")


def _page(title: str, head: str, body: str) -> str:
    return (f"<!doctype html><html lang='th'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{title}</title>{head}</head>"
            f"<body><main><h1>{title}</h1>{body}</main></body></html>")


def test_htmx_swaps_a_fragment_in_place(phone_page, app_url):
    html = _page("htmx", "<script src='/static/vendor/htmx.org/htmx.min.js'></script>",
                 "<button hx-get='/__test__/fragment' hx-target='#out'>โหลด</button><div id='out'></div>")
    _serve(phone_page, app_url, html, {"/__test__/fragment": "<p>โหลดแล้ว</p>"})
    assert phone_page.evaluate("() => htmx.version") == "2.0.11"
    phone_page.get_by_role("button", name="โหลด").click()
    expect(phone_page.locator("#out")).to_have_text("โหลดแล้ว")


def test_leaflet_draws_the_site_outline_point_and_accuracy_without_tiles(phone_page, app_url, take_screenshot):
    office, _ = demo_site_positions()
    script = f"""<script>
      const map = L.map('map');
      const outline = L.geoJSON({json.dumps(load_demo_site_geojson())});
      map.fitBounds(outline.getBounds());  // a view first: vector layers need one to be drawn
      outline.addTo(map);
      L.circle([{office.latitude}, {office.longitude}], {{radius: 40}}).addTo(map);
      L.marker([{office.latitude}, {office.longitude}]).addTo(map);
    </script>"""
    html = _page("Leaflet", "<link rel='stylesheet' href='/static/vendor/leaflet/leaflet.css'>"
                 "<script src='/static/vendor/leaflet/leaflet.js'></script>",
                 "<div id='map' style='height:320px'></div>" + script)
    _serve(phone_page, app_url, html)
    assert phone_page.evaluate("() => L.version") == "1.9.4"
    expect(phone_page.locator("path.leaflet-interactive")).to_have_count(2)
    icon = phone_page.locator("img.leaflet-marker-icon")
    expect(icon).to_be_visible()
    phone_page.wait_for_function("() => document.querySelector('img.leaflet-marker-icon').naturalWidth > 0")
    take_screenshot(phone_page, "leaflet")


def test_idb_keeps_a_record_in_indexeddb(phone_page, app_url):
    script = """<script type='module'>
      import { openDB } from '/static/vendor/idb/idb.js';
      const db = await openDB('outbox-probe', 1, {upgrade(db) { db.createObjectStore('punches', {keyPath: 'key'}); }});
      await db.put('punches', {key: 'k-1', direction: 'in'});
      window.stored = await db.get('punches', 'k-1');
    </script>"""
    _serve(phone_page, app_url, _page("idb", "", script))
    phone_page.wait_for_function("() => window.stored !== undefined")
    assert phone_page.evaluate("() => window.stored") == {"key": "k-1", "direction": "in"}


MODELER_HEAD = "".join(
    f"<link rel='stylesheet' href='/static/vendor/{css}'>" for css in (
        "bpmn-js/assets/diagram-js.css", "bpmn-js/assets/bpmn-js.css", "bpmn-js/assets/bpmn-font/css/bpmn.css",
        "bpmnlint/bpmn-js-bpmnlint.css")
) + ("<script src='/static/vendor/bpmn-js/bpmn-modeler.production.min.js'></script>"
     "<script src='/static/vendor/bpmnlint/bpmnlint.min.js'></script>")
MODELER_SCRIPT = """<script>
  // A rule set composed in the page from the bundle's parts, as the modeler page will do.
  window.openAndLint = async (xml) => {
    const cache = {};
    for (const [name, rule] of Object.entries(BpmnLint.rules)) cache['rule:bpmnlint/' + name] = rule;
    const modeler = new BpmnJS({
      container: '#canvas',
      linting: {active: true, bpmnlint: {config: BpmnLint.configs.recommended,
                                         resolver: new BpmnLint.StaticResolver(cache)}},
      additionalModules: [BpmnLint.lintModule],
    });
    const linted = new Promise(done => modeler.on('linting.completed', event => done(event.issues)));
    await modeler.importXML(xml);
    const issues = await linted;
    window.modeler = modeler;
    return Object.fromEntries(Object.entries(issues).map(([id, found]) => [id, found.map(issue => issue.rule)]));
  };
</script>"""
DISCONNECTED = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d" targetNamespace="http://opsta.go.th/test">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start" name="ยื่นคำขอ"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="approve" name="อนุมัติ"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="end" name="เสร็จ"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:userTask id="orphan" name="งานที่ไม่ได้เชื่อม" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="dia"><bpmndi:BPMNPlane id="plane" bpmnElement="p">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="approve_di" bpmnElement="approve"><dc:Bounds x="200" y="78" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="360" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="orphan_di" bpmnElement="orphan"><dc:Bounds x="200" y="220" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="300" y="118" /><di:waypoint x="360" y="118" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>"""


@pytest.fixture
def modeler_page(desktop_page, app_url):
    _serve(desktop_page, app_url, _page("Modeler", MODELER_HEAD, "<div id='canvas' style='height:520px'></div>"
                                        + MODELER_SCRIPT))
    return desktop_page


def test_bpmnlint_marks_a_disconnected_task_in_the_modeler(modeler_page, take_screenshot):
    issues = modeler_page.evaluate("(xml) => openAndLint(xml)", DISCONNECTED)
    assert "no-disconnected" in issues.get("orphan", []), issues
    assert "approve" not in issues
    expect(modeler_page.locator(".bjs-powered-by")).to_be_visible()  # the bpmn.io licence's watermark
    expect(modeler_page.locator(".bjsl-overlay")).not_to_have_count(0)
    take_screenshot(modeler_page, "bpmn-modeler-lint")


def test_the_modeler_opens_edits_and_saves_the_overtime_process(modeler_page):
    xml = (BPMN / "overtime.bpmn").read_text(encoding="utf-8")
    issues = modeler_page.evaluate("(xml) => openAndLint(xml)", xml)
    assert isinstance(issues, dict)  # what bpmnlint's recommended rules say of our processes varies by rule
    saved = modeler_page.evaluate("""async () => {
        const element = modeler.get('elementRegistry').filter(e => e.type === 'bpmn:UserTask')[0];
        modeler.get('modeling').updateLabel(element, 'อนุมัติโดยหัวหน้างาน (แก้ไข)');
        return (await modeler.saveXML({format: true})).xml;
    }""")
    assert "อนุมัติโดยหัวหน้างาน (แก้ไข)" in saved and "spiffworkflow" in saved


def test_the_lint_bundle_has_every_built_in_rule(modeler_page):
    names = modeler_page.evaluate("() => [Object.keys(BpmnLint.rules).sort(), "
                                  "Object.keys(BpmnLint.configs.all.rules).sort()]")
    assert names[0] == names[1] and len(names[0]) >= 25


def test_dmn_js_opens_the_overtime_decision_table(desktop_page, app_url, take_screenshot):
    css = ["diagram-js.css", "dmn-js-shared.css", "dmn-js-drd.css", "dmn-js-decision-table.css",
           "dmn-js-decision-table-controls.css", "dmn-js-literal-expression.css", "dmn-js-boxed-expression.css",
           "dmn-js-boxed-expression-controls.css", "dmn-font/css/dmn.css"]
    head = "".join(f"<link rel='stylesheet' href='/static/vendor/dmn-js/assets/{name}'>" for name in css)
    # At the end of the body: Inferno, inside dmn-js, wants document.body to exist when it loads.
    body = "<div id='canvas' style='height:520px'></div><script src='/static/vendor/dmn-js/dmn-modeler.min.js'></script>"
    _serve(desktop_page, app_url, _page("DMN", head, body))
    xml = (BPMN / "overtime_chain.dmn").read_text(encoding="utf-8")
    views = desktop_page.evaluate("""async (xml) => {
        const modeler = new DmnJS({container: '#canvas'});
        await modeler.importXML(xml);
        const table = modeler.getViews().find(view => view.type === 'decisionTable');
        await modeler.open(table);
        return modeler.getViews().map(view => view.type);
    }""", xml)
    assert "decisionTable" in views
    expect(desktop_page.locator(".tjs-table tbody tr")).to_have_count(Path(BPMN / "overtime_chain.dmn")
                                                                       .read_text().count("<rule "))
    expect(desktop_page.locator(".powered-by-logo, .dmn-powered-by, [class*=powered-by]").first).to_be_visible()
    take_screenshot(desktop_page, "dmn-modeler")
