"""WSGI entry point for gunicorn: `gunicorn api.wsgi:app`."""
from dotenv import load_dotenv

from api.app import create_app

load_dotenv(override=False)
app = create_app()
