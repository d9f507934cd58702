// The browser build of bpmnlint for the modeler pages (issue 16), as one script that sets the global
// `BpmnLint`. bpmnlint ships only as CommonJS and bpmn-js-bpmnlint imports bare module names, so
// neither loads in a browser as published; `python -m web.vendor_refresh bpmnlint` builds this file
// with esbuild from the versions pinned in package-lock.json beside it.
//
// It exposes the parts, not a finished rule set, so that our own ES modules can compose the rules
// that fit SpiffWorkflow without a bundler:
//   BpmnLint.lintModule      the bpmn-js module: additionalModules: [BpmnLint.lintModule]
//   BpmnLint.Linter          bpmnlint's linter, to lint outside the editor
//   BpmnLint.StaticResolver  resolves 'rule:<package>/<name>' keys to rule factories
//   BpmnLint.rules           every built-in rule factory, by its name in bpmnlint
//   BpmnLint.configs         bpmnlint's own configs: all, correctness, recommended
//   BpmnLint.utils           bpmnlint-utils (is, isAny), for writing rules
import lintModule from 'bpmn-js-bpmnlint';
import { Linter } from 'bpmnlint';
import StaticResolver from 'bpmnlint/lib/resolver/static-resolver';
import * as utils from 'bpmnlint-utils';
import all from 'bpmnlint/config/all';
import correctness from 'bpmnlint/config/correctness';
import recommended from 'bpmnlint/config/recommended';

import adHocSubProcess from 'bpmnlint/rules/ad-hoc-sub-process';
import conditionalEvent from 'bpmnlint/rules/conditional-event';
import conditionalFlows from 'bpmnlint/rules/conditional-flows';
import endEventRequired from 'bpmnlint/rules/end-event-required';
import eventBasedGateway from 'bpmnlint/rules/event-based-gateway';
import eventSubProcessTypedStartEvent from 'bpmnlint/rules/event-sub-process-typed-start-event';
import fakeJoin from 'bpmnlint/rules/fake-join';
import globalRule from 'bpmnlint/rules/global';
import labelRequired from 'bpmnlint/rules/label-required';
import linkEvent from 'bpmnlint/rules/link-event';
import noBpmndi from 'bpmnlint/rules/no-bpmndi';
import noComplexGateway from 'bpmnlint/rules/no-complex-gateway';
import noDisconnected from 'bpmnlint/rules/no-disconnected';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows';
import noGatewayJoinFork from 'bpmnlint/rules/no-gateway-join-fork';
import noImplicitEnd from 'bpmnlint/rules/no-implicit-end';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split';
import noImplicitStart from 'bpmnlint/rules/no-implicit-start';
import noInclusiveGateway from 'bpmnlint/rules/no-inclusive-gateway';
import noOverlappingElements from 'bpmnlint/rules/no-overlapping-elements';
import singleBlankStartEvent from 'bpmnlint/rules/single-blank-start-event';
import singleEventDefinition from 'bpmnlint/rules/single-event-definition';
import standardSize from 'bpmnlint/rules/standard-size';
import startEventRequired from 'bpmnlint/rules/start-event-required';
import subProcessBlankStartEvent from 'bpmnlint/rules/sub-process-blank-start-event';
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway';
import superfluousLabel from 'bpmnlint/rules/superfluous-label';
import superfluousTermination from 'bpmnlint/rules/superfluous-termination';

const rules = {
  'ad-hoc-sub-process': adHocSubProcess,
  'conditional-event': conditionalEvent,
  'conditional-flows': conditionalFlows,
  'end-event-required': endEventRequired,
  'event-based-gateway': eventBasedGateway,
  'event-sub-process-typed-start-event': eventSubProcessTypedStartEvent,
  'fake-join': fakeJoin,
  'global': globalRule,
  'label-required': labelRequired,
  'link-event': linkEvent,
  'no-bpmndi': noBpmndi,
  'no-complex-gateway': noComplexGateway,
  'no-disconnected': noDisconnected,
  'no-duplicate-sequence-flows': noDuplicateSequenceFlows,
  'no-gateway-join-fork': noGatewayJoinFork,
  'no-implicit-end': noImplicitEnd,
  'no-implicit-split': noImplicitSplit,
  'no-implicit-start': noImplicitStart,
  'no-inclusive-gateway': noInclusiveGateway,
  'no-overlapping-elements': noOverlappingElements,
  'single-blank-start-event': singleBlankStartEvent,
  'single-event-definition': singleEventDefinition,
  'standard-size': standardSize,
  'start-event-required': startEventRequired,
  'sub-process-blank-start-event': subProcessBlankStartEvent,
  'superfluous-gateway': superfluousGateway,
  'superfluous-label': superfluousLabel,
  'superfluous-termination': superfluousTermination,
};

export { lintModule, Linter, StaticResolver, utils, rules };
export const configs = { all, correctness, recommended };
