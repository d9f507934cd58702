"""An analyst's edit of the shipped overtime process: an HR approval after the supervisor."""
from __future__ import annotations

HR_LANE = """      <bpmn:lane id="lane_hr" name="hr">
        <bpmn:flowNodeRef>hr_approval</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>hr_decision</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>"""

HR_STEP = """    <bpmn:userTask id="hr_approval" name="HR approval (งานบุคคลพิจารณา)">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="decisions" value="approve,reject,return" />
          <spiffworkflow:property name="form_fields" value="decision,comment" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:exclusiveGateway id="hr_decision" name="HR decision?" />
    <bpmn:sequenceFlow id="flow_hr_done" sourceRef="hr_approval" targetRef="hr_decision" />
    <bpmn:sequenceFlow id="flow_hr_approve" sourceRef="hr_decision" targetRef="check_director">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">decision == "approve"</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="flow_hr_reject" sourceRef="hr_decision" targetRef="rejected_merge">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">decision == "reject"</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="flow_hr_return" sourceRef="hr_decision" targetRef="returned_merge">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">decision == "return"</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
  </bpmn:process>"""


def add_hr_after_supervisor(raw: bytes) -> bytes:
    text = raw.decode()
    for old, new in [
        ("    </bpmn:laneSet>", HR_LANE),
        ('sourceRef="supervisor_decision" targetRef="check_director"',
         'sourceRef="supervisor_decision" targetRef="hr_approval"'),
        ("<bpmn:incoming>flow_supervisor_approve</bpmn:incoming>", "<bpmn:incoming>flow_hr_approve</bpmn:incoming>"),
        ("  </bpmn:process>", HR_STEP),
    ]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text.encode()
