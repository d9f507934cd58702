"""What to tell the employee, in Thai and English, for each failed check and reason code."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Advice:
    th: str
    en: str


# Profile-photo checks, by check name.
CHECK_ADVICE: dict[str, Advice] = {
    "one_face": Advice(
        th="ในภาพต้องมีใบหน้าเพียงหนึ่งใบ ถ่ายคนเดียวโดยไม่มีผู้อื่นอยู่ในภาพ และให้เห็นใบหน้าทั้งหมด",
        en="Exactly one face must be visible. Take the photo alone, with nobody else in the "
        "frame, and make sure your whole face is in view.",
    ),
    "face_large_enough": Advice(
        th="ใบหน้าในภาพเล็กหรืออยู่ไกลเกินไป ขยับเข้าใกล้กล้องให้เห็นใบหน้าและไหล่เต็มกรอบภาพ",
        en="Your face is too small or too far away. Come closer so that your face and "
        "shoulders fill the frame.",
    ),
    "level_head": Advice(
        th="ศีรษะหรือกล้องเอียง ถือกล้องให้ตรงและตั้งศีรษะตรง ให้ดวงตาทั้งสองข้างอยู่ในระดับเดียวกัน",
        en="Your head or the camera is tilted. Hold the camera upright and keep your head "
        "straight, with both eyes level.",
    ),
    "facing_camera": Advice(
        th="ใบหน้าหันไปด้านข้าง หันหน้าตรงและมองเข้าหากล้อง",
        en="Your face is turned to the side. Face the camera straight and look into it.",
    ),
    "bright_enough": Advice(
        th="ภาพมืดเกินไป ย้ายไปที่ที่มีแสงสว่างเพียงพอหรือหันหน้าเข้าหาหน้าต่างหรือโคมไฟ "
        "และหลีกเลี่ยงแสงจ้าด้านหลัง",
        en="The photo is too dark. Move to a well-lit place or face a window or lamp, and "
        "avoid strong light behind you.",
    ),
    "not_overexposed": Advice(
        th="ภาพสว่างเกินไป หลีกเลี่ยงแสงแดดหรือแฟลชที่ส่องตรงใบหน้า ย้ายไปที่ที่แสงนุ่มและสม่ำเสมอ",
        en="The photo is too bright. Avoid direct sunlight or a flash on your face; move to "
        "soft, even light.",
    ),
    "contrast": Advice(
        th="ภาพซีดจาง ใช้แสงที่สม่ำเสมอจากด้านหน้า เช็ดเลนส์กล้อง และอย่าถ่ายภาพจากหน้าจออื่น",
        en="The photo looks flat and washed out. Use even light from the front, wipe the "
        "lens, and do not photograph a screen or a printed photo.",
    ),
    "sharp": Advice(
        th="ภาพเบลอ ถือโทรศัพท์ให้นิ่ง เช็ดเลนส์กล้อง และรอให้กล้องโฟกัสที่ใบหน้าก่อนกดถ่าย",
        en="The photo is blurred. Hold the phone still, wipe the lens and let the camera "
        "focus on your face before taking the photo.",
    ),
    "face_uncovered": Advice(
        th="ดูเหมือนมีสิ่งปิดบังจมูกหรือปาก ถอดหน้ากากอนามัยหรือผ้าปิดหน้า และเอามือออกจากใบหน้า "
        "(สวมแว่นตาได้)",
        en="Your nose or mouth seems covered. Take off any mask or scarf and keep your hands "
        "away from your face (glasses are fine).",
    ),
}

_REPLACE_PROFILE = Advice(
    th="หากรูปโปรไฟล์เก่าหรือรูปลักษณ์ของคุณเปลี่ยนไป ให้อัปโหลดรูปโปรไฟล์ใหม่",
    en="If your profile photo is old or your appearance has changed, upload a new profile photo.",
)

# Selfie verdict reason codes. The set is closed: callers may rely on exactly these codes.
REASON_ADVICE: dict[str, Advice] = {
    "no_face": Advice(
        th="ไม่พบใบหน้าในภาพ ถือโทรศัพท์ไว้ตรงหน้าให้เห็นใบหน้าและไหล่ครบ ในที่ที่มีแสงสว่างเพียงพอ",
        en="No face was found. Hold the phone in front of you so that your face and "
        "shoulders are in view, in good light.",
    ),
    "multiple_faces": Advice(
        th="พบใบหน้ามากกว่าหนึ่งคนในภาพ แต่ละคนต้องถ่ายเซลฟี่ของตนเองโดยมีเพียงคนเดียวในภาพ",
        en="More than one face is in the selfie. Everyone takes their own selfie, alone in "
        "the frame.",
    ),
    "face_too_small": CHECK_ADVICE["face_large_enough"],
    "too_dark": CHECK_ADVICE["bright_enough"],
    "too_bright": CHECK_ADVICE["not_overexposed"],
    "blurred": CHECK_ADVICE["sharp"],
    "not_frontal": Advice(
        th="หันหน้าตรงเข้าหากล้องและตั้งศีรษะตรง ไม่เอียงหรือหันศีรษะ",
        en="Face the camera straight with your head upright; do not tilt or turn your head.",
    ),
    "mismatch": Advice(
        th="เซลฟี่ไม่ตรงกับรูปโปรไฟล์ของคุณ ถ่ายใหม่โดยหันหน้าตรง ภาพคมชัด แสงไม่มืดหรือสว่างเกินไป "
        "และไม่มีสิ่งปิดบังใบหน้า " + _REPLACE_PROFILE.th,
        en="The selfie does not match your profile photo. Take a new, sharp selfie facing "
        "the camera, in light that is neither too dark nor too bright, with nothing covering "
        "your face. " + _REPLACE_PROFILE.en,
    ),
    "no_profile_photo": Advice(
        th="คุณยังไม่มีรูปโปรไฟล์ที่ผ่านการตรวจ จึงตรวจเซลฟี่ไม่ได้ กรุณาอัปโหลดรูปโปรไฟล์ก่อน",
        en="You have no accepted profile photo yet, so the selfie cannot be checked. Upload "
        "a profile photo first.",
    ),
    "replayed_selfie": Advice(
        th="ภาพนี้เคยถูกใช้แล้ว กรุณาถ่ายเซลฟี่ใหม่จากกล้องในขณะนี้ ห้ามใช้ภาพเดิมหรือรูปโปรไฟล์ซ้ำ",
        en="This photo was used before. Take a new live selfie with the camera now; do not "
        "reuse an earlier photo or your profile photo.",
    ),
}

REASON_CODES = frozenset(REASON_ADVICE)
