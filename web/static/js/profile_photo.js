// The profile photo screen: the camera's still goes into the form's file input, so the plain form
// (which works without script, with the file input alone) posts it.
import { startCamera } from './camera.js';

const form = document.getElementById('profile-photo-form');
const input = form.querySelector('[data-camera-file]');

startCamera(form.querySelector('[data-camera]'), {
  onPhoto(blob) {
    if (!blob || blob instanceof File) return; // a chosen file is already in the input
    const files = new DataTransfer();
    files.items.add(new File([blob], 'profile-photo.jpg', { type: 'image/jpeg' }));
    input.files = files.files;
  },
});
