// The bpmnlint rule set of the modeler: bpmnlint's built-in rules that fit SpiffWorkflow, and our own
// rules for what `opsta bpmn validate` refuses (engine/workflow/validation.py), so most problems show
// while the analyst draws. The server stays the judge: publishing runs the full validation.
/* global BpmnLint */

const { is } = BpmnLint.utils;
const RESERVED_IDS = new Set(['Start', 'End', 'Root']);

function userTaskInLane() {
  function lanesOf(process) {
    const lanes = [];
    const walk = (laneSets) => (laneSets || []).forEach((set) => (set.lanes || []).forEach((lane) => {
      lanes.push(lane);
      if (lane.childLaneSet) walk([lane.childLaneSet]);
    }));
    walk(process.laneSets);
    return lanes;
  }
  return {
    check(node, reporter) {
      if (!is(node, 'bpmn:Process')) return;
      const lanes = lanesOf(node);
      const inLane = new Set(lanes.flatMap((lane) => (lane.flowNodeRef || []).map((ref) => ref.id)));
      for (const element of node.flowElements || []) {
        if (is(element, 'bpmn:UserTask') && !inLane.has(element.id)) {
          reporter.report(element.id, lanes.length ? 'User task is not in a lane, so nobody can be asked'
            : 'Process has no lanes; put every user task in a lane');
        }
      }
    },
  };
}

function knownLane(config) {
  const known = new Set(config.lanes || []);
  return {
    check(node, reporter) {
      if (is(node, 'bpmn:Lane') && !known.has(node.name)) {
        reporter.report(node.id, `Unknown lane '${node.name || ''}'; known lanes: ${[...known].join(', ')}`);
      }
    },
  };
}

function noUntypedTask() {
  return {
    check(node, reporter) {
      if (node.$type === 'bpmn:Task') {
        reporter.report(node.id, 'Untyped task stops the engine; make it a user, script, service or business rule task');
      }
    },
  };
}

function noReservedId() {
  return {
    check(node, reporter) {
      if (node.id && RESERVED_IDS.has(node.id)) reporter.report(node.id, `Id '${node.id}' clashes with an engine-internal name`);
    },
  };
}

function extension(node, localName) {
  const values = (node.extensionElements && node.extensionElements.values) || [];
  return values.find((value) => (value.$type || '').split(':').pop() === localName);
}

function businessRuleCallsDecision() {
  return {
    check(node, reporter) {
      if (!is(node, 'bpmn:BusinessRuleTask')) return;
      const called = extension(node, 'calledDecisionId');
      if (!called || !(called.$body || '').trim()) reporter.report(node.id, 'Business rule task names no DMN decision (calledDecisionId)');
    },
  };
}

function scriptTaskHasScript() {
  return {
    check(node, reporter) {
      if (is(node, 'bpmn:ScriptTask') && !(node.script || '').trim()) reporter.report(node.id, 'Script task has no script');
    },
  };
}

const OWN_RULES = {
  'user-task-in-lane': userTaskInLane,
  'known-lane': knownLane,
  'no-untyped-task': noUntypedTask,
  'no-reserved-id': noReservedId,
  'business-rule-calls-decision': businessRuleCallsDecision,
  'script-task-has-script': scriptTaskHasScript,
};

// Built-in rules that fit how SpiffWorkflow runs our processes. Left out: label-required (merging
// gateways carry no label), no-inclusive-gateway and no-complex-gateway (the engine runs them),
// no-overlapping-elements and standard-size (layout is the analyst's), superfluous-termination, and
// fake-join (our processes end several exclusive paths in one Record task; the engine merges them).
const BUILT_IN = {
  'start-event-required': 'error',
  'end-event-required': 'error',
  'no-disconnected': 'error',
  'no-implicit-split': 'error',
  'no-implicit-end': 'error',
  'no-implicit-start': 'error',
  'no-duplicate-sequence-flows': 'error',
  'single-blank-start-event': 'error',
  'single-event-definition': 'error',
  'conditional-flows': 'error',
  'event-based-gateway': 'error',
  'link-event': 'error',
  'no-bpmndi': 'error',
  'sub-process-blank-start-event': 'error',
  'ad-hoc-sub-process': 'error',
  'no-gateway-join-fork': 'warn',
  'superfluous-gateway': 'warn',
};

/** The `linting.bpmnlint` option of the modeler: our config and a resolver that knows every rule. */
export function spiffLinting(knownLanes) {
  const cache = {};
  for (const [name, rule] of Object.entries(BpmnLint.rules)) cache[`rule:bpmnlint/${name}`] = rule;
  for (const [name, rule] of Object.entries(OWN_RULES)) cache[`rule:bpmnlint-plugin-opsta/${name}`] = rule;
  const rules = {};
  for (const [name, level] of Object.entries(BUILT_IN)) rules[name] = level;
  for (const name of Object.keys(OWN_RULES)) rules[`opsta/${name}`] = 'error';
  rules['opsta/known-lane'] = ['error', { lanes: knownLanes }];
  return { config: { rules }, resolver: new BpmnLint.StaticResolver(cache) };
}
