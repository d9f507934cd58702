// Register the service worker (/sw.js, scope /): the app shell and the offline page (web/screens/pwa.py).
import { config } from './config.js';

const url = config().serviceWorker;
if (url && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register(url, { scope: '/' }).catch((error) => {
    console.warn('OPS-TA: the service worker could not be registered', error);
  });
}
