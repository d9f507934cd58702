"""One module per screen; each registers its routes on web.blueprint.bp and keeps its templates
under web/templates/<screen>/. web/mount.py imports them all."""
