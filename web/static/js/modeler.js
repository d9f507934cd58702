// The analysts' modeler (web/screens/modeler.py): the process in bpmn-js with bpmnlint as they edit,
// its decision tables in dmn-js, and the server's Validate, Try and Publish on the draft the editors
// hold. Server answers are HTML fragments whose items carry data-element-id: each problem is marked
// on its element (a marker and an overlay) and selects it when chosen in the list.
/* global BpmnJS, DmnJS, BpmnLint */
import { spiffLinting } from './spiff_lint.js';

const config = JSON.parse(document.getElementById('modeler-config').textContent);
const csrfToken = JSON.parse(document.getElementById('opsta-config').textContent).csrfToken;
const PROBLEM = 'opsta-problem';
const PATH = 'opsta-trial-path';

const bpmnContainer = document.getElementById('bpmn-editor');
const dmnContainer = document.getElementById('dmn-editor');
const serverSlot = document.getElementById('server-result');
const trialSlot = document.getElementById('trial-result-slot');
const publishSlot = document.getElementById('publish-result-slot');

const modeler = new BpmnJS({
  container: bpmnContainer,
  linting: { active: true, bpmnlint: spiffLinting(config.knownLanes) },
  additionalModules: [BpmnLint.lintModule],
});
// Python, not FEEL: our DMN cells are sandboxed Python, and the FEEL editor (CodeMirror) would
// inject a <style> element, which the page's CSP refuses.
const dmnOptions = { common: { expressionLanguages: { options: [{ label: 'Python', value: 'python' }],
  defaults: { editor: 'python' } } } };
const tables = {}; // file -> {modeler, xml}: a DMN modeler is made when its table is first opened
let shown = config.bpmnFile;
let marked = { problems: [], path: [] };
window.opstaModeler = { modeler, tables }; // for the browser tests and the console

async function draftFiles() {
  const files = { [config.bpmnFile]: (await modeler.saveXML({ format: true })).xml };
  for (const [name, source] of Object.entries(config.sources)) {
    if (name === config.bpmnFile) continue;
    files[name] = tables[name] ? (await tables[name].modeler.saveXML({ format: true })).xml : source;
  }
  return files;
}

async function post(url, extra) {
  const body = new FormData(extra);
  for (const [name, xml] of Object.entries(await draftFiles())) {
    body.append('files', new Blob([xml], { type: 'application/xml' }), name);
  }
  const response = await fetch(url, { method: 'POST', body, headers: { 'X-CSRF-Token': csrfToken },
    credentials: 'same-origin' });
  const template = document.createElement('template');
  template.innerHTML = await response.text(); // our own server's fragment (Jinja-escaped)
  return template.content;
}

function clearMarks(kind, marker) {
  const canvas = modeler.get('canvas');
  const registry = modeler.get('elementRegistry');
  for (const id of marked[kind]) if (registry.get(id)) canvas.removeMarker(id, marker);
  if (kind === 'problems') modeler.get('overlays').remove({ type: PROBLEM });
  document.querySelectorAll(`#dmn-editor .${marker}`).forEach((cell) => cell.classList.remove(marker));
  marked[kind] = [];
}

function markProblems(fragment) {
  clearMarks('problems', PROBLEM);
  const canvas = modeler.get('canvas');
  const registry = modeler.get('elementRegistry');
  const overlays = modeler.get('overlays');
  fragment.querySelectorAll('.problem-item').forEach((item) => {
    const id = item.dataset.elementId;
    const file = item.dataset.file || config.bpmnFile;
    if (!id) return;
    if (file === config.bpmnFile && registry.get(id)) {
      canvas.addMarker(id, PROBLEM);
      overlays.add(id, PROBLEM, { position: { top: -10, right: 10 },
        html: '<span class="problem-badge" aria-hidden="true">!</span>' });
      marked.problems.push(id);
      item.classList.add('on-diagram');
    } else if (tables[file]) {
      const cell = tables[file].holder.querySelector(`[data-element-id="${CSS.escape(id)}"]`);
      if (cell) { cell.classList.add(PROBLEM); item.classList.add('on-diagram'); }
    }
    item.addEventListener('click', () => select(file, id));
  });
}

function markPath(ids) {
  clearMarks('path', PATH);
  const canvas = modeler.get('canvas');
  const registry = modeler.get('elementRegistry');
  for (const id of ids) {
    if (registry.get(id)) { canvas.addMarker(id, PATH); marked.path.push(id); }
  }
}

