// The selfie camera of templates/punch/_camera.html: the live front camera (getUserMedia) with the face
// frame, a still taken from it as a JPEG, and the file input (capture=user) for browsers without a
// camera or without permission. Used by the punch screen and the profile photo screen.
//
// `startCamera(root, { onPhoto })` calls `onPhoto(blob | null)` whenever the photo changes; it returns
// `{ reset }`, which drops the photo taken (back to the live camera).

const JPEG_QUALITY = 0.92;

function texts(root) {
  return root.querySelector('[data-camera-texts]').dataset;
}

function show(element, text) {
  element.textContent = text || '';
  element.hidden = !text;
}

export function startCamera(root, { onPhoto }) {
  const words = texts(root);
  const view = root.querySelector('[data-camera-view]');
  const video = root.querySelector('[data-camera-video]');
  const still = root.querySelector('[data-camera-still]');
  const status = root.querySelector('[data-camera-status]');
  const problem = root.querySelector('[data-camera-problem]');
  const shoot = root.querySelector('[data-camera-shoot]');
  const retake = root.querySelector('[data-camera-retake]');
  const file = root.querySelector('[data-camera-file]');
  let stream = null;
  let stillUrl = null;

  function showStill(blob) {
    if (stillUrl) URL.revokeObjectURL(stillUrl);
    stillUrl = blob ? URL.createObjectURL(blob) : null;
    still.hidden = !blob;
    if (blob) still.src = stillUrl; else still.removeAttribute('src');
  }

  function live(on) {
    view.hidden = !on;
    shoot.hidden = !on;
    retake.hidden = on || !stream;
  }

  function cameraFailed(error) {
    const name = error && error.name;
    const text = name === 'NotAllowedError' || name === 'SecurityError' ? words.cameraDenied
      : (name === 'NotFoundError' || name === 'OverconstrainedError' || !name) ? words.noCamera
        : words.cameraFailed;
    show(status, '');
    show(problem, text);
    view.hidden = true;
    shoot.hidden = true;
  }

  shoot.addEventListener('click', () => {
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d').drawImage(video, 0, 0);
    canvas.toBlob((blob) => {
      showStill(blob);
      live(false);
      show(status, words.taken);
      onPhoto(blob);
    }, 'image/jpeg', JPEG_QUALITY);
  });

  // Back to the live camera (or to no photo): every punch needs a selfie of its own.
  function reset() {
    showStill(null);
    file.value = '';
    if (stream) {
      live(true);
      show(status, words.ready);
    } else {
      retake.hidden = true;
    }
    onPhoto(null);
  }

  retake.addEventListener('click', reset);

  file.addEventListener('change', () => {
    const chosen = file.files && file.files[0];
    showStill(chosen || null);
    if (chosen) {
      if (stream) live(false);
      retake.hidden = !stream;
      show(status, words.taken);
    }
    onPhoto(chosen || null);
  });

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    cameraFailed(null);
    return { reset };
  }
  navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' }, audio: false })
    .then((opened) => {
      stream = opened;
      video.srcObject = stream;
      return video.play();
    })
    .then(() => {
      live(true);
      show(status, words.ready);
    })
    .catch(cameraFailed);
  window.addEventListener('pagehide', () => { if (stream) stream.getTracks().forEach((track) => track.stop()); });
  return { reset };
}
