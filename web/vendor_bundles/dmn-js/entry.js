// The DMN modeler for the analysts' pages (issue 16), as one script that sets the global `DmnJS`
// (the dmn-js Modeler class). dmn-js publishes a prebuilt bundle, but it carries Inferno's
// development build, which logs a console error on every page ("a minified copy of the development
// build of Inferno") and runs Inferno's development checks. `python -m web.vendor_refresh dmn-js`
// builds the same Modeler with NODE_ENV=production from the versions pinned in package-lock.json.
module.exports = require('dmn-js/lib/Modeler').default;
