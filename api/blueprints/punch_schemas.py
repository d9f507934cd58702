"""How punches look on the wire."""
import marshmallow as ma

from api.blueprints.directory_schemas import EmployeeRef
from api.blueprints.fields import Day, Flag, Int, Moment, Number, Text, date_range_in_order
from devices.punch_meaning import METHOD_LABELS_TH
from engine.models import DIRECTIONS


class PunchCreate(ma.Schema):
    direction = Text(required=True, validate=ma.validate.OneOf(DIRECTIONS))
    latitude = Number(required=True, validate=ma.validate.Range(-90, 90))
    longitude = Number(required=True, validate=ma.validate.Range(-180, 180))
    accuracy_m = Number(load_default=None, allow_none=True, validate=ma.validate.Range(min=0, max=100_000))
    is_mock = Flag(load_default=False)
    note = Text(load_default="", validate=ma.validate.Length(max=2000))
    address = Text(load_default="", validate=ma.validate.Length(max=500))
    client_time = Moment(load_default=None, allow_none=True,
                                          metadata={"description": "When the phone took the punch (ISO 8601 with offset)"})
    offline = Flag(load_default=None, allow_none=True,
                                metadata={"description": "True when the phone queued the punch and syncs it later"})


class SiteRef(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class VerificationReason(ma.Schema):
    code = ma.fields.String(metadata={"description": "no_face, multiple_faces, face_too_small, too_dark, too_bright, "
                                                     "blurred, not_frontal, mismatch, no_profile_photo, "
                                                     "replayed_selfie"})
    advice_th = ma.fields.String()
    advice_en = ma.fields.String()


class VerificationSchema(ma.Schema):
    status = ma.fields.String(metadata={"description": "not_required, pending, verified, rejected or error"})
    reasons = ma.fields.List(ma.fields.Nested(VerificationReason))
    distance = ma.fields.Float(allow_none=True)
    threshold = ma.fields.Float(allow_none=True)
    attempts = ma.fields.Integer()
    verified_at = ma.fields.DateTime(allow_none=True)


class PunchSchema(ma.Schema):
    id = ma.fields.Integer()
    direction = ma.fields.String()
    source = ma.fields.String()
    recorded_at = ma.fields.DateTime()
    client_time = ma.fields.DateTime(allow_none=True)
    effective_at = ma.fields.DateTime()
    date = ma.fields.Date(attribute="local_date")
    time = ma.fields.String(attribute="local_time")
    offline = ma.fields.Boolean()
    location_kind = ma.fields.String(allow_none=True)
    site = ma.fields.Nested(SiteRef, allow_none=True)
    place_label = ma.fields.String()
    flags = ma.fields.List(ma.fields.String())
    note = ma.fields.String()
    verification = ma.fields.Nested(VerificationSchema)
    standing = ma.fields.String(metadata={"description": "counts, provisional (selfie still being checked) or "
                                                         "excluded (selfie rejected or unchecked, not accepted by hr)"})
    standing_reason = ma.fields.String(allow_none=True, metadata={
        "description": "selfie_pending, selfie_rejected, verification_error or accepted_by_hr"})
    request_id = ma.fields.Integer(allow_none=True, metadata={"description": "the approved request that created it"})


class DeviceRef(ma.Schema):
    sn = ma.fields.String()
    name = ma.fields.String()


class AcceptanceSchema(ma.Schema):
    accepted_by = ma.fields.Nested(EmployeeRef)
    accepted_at = ma.fields.DateTime()
    reason = ma.fields.String()
    verification_status = ma.fields.String(metadata={"description": "the verdict hr overruled: rejected or error"})


class PunchDetailSchema(PunchSchema):
    employee = ma.fields.Nested(EmployeeRef)
    acceptance = ma.fields.Nested(AcceptanceSchema, allow_none=True,
                                  metadata={"description": "hr's acceptance of a punch whose face check failed"})
    address = ma.fields.String()
    latitude = ma.fields.Float(allow_none=True)
    longitude = ma.fields.Float(allow_none=True)
    accuracy_m = ma.fields.Float(allow_none=True)
    is_mock = ma.fields.Boolean()
    device = ma.fields.Nested(DeviceRef, allow_none=True,
                              metadata={"description": "the face terminal (ชื่อเครื่องอ่าน) of a terminal punch"})
    verify_method = ma.fields.String(allow_none=True,
                                     metadata={"description": "face, fingerprint, card, password, pin, palm, other"})
    verify_method_th = ma.fields.Function(
        lambda p: METHOD_LABELS_TH.get(p.verify_method) if p.verify_method else None,
        metadata={"description": "ประเภทบันทึกเวลา, e.g. ตรวจสอบใบหน้า"})


class AcceptanceIn(ma.Schema):
    reason = Text(required=True, validate=ma.validate.Length(min=1, max=1000),
                  metadata={"description": "why the punch counts all the same (kept with the decision)"})


class HistoryQuery(ma.Schema):
    from_ = Day(data_key="from", load_default=None)
    to = Day(load_default=None)
    page = Int(load_default=1, validate=ma.validate.Range(min=1))
    page_size = Int(load_default=50, validate=ma.validate.Range(min=1, max=200))

    @ma.validates_schema
    def _range(self, data, **_):
        date_range_in_order(data)


class HistoryPage(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(PunchSchema))
    page = ma.fields.Integer()
    page_size = ma.fields.Integer()
    total = ma.fields.Integer()
