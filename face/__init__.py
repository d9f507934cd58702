"""Face adapter around DeepFace: profile-photo checks, selfie verification, replay defence.

A pure library: no database, no HTTP. At process start, before anything imports deepface:
`face.weights.prepare_deepface_home(data_dir)`. Then, in the one thread that does face work:
  * `face.profile_photo.check_profile_photo(photo=..., config=...)`  -> ProfileCheckResult
  * `face.verification.verify_selfie(selfie=..., profile_embedding=..., prior=..., config=...)`
    -> SelfieVerdict
  * `face.status.face_status(config)` for `opsta face status`
  * `face.intake.read_photo(data, config=...)` to validate an upload early (PhotoRejected)
Settings live in `face.config.FaceConfig`.
"""
