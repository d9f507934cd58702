# Image for every OPS-TA service in docker-compose.yml (api, workers, scheduler).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# libpango*: WeasyPrint lays out the reports' PDFs with Pango and HarfBuzz (Thai shaping); its fonts come from
# the fontpkg-sarabun package, so no font package is needed.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgl1 libglib2.0-0 curl libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY api ./api
COPY cli ./cli
COPY engine ./engine
COPY face ./face
COPY geo ./geo
COPY devices ./devices
COPY web ./web
COPY bpmn ./bpmn
COPY migrations ./migrations
# Editable, so the package finds alembic.ini, migrations/ and bpmn/ beside it in /app.
RUN pip install -e .

RUN useradd --system --home /app opsta && mkdir -p /var/lib/opsta && chown opsta /var/lib/opsta
USER opsta
ENV OPSTA_DATA_DIR=/var/lib/opsta
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "2", "--threads", "8", "--worker-class", "gthread", "--access-logfile", "-", "api.wsgi:app"]
