"""The web app (issue 13). So far only its vendored browser code: static/vendor/, refreshed from
vendor.lock.json by `python -m web.vendor_refresh`."""