async function select(file, id) {
  await show(file);
  if (file === config.bpmnFile) {
    const element = modeler.get('elementRegistry').get(id);
    if (!element) return;
    modeler.get('selection').select(element);
    modeler.get('canvas').scrollToElement(element);
    bpmnContainer.focus();
  } else {
    const cell = dmnContainer.querySelector(`[data-element-id="${CSS.escape(id)}"]`);
    if (cell) { cell.classList.add(PROBLEM); cell.scrollIntoView({ block: 'center' }); }
  }
}

async function show(file) {
  shown = file;
  document.querySelectorAll('.editor-tabs .tab').forEach((tab) => {
    tab.setAttribute('aria-pressed', String(tab.dataset.file === file));
  });
  const isBpmn = file === config.bpmnFile;
  bpmnContainer.hidden = !isBpmn;
  dmnContainer.hidden = isBpmn;
  if (isBpmn) return;
  for (const [name, table] of Object.entries(tables)) table.holder.hidden = name !== file;
  if (!tables[file]) {
    const holder = document.createElement('div');
    holder.className = 'dmn-holder';
    holder.dataset.file = file;
    dmnContainer.append(holder);
    const dmn = new DmnJS({ container: holder, ...dmnOptions });
    tables[file] = { modeler: dmn, holder };
    await dmn.importXML(config.sources[file]);
    const view = dmn.getViews().find((v) => v.type === 'decisionTable');
    if (view) await dmn.open(view);
  }
}

function renderLint(issues) {
  const list = document.getElementById('lint-list');
  const summary = document.getElementById('lint-summary');
  list.replaceChildren();
  let count = 0;
  for (const [id, found] of Object.entries(issues)) {
    for (const issue of found) {
      count += 1;
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `problem-item lint-${issue.category}`;
      button.dataset.elementId = id;
      const where = document.createElement('span');
      where.className = 'problem-where';
      where.textContent = `${id} · ${issue.rule}`;
      const message = document.createElement('span');
      message.className = 'problem-message';
      message.textContent = issue.message;
      button.append(where, message);
      button.addEventListener('click', () => select(config.bpmnFile, id));
      item.append(button);
      list.append(item);
    }
  }
  summary.textContent = count ? `${summary.dataset.some}: ${count}` : summary.dataset.none;
}

function busy(button, on) {
  if (!(button instanceof HTMLElement)) return;
  button.disabled = on;
  button.setAttribute('aria-busy', String(on));
}

async function validate(event) {
  const button = event.currentTarget;
  busy(button, true);
  try {
    const fragment = await post(config.urls.validate);
    markProblems(fragment);
    serverSlot.replaceChildren(fragment);
  } finally { busy(button, false); }
}

async function tryDraft(event) {
  event.preventDefault();
  const button = event.target.querySelector('button[type=submit]');
  busy(button, true);
  try {
    const fragment = await post(config.urls.try, event.target);
    const result = fragment.querySelector('#trial-result');
    if (result) {
      markPath(JSON.parse(result.dataset.path || '[]'));
      markProblems(fragment);
      trialSlot.replaceChildren(fragment);
    } else {
      markProblems(fragment);
      serverSlot.replaceChildren(fragment);
    }
  } finally { busy(button, false); }
}

async function publish(event) {
  const button = event.currentTarget;
  busy(button, true);
  try {
    const fragment = await post(config.urls.publish);
    if (fragment.querySelector('#server-problems')) {
      markProblems(fragment);
      serverSlot.replaceChildren(fragment);
    } else {
      clearMarks('problems', PROBLEM);
      serverSlot.replaceChildren();
      publishSlot.replaceChildren(fragment);
    }
  } finally { busy(button, false); }
}

modeler.on('linting.completed', ({ issues }) => renderLint(issues));
document.getElementById('validate-button').addEventListener('click', validate);
document.getElementById('publish-button').addEventListener('click', publish);
document.getElementById('trial-form')?.addEventListener('submit', tryDraft);
document.querySelectorAll('.editor-tabs .tab').forEach((tab) => tab.addEventListener('click', () => show(tab.dataset.file)));

await modeler.importXML(config.sources[config.bpmnFile]);
modeler.get('canvas').zoom('fit-viewport');
await show(config.open && config.sources[config.open] ? config.open : config.bpmnFile);
document.body.dataset.modelerReady = 'true';
