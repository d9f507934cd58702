// Every page's entry module (base.html loads it with a versioned URL). Screen modules are loaded by
// their own templates; the pieces every page needs are imported here.
import './menu.js';
import './install_hint.js';
import './service_worker.js';
import './punch_outbox.js';
