// A read-only process diagram with markers (web/screens/modeler.py compare, request_process.py):
// the config names, per marker class, the BPMN ids to mark; buttons with data-element-id select one.
/* global BpmnJS */
const config = JSON.parse(document.getElementById('process-view-config').textContent);
const container = document.getElementById('process-view');
const viewer = new BpmnJS({ container });
window.opstaViewer = viewer; // for the browser tests and the console

await viewer.importXML(config.xml);
const canvas = viewer.get('canvas');
const registry = viewer.get('elementRegistry');
canvas.zoom('fit-viewport');
for (const [marker, ids] of Object.entries(config.markers || {})) {
  for (const id of ids) if (registry.get(id)) canvas.addMarker(id, marker);
}
document.querySelectorAll('.element-link[data-element-id]').forEach((button) => {
  button.addEventListener('click', () => {
    const element = registry.get(button.dataset.elementId);
    if (!element) return;
    canvas.scrollToElement(element);
    canvas.addMarker(element, 'opsta-selected');
  });
});
document.body.dataset.viewerReady = 'true';
